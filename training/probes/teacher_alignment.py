"""Probe (not part of the shipped pipeline): how far does the frozen ImageNet teacher go on Sketchy
validation classes with a training-free or closed-form cross-domain alignment?

  cd training && /usr/bin/python3 -m probes.teacher_alignment     (needs training/.work from sketchsearch.prepare)

Teacher = MobileNetV2 1.0 @224 pooled features of sketches and photos (128 px inputs upsampled, as
the benchmark's teacher-raw baseline). Variants, all fitted on the 49 Sketchy training classes only:
  raw             cosine on raw features (= the benchmark's teacher-raw, 0.200)
  centre          subtract each domain's mean feature (sketch mean from training sketches, photo
                  mean from training photos)
  sqrt+centre     power-normalise (sqrt) first
  ridge(lam)      sqrt+centre, then a linear map of sketches, W = argmin |X W - Y|^2 + lam |W - I|^2,
                  Y = the centred teacher photo centre of each training sketch's class; lam picked by
                  4-fold cross-validation over training classes (never the validation classes)
Measured 2026-11-23 (mAP@all, 500 val sketches vs 500 val photos, 20 classes): raw 0.200,
centre 0.271, sqrt+centre 0.281, ridge: CV picks lam=1000 (CV 0.322) -> val 0.370.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from sketchsearch.train import mean_ap  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = os.path.join(HERE, '..', '.work')
TEACHER = os.path.join(HERE, '..', '..', '..', 'shared', 'models', 'teacher', 'mobilenet_v2_1.0_224_quant.torchscript.pt')


def teacher(u8):
    t = torch.jit.load(TEACHER).eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(u8), 64):
            x = torch.from_numpy(u8[i:i + 64]).permute(0, 3, 1, 2).float() / 127.5 - 1
            out.append(t(F.interpolate(x, size=(224, 224), mode='bilinear', align_corners=False))[0].numpy())
    return np.concatenate(out)


def main():
    meta = json.load(open(os.path.join(WORK, 'meta.json')))
    ph, sk = meta['photos'], meta['sketches']
    load = lambda n: np.fromfile(os.path.join(WORK, n), np.uint8).reshape(-1, 128, 128, 3)
    S, P = teacher(load('sketches.u8')), teacher(load('photos.u8'))
    cls = np.array([s['cls'] for s in sk]); pcls = np.array([p['cls'] for p in ph])
    n = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)
    train_c = sorted({s['cls'] for s in sk if not s['val']}); val_c = sorted({s['cls'] for s in sk if s['val']})

    def split(cs):
        return [i for i in range(len(sk)) if cls[i] in cs], [i for i in range(len(ph)) if pcls[i] in cs]

    ti, pt = split(train_c); vi, pv = split(val_c)
    ev = lambda a, b, qi=vi, gi=pv: round(mean_ap(n(a[qi]), n(b[gi]), cls[qi], pcls[gi]), 4)
    print('raw', ev(S, P))
    print('centre', ev(S - S[ti].mean(0), P - P[pt].mean(0)))
    Sq, Pq = np.sqrt(S), np.sqrt(P)
    print('sqrt+centre', ev(Sq - Sq[ti].mean(0), Pq - Pq[pt].mean(0)))

    def ridge(tr, te, lam):
        a, b = split(tr); qi, gi = split(te)
        A, B = Sq - Sq[a].mean(0), Pq - Pq[b].mean(0)
        cent = {c: B[[i for i in b if pcls[i] == c]].mean(0) for c in tr}
        X = A[a]; Y = np.stack([cent[cls[i]] for i in a]); d = X.shape[1]
        W = np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ Y + lam * np.eye(d))
        return ev(A @ W, B, qi, gi)

    perm = np.random.RandomState(0).permutation(train_c)
    cv = {}
    for lam in [100, 300, 1000, 3000, 10000]:
        cv[lam] = np.mean([ridge([c for c in train_c if c not in perm[f::4]], list(perm[f::4]), lam) for f in range(4)])
        print(f'ridge lam={lam}: CV over training classes {cv[lam]:.4f}', flush=True)
    best = max(cv, key=cv.get)
    print(f'ridge: CV picks lam={best} -> validation classes {ridge(train_c, val_c, best)}')


if __name__ == '__main__':
    main()
