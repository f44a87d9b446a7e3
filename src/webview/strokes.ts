/**
 * Pure stroke geometry for the sketch pad (no DOM): normalised storage, limits, eraser hit-testing,
 * conversion to the protocol's CSS-pixel strokes.
 *
 * Strokes are stored normalised by the pad's side length (the pad is square): a point is
 * [u, v] or [u, v, pressure] with u = x / side, v = y / side. This makes a sketch survive a
 * resized sidebar (and HiDPI changes) without drifting; it is turned back into CSS pixels of the
 * current pad only when rendering or sending a search.
 */
import { LIMITS, type PadPoint, type PadStroke } from '../shared/protocol';

/** A normalised point: [u, v] or [u, v, pressure], u and v in units of the pad side. */
export type NormPoint = [number, number] | [number, number, number];

export interface Stroke {
  points: NormPoint[];
  /** Pen diameter as a fraction of the pad side (display only: the model ignores pen width). */
  width: number;
}

/** Points closer than this (in CSS px) to the previous one are dropped while drawing. */
export const MIN_POINT_DISTANCE_PX = 0.75;

export function totalPoints(strokes: readonly Stroke[]): number {
  let n = 0;
  for (const s of strokes) n += s.points.length;
  return n;
}

/** May another stroke be started without breaking LIMITS? */
export function canStartStroke(strokes: readonly Stroke[]): boolean {
  return strokes.length < LIMITS.maxStrokes && totalPoints(strokes) < LIMITS.maxTotalPoints;
}

/**
 * Append a point to the stroke being drawn if LIMITS allow it and it moved far enough.
 * `committedPoints` is the number of points in the already-finished strokes.
 * Returns true when the point was added.
 */
export function tryAddPoint(
  current: Stroke,
  committedPoints: number,
  p: NormPoint,
  side: number,
): boolean {
  if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return false;
  if (current.points.length >= LIMITS.maxPointsPerStroke) return false;
  if (committedPoints + current.points.length >= LIMITS.maxTotalPoints) return false;
  const last = current.points[current.points.length - 1];
  if (last && side > 0) {
    const dx = (p[0] - last[0]) * side;
    const dy = (p[1] - last[1]) * side;
    if (dx * dx + dy * dy < MIN_POINT_DISTANCE_PX * MIN_POINT_DISTANCE_PX) return false;
  }
  current.points.push(p);
  return true;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** CSS pixels of a pad with the given side -> a normalised point (pressure kept if given). */
export function normalizePoint(x: number, y: number, side: number, pressure?: number): NormPoint {
  const s = side > 0 ? side : 1;
  const u = round(clamp(x / s, -1, 2), 5);
  const v = round(clamp(y / s, -1, 2), 5);
  return pressure === undefined ? [u, v] : [u, v, round(clamp(pressure, 0, 1), 3)];
}

export function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Normalised strokes -> the protocol's strokes in CSS pixels of a pad with the given side. */
export function toPadStrokes(strokes: readonly Stroke[], side: number): PadStroke[] {
  const s = side > 0 ? side : 512;
  const out: PadStroke[] = [];
  let total = 0;
  for (const st of strokes) {
    if (out.length >= LIMITS.maxStrokes) break;
    if (st.points.length === 0) continue;
    const room = Math.min(LIMITS.maxPointsPerStroke, LIMITS.maxTotalPoints - total);
    if (room <= 0) break;
    const pts: PadStroke = [];
    for (const p of st.points.slice(0, room)) {
      const x = round(p[0] * s, 2), y = round(p[1] * s, 2);
      pts.push((p.length === 3 ? [x, y, p[2]] : [x, y]) as PadPoint);
    }
    total += pts.length;
    out.push(pts);
  }
  return out;
}

/** Squared distance from point p to segment ab. */
export function distSqToSegment(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
  t = clamp(t, 0, 1);
  const cx = ax + t * dx - px, cy = ay + t * dy - py;
  return cx * cx + cy * cy;
}

/**
 * Does an eraser of radius `r` at (u, v) touch the stroke? All values normalised.
 * The stroke's own half width counts, so erasing a thick line works on its visible edge.
 */
export function strokeHit(stroke: Stroke, u: number, v: number, r: number): boolean {
  const pts = stroke.points;
  if (pts.length === 0) return false;
  const reach = r + stroke.width / 2;
  const reach2 = reach * reach;
  if (pts.length === 1) {
    const dx = pts[0][0] - u, dy = pts[0][1] - v;
    return dx * dx + dy * dy <= reach2;
  }
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1], b = pts[i];
    if (distSqToSegment(u, v, a[0], a[1], b[0], b[1]) <= reach2) return true;
  }
  return false;
}

/**
 * Indices of strokes touched by an eraser moving along the segment from (u0, v0) to (u1, v1)
 * (a swept eraser, so fast movements do not skip thin strokes).
 */
export function strokesHitBySweep(
  strokes: readonly Stroke[],
  u0: number, v0: number, u1: number, v1: number,
  r: number,
): number[] {
  const hits: number[] = [];
  const len = Math.hypot(u1 - u0, v1 - v0);
  const steps = Math.max(1, Math.ceil(len / Math.max(r * 0.5, 1e-4)));
  strokes.forEach((s, i) => {
    for (let k = 0; k <= steps; k++) {
      const t = k / steps;
      if (strokeHit(s, u0 + (u1 - u0) * t, v0 + (v1 - v0) * t, r)) {
        hits.push(i);
        return;
      }
    }
  });
  return hits;
}

/** Validate untrusted (persisted) stroke data. Returns null when it is unusable. */
export function parseStroke(x: unknown): Stroke | null {
  if (typeof x !== 'object' || x === null) return null;
  const o = x as { points?: unknown; width?: unknown };
  if (!Array.isArray(o.points) || typeof o.width !== 'number' || !Number.isFinite(o.width) || o.width <= 0 || o.width > 1) return null;
  if (o.points.length > LIMITS.maxPointsPerStroke) return null;
  const points: NormPoint[] = [];
  for (const p of o.points) {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3) return null;
    if (!p.every((c) => typeof c === 'number' && Number.isFinite(c) && Math.abs(c) <= 10)) return null;
    points.push(p.length === 3 ? [p[0], p[1], p[2]] : [p[0], p[1]]);
  }
  if (points.length === 0) return null;
  return { points, width: o.width };
}
