"""The data rules of both builds, proved on the selection prepare writes (meta.json, qd_train.json.gz):
QuickDraw drawings with int(key_id) % 11 == 0 and the reserved icon packages are never trained on,
and (zero-shot build) no unseen-list class is. Runs `prepare --select-only` into a temporary folder,
so CI checks what a training run would read, not a copy of the rule."""
import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
sys.path.insert(0, os.path.join(ROOT, 'training'))
from sketchsearch.classes import UnseenFilter, load_unseen, normalize  # noqa: E402
from sketchsearch.prepare import MORE_SETS, RESERVED_ICON_SETS, TRAIN_SETS, is_reserved_drawing  # noqa: E402

DATA = os.environ.get('SKETCHSEARCH_DATA', os.path.join(ROOT, '..', 'shared', 'data'))
CORPORA = os.path.join(ROOT, 'bench', 'corpora', 'node_modules', '@iconify-json')
HAVE = os.path.isdir(os.path.join(DATA, 'quickdraw')) and os.path.isdir(CORPORA)


class TestRules(unittest.TestCase):
    def test_reserved_drawing_rule(self):
        for k in ['0', '22', 5027286841556992 * 11, str(6604951289593856 * 11)]:
            self.assertTrue(is_reserved_drawing(k), k)
        for k in ['1', 12, str(6604951289593856 * 11 + 1)]:
            self.assertFalse(is_reserved_drawing(k), k)

    def test_reserved_sets_listed_and_not_trained(self):
        self.assertEqual(set(RESERVED_ICON_SETS), {'fxemoji', 'noto-v1', 'emojione-v1', 'streamline-emojis',
                                                   'fluent-emoji-high-contrast', 'iconoir', 'bi', 'la'})
        self.assertFalse({s for s, *_ in TRAIN_SETS + MORE_SETS} & set(RESERVED_ICON_SETS))


_SELECTIONS = {}  # (build, options) -> (meta, qd): each selection is made once per run of this module


def selection(build, options=()):
    """meta.json and qd_train.json.gz of `prepare --select-only --build BUILD OPTIONS`, made once."""
    key = (build, tuple(options))
    if key not in _SELECTIONS:
        work = tempfile.mkdtemp(prefix='sks-select-')
        try:
            subprocess.run([sys.executable, '-m', 'sketchsearch.prepare', '--select-only', '--build', build, '--work', work,
                            '--data', DATA, *options], cwd=os.path.join(ROOT, 'training'), check=True, stdout=subprocess.DEVNULL)
            with open(os.path.join(work, 'meta.json')) as f:
                meta = json.load(f)
            with gzip.open(os.path.join(work, 'qd_train.json.gz'), 'rt') as f:
                _SELECTIONS[key] = (meta, json.load(f))
        finally:
            shutil.rmtree(work, ignore_errors=True)
    return _SELECTIONS[key]


class SelectionRules:
    """Both rules of every build, on the selection `prepare --select-only --build BUILD` wrote."""
    BUILD = ''
    OPTIONS = []

    @classmethod
    def setUpClass(cls):
        cls.meta, cls.qd = selection(cls.BUILD, cls.OPTIONS)

    def test_no_reserved_quickdraw_drawing(self):
        self.assertGreater(len(self.qd), 40000)
        keys = [r[2] for r in self.qd]
        self.assertEqual(len(keys), len(set(keys)), 'a drawing is selected twice')
        self.assertEqual([k for k in keys if int(k) % 11 == 0], [])
        # the rule did something: about 1/11 of the trained classes' drawings were left out
        left = self.meta['reserved']['quickdraw_left_out']
        self.assertGreater(left, 0.07 * (len(self.qd) + left))
        self.assertLess(left, 0.12 * (len(self.qd) + left))

    def test_no_reserved_icon_package(self):
        sets = {a['set'] for a in self.meta['assets']}
        self.assertTrue(sets, 'no assets selected')
        self.assertFalse(sets & set(RESERVED_ICON_SETS), sets)
        for a in self.meta['assets']:
            # the file written for training comes from a non-reserved package folder too
            self.assertNotIn(os.sep + 'noto-v1' + os.sep, a['path'])
            self.assertFalse(any(os.sep + r + os.sep in a['path'] for r in RESERVED_ICON_SETS), a['path'])

    def test_build_recorded(self):
        self.assertEqual(self.meta['build'], self.BUILD)


@unittest.skipUnless(HAVE, f'needs {DATA} and the corpora (bash scripts/fetch-corpora.sh)')
class TestZeroShotSelection(SelectionRules, unittest.TestCase):
    BUILD = 'zero-shot'

    def test_zero_shot_rule_on_the_selection(self):
        unseen = load_unseen(os.path.join(DATA, 'splits'))
        filt = UnseenFilter(unseen)
        for w in {r[0] for r in self.qd}:
            self.assertFalse(filt.is_unseen_class(w), w)
        for a in self.meta['assets']:
            self.assertFalse(filt.is_unseen_asset(a['name']), a['name'])
        for s in self.meta['sketches'] + self.meta['photos']:
            self.assertFalse(filt.is_unseen_class(s['cls']), s['cls'])
        self.assertFalse({normalize(c) for c in self.meta['train_classes']} & set(unseen))


@unittest.skipUnless(HAVE, f'needs {DATA} and the corpora (bash scripts/fetch-corpora.sh)')
class TestFullSelection(SelectionRules, unittest.TestCase):
    BUILD = 'full'

    def test_trains_on_every_class(self):
        words = {normalize(r[0]) for r in self.qd}
        with open(os.path.join(DATA, 'splits', 'quickdraw-345-classes.txt')) as f:
            qd_all = {normalize(l) for l in f if l.strip()}
        self.assertEqual(words, qd_all)
        for c in ['tree', 'cup', 'umbrella', 'door', 'airplane']:  # unseen-list classes people draw
            self.assertIn(c, self.meta['train_classes'])
        self.assertTrue(self.meta['train_on_val'])
        self.assertEqual(len({s['cls'] for s in self.meta['sketches']}), 104)

    def test_validation_queries_are_reserved_drawings(self):
        # the full build trains on the unseen classes, so its validation doodles must be ones it never sees
        self.assertGreater(len(self.meta['qd_eval_keys']), 100)
        self.assertTrue(all(int(k) % 11 == 0 for k in self.meta['qd_eval_keys']))
        self.assertFalse(set(self.meta['qd_eval_keys']) & {r[2] for r in self.qd})


@unittest.skipUnless(HAVE, f'needs {DATA} and the corpora (bash scripts/fetch-corpora.sh)')
class TestZeroShotMoreIconsSelection(TestZeroShotSelection):
    """prepare --more-icons: the same rules with the extra packages, which come after the others and leave their
    selection exactly as it was (so teacher features and frozen blocks carry over)."""
    OPTIONS = ['--more-icons']

    def test_more_icons_appended(self):
        sets = [a['set'] for a in self.meta['assets']]
        self.assertTrue({s for s, *_ in MORE_SETS} <= set(sets))
        ident = lambda assets: [(a['set'], a['name'], a['label']) for a in assets]  # noqa: E731  (paths name the work folder)
        plain = ident(selection(self.BUILD)[0]['assets'])
        more = ident(self.meta['assets'])
        self.assertTrue(more[:len(plain)] == plain, 'the packages before MORE_SETS are selected otherwise')
        self.assertTrue(all(a[0] in {s for s, *_ in MORE_SETS} for a in more[len(plain):]))


if __name__ == '__main__':
    unittest.main()
