import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, validateFromWebview } from '../../src/shared/protocol';
import {
  canStartStroke, normalizePoint, parseStroke, strokeHit, strokesHitBySweep, toPadStrokes, tryAddPoint, type Stroke,
} from '../../src/webview/strokes';

test('normalise then denormalise at another size rescales proportionally', () => {
  const side = 300;
  const st: Stroke = { points: [normalizePoint(30, 60, side), normalizePoint(150, 240, side, 0.7)], width: 4 / side };
  assert.deepEqual(st.points, [[0.1, 0.2], [0.5, 0.8, 0.7]]);
  assert.deepEqual(toPadStrokes([st], side), [[[30, 60], [150, 240, 0.7]]]);
  // The sidebar grew to 600 px: same drawing, twice the coordinates.
  assert.deepEqual(toPadStrokes([st], 600), [[[60, 120], [300, 480, 0.7]]]);
});

test('pressure is clamped and rounded; out-of-pad points are clamped', () => {
  assert.deepEqual(normalizePoint(10, 10, 100, 1.7), [0.1, 0.1, 1]);
  assert.deepEqual(normalizePoint(-1000, 5000, 100), [-1, 2]);
});

test('tryAddPoint drops near-duplicate points and respects per-stroke limits', () => {
  const st: Stroke = { points: [], width: 0.01 };
  assert.equal(tryAddPoint(st, 0, [0.5, 0.5], 100), true);
  assert.equal(tryAddPoint(st, 0, [0.5001, 0.5], 100), false); // 0.01 px away
  assert.equal(tryAddPoint(st, 0, [0.52, 0.5], 100), true);
  assert.equal(tryAddPoint(st, 0, [NaN, 0.5], 100), false);
  const full: Stroke = { points: Array.from({ length: LIMITS.maxPointsPerStroke }, (_, i) => [i, 0] as [number, number]), width: 0.01 };
  assert.equal(tryAddPoint(full, 0, [0.9, 0.9], 100), false);
  assert.equal(full.points.length, LIMITS.maxPointsPerStroke);
});

test('tryAddPoint respects the total point limit', () => {
  const st: Stroke = { points: [[0, 0]], width: 0.01 };
  assert.equal(tryAddPoint(st, LIMITS.maxTotalPoints - 1, [0.5, 0.5], 100), false);
  assert.equal(tryAddPoint(st, LIMITS.maxTotalPoints - 2, [0.5, 0.5], 100), true);
});

test('canStartStroke stops at maxStrokes', () => {
  const one: Stroke = { points: [[0, 0]], width: 0.01 };
  assert.equal(canStartStroke(Array(LIMITS.maxStrokes - 1).fill(one)), true);
  assert.equal(canStartStroke(Array(LIMITS.maxStrokes).fill(one)), false);
});

test('toPadStrokes output passes the host validator and never exceeds LIMITS', () => {
  const big: Stroke = { points: Array.from({ length: 4000 }, (_, i) => [i / 4000, 0.5] as [number, number]), width: 0.01 };
  const strokes = Array(20).fill(big); // 80 000 points
  const pad = toPadStrokes(strokes, 400);
  const total = pad.reduce((n, s) => n + s.length, 0);
  assert.equal(total, LIMITS.maxTotalPoints);
  const v = validateFromWebview({ type: 'search', requestId: 3, strokes: pad });
  assert.equal(v.ok, true, v.ok ? '' : v.error);
});

test('eraser hit-testing', () => {
  const line: Stroke = { points: [[0.1, 0.5], [0.9, 0.5]], width: 0.02 };
  assert.equal(strokeHit(line, 0.5, 0.514, 0.005), true); // within half width (0.01) + radius (0.005)
  assert.equal(strokeHit(line, 0.5, 0.52, 0.005), false);
  assert.equal(strokeHit(line, 0.5, 0.6, 0.02), false);
  assert.equal(strokeHit(line, 0.95, 0.5, 0.03), false); // past the end
  const dot: Stroke = { points: [[0.3, 0.3]], width: 0.01 };
  assert.equal(strokeHit(dot, 0.31, 0.3, 0.01), true);
  assert.equal(strokeHit(dot, 0.4, 0.3, 0.01), false);
});

test('a fast eraser sweep still hits a thin stroke it crosses', () => {
  const vertical: Stroke = { points: [[0.5, 0.1], [0.5, 0.9]], width: 0.002 };
  const other: Stroke = { points: [[0.1, 0.95], [0.9, 0.95]], width: 0.002 };
  // From x=0.1 to x=0.9 in one move; endpoints are far from the vertical line.
  assert.deepEqual(strokesHitBySweep([other, vertical], 0.1, 0.5, 0.9, 0.5, 0.01), [1]);
});

test('parseStroke validates persisted data', () => {
  assert.deepEqual(parseStroke({ points: [[0.1, 0.2, 0.5]], width: 0.01 }), { points: [[0.1, 0.2, 0.5]], width: 0.01 });
  assert.equal(parseStroke({ points: [], width: 0.01 }), null);
  assert.equal(parseStroke({ points: [[0.1]], width: 0.01 }), null);
  assert.equal(parseStroke({ points: [[0.1, 0.2]], width: -1 }), null);
  assert.equal(parseStroke({ points: [['a', 0.2]], width: 0.01 }), null);
});
