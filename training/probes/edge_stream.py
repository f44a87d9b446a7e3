"""Probe (not part of the shipped pipeline): does an *edge stream* help the image side? The image is
turned into a line drawing in-graph (grey -> Sobel magnitude -> ink) and embedded by the trained
sketch encoder; the gallery vector is normalise(a * image_embedding + (1 - a) * edge_embedding).

  cd training && /usr/bin/python3 -m probes.edge_stream [../models]

Prints Sketchy-val sketch->photo and the (distractor-free) QuickDraw-unseen->emoji proxy for a few
edge thresholds and mixing weights a (a = 1 is the plain image encoder).
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from sketchsearch.export import load_student  # noqa: E402
from sketchsearch.train import load_u8, mean_ap, u8_to_tensor  # noqa: E402

WORK = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '.work')


def edge_tensor(x, thr=0.5, dilate=0):
    """x [N,3,H,W] in [-1,1] -> sketch-like tensor (white paper 1, black ink -1)."""
    g = x.mean(1, keepdim=True)
    kx = torch.tensor([[-1., 0., 1.], [-2., 0., 2.], [-1., 0., 1.]]).view(1, 1, 3, 3) / 8
    gx = F.conv2d(F.pad(g, (1, 1, 1, 1), mode='replicate'), kx)
    gy = F.conv2d(F.pad(g, (1, 1, 1, 1), mode='replicate'), kx.transpose(2, 3))
    ink = ((gx * gx + gy * gy + 1e-12).sqrt() / thr).clamp(0, 1)
    if dilate:
        ink = F.max_pool2d(ink, 2 * dilate + 1, 1, dilate)
    return (1 - 2 * ink).expand(-1, 3, -1, -1)


def embed(f, x, bs=128):
    with torch.no_grad():
        return torch.cat([f(x[i:i + bs]) for i in range(0, len(x), bs)]).numpy()


def main(model_dir):
    torch.set_num_threads(2)
    meta = json.load(open(os.path.join(WORK, 'meta.json')))
    ph, sk = meta['photos'], meta['sketches']
    pv = [i for i, p in enumerate(ph) if p['val']]; sv = [i for i, s in enumerate(sk) if s['val']]
    pl = np.array([p['cls'] for p in ph]); sl = np.array([s['cls'] for s in sk])
    sk_emb, img_emb = load_student(os.path.join(model_dir, 'student.pt'))
    photos = u8_to_tensor(load_u8(os.path.join(WORK, 'photos.u8'))[pv])
    q_sk = embed(sk_emb, u8_to_tensor(load_u8(os.path.join(WORK, 'sketches.u8'))[sv]))
    qt = torch.from_numpy(np.load(os.path.join(WORK, 'qd_eval_tensors.npy')))
    q_qd = embed(sk_emb, qt)
    ea = u8_to_tensor(load_u8(os.path.join(WORK, 'eval_assets.u8')))
    ql = np.array(meta['qd_eval_classes']); gl = np.array([a['cls'] for a in meta['eval_assets']])
    g_ph, g_ea = embed(img_emb, photos), embed(img_emb, ea)
    n = lambda v: v / np.linalg.norm(v, axis=1, keepdims=True)
    for thr, dil in [(0.25, 0), (0.5, 0), (1.0, 0), (0.5, 1)]:
        e_ph = embed(sk_emb, edge_tensor(photos, thr, dil)); e_ea = embed(sk_emb, edge_tensor(ea, thr, dil))
        row = []
        for a in [1.0, 0.75, 0.5, 0.25, 0.0]:
            s = mean_ap(q_sk, n(a * g_ph + (1 - a) * e_ph), sl[sv], pl[pv])
            qd = mean_ap(q_qd, n(a * g_ea + (1 - a) * e_ea), ql, gl)
            row.append(f'a={a}: sk {s:.3f} qd {qd:.3f}')
        print(f'thr={thr} dilate={dil} | ' + ' | '.join(row), flush=True)


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), '..', '..', 'models'))
