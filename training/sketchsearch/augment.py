"""Augmentations. Stroke augmentations act on stroke coordinates BEFORE the exact rasteriser
(preprocess.rasterize_strokes), so training sketches are rasterised exactly like the extension's.
Raster augmentations act on [-1,1] tensors (white = +1)."""
import math

import numpy as np
import torch
import torch.nn.functional as F


def augment_strokes(strokes, rng, p_drop=0.1, p_partial=0.2, jitter=1.0):
    strokes = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes if len(s) > 0]
    n = len(strokes)
    if n > 2 and rng.rand() < p_partial:  # partial drawing: first k strokes
        strokes = strokes[:max(2, int(math.ceil(n * rng.uniform(0.6, 1.0))))]
    if len(strokes) > 2:  # stroke dropout, keep at least 2
        keep = rng.rand(len(strokes)) >= p_drop
        if keep.sum() >= 2:
            strokes = [s for s, k in zip(strokes, keep) if k]
    # random affine about the centre
    a = math.radians(rng.uniform(-15, 15))
    sx, sy = rng.uniform(0.85, 1.15, 2)
    sh = rng.uniform(-0.15, 0.15)
    flip = -1.0 if rng.rand() < 0.5 else 1.0
    m = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]]) @ np.array([[sx * flip, sh], [0, sy]])
    pts = np.concatenate(strokes)
    c = (pts.min(0) + pts.max(0)) / 2
    side = max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1]), 1.0)
    out = []
    for s in strokes:
        s = (s - c) @ m.T
        s = s + rng.normal(0, jitter * side / 255.0, s.shape)
        out.append(s.tolist())
    return out


def qd_to_xy(drawing):
    """QuickDraw [[xs],[ys](,[t])] per stroke -> list of [[x, y], ...]."""
    return [[[x, y] for x, y in zip(s[0], s[1])] for s in drawing]


def random_affine(x, rng, scale=(0.8, 1.05), rot=10, shift=0.06, flip=True):
    """x: [N,3,H,W] in [-1,1], white background. Per-sample affine via grid_sample, white padding."""
    n = x.shape[0]
    th = np.zeros((n, 2, 3), np.float32)
    for i in range(n):
        s = rng.uniform(*scale)
        a = math.radians(rng.uniform(-rot, rot))
        f = -1.0 if flip and rng.rand() < 0.5 else 1.0
        # output->input mapping: inverse scale
        th[i, 0, 0] = math.cos(a) / s * f; th[i, 0, 1] = -math.sin(a) / s
        th[i, 1, 0] = math.sin(a) / s * f; th[i, 1, 1] = math.cos(a) / s
        th[i, :, 2] = rng.uniform(-shift, shift, 2) * 2
    grid = F.affine_grid(torch.from_numpy(th), list(x.shape), align_corners=False)
    return F.grid_sample(x - 1, grid, mode='bilinear', padding_mode='zeros', align_corners=False) + 1
