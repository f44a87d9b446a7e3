"""Probe (not part of the shipped pipeline): where does a student lose Sketchy-val quality, the sketch
branch or the image branch? Within-domain and cross-domain mAP@all on the 20 validation classes (and
on training classes), against the frozen teacher and the image branch's own frozen trunk.

  cd training && /usr/bin/python3 -m probes.branch_quality ../models [.work/ablations/NAME ...]
  (needs training/.work from sketchsearch.prepare and imgfeat_w0.5.npy from a training run)

Measured 2026-11-29 (student-v3-full = ../models): teacher photo->photo 0.672, sketch->sketch 0.442;
image trunk (MobileNetV1 0.5, frozen) pooled features photo->photo 0.550; student photo->photo 0.487,
sketch->sketch 0.430, sketch->photo 0.239 (training classes: photo->photo 0.709, sketch->photo 0.535).
Reading: the trained image head *loses* unseen-class photo structure that its frozen trunk has
(0.550 -> 0.487) while gaining on training classes, and the trunk itself is well below the teacher
(0.550 vs 0.672): the image side caps sketch -> photo retrieval as much as the sketch side does.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from sketchsearch.export import load_student  # noqa: E402
from sketchsearch.train import load_u8, mean_ap, u8_to_tensor  # noqa: E402

WORK = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '.work')


def main(dirs):
    torch.set_num_threads(2)
    meta = json.load(open(os.path.join(WORK, 'meta.json')))
    ph, sk = meta['photos'], meta['sketches']
    pv = [i for i, p in enumerate(ph) if p['val']]; sv = [i for i, s in enumerate(sk) if s['val']]
    pt = [i for i, p in enumerate(ph) if not p['val']]; st = [i for i, s in enumerate(sk) if not s['val']]
    pl = np.array([p['cls'] for p in ph]); sl = np.array([s['cls'] for s in sk])
    n = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)
    T = n(np.load(os.path.join(WORK, 'teacher_photos.npy'))); TS = n(np.load(os.path.join(WORK, 'teacher_sketches.npy')))
    print('teacher: val photo->photo', round(mean_ap(T[pv], T[pv], pl[pv], pl[pv]), 3),
          'sketch->sketch', round(mean_ap(TS[sv], TS[sv], sl[sv], sl[sv]), 3))
    trunk = os.path.join(WORK, 'imgfeat_w0.5.npy')
    if os.path.exists(trunk):
        F = n(np.load(trunk)[0][:len(ph)])
        print('image trunk (frozen): val photo->photo', round(mean_ap(F[pv], F[pv], pl[pv], pl[pv]), 3))
    P, S = load_u8(os.path.join(WORK, 'photos.u8')), load_u8(os.path.join(WORK, 'sketches.u8'))
    for d in dirs:
        ske, ime = load_student(os.path.join(d, 'student.pt'))
        with torch.no_grad():
            enc = lambda m, x: torch.cat([m(u8_to_tensor(x[i:i + 100])) for i in range(0, len(x), 100)]).numpy()
            gp, gs = enc(ime, P), enc(ske, S)
        m = lambda q, ql, qi, g, gl, gi: round(mean_ap(q[qi], g[gi], ql[qi], gl[gi]), 3)
        print(d, '| val: photo->photo', m(gp, pl, pv, gp, pl, pv), 'sketch->sketch', m(gs, sl, sv, gs, sl, sv),
              'sketch->photo', m(gs, sl, sv, gp, pl, pv), '| train: photo->photo', m(gp, pl, pt, gp, pl, pt),
              'sketch->photo', m(gs, sl, st, gp, pl, pt), flush=True)


if __name__ == '__main__':
    main(sys.argv[1:] or [os.path.join(WORK, '..', '..', 'models')])
