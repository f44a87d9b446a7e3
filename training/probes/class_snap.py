"""Probe (how class snapping's options were chosen; not part of the shipped pipeline): a proxy for "a doodle of a
trained class finds an icon of a package no build has seen", on data that is neither reserved nor in any shipped
build's training set.

  cd training && /usr/bin/python3 -m probes.class_snap STUDENT.pt WORK_MORE OUT.npz [--grid-only]

  STUDENT.pt  a build without snapping (models/student.pt, models/zero-shot/student.pt before 2026-12-07)
  WORK_MORE   a zero-shot work folder prepared with --more-icons (prepare --more-icons --select-only is not
              enough: it needs assets.u8)

Gallery: every icon of MORE_SETS (prepare.py; 9,050 icons of six packages the shipped builds never trained on),
labelled by prepare's name matching with the zero-shot build's seen classes (2,427 labelled). Queries: the
non-reserved drawings of ../shared's raw QuickDraw file (quickdraw-raw-exupery, RDP-simplified at 2 px after
scaling to 0..255, as QuickDraw simplifies) of classes with a labelled gallery icon: 4,443 queries. Both builds
train on these drawings (prepare puts the raw file's drawings into qd_train), so the sketch side reads optimistic;
the icon packages are what is new, as in the benchmark's reserved datasets. Prototypes: the labelled icons of
WORK_MORE's TRAIN_SETS packages (never MORE_SETS) and the first 30 non-reserved simplified drawings of each class.
Metric: the benchmark's hit@10 in 1,000-image folders (the class's positives plus random other gallery icons)
and mAP@all over the whole gallery.

Measured 2026-12-07 (zero-shot build / full build, hit@10, mAP): none 0.734, 0.141 / 0.717, 0.131; prototypes from
icons only, alpha 0.5, T 0.03, both encoders 0.742, 0.213 / 0.725, 0.194; from drawings only 0.763, 0.179 /
0.743, 0.168; from both (the sum) 0.784, 0.232 / 0.767, 0.219 (chosen; alpha 1: 0.779 / 0.756; T 0.1: 0.766 /
0.728); 10 drawings a class instead of 30: 0.781 / 0.766. Snapping only the image encoder or only the sketch
encoder gains less. Gates (split_grid; no snapping: both halves 0.738 / 0.140): none 0.792 / 0.234 on the prototyped
half, 0.673 / 0.097 on the held-out half; sketch 0.7, image 0.7: 0.797 / 0.249, 0.726 / 0.122; sketch 0.8, image 0.7
(chosen: the least held-out loss): 0.787 / 0.223, 0.729 / 0.128. With a perfect sketch side (the query replaced by its class's image prototype) hit@10 is 0.92:
the doodle side, not the image side, is what the rest of the gap is made of (drawings' top-1 class 0.58 / 0.60).
"""
import gzip
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from sketchsearch.classes import normalize  # noqa: E402
from sketchsearch.export import load_student  # noqa: E402
from sketchsearch.icon_strokes import rdp  # noqa: E402
from sketchsearch.prepare import MORE_SETS, is_reserved_drawing, load_u8  # noqa: E402
from sketchsearch.preprocess import quickdraw_to_strokes, sketch_tensor  # noqa: E402

SHARED = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'shared', 'data', 'quickdraw')


def raw_to_strokes(drawing):
    """A raw QuickDraw drawing (float canvas coordinates) as QuickDraw simplifies: scaled to 0..255, RDP at 2 px."""
    pts = [np.stack([np.asarray(s[0], float), np.asarray(s[1], float)], 1) for s in drawing if len(s[0])]
    allp = np.concatenate(pts)
    lo, ext = allp.min(0), (allp.max(0) - allp.min(0)).max() or 1
    return [np.round(rdp((p - lo) * 255 / ext, 2.0)).tolist() for p in pts]


def embed(model, work, out):
    meta = json.load(open(os.path.join(work, 'meta.json')))
    more = {s[0] for s in MORE_SETS}
    assets = load_u8(os.path.join(work, 'assets.u8'), mmap=True)
    rows_g = [i for i, a in enumerate(meta['assets']) if a['set'] in more]
    rows_p = [i for i, a in enumerate(meta['assets']) if a['set'] not in more and a['label']]
    sk, im = load_student(model)
    dim = sk.branch.head[-1].out_features

    def images(rows):
        with torch.no_grad():
            return torch.cat([im._embed(torch.from_numpy(np.array(assets[rows[i:i + 64]])).permute(0, 3, 1, 2).float() / 127.5 - 1)[0]
                              for i in range(0, len(rows), 64)]).numpy()

    def drawings(ds):
        with torch.no_grad():
            return torch.cat([torch.nn.functional.normalize(sk(torch.from_numpy(np.stack([sketch_tensor(d) for d in ds[i:i + 64]])))[:, :dim], dim=1)
                              for i in range(0, len(ds), 64)]).numpy()

    cset = {normalize(a['label']) for a in meta['assets'] if a['label']}
    q, qc = [], []
    for line in gzip.open(os.path.join(SHARED, 'quickdraw-raw-exupery.ndjson.gz'), 'rt'):
        d = json.loads(line)
        if normalize(d['word']) in cset and not is_reserved_drawing(d['key_id']):
            q.append(raw_to_strokes(d['drawing'])); qc.append(normalize(d['word']))
    s, sc, per = [], [], {}
    for line in gzip.open(os.path.join(SHARED, 'quickdraw-simplified.ndjson.gz'), 'rt'):
        d = json.loads(line)
        c = normalize(d['word'])
        if c in cset and not is_reserved_drawing(d['key_id']) and per.get(c, 0) < 30:
            per[c] = per.get(c, 0) + 1
            s.append(quickdraw_to_strokes(d['drawing'])); sc.append(c)
    label = lambda i: normalize(meta['assets'][i]['label']) if meta['assets'][i]['label'] else ''  # noqa: E731
    np.savez(out, g=images(rows_g), g_cls=np.array([label(i) for i in rows_g]), p=images(rows_p),
             p_cls=np.array([label(i) for i in rows_p]), q=drawings(q), q_cls=np.array(qc), s=drawings(s), s_cls=np.array(sc))


