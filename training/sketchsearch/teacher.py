"""Frozen teacher: ImageNet MobileNetV2 1.0 (google-coral/test_data, Apache-2.0) at its native 224."""
import hashlib
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class _Rebuilt(nn.Module):
    """The teacher's feature trunk rebuilt from its weights (mobilenet_v2.MobileNetV2, batch norm = identity
    + folded bias): what runs where only the weights-only twin of the TorchScript was sent (training/gpu),
    or where the TorchScript does not run on the device. Pooled [N, 1280] like the TorchScript's body."""

    def __init__(self, path):
        super().__init__()
        from .mobilenet_v2 import MobileNetV2
        self.net = MobileNetV2().load_folded(path).eval()

    def forward(self, x):
        return self.net(x)


_BODIES = {}


def _body(path, device):
    k = (os.path.abspath(path), os.path.getmtime(path), str(device))
    if k not in _BODIES:
        _BODIES.clear()
        _BODIES[k] = _load_body(path, device)
    return _BODIES[k]


def _load_body(path, device):
    from .mobilenet_v2 import is_torchscript
    if not is_torchscript(path):
        return _Rebuilt(path).to(device).eval(), 'rebuilt'
    # The TorchScript returns (pooled features, logits); only the feature trunk is run (2.3x faster).
    body = torch.jit.load(path, map_location=device).eval().body
    if device.type == 'cpu':
        return body, 'torchscript'
    try:  # the script was traced on the CPU: check it runs here before trusting it with every batch
        with torch.no_grad():
            body(torch.zeros(1, 3, 224, 224, device=device))
        return body, 'torchscript'
    except Exception as e:  # noqa: BLE001
        print(f'  teacher TorchScript does not run on {device} ({type(e).__name__}: {e}); using the rebuilt network', flush=True)
        return _Rebuilt(path).to(device).eval(), 'rebuilt'


def teacher_features(path, rgb_u8=None, tensors=None, batch=64, size=224, device='cpu'):
    """rgb_u8 [N,128,128,3] uint8 (or tensors [N,3,128,128] in [-1,1]) -> pooled features [N,1280] float32.
    device: 'cpu' (default) or 'cuda'; on CUDA the convolutions run in full fp32 (no TF32), like the CPU."""
    device = torch.device(device)
    torch.set_num_threads(max(2, torch.get_num_threads()))  # Debian's torch defaults to 1 thread here
    body, _ = _body(path, device)
    n = len(rgb_u8) if rgb_u8 is not None else len(tensors)
    out = np.zeros((n, 1280), np.float32)
    tf32 = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = False
    try:
        with torch.no_grad():
            for i in range(0, n, batch):
                if rgb_u8 is not None:
                    x = torch.from_numpy(np.ascontiguousarray(rgb_u8[i:i + batch])).to(device).permute(0, 3, 1, 2).float() / 127.5 - 1
                else:
                    x = torch.from_numpy(np.ascontiguousarray(tensors[i:i + batch])).to(device)
                x = F.interpolate(x, size=(size, size), mode='bilinear', align_corners=False)
                out[i:i + batch] = torch.flatten(body(x), 1).cpu().numpy()
    finally:
        torch.backends.cudnn.allow_tf32 = tf32
    return out


def _qd_tensors(strokes_list, pool):
    from .preprocess import sketch_tensor
    xs = pool.map(sketch_tensor, strokes_list, chunksize=16) if pool is not None else [sketch_tensor(s) for s in strokes_list]
    return np.stack(xs).astype(np.float32)


def write_teacher_features(work, tpath, sketches, qd_train, qd_eval_t, device='cpu', batch=64, workers=1, reuse=()):
    """The teacher features train.py reads, each cached by content (prepare.cached): teacher_{photos, assets,
    eval_assets, sketches, val_sketches, qd_eval}.npy from the work folder's *.u8 arrays and qd_eval_t, and
    teacher_qd_train.npy (+ _rows.npy) for the first QD_TEACHER_PER_CLASS QuickDraw training drawings of each
    class (file order), rendered once without augmentation. sketches: meta['sketches']; qd_train: the
    [word, strokes, key_id] rows of qd_train.json.gz. workers > 1 rasterises the drawings in that many processes.
    reuse: other work folders (the other build) whose teacher features of identical images are copied
    instead of recomputed (reused_rows)."""
    from .prepare import QD_TEACHER_PER_CLASS, cached, content_key, load_u8, mark
    qd_out = os.path.join(work, 'teacher_qd_train.npy')
    qd_key = content_key(tpath, os.path.join(work, 'qd_train.json.gz'), os.path.join(os.path.dirname(__file__), 'preprocess.py'),
                         f'teacher-224-bilinear-{QD_TEACHER_PER_CLASS}')
    pool = None
    if workers > 1 and not cached(qd_out, qd_key):  # forked before the teacher touches the GPU
        import multiprocessing
        pool = multiprocessing.get_context('fork').Pool(workers)
    try:
        _write(work, tpath, sketches, qd_train, qd_eval_t, device, batch, pool, qd_out, qd_key, reuse)
    finally:
        if pool is not None:
            pool.close()


