/**
 * The WebGPU probe's child process: a hanging GPU driver is killed after the timeout, a crashing
 * one is reported, an answer is passed on, and the result is cached for the process. (The probe
 * itself, on this machine without a GPU, is covered by test/integration/worker.test.ts.)
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { cachedProbe, probeWebGpuInChild } from '../../src/core/webgpuProbe';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-probe-'));
const script = (name: string, body: string) => { const f = path.join(dir, name); fs.writeFileSync(f, body); return f; };

test('a probe that hangs is killed after the timeout and reported in plain words', async () => {
  const hang = script('hang.js', 'setInterval(() => {}, 1000);');
  const t0 = Date.now();
  const r = await probeWebGpuInChild(hang, 800);
  assert.deepEqual(r, { ok: false, reason: 'the test graph did not finish within 0.8 s' });
  assert.ok(Date.now() - t0 < 5000);
});

test('a probe that crashes, and one that answers', async () => {
  assert.deepEqual(await probeWebGpuInChild(script('crash.js', 'process.kill(process.pid, "SIGSEGV");'), 10_000), { ok: false, reason: 'the probe process exited (SIGSEGV)' });
  assert.deepEqual(await probeWebGpuInChild(script('ok.js', 'process.send({ ok: true }, () => process.exit(0));'), 10_000), { ok: true });
  assert.deepEqual(await probeWebGpuInChild(script('env.js', 'process.send(process.env.SKETCH_SEARCH_PROBE === "webgpu" && process.execArgv.length === 0 ? { ok: true } : { ok: false, reason: "bad start" }, () => process.exit(0));'), 10_000), { ok: true });
});

test('the probe runs once per process', async () => {
  let runs = 0;
  const probe = cachedProbe(async () => { runs++; return { ok: false, reason: 'no GPU adapter found' }; });
  await Promise.all([probe(), probe()]);
  await probe();
  assert.equal(runs, 1);
});
