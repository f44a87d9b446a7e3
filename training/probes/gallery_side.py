"""Probe (two gallery-side options weighed for the open bar of issue 15; neither adopted): on class_snap's proxy (the
MORE_SETS icons no shipped build trained on, 4,443 non-reserved raw QuickDraw drawings; hit@10 in 1,000-image
folders, mAP@all), does a sketch-tuned build gain from
  hubness reduction  CSLS: an image's score lowered by lam times its mean cosine to its k nearest training
                     drawings (a bias the index could store per image), or both sides centred on their mean;
  a tuned edge stream the image encoder's edge stream on the tuned sketch weights instead of the start's
                     (student.pt 'edge'), at edge mixes 1 .. 0.55?

  cd training && /usr/bin/python3 -m probes.gallery_side STUDENT.pt WORK_MORE PROXY.npz
  PROXY.npz: probes.class_snap's embeddings of the same STUDENT.pt (its embed(), without the grid)

Measured 2026-12-07 on the shipped tuned builds (zero-shot / full; hit@10, mAP):
  none                              0.779, 0.178 / 0.755, 0.163
  CSLS k 10, lam 0.25 / 0.5 / 1     0.772 / 0.754 / 0.674 (zero-shot); 0.745 at 0.25 (full); k 50 the same direction
  centred (a 0.5, 1)                0.776, 0.765 (zero-shot)
  edge stream, start weights, mix 1 / 0.85 (shipped) / 0.7 / 0.55   0.777 / 0.779 / 0.780 / 0.764 (zero-shot),
                                                                     0.750 / 0.755 / 0.759 / 0.744 (full)
  edge stream, tuned weights, same mixes                            0.777 / 0.780 / 0.778 / 0.761 (zero-shot),
                                                                     0.750 / 0.758 / 0.758 / 0.749 (full)
Hubness reduction costs (the training drawings that fix an image's penalty are of the very classes the queries
look for); the edge stream's weights and mix move the proxy by 0.004 at most: the image side as shipped stays.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from probes.class_snap import evaluate, l2n  # noqa: E402
from sketchsearch.export import branch_of  # noqa: E402
from sketchsearch.model import _l2n, edge_view  # noqa: E402
from sketchsearch.prepare import MORE_SETS, load_u8  # noqa: E402


def hubness(d):
    g, gc, q, qc, s, p = d['g'], d['g_cls'], d['q'], d['q_cls'], d['s'], d['p']
    print('none', evaluate(q, qc, g, gc), flush=True)
    ones = np.ones((len(q), 1))
    for k in (10, 50):
        r = -np.sort(-(s @ g.T), 0)[:k].mean(0)  # each image's mean cosine to its k nearest training drawings
        for lam in (0.25, 0.5, 1.0):
            print(f'CSLS k {k} lam {lam}', evaluate(np.concatenate([q, ones], 1), qc, np.concatenate([g, -lam * r[:, None]], 1), gc),
                  flush=True)
    for a in (0.5, 1.0):
        print(f'centred a {a}', evaluate(l2n(q - a * s.mean(0)), qc, l2n(g - a * p.mean(0)), gc), flush=True)


def edge_streams(model, work):
    """The gallery's image-branch embeddings and its edge stream through the start's and the tuned sketch weights."""
    ck = torch.load(model, map_location='cpu')
    cfg = ck['config']
    img, start, tuned = (branch_of(ck, k).eval() for k in ('image', 'edge', 'sketch'))
    meta = json.load(open(os.path.join(work, 'meta.json')))
    more = {s[0] for s in MORE_SETS}
    assets = load_u8(os.path.join(work, 'assets.u8'), mmap=True)
    rows = [i for i, a in enumerate(meta['assets']) if a['set'] in more]
    out = {'y': [], 'start': [], 'tuned': []}
    with torch.no_grad():
        for i in range(0, len(rows), 64):
            x = torch.from_numpy(np.array(assets[rows[i:i + 64]])).permute(0, 3, 1, 2).float() / 127.5 - 1
            out['y'].append(_l2n(img.head(img.backbone(x))))
            e = edge_view(x, cfg.get('edge_thr', 0.5), 0, cfg.get('edge_size', 0))
            for key, b in (('start', start), ('tuned', tuned)):
                out[key].append(_l2n(b.head(b.backbone(e))))
    return {k: torch.cat(v).numpy() for k, v in out.items()}


if __name__ == '__main__':
    torch.set_num_threads(max(1, (os.cpu_count() or 2) // 2))
    model, work, proxy = sys.argv[1:4]
    d = np.load(proxy)
    hubness(d)
    e = edge_streams(model, work)
    for key in ('start', 'tuned'):
        for mix in (1.0, 0.85, 0.7, 0.55):
            print(f'edge stream {key} weights, mix {mix}', evaluate(d['q'], d['q_cls'], l2n(mix * e['y'] + (1 - mix) * e[key]), d['g_cls']),
                  flush=True)
