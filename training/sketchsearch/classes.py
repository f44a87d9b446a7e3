"""Class-name normalisation and the unseen-class filter.

Rule (../shared/README.md): no shipped model may be trained on any class in the union of
data/splits/unseen-*.txt, in any dataset. Names are normalised (lowercase; `_`, `-` and spaces
unified) before matching.

- Dataset classes (QuickDraw, Sketchy) are dropped if their normalised name equals an unseen
  name, or (stricter) if their tokens contain all tokens of an unseen name as a contiguous run
  (e.g. "see saw" contains "saw", "baseball bat" contains "bat", "palm tree" contains "tree").
- Assets (icon/emoji names, e.g. "cow-face") are dropped if any name token, or its singular,
  equals any token (of length >= 3) of any unseen class name, or the name contains a whole
  unseen name (multi-word too) as a contiguous token run.
"""
import glob
import os
import re

_SPLIT = re.compile(r'[\s_\-]+')


def normalize(name):
    """'Hot-air_Balloon ' -> 'hot air balloon'."""
    return ' '.join(t for t in _SPLIT.split(name.strip().lower()) if t)


def tokens(name):
    return [t for t in re.split(r'[^a-z0-9]+', normalize(name)) if t]


def _singular(t):
    if len(t) > 3 and t.endswith('ies'):
        return t[:-3] + 'y'
    if len(t) > 3 and t.endswith('es') and t[-3] in 'sxz':
        return t[:-2]
    if len(t) > 3 and t.endswith('s') and not t.endswith('ss'):
        return t[:-1]
    return t


def load_unseen(splits_dir):
    files = sorted(glob.glob(os.path.join(splits_dir, 'unseen-*.txt')))
    if len(files) < 4:
        raise FileNotFoundError(f'expected 4 unseen-*.txt lists in {splits_dir}, found {files}')
    names = set()
    for fn in files:
        with open(fn) as f:
            for line in f:
                if line.strip():
                    names.add(normalize(line))
    return names


def _contains_run(toks, run):
    n = len(run)
    return any(toks[i:i + n] == run for i in range(len(toks) - n + 1))


class UnseenFilter:
    def __init__(self, unseen_names):
        self.names = {normalize(n) for n in unseen_names}
        self.runs = [tokens(n) for n in self.names]
        self.runs_singular = [[_singular(t) for t in r] for r in self.runs]
        self.asset_tokens = set()
        for r in self.runs:
            for t in r:
                if len(t) >= 3:
                    self.asset_tokens.add(t)
                    self.asset_tokens.add(_singular(t))

    @classmethod
    def from_splits(cls, splits_dir):
        return cls(load_unseen(splits_dir))

    def is_unseen_class(self, name):
        """True if a dataset class must not be trained on."""
        n = normalize(name)
        if n in self.names:
            return True
        toks = [_singular(t) for t in tokens(n)]
        return any(_contains_run(toks, r) for r in self.runs_singular)

    def is_unseen_asset(self, name):
        """True if an asset (icon/emoji) name mentions an unseen class."""
        toks = tokens(name)
        if any(t in self.asset_tokens or _singular(t) in self.asset_tokens for t in toks):
            return True
        st = [_singular(t) for t in toks]
        return any(_contains_run(st, r) for r in self.runs_singular)

    def seen_classes(self, names):
        return [c for c in names if not self.is_unseen_class(c)]
