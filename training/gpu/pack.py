#!/usr/bin/env python3
"""Pack a prepared work folder (training/.work, what sketchsearch.prepare writes) into one folder small enough
to travel to the device machine as a carried path: everything a v2 training needs except what the device
recomputes (teacher features, trunk caches). docs/gpu-training.md has the whole GPU path.

    /usr/bin/python3 training/gpu/pack.py [--work training/.work] [--out training/.gpu-pack]

What travels to the device is this checkout's tracked and untracked-not-ignored files plus the carried paths,
64 MiB in all; the pack gets what the checkout leaves (--budget-mib). It holds, losslessly unless said: the
teacher's weights (its feature trunk, a codebook per tensor: bit-identical, 1.8 MB instead of the 23 MB
TorchScript), meta.json, the QuickDraw training selection, Sketchy sketches, the evaluation assets and
QuickDraw queries, baselines.json, the Sketchy photos as JPEG (lossy: --photo-quality, PSNR recorded), and as
many training assets (image + outline + visible-edge outline + doodle strokes) as fit, chosen by a recorded
rule (--min-per-class labelled assets of every class first, then a seeded random order; --max-assets caps).
manifest.json records what the pack was made from (the work folder's build and counts, sha1 of every source
file and of every decoded array) and what was left out; the device run's train_report.json carries it.
"""
import argparse
import datetime
import gzip
import hashlib
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import packfmt as pf  # noqa: E402
from sketchsearch.prepare import load_u8  # noqa: E402

LIMIT_MIB = 64  # the device tool's limit on everything that travels (working tree + carried paths)
TEACHER = 'mobilenet_v2_1.0_224_quant.torchscript.pt'
CHUNK = 512  # assets per xz stream (streams concatenate; the last one is cut to fit the budget)
U8 = ('photos', 'sketches', 'assets', 'outlines', 'outlines_w', 'eval_assets')


def file_sha1(path):
    h = hashlib.sha1()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 22), b''):
            h.update(chunk)
    return h.hexdigest()


def failed(path):
    with open(path + '.json') as f:
        return json.load(f)['failed']


def travelling_bytes(repo):
    """What the device tool sends besides the carried paths: tracked + untracked-not-ignored files (and a
    shared/ folder inside the checkout, where there is one)."""
    out = subprocess.run(['git', '-C', repo, 'ls-files', '-z', '-co', '--exclude-standard'], capture_output=True, check=True).stdout
    total = sum(os.lstat(os.path.join(repo, p.decode())).st_size for p in out.split(b'\0')
                if p and os.path.lexists(os.path.join(repo, p.decode())))
    shared = os.path.join(repo, 'shared')
    if os.path.isdir(shared):
        total += sum(os.lstat(os.path.join(d, f)).st_size for d, _, fs in os.walk(shared) for f in fs)
    return total


def git_state(repo):
    try:
        head = subprocess.run(['git', '-C', repo, 'rev-parse', 'HEAD'], capture_output=True, text=True, check=True).stdout.strip()
        dirty = bool(subprocess.run(['git', '-C', repo, 'status', '--porcelain', '--untracked-files=no'], capture_output=True,
                                    text=True, check=True).stdout.strip())
        return {'commit': head, 'dirty': dirty}
    except (OSError, subprocess.CalledProcessError):
        return None