def l2n(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True).clip(1e-9)


def protos(z, cls):
    cs = sorted(set(cls))
    return cs, l2n(np.stack([z[cls == c].mean(0) for c in cs]))


def snap(z, P, a, T, gate=None):
    """model.Embedder's class snapping in numpy (gate: the "no class" cosine)."""
    if a == 0:
        return z
    lg = z @ P.T / T
    if gate is not None:
        lg = np.concatenate([lg, np.full((len(z), 1), gate / T)], 1)
    w = np.exp(lg - lg.max(1, keepdims=True))
    return l2n(z + a * (w / w.sum(1, keepdims=True))[:, :len(P)] @ P)


def evaluate(q, qc, g, gc, seed=0):
    keep = np.isin(qc, np.unique(gc[gc != '']))
    q, qc = q[keep], qc[keep]
    S = q @ g.T
    rng = np.random.RandomState(seed)
    hits, aps = [], []
    for i in range(len(q)):
        pos, neg = np.nonzero(gc == qc[i])[0], np.nonzero(gc != qc[i])[0]
        folder = rng.choice(neg, 1000 - len(pos), replace=False)
        hits.append(1 + (S[i][folder] > S[i][pos].max()).sum() <= 10)
        rel = gc[np.argsort(-S[i])] == qc[i]
        aps.append((np.cumsum(rel)[rel] / (np.nonzero(rel)[0] + 1)).mean())
    return float(np.mean(hits)), float(np.mean(aps)), len(q)


def grid(npz):
    d = np.load(npz)
    g, gc, q, qc = d['g'], d['g_cls'], d['q'], d['q_cls']
    ci, Pi = protos(d['p'], d['p_cls'])
    for k in (30, 10):
        keep = np.concatenate([np.nonzero(d['s_cls'] == c)[0][:k] for c in sorted(set(d['s_cls']))])
        cs, Ps = protos(d['s'][keep], d['s_cls'][keep])
        Pb = l2n(np.stack([Pi[ci.index(c)] + Ps[cs.index(c)] if c in ci else Ps[cs.index(c)] for c in cs]))
        print(f'none: hit@10, mAP, queries {evaluate(q, qc, g, gc)}', flush=True)
        for name, P in [('icons', Pi), ('drawings', Ps), ('both', Pb)]:
            for a in (0.5, 1.0):
                for T in (0.03, 0.1):
                    for side in ('both', 'sketch', 'image'):
                        r = evaluate(snap(q, P, a, T) if side != 'image' else q, qc, snap(g, P, a, T) if side != 'sketch' else g, gc)
                        print(f'{k} drawings/class, prototypes {name}, alpha {a}, T {T}, snapped {side}: hit@10 {r[0]:.3f} mAP {r[1]:.3f}', flush=True)


def split_grid(npz):
    """The gates: prototypes of half the classes (a crc32 split of the names), the other half's queries standing for
    classes the build never trained on; both halves in turn, averaged."""
    import zlib
    d = np.load(npz)
    g, gc, q, qc = d['g'], d['g_cls'], d['q'], d['q_cls']
    keep = np.concatenate([np.nonzero(d['s_cls'] == c)[0][:10] for c in sorted(set(d['s_cls']))])
    ci, Pi = protos(d['p'], d['p_cls'])
    cs, Ps = protos(d['s'][keep], d['s_cls'][keep])
    halves = []
    for split in (0, 1):
        A = [c for c in cs if zlib.crc32(c.encode()) % 2 == split]
        P = l2n(np.stack([Pi[ci.index(c)] + Ps[cs.index(c)] if c in ci else Ps[cs.index(c)] for c in A]))
        halves.append((P, np.isin(qc, A)))
    for gs, gi in [(None, None), (0.6, 0.6), (0.7, 0.7), (0.8, 0.6), (0.8, 0.7)]:
        r = np.zeros(4)
        for P, qa in halves:
            gg = snap(g, P, 0.5, 0.03, gi)
            a_, b_ = (evaluate(snap(q[m], P, 0.5, 0.03, gs), qc[m], gg, gc) for m in (qa, ~qa))
            r += np.array([a_[0], a_[1], b_[0], b_[1]]) / 2
        print(f'gates sketch {gs} image {gi}: prototyped half hit@10 {r[0]:.3f} mAP {r[1]:.3f} | held-out half hit@10 '
              f'{r[2]:.3f} mAP {r[3]:.3f}', flush=True)


if __name__ == '__main__':
    torch.set_num_threads(max(1, (os.cpu_count() or 2) // 2))
    model, work, out = sys.argv[1:4]
    if '--grid-only' not in sys.argv:
        embed(model, work, out)
    grid(out)
    split_grid(out)
