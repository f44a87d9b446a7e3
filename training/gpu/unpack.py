#!/usr/bin/env python3
"""Rebuild a work folder from a training/gpu pack (pack.py), on the device machine, so that sketchsearch.train
runs unchanged with --work pointing at it and --teacher-dir at WORK/teacher:

    python3 training/gpu/unpack.py [--pack training/.gpu-pack] [--work training/.gpu-work] [--device cuda]

It writes what prepare.py writes (meta.json, qd_train.json.gz, icon_strokes.json.gz, the *.u8 arrays with their
*.u8.json, qd_eval_tensors.npy, baselines.json), the teacher's weights as WORK/teacher/*.state.pt, and the teacher
features (teacher.write_teacher_features, the same jobs as prepare: photos, assets, eval_assets, sketches,
val_sketches, qd_eval, and the first QD_TEACHER_PER_CLASS QuickDraw drawings of each class) computed on
--device. Every lossless array is checked against the sha1 the pack recorded; WORK/pack_manifest.json (the
pack's manifest + where it was unpacked) ends up in train_report.json's 'data'. A work folder already unpacked
from the same pack is reused (the teacher features are cached by content).
"""
import argparse
import gzip
import io
import json
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..'))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(REPO, 'training'))
import packfmt as pf  # noqa: E402

TEACHER_STATE = 'mobilenet_v2_1.0_224_quant.state.pt'


def write_gz_json_text(path, text):
    """gzip like prepare.write_selection (mtime=0: the bytes depend only on the data)."""
    with open(path + '.tmp', 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0) as gz:
        gz.write(text)
    os.replace(path + '.tmp', path)


def write_u8(work, name, x, failed):
    x.tofile(os.path.join(work, name + '.u8'))
    with open(os.path.join(work, name + '.u8.json'), 'w') as f:
        json.dump({'failed': failed}, f)


def check(name, got, want, lossless=True):
    if got != want:
        if lossless:
            raise SystemExit(f'{name}: decoded sha1 {got} != packed {want}: the pack is damaged')
        print(f'  {name}: decoded here differently from the packing machine (sha1 {got} != {want}; another JPEG decoder)', flush=True)
    return got == want


def unpack_arrays(pack, work, m):
    a = m['arrays']
    meta = json.loads(pf.unxz(pf.read(pack, 'meta.json.xz')))
    with open(os.path.join(work, 'meta.json'), 'w') as f:
        json.dump(meta, f)
    qd_text = pf.unxz(pf.read(pack, 'qd_train.json.xz'))
    check('qd_train', pf.sha1(qd_text), m['qd_train']['json_sha1'])
    write_gz_json_text(os.path.join(work, 'qd_train.json.gz'), qd_text)
    write_gz_json_text(os.path.join(work, 'icon_strokes.json.gz'), pf.unxz(pf.read(pack, 'icon_strokes.json.xz')))
    # photos (JPEG)
    offsets = np.frombuffer(pf.read(pack, 'photos.jpg.idx'), np.int64)
    x = pf.decode_jpegs(pf.read(pack, 'photos.jpg'), offsets)
    same = check('photos', pf.sha1_array(x), a['photos']['sha1_decoded_here'], lossless=False)
    write_u8(work, 'photos', x, a['photos']['failed'])
    # lossless arrays; the assets' are stored in assets_kept.json's order and written in meta order
    kept = json.loads(pf.read(pack, 'assets_kept.json'))
    to_meta = np.argsort(kept)
    dec = {}
    for k in ('sketches', 'eval_assets', 'assets', 'outlines', 'outlines_w'):
        base = dec['outlines'] if k == 'outlines_w' else None
        x = pf.decode_images(a[k]['n'], pf.read(pack, f'{k}.flags'), pf.read(pack, f'{k}.g.xz'), pf.read(pack, f'{k}.c.xz'), base)
        dec[k] = x
    for k, x in dec.items():
        if k in ('assets', 'outlines', 'outlines_w'):
            x = x[to_meta]
        if a[k]['sha1'] is not None:
            check(k, pf.sha1_array(x), a[k]['sha1'])
        write_u8(work, k, x, a[k]['failed'])
    shape = a['qd_eval_tensors']['shape']
    qe = np.frombuffer(pf.unxz(pf.read(pack, 'qd_eval_tensors.f32.xz')), np.float32).reshape(shape[0], -1, *shape[2:])
    qe = np.ascontiguousarray(np.broadcast_to(qe, shape))
    check('qd_eval_tensors', pf.sha1_array(qe), a['qd_eval_tensors']['sha1'])
    np.save(os.path.join(work, 'qd_eval_tensors.npy'), qe)
    if 'baselines.json' in m['files']:
        pf.write(work, 'baselines.json', pf.read(pack, 'baselines.json'))
    return same


