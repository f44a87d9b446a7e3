"""Icons turned into doodle-like strokes: every outline of an SVG flattened into polylines, fitted
into QuickDraw's 0..255 box and simplified as QuickDraw's "simplified" files were (Ramer-Douglas-
Peucker, epsilon 2.0), so an icon can stand in for a drawing of itself. The strokes then go through
the same stroke augmentation (augment.augment_strokes) and the product's rasteriser
(preprocess.rasterize_strokes) as real QuickDraw drawings, paired with the icon's own image.

Pure Python + numpy (no SVG library on this machine): paths (all commands, arcs included), the basic
shapes, nested transforms. Skipped, because they draw nothing a person would doodle: <defs>,
<clipPath>, <mask>, <symbol>, <pattern>, gradients, <text>, <image>, <use>.
"""
import math
import re
import xml.etree.ElementTree as ET

import numpy as np

QD_SIZE = 255.0
RDP_EPSILON = 2.0
SKIP_TAGS = {'defs', 'clipPath', 'mask', 'symbol', 'pattern', 'linearGradient', 'radialGradient', 'text',
             'image', 'use', 'style', 'title', 'desc', 'metadata', 'filter', 'marker'}
_NUM = re.compile(r'[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?')
_TOKEN = re.compile(r'[MmZzLlHhVvCcSsQqTtAa]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?')


# ---------------------------------------------------------------- transforms

def parse_transform(text):
    """SVG transform list -> 3x3 matrix."""
    m = np.eye(3)
    for name, args in re.findall(r'(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)', text or ''):
        v = [float(x) for x in _NUM.findall(args)]
        t = np.eye(3)
        if name == 'matrix' and len(v) == 6:
            t[:2] = [[v[0], v[2], v[4]], [v[1], v[3], v[5]]]
        elif name == 'translate' and v:
            t[0, 2], t[1, 2] = v[0], (v[1] if len(v) > 1 else 0.0)
        elif name == 'scale' and v:
            t[0, 0], t[1, 1] = v[0], (v[1] if len(v) > 1 else v[0])
        elif name == 'rotate' and v:
            a = math.radians(v[0])
            r = np.array([[math.cos(a), -math.sin(a), 0], [math.sin(a), math.cos(a), 0], [0, 0, 1]])
            if len(v) == 3:
                cx, cy = v[1], v[2]
                r = np.array([[1, 0, cx], [0, 1, cy], [0, 0, 1]]) @ r @ np.array([[1, 0, -cx], [0, 1, -cy], [0, 0, 1]])
            t = r
        elif name == 'skewX' and v:
            t[0, 1] = math.tan(math.radians(v[0]))
        elif name == 'skewY' and v:
            t[1, 0] = math.tan(math.radians(v[0]))
        m = m @ t
    return m


# ---------------------------------------------------------------- curves

# Curve sampling: one point per _STEP user units (set per document to ~3 units of the 0..255 box).
_STEP = [4.0]


def _steps(length, lo=4, hi=64):
    return int(min(hi, max(lo, math.ceil(length / _STEP[0]))))


def _cubic(p0, p1, p2, p3):
    n = _steps(np.linalg.norm(p1 - p0) + np.linalg.norm(p2 - p1) + np.linalg.norm(p3 - p2))
    t = np.linspace(0, 1, n + 1)[1:, None]
    return ((1 - t) ** 3) * p0 + 3 * ((1 - t) ** 2) * t * p1 + 3 * (1 - t) * t * t * p2 + t ** 3 * p3


def _quad(p0, p1, p2):
    n = _steps(np.linalg.norm(p1 - p0) + np.linalg.norm(p2 - p1))
    t = np.linspace(0, 1, n + 1)[1:, None]
    return ((1 - t) ** 2) * p0 + 2 * (1 - t) * t * p1 + t * t * p2


