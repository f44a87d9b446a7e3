"""Data preparation: class splits, asset SVGs, decoding via training/prep_images.ts, teacher features.

Everything derived from ../shared goes to training/.work/ (git-ignored). Run via
`/usr/bin/python3 -m sketchsearch.prepare` from training/ (train.sh does this).
"""
import argparse
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import time

import numpy as np

from .classes import UnseenFilter, normalize, tokens, _singular, _contains_run
from .preprocess import quickdraw_to_strokes, sketch_tensor

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
N_VAL = 20
QD_TEACHER_PER_CLASS = 40

# Asset sets used for training (never openmoji: CC-BY-SA). (set, licence, max icons, kind)
TRAIN_SETS = [
    ('twemoji', 'CC-BY-4.0', None, 'emoji'),
    ('noto', 'Apache-2.0', None, 'emoji'),
    ('fluent-emoji-flat', 'MIT', None, 'emoji'),
    ('emojione', 'CC-BY-4.0', None, 'emoji'),
    ('game-icons', 'CC-BY-3.0', None, 'icon'),
    ('tabler', 'MIT', 3000, 'icon'),
    ('mdi', 'Apache-2.0', 2500, 'icon'),
    ('ph', 'MIT', None, 'icon'),
    ('lucide', 'ISC', None, 'icon'),
    ('carbon', 'Apache-2.0', 1500, 'icon'),
    ('material-symbols', 'Apache-2.0', 2000, 'icon'),
]
# More styles for the image branch (prepare --more-icons): monochrome and 3-D emoji, more line and solid UI sets.
# Appended after TRAIN_SETS, whose selection (and the cap stream's draws) they leave exactly as it was. Not Remix
# or MingCute: every name ends in -line / -fill, which would label the whole set with the class "line".
MORE_SETS = [
    ('emojione-monotone', 'CC-BY-4.0', None, 'emoji'),
    ('fluent-emoji', 'MIT', None, 'emoji'),
    ('streamline', 'CC-BY-4.0', 2500, 'icon'),
    ('bx', 'MIT', None, 'icon'),
    ('uil', 'Apache-2.0', None, 'icon'),
    ('solar', 'CC-BY-4.0', 1500, 'icon'),
]
# Icon packages reserved for evaluation in every build: never trained on, never used to tune anything
# (../shared/README.md). prepare refuses to select from them.
RESERVED_ICON_SETS = ('fxemoji', 'noto-v1', 'emojione-v1', 'streamline-emojis', 'fluent-emoji-high-contrast',
                      'iconoir', 'bi', 'la')


def is_reserved_drawing(key_id):
    """QuickDraw drawings reserved for evaluation in every build (the full build's benchmark queries)."""
    return int(key_id) % 11 == 0


# Sets whose unseen-class assets form the QuickDraw-unseen -> assets validation gallery.
EVAL_SETS = ['twemoji', 'noto', 'fluent-emoji-flat', 'emojione']
SKIP_NAME = re.compile(r'skin-tone|^flag|keycap|^\d|regional|-(bold|duotone|fill|light|thin|outline|off|filled|sharp|rounded)$'
                       r'|^(man|woman|men|women|person|people|family|couple|kiss)')


def sketchy_val_classes(seen):
    """Deterministic: the 20 seen Sketchy classes with the smallest sha1('sketchy-val:'+name)."""
    return sorted(sorted(seen, key=lambda c: hashlib.sha1(('sketchy-val:' + normalize(c)).encode()).hexdigest())[:N_VAL])


def content_key(*parts):
    """sha1 over files (by content) and strings: what a cached output was made from."""
    h = hashlib.sha1()
    for p in parts:
        if isinstance(p, np.ndarray):
            h.update(np.ascontiguousarray(p).tobytes())
        elif os.path.isfile(p):
            with open(p, 'rb') as f:
                for chunk in iter(lambda: f.read(1 << 20), b''):
                    h.update(chunk)
        else:
            h.update(p.encode())
    return h.hexdigest()


