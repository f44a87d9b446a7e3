import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { quantizeMatrix } from '../../src/core/quantize';
import { jsTopK, OrtTopK } from '../../src/core/topkEngine';
import { topKDot } from '../../src/core/vectorIndex';

test('onnxruntime top-k returns exactly what the JavaScript search returns', async () => {
  const ort = await OrtTopK.create(path.join(__dirname, '..', '..', 'models', 'topk.onnx'));
  let seed = 3;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  // The last case has only positive components: large same-sign products, where an int16 pair sum
  // in the CPU kernel (AVX2 without VNNI) would saturate if queries used all 8 bits.
  for (const [rows, dim, k, positive] of [[1, 8, 5, 0], [100, 16, 10, 0], [5000, 64, 60, 0], [3000, 256, 3000, 0], [2000, 256, 200, 1]]) {
    const data = new Float32Array(rows * dim).map(() => (positive ? 0.5 + rnd() : rnd()));
    const { codes, scales } = quantizeMatrix(data, rows, dim);
    // Capacity larger than rows, as VectorMatrix allocates: only the first rows count.
    const big = new Uint8Array((rows + 7) * dim); big.set(codes);
    const bigS = new Float32Array(rows + 7); bigS.set(scales);
    const m = { codes: big, scales: bigS, rows, dim };
    const q = new Float32Array(dim).map(() => (positive ? 0.5 + rnd() : rnd()));
    const a = await jsTopK.topK(m, q, k);
    const b = await ort.topK(m, q, k);
    assert.equal(b.length, Math.min(k, rows));
    assert.deepEqual(b.map((h) => h.row), a.map((h) => h.row), `rows ${rows} dim ${dim} k ${k}`);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i].score - b[i].score) < 1e-4);
    // Quantisation barely changes scores or the ranking against float32.
    const exact = topKDot(data, rows, dim, q, Math.min(k, 50));
    const mine = new Set(b.slice(0, exact.length).map((h) => h.row));
    const overlap = exact.filter((h) => mine.has(h.row)).length / exact.length;
    assert.ok(overlap >= 0.9, `top-${exact.length} overlap with float32 ${overlap}`);
  }
  assert.deepEqual(await ort.topK({ codes: new Uint8Array(0), scales: new Float32Array(0), rows: 0, dim: 4 }, new Float32Array(4), 5), []);
  await ort.dispose();
});