def teacher_key(tpath, data):
    """The content key of a teacher_{name}.npy: this teacher, these pixels (or tensors), its 224-px bilinear input.
    One definition for the features _write caches and the donors reused_rows trusts."""
    from .prepare import content_key
    return content_key(tpath, data, 'teacher-224-bilinear')


def row_hashes(u8):
    """sha1 of each image's bytes: the identity of a row across work folders."""
    return [hashlib.sha1(np.ascontiguousarray(r).tobytes()).digest() for r in u8]


def reused_rows(tpath, u8, name, reuse):
    """(features, have) for the rows of u8 whose identical image has teacher features in another work folder
    made with the same teacher: features[have] are copies, the rest zero. A donor counts only when its
    teacher_{name}.npy is marked with the key of its own {name}.u8 and this teacher."""
    from .prepare import cached, load_u8
    feats, have = None, np.zeros(len(u8), bool)
    want = None
    for d in reuse:
        src, arr = os.path.join(d, f'teacher_{name}.npy'), os.path.join(d, f'{name}.u8')
        if not (os.path.exists(src) and os.path.exists(arr)):
            continue
        du8 = load_u8(arr, mmap=True)
        if not cached(src, teacher_key(tpath, du8)):
            continue
        want = want if want is not None else row_hashes(u8)
        at = {h: i for i, h in enumerate(row_hashes(du8))}
        df = np.load(src, mmap_mode='r')
        feats = feats if feats is not None else np.zeros((len(u8), df.shape[1]), np.float32)
        for i, h in enumerate(want):
            if not have[i] and h in at:
                feats[i] = df[at[h]]
                have[i] = True
    return feats, have


def _write(work, tpath, sketches, qd_train, qd_eval_t, device, batch, pool, qd_out, qd_key, reuse=()):
    from .prepare import QD_TEACHER_PER_CLASS, cached, load_u8, mark
    jobs = [('photos', lambda: load_u8(os.path.join(work, 'photos.u8'))),
            ('assets', lambda: load_u8(os.path.join(work, 'assets.u8'))),
            ('eval_assets', lambda: load_u8(os.path.join(work, 'eval_assets.u8'))),
            ('sketches', lambda: load_u8(os.path.join(work, 'sketches.u8'))),
            ('val_sketches', lambda: load_u8(os.path.join(work, 'sketches.u8'))[[i for i, s in enumerate(sketches) if s['val']]]),
            ('qd_eval', None)]
    for name, get in jobs:
        out = os.path.join(work, f'teacher_{name}.npy')
        x = qd_eval_t if get is None else None
        u8 = get() if get is not None else None
        key = teacher_key(tpath, u8 if u8 is not None else x)
        if cached(out, key):
            continue
        t = time.time()
        feats, have = reused_rows(tpath, u8, name, reuse) if u8 is not None and reuse else (None, None)
        if feats is None or not have.any():
            feats = teacher_features(tpath, u8, tensors=x, batch=batch, device=device)
            note = ''
        else:
            if not have.all():
                feats[~have] = teacher_features(tpath, u8[~have], batch=batch, device=device)
            note = f' ({int(have.sum())} rows copied from {", ".join(reuse)})'
        np.save(out, feats)
        mark(out, key)
        print(f'  teacher {name}: {feats.shape} in {time.time() - t:.0f}s{note}', flush=True)
    # QuickDraw training drawings: instance-level teacher targets for doodles (train.py --sk-align) instead of
    # only their class centre. Capped because the teacher runs at ~25 images/s on 2 CPU cores.
    if cached(qd_out, qd_key):
        return
    t = time.time()
    seen_n, rows = {}, []
    for i, r in enumerate(qd_train):
        w = r[0]
        if seen_n.get(w, 0) < QD_TEACHER_PER_CLASS:
            seen_n[w] = seen_n.get(w, 0) + 1
            rows.append(i)
    feats = np.zeros((len(rows), 1280), np.float16)
    for i in range(0, len(rows), 512):
        x = _qd_tensors([qd_train[r][1] for r in rows[i:i + 512]], pool)
        feats[i:i + 512] = teacher_features(tpath, tensors=x, batch=batch, device=device)
    np.save(qd_out, feats)
    np.save(os.path.join(work, 'teacher_qd_train_rows.npy'), np.asarray(rows, np.int64))
    mark(qd_out, qd_key)
    print(f'  teacher qd_train: {feats.shape} in {time.time() - t:.0f}s', flush=True)