def cached(out_file, key):
    """True when out_file exists and was made from the inputs hashed in key. A cache keyed only by
    existence once kept teacher features of an older photo list, so every target is keyed by content."""
    try:
        return os.path.exists(out_file) and open(out_file + '.key').read() == key
    except OSError:
        return False


def mark(out_file, key):
    with open(out_file + '.key', 'w') as f:
        f.write(key)


def run_prep(list_file, out_file):
    key = content_key(list_file, os.path.join(REPO, 'training', 'prep_images.ts'))
    if cached(out_file, key) and os.path.exists(out_file + '.json'):
        return
    t = time.time()
    subprocess.run(['npx', 'tsx', os.path.join(REPO, 'training', 'prep_images.ts'), list_file, out_file],
                   check=True, cwd=REPO, stdout=subprocess.DEVNULL)
    mark(out_file, key)
    print(f'  decoded {list_file} in {time.time() - t:.0f}s', flush=True)


def load_u8(path, mmap=False):
    """A *.u8 array of 128x128 RGB images; mmap=True maps it read-only, so several stream workers share one
    page cache instead of a copy each."""
    a = np.memmap(path, np.uint8, 'r') if mmap else np.fromfile(path, np.uint8)
    return a.reshape(-1, 128, 128, 3)


def match_label(name, class_runs):
    """Longest seen class whose (singular) tokens appear as a contiguous run in the asset name."""
    toks = [_singular(t) for t in tokens(name)]
    best = None
    for cls, run in class_runs:
        if _contains_run(toks, run) and (best is None or len(run) > len(best[1])):
            best = (cls, run)
    return best[0] if best else None


def svg_doc(body, w, h, left=0, top=0, outline_px=None, fill='none'):
    """fill='none': every shape edge (hidden lines too); fill='#fff': only visible edges (occlusion)."""
    style = ''
    if outline_px is not None:
        sw = outline_px * max(w, h) / 112.0
        style = (f'<style>*{{fill:{fill} !important;stroke:#000 !important;stroke-width:{sw:.4f}px !important;'
                 f'stroke-linejoin:round !important;stroke-linecap:round !important}}</style>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="{left} {top} {w} {h}" width="{w}" height="{h}">'
            f'{style}{body}</svg>')


def write_icon_strokes(work, assets, docs):
    """icon_strokes.json.gz: each training asset's outline (docs: its SVG) as doodle strokes (icon_strokes.py),
    aligned with meta['assets']; train.py --icon-doodles draws from it."""
    from .icon_strokes import icon_strokes
    out = os.path.join(work, 'icon_strokes.json.gz')
    key = content_key(json.dumps([a['set'] + ':' + a['name'] for a in assets]), os.path.join(os.path.dirname(__file__), 'icon_strokes.py'),
                      hashlib.sha1('\n'.join(docs).encode()).hexdigest())
    if cached(out, key):
        return
    t = time.time()
    strokes = []
    for d in docs:
        try:
            strokes.append(icon_strokes(d))
        except Exception:  # an SVG the flattener cannot parse keeps its rendered outline only
            strokes.append([])
    with open(out + '.tmp', 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0) as gz, io.TextIOWrapper(gz) as f:
        json.dump(strokes, f)
    os.replace(out + '.tmp', out)
    mark(out, key)
    print(f'  icon doodle strokes: {sum(bool(s) for s in strokes)}/{len(strokes)} icons in {time.time() - t:.0f}s', flush=True)


def meta_of(build, sk_val, sk_train, qd_classes, photos, sketches, assets, eval_assets, qd_eval, train_classes, qd_reserved):
    return {'build': build, 'train_on_val': build == 'full',
            'sketchy_val': sk_val, 'sketchy_train': sk_train, 'qd_classes': qd_classes,
            'photos': photos, 'sketches': sketches, 'assets': assets, 'eval_assets': eval_assets,
            'qd_eval_classes': [r[0] for r in qd_eval], 'qd_eval_keys': [r[2] for r in qd_eval], 'train_classes': train_classes,
            'reserved': {'icon_sets': list(RESERVED_ICON_SETS), 'quickdraw_rule': 'int(key_id) % 11 == 0',
                         'quickdraw_left_out': qd_reserved}}


