"""Probe (not part of the shipped pipeline): how high can Sketchy-val sketch -> photo mAP go with the
teacher we have and an image encoder the issue allows (<= a fifth of the teacher's FLOPs)?

  cd training && /usr/bin/python3 -m probes.sketchy_ceiling     (needs training/.work from sketchsearch.prepare)

Everything is fitted on the 49 Sketchy training classes only and evaluated on the 20 validation classes
(500 sketches -> 500 photos, mAP@all, the benchmark's Sketchy-val protocol in Python).

1. Sketch side, teacher space: the teacher's (MobileNetV2 @224) sqrt-centred sketch features ridge-mapped
   towards the teacher photo centre of their class (probes/teacher_alignment.py's best, lam = 1000), with
   the sketch drawn as is or with thicker ink (model.thicker_ink).
2. Two-tower linear heads trained on teacher features (photo-centre prototypes, cross-entropy): does a
   learned projection beat the ridge map that stays near the teacher geometry?
3. Image side: the aligned teacher sketches from 1 held fixed, photos embedded by cheaper image trunks
   (the student's frozen MobileNetV1 0.5 @128; MobileNetV2 at 96 / 112 / 128 px input) either directly
   (same 1280-d space) or ridge-mapped into the teacher@224 photo space (fitted on training photos).
   This bounds what any sketch encoder can reach with that image encoder.
Measured 2026-11-29 (next to a training run): 1. sqrt-centred 0.281, aligned 0.370,
3x3 / 5x5 ink 0.345 / 0.309; 2. tau 0.05 / 0.1: 0.224 / 0.206; 3. teacher@224 0.370 (photo->photo 0.682);
MobileNetV1 0.5 @128 ridge 10 / 100: 0.249 / 0.271; MobileNetV2 @96 direct 0.279, @112 0.310, @128 0.344.
No configuration reaches the bar's 0.400 (models/MODEL_CARD.md, "the Sketchy-val ceiling").
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from sketchsearch.model import MobileNetV1, thicker_ink  # noqa: E402
from sketchsearch.prepare import cached, content_key, load_u8  # noqa: E402
from sketchsearch.teacher import teacher_features  # noqa: E402
from sketchsearch.train import mean_ap, u8_to_tensor  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, '..', '.work')
TEACHER_DIR = os.path.join(HERE, '..', '..', '..', 'shared', 'models', 'teacher')
TEACHER = os.path.join(TEACHER_DIR, 'mobilenet_v2_1.0_224_quant.torchscript.pt')
MACS_TEACHER_224 = 300e6  # published MobileNetV2 1.0 @224 multiply-adds; they scale with input area


def teacher_224(name, u8):
    """The teacher features prepare cached for this u8 file (same key), else computed the same way."""
    out = os.path.join(WORK, f'teacher_{name}.npy')
    if cached(out, content_key(TEACHER, u8, 'teacher-224-bilinear')):
        return np.load(out)
    return teacher_features(TEACHER, u8)


def main():
    meta = json.load(open(os.path.join(WORK, 'meta.json')))
    sk, ph = meta['sketches'], meta['photos']
    cls = np.array([s['cls'] for s in sk]); pcls = np.array([p['cls'] for p in ph])
    val = np.array([s['val'] for s in sk]); pval = np.array([p['val'] for p in ph])
    train_c = sorted(set(cls[~val]))
    nrm = lambda x: x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
    sq = lambda x: np.sqrt(np.maximum(x, 0))
    sk2ph = lambda a, b: round(mean_ap(nrm(a[val]), nrm(b[pval]), cls[val], pcls[pval]), 4)
    ph2ph = lambda b: round(mean_ap(nrm(b[pval]), nrm(b[pval]), pcls[pval], pcls[pval]), 4)
    S, P = load_u8(os.path.join(WORK, 'sketches.u8')), load_u8(os.path.join(WORK, 'photos.u8'))

    TP = sq(teacher_224('photos', P)); TP -= TP[~pval].mean(0)
    centre = {c: TP[pcls == c].mean(0) for c in train_c}

    def align(feats, lam=1000.0):
        A = sq(feats); A = A - A[~val].mean(0)
        X, Y = A[~val], np.stack([centre[c] for c in cls[~val]])
        return A @ np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ Y + lam * np.eye(X.shape[1]))

    print('1. sketch side (teacher@224 photos as gallery)', flush=True)
    TS_raw = teacher_224('sketches', S)
    TS = sq(TS_raw); TS -= TS[~val].mean(0)
    print('   teacher sqrt-centred, no map', sk2ph(TS, TP))
    AS = align(TS_raw)
    print('   aligned (ridge 1000), ink as drawn', sk2ph(AS, TP), flush=True)
    for k in (3, 5):
        print(f'   aligned, ink {k}x{k}-dilated', sk2ph(align(teacher_features(TEACHER, tensors=thicker_ink(u8_to_tensor(S), k).numpy())), TP), flush=True)

    print('2. learned linear two-tower heads on teacher features (256-d, prototype cross-entropy)', flush=True)
    ci = {c: i for i, c in enumerate(train_c)}
    Xs, ys = torch.tensor(TS[~val]), torch.tensor([ci[c] for c in cls[~val]])
    Xp, yp = torch.tensor(TP[~pval]), torch.tensor([ci[c] for c in pcls[~pval]])
    for tau in (0.05, 0.1):
        torch.manual_seed(0)
        fs, fp = nn.Linear(1280, 256), nn.Linear(1280, 256)
        opt = torch.optim.AdamW(list(fs.parameters()) + list(fp.parameters()), 1e-3, weight_decay=1e-4)
        for _ in range(300):
            zs, zp = F.normalize(fs(Xs), dim=1), F.normalize(fp(Xp), dim=1)
            proto = F.normalize(torch.zeros(len(train_c), 256).index_add(0, yp, zp), dim=1)
            loss = F.cross_entropy(zs @ proto.T / tau, ys) + F.cross_entropy(zp @ proto.T / tau, yp)
            opt.zero_grad(); loss.backward(); opt.step()
        with torch.no_grad():
            print(f'   tau {tau}', sk2ph(fs(torch.tensor(TS)).numpy(), fp(torch.tensor(TP)).numpy()), flush=True)

    print('3. image side (aligned teacher sketches as queries); photo->photo includes the query itself', flush=True)
    print('   teacher @224 (~300 M MACs, 1x)', 'photo->photo', ph2ph(TP), 'sketch->photo', sk2ph(AS, TP), flush=True)
    v1 = MobileNetV1(0.5).load_tflite_torchscript(os.path.join(TEACHER_DIR, 'mobilenet_v1_0.5_160_quant.torchscript.pt')).eval()
    with torch.no_grad():
        trunks = [('student image trunk MobileNetV1 0.5 @128 (49 M MACs, 0.16x)', v1(u8_to_tensor(P)).numpy())]
    trunks += [(f'MobileNetV2 @{s} (~{MACS_TEACHER_224 * (s / 224) ** 2 / 1e6:.0f} M MACs, {(s / 224) ** 2:.2f}x)',
                teacher_features(TEACHER, P, size=s)) for s in (96, 112, 128)]
    for name, feats in trunks:
        X = sq(feats); X -= X[~pval].mean(0)
        row = [f'   {name}', 'photo->photo', ph2ph(X)]
        if X.shape[1] == TP.shape[1]:
            row += ['sketch->photo direct', sk2ph(AS, X)]
        X1 = np.hstack([X, np.ones((len(X), 1))])
        for lam in (10, 100):
            Wm = np.linalg.solve(X1[~pval].T @ X1[~pval] + lam * np.eye(X1.shape[1]), X1[~pval].T @ TP[~pval])
            row += [f'ridge{lam} into teacher space: photo->photo', ph2ph(X1 @ Wm), 'sketch->photo', sk2ph(AS, X1 @ Wm)]
        print(*row, flush=True)


if __name__ == '__main__':
    main()
