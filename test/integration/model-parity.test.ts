/**
 * Parity: the shipped ONNX encoders (models/*.onnx via onnxruntime-node) vs the committed PyTorch
 * student weights (models/student.pt, loaded by training/sketchsearch in /usr/bin/python3) on the
 * same fixed input tensors. Asserts cosine >= 0.999 per row, L2-normalised outputs and model.json.
 * Run: node --import tsx --test test/integration/model-parity.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';

const ROOT = path.resolve(__dirname, '..', '..');
const MODELS = process.env.SKETCHSEARCH_MODELS ?? path.join(ROOT, 'models');
const PY = process.env.SKETCHSEARCH_PYTHON ?? '/usr/bin/python3';
const S = 128;

function readF32(file: string): Float32Array {
  const b = fs.readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

const modelJson = JSON.parse(fs.readFileSync(path.join(MODELS, 'model.json'), 'utf8'));

test('model.json follows the contract', () => {
  assert.equal(typeof modelJson.id, 'string');
  assert.ok(modelJson.id.length > 0);
  assert.equal(modelJson.inputSize, 128);
  assert.equal(modelJson.preprocessVersion, 1);
  assert.equal(modelJson.inputName, 'input');
  assert.equal(modelJson.outputName, 'embedding');
  assert.ok(Number.isInteger(modelJson.dim) && modelJson.dim > 0 && modelJson.dim <= 512);
  const total = ['sketch', 'image'].reduce((s, k) => s + fs.statSync(path.join(MODELS, modelJson[k])).size, 0);
  assert.ok(total <= 20 * 1024 * 1024, `encoders are ${total} bytes`);
});

test('ONNX encoders match the PyTorch student (cosine >= 0.999 per row)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'model-parity-'));
  try {
    const r = spawnSync(PY, ['-m', 'sketchsearch.parity_cli', path.join(MODELS, 'student.pt'), dir], {
      cwd: path.join(ROOT, 'training'), encoding: 'utf8',
    });
    assert.equal(r.status, 0, `python failed: ${r.stderr}`);
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'));
    const n: number = meta.n;
    const D: number = meta.dim;
    assert.equal(D, modelJson.dim);
    const inputs = readF32(path.join(dir, 'inputs.f32'));
    assert.equal(inputs.length, n * 3 * S * S);
    for (const kind of ['sketch', 'image'] as const) {
      const ref = readF32(path.join(dir, `${kind}.f32`));
      const session = await ort.InferenceSession.create(path.join(MODELS, modelJson[kind]));
      assert.deepEqual(session.inputNames, ['input']);
      assert.deepEqual(session.outputNames, ['embedding']);
      // run as two batches of different sizes to exercise the dynamic batch axis
      const split = 3;
      const outs: Float32Array[] = [];
      for (const [a, b] of [[0, split], [split, n]]) {
        const x = new ort.Tensor('float32', inputs.slice(a * 3 * S * S, b * 3 * S * S), [b - a, 3, S, S]);
        const o = (await session.run({ input: x })).embedding;
        assert.deepEqual(o.dims, [b - a, D]);
        outs.push(o.data as Float32Array);
      }
      const got = new Float32Array(n * D);
      got.set(outs[0], 0); got.set(outs[1], outs[0].length);
      for (let i = 0; i < n; i++) {
        let dot = 0, na = 0, nb = 0;
        for (let k = 0; k < D; k++) {
          const u = got[i * D + k], v = ref[i * D + k];
          dot += u * v; na += u * u; nb += v * v;
        }
        const cos = dot / Math.sqrt(na * nb);
        assert.ok(cos >= 0.999, `${kind} row ${i}: cosine ${cos}`);
        assert.ok(Math.abs(Math.sqrt(na) - 1) < 1e-3, `${kind} row ${i}: norm ${Math.sqrt(na)}`);
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