def _arc(p0, rx, ry, phi_deg, large, sweep, p1):
    """SVG elliptical arc (endpoint parameterisation, SVG 1.1 appendix F.6) sampled as points after p0."""
    if np.allclose(p0, p1):
        return np.zeros((0, 2))
    rx, ry = abs(rx), abs(ry)
    if rx == 0 or ry == 0:
        return p1[None, :]
    phi = math.radians(phi_deg)
    c, s = math.cos(phi), math.sin(phi)
    dx, dy = (p0 - p1) / 2
    x1p, y1p = c * dx + s * dy, -s * dx + c * dy
    lam = (x1p / rx) ** 2 + (y1p / ry) ** 2
    if lam > 1:
        rx, ry = rx * math.sqrt(lam), ry * math.sqrt(lam)
    num = rx * rx * ry * ry - rx * rx * y1p * y1p - ry * ry * x1p * x1p
    den = rx * rx * y1p * y1p + ry * ry * x1p * x1p
    k = math.sqrt(max(0.0, num / den)) if den > 0 else 0.0
    if large == sweep:
        k = -k
    cxp, cyp = k * rx * y1p / ry, -k * ry * x1p / rx
    cx, cy = c * cxp - s * cyp + (p0[0] + p1[0]) / 2, s * cxp + c * cyp + (p0[1] + p1[1]) / 2

    def ang(ux, uy, vx, vy):
        return math.atan2(ux * vy - uy * vx, ux * vx + uy * vy)

    t1 = ang(1, 0, (x1p - cxp) / rx, (y1p - cyp) / ry)
    dt = ang((x1p - cxp) / rx, (y1p - cyp) / ry, (-x1p - cxp) / rx, (-y1p - cyp) / ry)
    if not sweep and dt > 0:
        dt -= 2 * math.pi
    elif sweep and dt < 0:
        dt += 2 * math.pi
    n = _steps(abs(dt) * max(rx, ry))
    t = t1 + dt * np.linspace(0, 1, n + 1)[1:]
    x = cx + rx * np.cos(t) * c - ry * np.sin(t) * s
    y = cy + rx * np.cos(t) * s + ry * np.sin(t) * c
    out = np.stack([x, y], 1)
    out[-1] = p1
    return out


def path_polylines(d):
    """SVG path data -> list of (N, 2) polylines, one per subpath (closed ones end at their start)."""
    toks = _TOKEN.findall(d or '')
    out, cur = [], []
    pos = np.zeros(2)
    start = np.zeros(2)
    last_ctrl, last_cmd = None, ''
    i, cmd = 0, None

    def nums(k):
        nonlocal i
        if i + k > len(toks) or any(t.isalpha() for t in toks[i:i + k]):
            raise ValueError('path data ends early')
        v = [float(t) for t in toks[i:i + k]]
        i += k
        return v

    def flush():
        nonlocal cur
        if len(cur) >= 2:
            out.append(np.asarray(cur, np.float64))
        cur = []

    while i < len(toks):
        if toks[i].isalpha():
            cmd = toks[i]
            i += 1
        elif cmd is None:
            break  # numbers without a command (at the start or after Z): renderers stop drawing here
        rel = cmd.islower()
        C = cmd.upper()
        base = pos if rel else np.zeros(2)
        try:
            if C == 'Z':
                if cur:
                    cur.append(start.copy())
                flush()
                pos = start.copy()
                last_ctrl, last_cmd = None, 'Z'
                cmd = None  # Z takes no numbers; a number after it needs a new command
                continue
            if C == 'M':
                flush()
                x, y = nums(2)
                pos = base + [x, y]
                start = pos.copy()
                cur = [pos.copy()]
                cmd = 'l' if rel else 'L'  # further pairs are implicit linetos
                last_ctrl, last_cmd = None, 'M'
                continue
            if not cur:
                cur = [pos.copy()]
            if C == 'L':
                x, y = nums(2)
                pos = base + [x, y]
                cur.append(pos.copy())
                last_ctrl = None
            elif C == 'H':
                (x,) = nums(1)
                pos = np.array([pos[0] + x if rel else x, pos[1]])
                cur.append(pos.copy())
                last_ctrl = None
            elif C == 'V':
                (y,) = nums(1)
                pos = np.array([pos[0], pos[1] + y if rel else y])
                cur.append(pos.copy())
                last_ctrl = None
            elif C in 'CS':
                if C == 'C':
                    v = nums(6)
                    c1, c2, p = base + v[0:2], base + v[2:4], base + v[4:6]
                else:
                    v = nums(4)
                    c1 = 2 * pos - last_ctrl if last_ctrl is not None and last_cmd in 'CS' else pos.copy()
                    c2, p = base + v[0:2], base + v[2:4]
                cur.extend(_cubic(pos, c1, c2, p))
                pos, last_ctrl = p, c2
            elif C in 'QT':
                if C == 'Q':
                    v = nums(4)
                    c1, p = base + v[0:2], base + v[2:4]
                else:
                    v = nums(2)
                    c1 = 2 * pos - last_ctrl if last_ctrl is not None and last_cmd in 'QT' else pos.copy()
                    p = base + v[0:2]
                cur.extend(_quad(pos, c1, p))
                pos, last_ctrl = p, c1
            elif C == 'A':
                rx, ry, phi, large, sweep, x, y = nums(7)
                p = base + [x, y]
                cur.extend(_arc(pos, rx, ry, phi, bool(large), bool(sweep), p))
                pos, last_ctrl = p, None
            last_cmd = C
        except ValueError:
            break  # malformed tail: keep what was drawn so far, as renderers do
    flush()
    return out