def asset_order(assets, bad, seed, min_per_class):
    """Priority of the training assets: up to min_per_class labelled assets of every class (so every class
    keeps teacher image centres and classification targets), then the rest, in one seeded random order."""
    perm = np.random.RandomState(seed).permutation([i for i in range(len(assets)) if i not in bad])
    first, per = [], {}
    for i in perm:
        lab = assets[i]['label']
        if lab is not None and per.get(lab, 0) < min_per_class:
            per[lab] = per.get(lab, 0) + 1
            first.append(int(i))
    chosen = set(first)
    return first + [int(i) for i in perm if int(i) not in chosen]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--work', default=os.path.join(REPO, 'training', '.work'), help='a work folder prepare finished')
    ap.add_argument('--repo', default=REPO, help='the checkout the device tool sends (its files share the 64 MiB)')
    ap.add_argument('--out', default=None, help='default: REPO/training/.gpu-pack (git-ignored)')
    ap.add_argument('--teacher-dir', default=os.path.join(REPO, '..', 'shared', 'models', 'teacher'))
    ap.add_argument('--budget-mib', type=float, default=None,
                    help=f'size of the pack (default: {LIMIT_MIB} MiB less what the checkout sends less --margin-mib)')
    ap.add_argument('--margin-mib', type=float, default=1.0, help='room left for the checkout to grow')
    ap.add_argument('--max-assets', type=int, default=None, help='at most this many training assets (default: as many as fit)')
    ap.add_argument('--min-per-class', type=int, default=2, help='labelled assets of each class taken first')
    ap.add_argument('--seed', type=int, default=0, help='the assets\' random order')
    ap.add_argument('--photo-quality', type=int, default=90, help='JPEG quality of the Sketchy photos')
    args = ap.parse_args(argv)
    t0 = time.time()
    work = os.path.abspath(args.work)
    out = os.path.abspath(args.out or os.path.join(args.repo, 'training', '.gpu-pack'))
    need = ['meta.json', 'qd_train.json.gz', 'icon_strokes.json.gz', 'qd_eval_tensors.npy'] + [f'{k}.u8' for k in U8]
    missing = [f for f in need if not os.path.exists(os.path.join(work, f))]
    if missing:
        raise SystemExit(f'{work} is not a finished work folder (run sketchsearch.prepare): missing {missing}')
    tpath = os.path.join(args.teacher_dir, TEACHER)
    if not os.path.exists(tpath):
        raise SystemExit(f'no teacher at {tpath}')
    repo_bytes = travelling_bytes(args.repo)
    budget = int((args.budget_mib if args.budget_mib is not None else LIMIT_MIB - args.margin_mib) * 2 ** 20)
    if args.budget_mib is None:
        budget -= repo_bytes
    print(f'budget {budget / 2 ** 20:.2f} MiB (the checkout {args.repo} sends {repo_bytes / 2 ** 20:.2f} MiB)', flush=True)

    with open(os.path.join(work, 'meta.json')) as f:
        meta = json.load(f)
    arrays = {k: load_u8(os.path.join(work, f'{k}.u8'), mmap=True) for k in U8}
    n_of = {'photos': len(meta['photos']), 'sketches': len(meta['sketches']), 'assets': len(meta['assets']),
            'outlines': len(meta['assets']), 'outlines_w': len(meta['assets']), 'eval_assets': len(meta['eval_assets'])}
    for k, n in n_of.items():
        if len(arrays[k]) != n:
            raise SystemExit(f'{k}.u8 holds {len(arrays[k])} images, meta.json lists {n}: the work folder is mid-prepare')
    sources = sorted(need + [f'{k}.u8.json' for k in U8] + (['baselines.json'] if os.path.exists(os.path.join(work, 'baselines.json')) else []))
    print('hashing the sources ...', flush=True)
    source = {'work': work, 'build': meta.get('build'), 'made_by': git_state(args.repo),
              'counts': {'photos': len(meta['photos']), 'sketches': len(meta['sketches']), 'assets': len(meta['assets']),
                         'eval_assets': len(meta['eval_assets']), 'qd_eval': len(meta['qd_eval_classes']),
                         'train_classes': len(meta['train_classes']), 'qd_classes': len(meta['qd_classes'])},
              'sha1': {f: file_sha1(os.path.join(work, f)) for f in sources},
              'teacher': {'file': TEACHER, 'sha1': file_sha1(tpath)}}
    os.makedirs(out, exist_ok=True)
    for f in os.listdir(out):  # a pack is made whole or not at all
        os.remove(os.path.join(out, f))
    files = {}

    def put(name, b):
        files[name] = {'bytes': pf.write(out, name, b), 'sha1': pf.sha1(b)}

    manifest = {'format': pf.FORMAT, 'made': datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='seconds'),
                'source': source, 'arrays': {}, 'lossy': {}}

    # ---- the teacher: its feature trunk's weights, losslessly ----
    import torch
    sd = {k: v for k, v in torch.jit.load(tpath, map_location='cpu').state_dict().items() if k.startswith('body.params.')}
    blob = pf.encode_teacher(sd)
    assert pf.teacher_sha1(pf.decode_teacher(blob)) == pf.teacher_sha1(sd)
    put('teacher.npz.xz', blob)
    manifest['teacher'] = {'from': TEACHER, 'from_sha1': source['teacher']['sha1'], 'tensors': len(sd),
                           'state_sha1': pf.teacher_sha1(sd), 'encoding': 'feature-trunk parameters, codebook + uint8 index per tensor (lossless)'}

    # ---- selections, sketches, evaluation data ----
    with gzip.open(os.path.join(work, 'qd_train.json.gz'), 'rb') as f:
        qd_text = f.read()
    put('qd_train.json.xz', pf.xz(qd_text))
    manifest['qd_train'] = {'drawings': len(json.loads(qd_text)), 'json_sha1': pf.sha1(qd_text)}
    t = time.time()
    jpgs = [pf.encode_jpeg(np.asarray(im), args.photo_quality) for im in arrays['photos']]
    offsets = np.cumsum([0] + [len(b) for b in jpgs]).astype(np.int64)
    put('photos.jpg', b''.join(jpgs))
    put('photos.jpg.idx', offsets.tobytes())
    dec = pf.decode_jpegs(b''.join(jpgs), offsets)
    mse = float(((dec.astype(np.float64) - arrays['photos']) ** 2).mean())
    manifest['arrays']['photos'] = {'n': len(jpgs), 'encoding': f'jpeg q{args.photo_quality}', 'failed': failed(os.path.join(work, 'photos.u8')),
                                    'sha1_source': pf.sha1_array(arrays['photos']), 'sha1_decoded_here': pf.sha1_array(dec)}
    manifest['lossy']['photos'] = {'codec': 'JPEG (Pillow)', 'quality': args.photo_quality,
                                   'psnr_db': round(10 * np.log10(255 ** 2 / mse), 2), 'max_abs_error': int(np.abs(dec.astype(np.int16) - arrays['photos']).max())}
    print(f'photos: {len(jpgs)} JPEG q{args.photo_quality}, {offsets[-1] / 2 ** 20:.2f} MiB, PSNR {manifest["lossy"]["photos"]["psnr_db"]} dB '
          f'({time.time() - t:.0f}s)', flush=True)
    for k in ('sketches', 'eval_assets'):
        x = np.asarray(arrays[k])
        fl, g, c = pf.encode_images(x)
        put(f'{k}.flags', fl); put(f'{k}.g.xz', g); put(f'{k}.c.xz', c)
        manifest['arrays'][k] = {'n': len(x), 'encoding': 'u8 gray/rgb xz', 'failed': failed(os.path.join(work, f'{k}.u8')), 'sha1': pf.sha1_array(x)}
        print(f'{k}: {len(x)} images, {(len(fl) + len(g) + len(c)) / 2 ** 20:.2f} MiB', flush=True)
    qe = np.load(os.path.join(work, 'qd_eval_tensors.npy'))
    one = bool((qe[:, 0] == qe[:, 1]).all() and (qe[:, 1] == qe[:, 2]).all())
    put('qd_eval_tensors.f32.xz', pf.xz(np.ascontiguousarray(qe[:, :1] if one else qe, dtype=np.float32).tobytes()))
    manifest['arrays']['qd_eval_tensors'] = {'shape': list(qe.shape), 'encoding': 'float32 xz' + (', one channel of three equal ones' if one else ''),
                                             'sha1': pf.sha1_array(qe.astype(np.float32))}
    if os.path.exists(os.path.join(work, 'baselines.json')):
        put('baselines.json', pf.read(work, 'baselines.json'))

    # ---- training assets: as many as the budget leaves ----
    assets = meta['assets']
    bad = set(failed(os.path.join(work, 'assets.u8'))) | set(failed(os.path.join(work, 'outlines.u8'))) | set(failed(os.path.join(work, 'outlines_w.u8')))
    order = asset_order(assets, bad, args.seed, args.min_per_class)
    if args.max_assets is not None:
        order = order[:args.max_assets]
    with gzip.open(os.path.join(work, 'icon_strokes.json.gz'), 'rt') as f:
        strokes = json.load(f)
    assert len(strokes) == len(assets), 'icon_strokes.json.gz is not aligned with meta.json'
    sample = order[:1000]  # per-asset cost of its meta record + doodle strokes (written once, at the end)
    per_text = 1.15 * (len(pf.xz(json.dumps([strokes[i] for i in sample]).encode())) + len(pf.xz(json.dumps([assets[i] for i in sample]).encode()))) / max(1, len(sample))
    fixed = sum(v['bytes'] for v in files.values()) + len(pf.xz(json.dumps({k: v for k, v in meta.items() if k != 'assets'}).encode())) + 64 * 1024
    left = budget - fixed
    if left <= 0:
        raise SystemExit(f'the pack without assets is {fixed / 2 ** 20:.2f} MiB, over the budget of {budget / 2 ** 20:.2f} MiB'
                         + (' (the checkout sends its model files: bash training/gpu/aside.sh out makes room, '
                            'aside.sh back returns them)' if args.budget_mib is None else ''))

    def encode(idx):
        A, O, W = (np.asarray(arrays[k][np.sort(idx)])[np.argsort(np.argsort(idx))] for k in ('assets', 'outlines', 'outlines_w'))
        parts = {}
        for k, x, base in (('assets', A, None), ('outlines', O, None), ('outlines_w', W, O)):
            y = x if base is None else (x.astype(np.int16) - base).astype(np.uint8)
            g = pf.gray_flags(y)
            parts[k] = (g, pf.xz(np.ascontiguousarray(y[g][..., 0]).tobytes()), pf.xz(np.ascontiguousarray(y[~g]).tobytes()))
        size = sum(len(p[1]) + len(p[2]) + len(p[0]) / 8 for p in parts.values()) + per_text * len(idx)
        return parts, size

    t = time.time()
    kept, streams = [], []
    pos = 0
    while pos < len(order):
        idx = order[pos:pos + CHUNK]
        parts, size = encode(idx)
        if size > left:  # the last stream: the longest prefix that fits (bisection)
            lo, hi, best = 0, len(idx), None
            while hi - lo > max(1, len(idx) // 64):
                mid = (lo + hi) // 2
                p_, s_ = encode(idx[:mid])
                if s_ <= left:
                    lo, best = mid, (p_, s_)
                else:
                    hi = mid
            if best is None:
                break
            idx, (parts, size) = idx[:lo], best
        kept += idx; streams.append(parts); left -= size; pos += CHUNK
        print(f'  assets {len(kept)}/{len(order)}: {(budget - fixed - left) / 2 ** 20:.2f} MiB ({time.time() - t:.0f}s)', flush=True)
        if len(idx) < CHUNK:
            break
    kept_sorted = sorted(kept)
    for k in ('assets', 'outlines', 'outlines_w'):
        g = np.concatenate([s[k][0] for s in streams]) if streams else np.zeros(0, bool)
        put(f'{k}.flags', np.packbits(g).tobytes())
        put(f'{k}.g.xz', b''.join(s[k][1] for s in streams))
        put(f'{k}.c.xz', b''.join(s[k][2] for s in streams))
        manifest['arrays'][k] = {'n': len(kept), 'encoding': 'u8 gray/rgb xz' + (', difference to outlines modulo 256' if k == 'outlines_w' else ''),
                                 'order': 'assets_kept.json (stored order; the unpacked array is in meta order)', 'failed': [],
                                 'sha1': pf.sha1_array(arrays[k][kept_sorted]) if kept else None}
    put('assets_kept.json', json.dumps(kept).encode())
    meta_p = {**meta, 'assets': [assets[i] for i in kept_sorted]}
    put('meta.json.xz', pf.xz(json.dumps(meta_p).encode()))
    put('icon_strokes.json.xz', pf.xz(json.dumps([strokes[i] for i in kept_sorted]).encode()))
    by_set = {}
    for i, a in enumerate(assets):
        s = by_set.setdefault(a['set'], [0, 0]); s[1] += 1
    for i in kept:
        by_set[assets[i]['set']][0] += 1
    labels = [a['label'] for a in assets if a['label'] is not None]
    manifest['assets'] = {
        'total': len(assets), 'failed_left_out': len(bad), 'kept': len(kept), 'all_kept': len(kept) == len(assets) - len(bad),
        'rule': f'up to {args.min_per_class} labelled assets of every class first, then the rest in the seeded random order, '
                'until the budget' + (f' or --max-assets {args.max_assets}' if args.max_assets is not None else ''),
        'seed': args.seed, 'min_per_class': args.min_per_class, 'max_assets': args.max_assets,
        'by_set_kept_of': by_set, 'labelled_kept_of': [sum(assets[i]['label'] is not None for i in kept), len(labels)],
        'classes_kept_of': [len({assets[i]['label'] for i in kept} - {None}), len(set(labels))],
        'kept_sha1': pf.sha1(json.dumps(kept_sorted).encode())}
    if len(kept) < len(assets) - len(bad):
        manifest['lossy']['assets'] = (f'{len(kept)} of {len(assets) - len(bad)} training assets (image, outlines, doodle strokes) '
                                       f'fit the budget; train.py sees only these')
    manifest['budget'] = {'limit_mib': LIMIT_MIB, 'checkout': args.repo, 'checkout_bytes': repo_bytes, 'pack_budget_bytes': budget}
    manifest['files'] = files
    manifest['pack_bytes'] = sum(v['bytes'] for v in files.values())
    manifest['pack_id'] = pf.sha1(json.dumps(sorted((k, v['sha1']) for k, v in files.items())).encode())[:12]
    text = json.dumps(manifest, indent=1)
    pf.write(out, 'manifest.json', text.encode())
    total = manifest['pack_bytes'] + len(text)
    print(json.dumps({'pack': out, 'pack_id': manifest['pack_id'], 'pack_mib': round(total / 2 ** 20, 2),
                      'travelling_mib': round((total + repo_bytes) / 2 ** 20, 2), 'assets_kept': len(kept),
                      'assets_total': len(assets), 'seconds': round(time.time() - t0)}), flush=True)
    print('files (MiB):', ', '.join(f'{k} {v["bytes"] / 2 ** 20:.2f}' for k, v in sorted(files.items(), key=lambda kv: -kv[1]['bytes'])), flush=True)
    if total + repo_bytes > LIMIT_MIB * 2 ** 20:
        print(f'WARNING: the checkout + pack is {(total + repo_bytes) / 2 ** 20:.2f} MiB, over the {LIMIT_MIB} MiB the device tool sends', flush=True)
    return manifest


if __name__ == '__main__':
    main()