def unpack_teacher(pack, work, m):
    import torch
    state = pf.decode_teacher(pf.read(pack, 'teacher.npz.xz'))
    check('teacher', pf.teacher_sha1(state), m['teacher']['state_sha1'])
    os.makedirs(os.path.join(work, 'teacher'), exist_ok=True)
    path = os.path.join(work, 'teacher', TEACHER_STATE)
    torch.save({k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}, path + '.tmp')
    os.replace(path + '.tmp', path)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--pack', default=os.path.join(REPO, 'training', '.gpu-pack'))
    ap.add_argument('--work', default=os.path.join(REPO, 'training', '.gpu-work'))
    ap.add_argument('--device', choices=['cpu', 'cuda'], default='cuda', help='where the teacher features are computed')
    ap.add_argument('--workers', type=int, default=max(1, min(16, os.cpu_count() or 1)), help='processes rasterising QuickDraw drawings')
    ap.add_argument('--batch', type=int, default=None, help='teacher batch (default 256 on cuda, 64 on cpu)')
    args = ap.parse_args(argv)
    import torch
    from sketchsearch.teacher import write_teacher_features
    if args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit(f'--device cuda: CUDA is not available to this PyTorch ({torch.__version__}); use --device cpu')
    t0 = time.time()
    m = pf.load_manifest(args.pack)
    work = os.path.abspath(args.work)
    os.makedirs(work, exist_ok=True)
    stamp = os.path.join(work, 'pack_manifest.json')
    done = os.path.exists(stamp) and json.load(open(stamp)).get('pack_id') == m['pack_id']
    if done:
        print(f'unpack: {work} already holds pack {m["pack_id"]}', flush=True)
    else:
        if os.path.exists(stamp):
            os.remove(stamp)
        same = unpack_arrays(args.pack, work, m)
        m['unpacked'] = {'photos_decoded_identically': same}
        print(f'unpack: arrays in {time.time() - t0:.0f}s', flush=True)
    tpath = unpack_teacher(args.pack, work, m)
    t = time.time()
    with open(os.path.join(work, 'meta.json')) as f:
        meta = json.load(f)
    with gzip.open(os.path.join(work, 'qd_train.json.gz'), 'rt') as f:
        qd_train = json.load(f)
    qd_eval_t = np.load(os.path.join(work, 'qd_eval_tensors.npy'))
    write_teacher_features(work, tpath, meta['sketches'], qd_train, qd_eval_t, device=args.device,
                           batch=args.batch or (256 if args.device == 'cuda' else 64), workers=args.workers)
    print(f'unpack: teacher features on {args.device} in {time.time() - t:.0f}s', flush=True)
    if not done:
        m['unpacked'] = {**m.get('unpacked', {}), 'torch': torch.__version__, 'teacher_device': args.device,
                         'gpu': torch.cuda.get_device_name(0) if args.device == 'cuda' else None}
        with open(stamp + '.tmp', 'w') as f:
            json.dump(m, f, indent=1)
        os.replace(stamp + '.tmp', stamp)
    print(f'unpack: {work} ready in {time.time() - t0:.0f}s (pack {m["pack_id"]}, {m["assets"]["kept"]} of '
          f'{m["assets"]["total"]} training assets)', flush=True)


if __name__ == '__main__':
    main()
