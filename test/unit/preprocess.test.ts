import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  INPUT_SIZE, inkToTensor, l2normalize, quickDrawToStrokes, rasterizeStrokes, rgbToTensor, sketchTensor, SKETCH_MARGIN,
} from '../../src/core/preprocess';

const S = INPUT_SIZE;
const at = (ink: Float32Array, x: number, y: number) => ink[y * S + x];

test('empty or non-finite input gives a blank raster', () => {
  assert.equal(rasterizeStrokes([]).reduce((a, b) => a + b, 0), 0);
  assert.equal(rasterizeStrokes([[], [[NaN, 1]], [[Infinity, 2]]]).reduce((a, b) => a + b, 0), 0);
});

test('a horizontal line is fitted into the margins and centred vertically', () => {
  const ink = rasterizeStrokes([[[0, 0], [10, 0]]]);
  const mid = S / 2;
  // Full ink along the centre row from the left margin to the right margin.
  assert.equal(at(ink, SKETCH_MARGIN + 1, mid), 1);
  assert.equal(at(ink, S - SKETCH_MARGIN - 2, mid), 1);
  // Nothing far from the line or outside the margins.
  assert.equal(at(ink, mid, 10), 0);
  assert.equal(at(ink, 2, mid), 0);
  assert.equal(at(ink, S - 3, mid), 0);
});

test('geometry is invariant to translation and uniform scale', () => {
  const a = rasterizeStrokes([[[0, 0], [30, 40], [60, 10]], [[5, 50]]]);
  const b = rasterizeStrokes([[[100, 200], [100 + 90, 200 + 120], [100 + 180, 200 + 30]], [[100 + 15, 200 + 150]]]);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  assert.ok(maxDiff < 1e-5, `max diff ${maxDiff}`);
});

test('a single point becomes a dot in the centre', () => {
  const ink = rasterizeStrokes([[[7, 7]]]);
  assert.equal(at(ink, S / 2, S / 2), 1);
  assert.equal(at(ink, S / 2 + 4, S / 2), 0);
});

test('tensor: white paper is +1 and ink -1 on all three channels', () => {
  const t = sketchTensor([[[0, 0], [10, 0]]]);
  assert.equal(t.length, 3 * S * S);
  assert.equal(t[0], 1);
  const k = (S / 2) * S + S / 2;
  assert.equal(t[k], -1);
  assert.equal(t[S * S + k], -1);
  assert.equal(t[2 * S * S + k], -1);
  assert.deepEqual(Array.from(inkToTensor(new Float32Array([0, 0.5, 1]))), [1, 0, -1, 1, 0, -1, 1, 0, -1]);
});

test('rgbToTensor maps bytes to [-1, 1] planes and rejects wrong sizes', () => {
  const rgb = new Uint8Array([0, 255, 51, 255, 0, 0]);
  assert.throws(() => rgbToTensor(rgb, 1), /expected 3 RGB bytes/);
  const one = rgbToTensor(new Uint8Array([0, 255, 51]), 1);
  assert.deepEqual(Array.from(one).map((v) => +v.toFixed(3)), [-1, 1, -0.6]);
});

test('QuickDraw strokes convert to point lists', () => {
  assert.deepEqual(quickDrawToStrokes([[[1, 2, 3], [4, 5, 6]], [[7], [8]]]), [[[1, 4], [2, 5], [3, 6]], [[7, 8]]]);
});

test('l2normalize', () => {
  assert.deepEqual(Array.from(l2normalize(new Float32Array([3, 4]))), [0.6000000238418579, 0.800000011920929]);
  assert.deepEqual(Array.from(l2normalize(new Float32Array([0, 0]))), [0, 0]);
});
