/**
 * The encoder worker process: real onnxruntime + sharp in a child process, crash isolation and
 * restart. Uses the shipped model (models/), or SKETCH_SEARCH_MODEL_DIR.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { FolderIndex } from '../../src/core/folderIndex';
import { PREPROCESS_VERSION } from '../../src/core/preprocess';
import { CrashIsolatingFileEncoder, EncoderWorkerClient } from '../../src/core/workerClient';
import { MODEL_DIR, REPO, svgShape } from '../helpers/standinModel';

const modelDir = process.env.SKETCH_SEARCH_MODEL_DIR ?? MODEL_DIR;
const workerScript = path.join(REPO, 'dist', 'encoderWorker.js');
let client: EncoderWorkerClient;
const logs: string[] = [];

before(() => {
  execFileSync(process.execPath, [path.join(REPO, 'esbuild.mjs')], { cwd: REPO, stdio: 'ignore' });
  client = new EncoderWorkerClient({ workerScript, modelDir, provider: 'auto', log: (l) => logs.push(l), env: { SKETCH_SEARCH_TEST_CRASH_MARKER: 'CRASHME' } });
});
after(() => client.dispose());

test('auto provider falls back to CPU here and says why in one plain line', async () => {
  await client.start();
  assert.equal(client.provider, 'cpu');
  assert.ok(client.dim > 0 && client.dim <= 512);
  // Linux without CUDA libraries and without a GPU adapter: CUDA is not even tried, the WebGPU probe fails, CPU runs.
  const summary = logs.filter((l) => l.startsWith('encoder: '));
  assert.deepEqual(summary, [`encoder: ${client.providerNote}`], logs.join('\n'));
  assert.match(client.providerNote, /^CUDA not available \(its provider libraries are not installed\), WebGPU not available \(.+\), using CPU$/);
  // Nothing of onnxruntime's own red FAIL output, and no escape codes, reaches the log.
  assert.ok(!logs.some((l) => /FAIL|Failed to load library|\x1b/.test(l)), logs.join('\n'));
});

test('the worker runs with a short command line: no arguments, none of this process\'s execArgv', { skip: process.platform !== 'linux' }, async () => {
  await client.start();
  assert.ok(process.execArgv.length > 0, 'the test runner itself runs with execArgv (--import tsx ...)');
  const pid = (client as unknown as { child: { pid: number } }).child.pid;
  const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  assert.deepEqual(argv.slice(1), [workerScript]);
});

test('embeds strokes and files; bad files fail alone', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-w-'));
  fs.writeFileSync(path.join(dir, 'circle.svg'), svgShape('circle'));
  fs.writeFileSync(path.join(dir, 'broken.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
  const res = await client.embedFiles([path.join(dir, 'circle.svg'), path.join(dir, 'broken.png'), path.join(dir, 'missing.png')]);
  assert.equal(res[0].ok, true);
  assert.equal(res[1].ok, false);
  assert.equal(res[2].ok, false);
  if (res[2].ok === false) assert.match(res[2].error, /no longer exists/);
  const v = await client.embedStrokes([[[0, 0], [10, 10]]]);
  assert.equal(v.length, client.dim);
  const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-4);
});

test('a file that kills the worker is quarantined; the rest of the batch and later work go on', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-c-'));
  for (const s of ['circle', 'square', 'triangle'] as const) fs.writeFileSync(path.join(dir, `${s}.svg`), svgShape(s));
  fs.writeFileSync(path.join(dir, 'CRASHME.svg'), svgShape('line'));
  const enc = new CrashIsolatingFileEncoder(client, () => ({}), (l) => logs.push(l));
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sks-s-')), 'i.sksidx');
  const ix = new FolderIndex(dir, store, enc, { preprocessVersion: PREPROCESS_VERSION });
  const r = await ix.reconcile();
  assert.deepEqual(r, { added: 3, removed: 0, failed: 1 });
  assert.match(ix.skippedFiles[0].reason, /quarantined/);
  assert.ok(client.restarts >= 1, 'worker was restarted');
  const v = await client.embedStrokes([[[0, 0], [5, 5]]]);
  assert.equal(v.length, client.dim);
});
