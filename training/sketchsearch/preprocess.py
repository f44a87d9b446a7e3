"""Line-by-line numpy port of src/core/preprocess.ts (PREPROCESS_VERSION 1).

All geometry is float64, like the TypeScript. `rasterize_strokes` follows the TS loop structure
exactly (per segment, per pixel of the clipped bounding box); the inner pixel loop is vectorised
over the box, which performs the same float64 operations in the same order per pixel, so results
match to float32 rounding. Checked by test/integration/preprocess-parity.test.ts.
"""
import math

import numpy as np

INPUT_SIZE = 128
PREPROCESS_VERSION = 1
SKETCH_MARGIN = 8
SKETCH_LINE_WIDTH = 3


def _clean(strokes):
    clean = []
    min_x = min_y = math.inf
    max_x = max_y = -math.inf
    for stroke in strokes:
        pts = []
        for p in stroke:
            x, y = float(p[0]), float(p[1])
            if not (math.isfinite(x) and math.isfinite(y)):
                continue
            pts.append((x, y))
            if x < min_x: min_x = x
            if y < min_y: min_y = y
            if x > max_x: max_x = x
            if y > max_y: max_y = y
        if len(pts) > 0:
            clean.append(pts)
    return clean, min_x, min_y, max_x, max_y


def _draw_capsule(out, S, ax, ay, bx, by, r):
    x0 = max(0, math.floor(min(ax, bx) - r))
    x1 = min(S - 1, math.ceil(max(ax, bx) + r))
    y0 = max(0, math.floor(min(ay, by) - r))
    y1 = min(S - 1, math.ceil(max(ay, by) + r))
    if x1 < x0 or y1 < y0:
        return
    dx = bx - ax
    dy = by - ay
    len2 = dx * dx + dy * dy
    py = (np.arange(y0, y1 + 1, dtype=np.float64) + 0.5)[:, None]
    px = (np.arange(x0, x1 + 1, dtype=np.float64) + 0.5)[None, :]
    if len2 > 0:
        t = ((px - ax) * dx + (py - ay) * dy) / len2
        t = np.clip(t, 0.0, 1.0)
    else:
        t = np.zeros((y1 - y0 + 1, x1 - x0 + 1))
    ex = px - (ax + t * dx)
    ey = py - (ay + t * dy)
    v = r - np.sqrt(ex * ex + ey * ey)
    ink = np.minimum(v, 1.0)
    ink = np.where(v <= 0, 0.0, ink).astype(np.float32)
    box = out[y0:y1 + 1, x0:x1 + 1]
    np.maximum(box, ink, out=box)


def rasterize_strokes(strokes):
    """Strokes (list of [[x, y], ...]) -> ink map float32 [S, S] (1 = ink, 0 = paper)."""
    S = INPUT_SIZE
    out = np.zeros((S, S), dtype=np.float32)
    clean, min_x, min_y, max_x, max_y = _clean(strokes)
    if len(clean) == 0:
        return out
    w = max_x - min_x
    h = max_y - min_y
    side = max(w, h)
    scale = (S - 2 * SKETCH_MARGIN) / side if side > 0 else 0.0
    ox = (S - w * scale) / 2 - min_x * scale
    oy = (S - h * scale) / 2 - min_y * scale
    r = SKETCH_LINE_WIDTH / 2 + 0.5
    for pts in clean:
        n = len(pts)
        for i in range(max(1, n - 1)):
            ax = pts[i][0] * scale + ox
            ay = pts[i][1] * scale + oy
            b = pts[min(i + 1, n - 1)]
            bx = b[0] * scale + ox
            by = b[1] * scale + oy
            _draw_capsule(out, S, ax, ay, bx, by, r)
    return out


def ink_to_tensor(ink):
    """Ink map [S, S] -> float32 tensor [3, S, S] in [-1, 1] (paper +1, ink -1)."""
    v = (1 - 2 * ink.astype(np.float32)).astype(np.float32)
    return np.stack([v, v, v], 0)


def sketch_tensor(strokes):
    return ink_to_tensor(rasterize_strokes(strokes))


def rgb_to_tensor(rgb):
    """uint8 [..., S, S, 3] (as imageToRgb returns) -> float32 [..., 3, S, S] = pixel / 127.5 - 1."""
    rgb = np.asarray(rgb)
    t = rgb.astype(np.float32) / np.float32(127.5) - np.float32(1)
    return np.moveaxis(t, -1, -3).copy()


def quickdraw_to_strokes(drawing):
    strokes = []
    for s in drawing:
        xs = s[0] if len(s) > 0 else []
        ys = s[1] if len(s) > 1 else []
        n = min(len(xs), len(ys))
        strokes.append([[xs[i], ys[i]] for i in range(n)])
    return strokes


def l2normalize(v):
    v = np.asarray(v, dtype=np.float32)
    s = float(np.sum(v.astype(np.float64) ** 2))
    inv = 1 / math.sqrt(s) if s > 0 else 0.0
    return (v * inv).astype(np.float32)
