/**
 * The in-process guard against onnxruntime-node 1.30's long-command-line segfault
 * (docs/onnxruntime-long-cmdline-segfault.md): whatever loads onnxruntime through
 * src/core/ort.ts (encoder, top-k engine, benchmarks) survives a 40,000-character argument.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { test } from 'node:test';
import { REPO } from '../helpers/standinModel';

test('loadOnnxRuntime() creates a session in a process with a 40,000-character command line', () => {
  // One line: the crash needs a long run of characters without a newline.
  const script = `require(${JSON.stringify(path.join(REPO, 'src', 'core', 'ort.ts'))}).loadOnnxRuntime()`
    + `.then((ort) => ort.InferenceSession.create(${JSON.stringify(path.join(REPO, 'models', 'topk.onnx'))}))`
    + `.then(() => console.log('session created'))`;
  const env = { ...process.env };
  delete env.ORT_DISABLE_TELEMETRY; // the loader's own default is what is tested
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, 'x'.repeat(40_000)], { cwd: REPO, env, encoding: 'utf8' });
  assert.equal(r.signal, null, `killed by ${r.signal} (the onnxruntime crash)`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /session created/);
});
