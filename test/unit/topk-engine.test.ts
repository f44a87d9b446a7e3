import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { jsTopK, OrtTopK } from '../../src/extension/core/topkEngine';

test('onnxruntime top-k returns exactly what the JavaScript search returns', async () => {
  const ort = await OrtTopK.create(path.join(__dirname, '..', '..', 'models', 'topk.onnx'));
  let seed = 3;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  for (const [rows, dim, k] of [[1, 8, 5], [100, 16, 10], [5000, 64, 60], [3000, 128, 3000]]) {
    // Capacity larger than rows, as VectorMatrix allocates: only the first rows count.
    const data = new Float32Array((rows + 7) * dim).map(rnd);
    const q = new Float32Array(dim).map(rnd);
    const a = await jsTopK.topK(data, rows, dim, q, k);
    const b = await ort.topK(data, rows, dim, q, k);
    assert.equal(b.length, Math.min(k, rows));
    assert.deepEqual(b.map((h) => h.row), a.map((h) => h.row), `rows ${rows} dim ${dim} k ${k}`);
    for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i].score - b[i].score) < 1e-4);
  }
  assert.deepEqual(await ort.topK(new Float32Array(0), 0, 4, new Float32Array(4), 5), []);
  await ort.dispose();
});