def write_selection(work, meta, qd_train):
    """meta.json and qd_train.json.gz ([word, strokes, key_id] per drawing): what train.py reads."""
    # write-then-rename so a concurrently starting train.py never reads a partial file
    with open(os.path.join(work, 'meta.json.tmp'), 'w') as f:
        json.dump(meta, f)
    os.replace(os.path.join(work, 'meta.json.tmp'), os.path.join(work, 'meta.json'))
    # mtime=0: the bytes depend only on the data, so the teacher cache keyed by this file stays valid
    with open(os.path.join(work, 'qd_train.json.gz.tmp'), 'wb') as raw, \
            gzip.GzipFile(fileobj=raw, mode='wb', mtime=0) as gz, io.TextIOWrapper(gz) as f:
        json.dump(qd_train, f)
    os.replace(os.path.join(work, 'qd_train.json.gz.tmp'), os.path.join(work, 'qd_train.json.gz'))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument('--data', default=os.path.join(REPO, '..', 'shared', 'data'))
    ap.add_argument('--teacher', default=os.path.join(REPO, '..', 'shared', 'models', 'teacher'))
    ap.add_argument('--reuse-teacher', action='append', default=[], metavar='WORK',
                    help="another work folder (the other build's): teacher features of identical images are copied from it")
    ap.add_argument('--corpora', default=os.path.join(REPO, 'bench', 'corpora', 'node_modules', '@iconify-json'))
    ap.add_argument('--work', default=os.path.join(REPO, 'training', '.work'))
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--build', choices=['zero-shot', 'full'], default='zero-shot',
                    help='zero-shot: never trains on a class of the unseen lists (every method claim is measured on it); '
                         'full: trains on every class (what ships). Both leave out the reserved drawings and icon packages')
    ap.add_argument('--select-only', action='store_true',
                    help='write the selection (meta.json, qd_train.json.gz) and stop: no decoding, no teacher '
                         '(what test/python/test_data_rules.py checks)')
    ap.add_argument('--more-icons', action='store_true',
                    help='also train on MORE_SETS (more emoji and icon styles), appended after TRAIN_SETS')
    args = ap.parse_args(argv)
    train_sets = TRAIN_SETS + (MORE_SETS if args.more_icons else [])
    bad = [s for s, *_ in train_sets if s in RESERVED_ICON_SETS]
    if bad:
        raise SystemExit(f'TRAIN_SETS names icon packages reserved for evaluation: {bad}')
    work = os.path.abspath(args.work)
    os.makedirs(os.path.join(work, 'lists'), exist_ok=True)
    filt = UnseenFilter.from_splits(os.path.join(args.data, 'splits'))
    rng = np.random.RandomState(args.seed)
    cap_rng = np.random.RandomState(args.seed + 1)  # its own stream: a cap change never moves the evaluation queries

    # ---------------- Sketchy ----------------
    sk_dir = os.path.join(work, 'sketchy')
    tar_path = os.path.join(args.data, 'sketchy-seen', 'sketchy-seen-104.tar')
    if not os.path.exists(os.path.join(sk_dir, '.done')):
        with tarfile.open(tar_path) as tf:
            tf.extractall(sk_dir)
        open(os.path.join(sk_dir, '.done'), 'w').close()
    sk_all = sorted(os.listdir(os.path.join(sk_dir, 'sketch')))
    sk_seen = [c for c in sk_all if not filt.is_unseen_class(c)]
    sk_val = sketchy_val_classes(sk_seen)
    with open(os.path.join(REPO, 'training', 'splits', 'sketchy-val-classes.txt'), 'w') as f:
        f.write('\n'.join(sk_val) + '\n')
    full = args.build == 'full'
    # zero-shot: unseen + validation classes are held out of training; full: nothing is (the Sketchy validation
    # classes are still evaluated, as trained classes)
    heldout = UnseenFilter([] if full else sorted(filt.names) + [normalize(c) for c in sk_val])
    if full:
        sk_seen = sk_all
    sk_train = sk_seen if full else [c for c in sk_seen if c not in sk_val]
    photos, sketches = [], []  # records
    for c in sk_seen:
        pdir = os.path.join(sk_dir, 'photo', c)
        pids = sorted(os.path.splitext(p)[0] for p in os.listdir(pdir))
        pidx = {}
        for p in pids:
            pidx[p] = len(photos)
            photos.append({'cls': c, 'id': p, 'path': os.path.join(pdir, p + '.jpg'), 'val': c in sk_val})
        sdir = os.path.join(sk_dir, 'sketch', c)
        for s in sorted(os.listdir(sdir)):
            pid = s.rsplit('-', 1)[0]
            sketches.append({'cls': c, 'path': os.path.join(sdir, s), 'photo': pidx.get(pid, -1), 'val': c in sk_val})
    print(f'sketchy: {len(sk_seen)} seen classes ({len(sk_train)} train, {len(sk_val)} val), '
          f'{len(photos)} photos, {len(sketches)} sketches', flush=True)

    # ---------------- QuickDraw ----------------
    qd_words = {}
    qd_train, qd_eval_pool = [], {}
    qd_reserved = 0
    qd_keys = set()  # a few drawings are in both files (simplified and raw): keep the first
    for fn, fmt in [('quickdraw-simplified.ndjson.gz', 's'), ('quickdraw-raw-exupery.ndjson.gz', 'r')]:
        with gzip.open(os.path.join(args.data, 'quickdraw', fn), 'rt') as f:
            for line in f:
                d = json.loads(line)
                w = d['word']
                if w not in qd_words:
                    qd_words[w] = (filt.is_unseen_class(w), heldout.is_unseen_class(w))
                unseen, held = qd_words[w]
                strokes = [[s[0], s[1]] for s in d['drawing']]
                reserved = is_reserved_drawing(d['key_id'])
                if not held and reserved:
                    qd_reserved += 1
                elif not held and str(d['key_id']) not in qd_keys:
                    qd_keys.add(str(d['key_id']))
                    qd_train.append((w, strokes, str(d['key_id'])))
                # validation queries of the unseen classes: in the full build only reserved drawings are untrained
                if unseen and fmt == 's' and normalize(w) in filt.names and (held or reserved):
                    qd_eval_pool.setdefault(normalize(w), []).append((strokes, str(d['key_id'])))
    qd_classes = sorted({r[0] for r in qd_train})
    print(f'quickdraw: {len(qd_train)} training drawings in {len(qd_classes)} classes '
          f'({qd_reserved} reserved for evaluation left out)', flush=True)

    # ---------------- Assets ----------------
    train_classes = sorted(set(normalize(c) for c in qd_classes) | set(normalize(c) for c in sk_train))
    class_runs = [(c, [_singular(t) for t in tokens(c)]) for c in train_classes]
    unseen_qd = sorted(qd_eval_pool)
    unseen_runs = [(c, [_singular(t) for t in tokens(c)]) for c in unseen_qd]
    assets, eval_assets = [], []
    adir = os.path.join(work, 'assets')
    for set_name, lic, cap, kind in train_sets:
        j = json.load(open(os.path.join(args.corpora, set_name, 'icons.json')))
        names = sorted(n for n in j['icons'] if not SKIP_NAME.search(n))
        ok = [n for n in names if not heldout.is_unseen_asset(n)]
        if set_name in EVAL_SETS:
            for n in names:
                c = match_label(n, unseen_runs) if filt.is_unseen_asset(n) else None
                if c is not None:
                    eval_assets.append({'set': set_name, 'name': n, 'cls': c})
        if cap is not None and len(ok) > cap:
            ok = sorted(cap_rng.choice(ok, cap, replace=False).tolist())
        for n in ok:
            assets.append({'set': set_name, 'name': n, 'licence': lic, 'kind': kind,
                           'label': match_label(n, class_runs)})
    cache = {}
    train_svgs = []  # the training assets' SVGs, for their doodle strokes
    for rec_list, sub in [(assets, 'train'), (eval_assets, 'eval')]:
        for a in rec_list:
            if a['set'] not in cache:
                cache[a['set']] = json.load(open(os.path.join(args.corpora, a['set'], 'icons.json')))
            j = cache[a['set']]
            ic = j['icons'][a['name']]
            w = ic.get('width', j.get('width', 16)); h = ic.get('height', j.get('height', 16))
            l = ic.get('left', j.get('left', 0)); t = ic.get('top', j.get('top', 0))
            d = os.path.join(adir, sub, a['set'])
            os.makedirs(d, exist_ok=True)
            docs = {'path': ('.svg', svg_doc(ic['body'], w, h, l, t))}
            if sub == 'train':
                train_svgs.append(docs['path'][1])
                docs['outline'] = ('.outline.svg', svg_doc(ic['body'], w, h, l, t, outline_px=3.0))
                docs['outline_w'] = ('.outline-w.svg', svg_doc(ic['body'], w, h, l, t, outline_px=3.0, fill='#fff'))
            for field, (suffix, doc) in docs.items():
                a[field] = os.path.join(d, a['name'] + suffix)
                if not args.select_only:
                    with open(a[field], 'w') as f:
                        f.write(doc)
    n_lab = sum(a['label'] is not None for a in assets)
    print(f'assets: {len(assets)} training ({n_lab} labelled with a seen class), '
          f'{len(eval_assets)} unseen-class eval assets in {len({a["cls"] for a in eval_assets})} classes', flush=True)

    # QuickDraw unseen queries (only classes that have eval assets), 25 per class.
    eval_cls = sorted({a['cls'] for a in eval_assets})
    qd_eval = []
    for c in eval_cls:
        pool = qd_eval_pool[c]
        idx = rng.choice(len(pool), min(25, len(pool)), replace=False)
        qd_eval += [(c, pool[i][0], pool[i][1]) for i in sorted(idx)]

    meta = meta_of(args.build, sk_val, sk_train, qd_classes, photos, sketches, assets, eval_assets, qd_eval, train_classes, qd_reserved)
    if args.select_only:
        write_selection(work, meta, qd_train)
        print('selection written (--select-only)', flush=True)
        return

    qd_eval_t = np.stack([sketch_tensor(r[1]) for r in qd_eval]).astype(np.float32)
    np.save(os.path.join(work, 'qd_eval_tensors.npy'), qd_eval_t)

    # ---------------- Decode through the extension's decoder ----------------
    lists = {'photos': [p['path'] for p in photos], 'sketches': [s['path'] for s in sketches],
             'assets': [a['path'] for a in assets], 'outlines': [a['outline'] for a in assets],
             'outlines_w': [a['outline_w'] for a in assets],
             'eval_assets': [a['path'] for a in eval_assets]}
    for k, v in lists.items():
        lf = os.path.join(work, 'lists', k + '.txt')
        with open(lf, 'w') as f:
            f.write('\n'.join(v) + '\n')
        run_prep(lf, os.path.join(work, k + '.u8'))

    write_icon_strokes(work, assets, train_svgs)
    write_selection(work, meta, qd_train)

    # ---------------- Teacher features (MobileNetV2 1.0 @224, frozen) ----------------
    # (+ the first QD_TEACHER_PER_CLASS QuickDraw training drawings of each class, in file order, rendered once
    # without augmentation; teacher.write_teacher_features, which training/gpu/unpack.py runs on a GPU too)
    from .teacher import write_teacher_features
    write_teacher_features(work, os.path.join(args.teacher, 'mobilenet_v2_1.0_224_quant.torchscript.pt'), sketches, qd_train, qd_eval_t,
                           reuse=[d for d in args.reuse_teacher if os.path.abspath(d) != os.path.abspath(work)])
    print('prepare done', flush=True)


if __name__ == '__main__':
    main()