def _f(el, name, default=0.0):
    try:
        return float(_NUM.match(el.get(name, '')).group(0))
    except (AttributeError, ValueError):
        return default


def _ellipse(cx, cy, rx, ry):
    n = _steps(2 * math.pi * max(rx, ry), lo=12)
    t = np.linspace(0, 2 * math.pi, n + 1)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], 1)


def element_polylines(el):
    tag = el.tag.rsplit('}', 1)[-1]
    if tag == 'path':
        return path_polylines(el.get('d', ''))
    if tag == 'rect':
        x, y, w, h = _f(el, 'x'), _f(el, 'y'), _f(el, 'width'), _f(el, 'height')
        return [np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h], [x, y]])] if w > 0 and h > 0 else []
    if tag == 'circle':
        r = _f(el, 'r')
        return [_ellipse(_f(el, 'cx'), _f(el, 'cy'), r, r)] if r > 0 else []
    if tag == 'ellipse':
        rx, ry = _f(el, 'rx'), _f(el, 'ry')
        return [_ellipse(_f(el, 'cx'), _f(el, 'cy'), rx, ry)] if rx > 0 and ry > 0 else []
    if tag == 'line':
        return [np.array([[_f(el, 'x1'), _f(el, 'y1')], [_f(el, 'x2'), _f(el, 'y2')]])]
    if tag in ('polyline', 'polygon'):
        v = [float(x) for x in _NUM.findall(el.get('points', ''))]
        pts = np.asarray(v[:len(v) // 2 * 2], np.float64).reshape(-1, 2)
        if tag == 'polygon' and len(pts) > 2:
            pts = np.concatenate([pts, pts[:1]])
        return [pts] if len(pts) >= 2 else []
    return []


def svg_polylines(svg_text):
    """Every outline of an SVG document as polylines in its user space (transforms applied)."""
    root = ET.fromstring(svg_text)
    vb = [float(x) for x in _NUM.findall(root.get('viewBox', ''))]
    span = max(vb[2], vb[3]) if len(vb) == 4 else max(_f(root, 'width', 255.0), _f(root, 'height', 255.0))
    _STEP[0] = max(span, 1e-6) * 3.0 / QD_SIZE
    out = []

    def walk(el, m):
        tag = el.tag.rsplit('}', 1)[-1]
        if tag in SKIP_TAGS or el.get('display') == 'none' or el.get('visibility') == 'hidden':
            return
        m = m @ parse_transform(el.get('transform'))
        for pl in element_polylines(el):
            h = np.concatenate([pl, np.ones((len(pl), 1))], 1) @ m.T
            out.append(h[:, :2])
        for ch in el:
            walk(ch, m)

    walk(root, np.eye(3))
    return out


# ---------------------------------------------------------------- QuickDraw style

def rdp(pts, eps):
    """Ramer-Douglas-Peucker on an (N, 2) polyline (iterative, keeps the end points)."""
    n = len(pts)
    if n < 3:
        return pts
    keep = np.zeros(n, bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        seg = pts[b] - pts[a]
        L = np.hypot(*seg)
        rel = pts[a + 1:b] - pts[a]
        d = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / L if L > 0 else np.hypot(rel[:, 0], rel[:, 1])
        k = int(np.argmax(d))
        if d[k] > eps:
            keep[a + 1 + k] = True
            stack += [(a, a + 1 + k), (a + 1 + k, b)]
    return pts[keep]


def icon_strokes(svg_text, max_strokes=40, min_extent=4.0):
    """An SVG icon -> QuickDraw-simplified-like strokes [[xs], [ys]] in 0..255 (integers), longest
    outlines first; [] when the icon has no outline. As QuickDraw's preprocessing: align to the top
    left, scale the longer side to 255, RDP with epsilon 2."""
    lines = [p for p in svg_polylines(svg_text) if len(p) >= 2 and np.all(np.isfinite(p))]
    if not lines:
        return []
    pts = np.concatenate(lines)
    lo, span = pts.min(0), max(np.ptp(pts[:, 0]), np.ptp(pts[:, 1]))
    if span <= 0:
        return []
    out = []
    for p in lines:
        q = rdp((p - lo) * (QD_SIZE / span), RDP_EPSILON)
        if max(np.ptp(q[:, 0]), np.ptp(q[:, 1])) < min_extent:
            continue  # specks and hairline details a doodler would never draw
        q = np.round(q).astype(int)
        keep = np.concatenate([[True], np.any(q[1:] != q[:-1], 1)])
        q = q[keep]
        if len(q) >= 2:
            out.append(q)
    out.sort(key=lambda q: -np.hypot(*np.diff(q, axis=0).T).sum())
    return [[q[:, 0].tolist(), q[:, 1].tolist()] for q in out[:max_strokes]]
