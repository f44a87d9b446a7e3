/**
 * Does onnxruntime's bundled WebGPU provider really run here? Creating a WebGPU session can fail
 * (no adapter, no Vulkan driver), and on a broken driver it could hang or crash, so before the
 * real model goes to WebGPU a tiny MatMul graph (onnxGraph.matMulModel) is run and its result
 * checked. The result is cached for the life of the process.
 *
 * onnxruntime-node creates sessions synchronously, so an in-process timeout cannot interrupt a
 * hanging driver: the encoder worker probes in a short-lived child process instead
 * (probeWebGpuInChild), which a timeout can kill. probeWebGpuInProcess is what that child (and
 * in-process users such as the benchmarks) run.
 */
import { fork } from 'child_process';
import { matMulModel } from './onnxGraph';
import { loadOnnxRuntime } from './ort';
import { plainProviderError, type Availability } from './providers';

export const PROBE_ENV = 'SKETCH_SEARCH_PROBE';
export const PROBE_TIMEOUT_MS = 20_000;

const A = [1, 2, 3, 4, 5, 6];
const B = [1, 0, 0, 1, 1, 1];
const EXPECTED = [4, 5, 10, 11];

export async function probeWebGpuInProcess(timeoutMs = PROBE_TIMEOUT_MS): Promise<Availability> {
  const attempt = async (): Promise<Availability> => {
    const ort = await loadOnnxRuntime();
    const session = await ort.InferenceSession.create(matMulModel(), { executionProviders: ['webgpu'] });
    try {
      const out = await session.run({ A: new ort.Tensor('float32', Float32Array.from(A), [2, 3]), B: new ort.Tensor('float32', Float32Array.from(B), [3, 2]) });
      const y = Array.from(out.Y.data as Float32Array);
      return y.every((v, i) => Math.abs(v - EXPECTED[i]) < 1e-3) ? { ok: true } : { ok: false, reason: `the test graph gave wrong results (${y.join(', ')})` };
    } finally {
      await session.release();
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<Availability>((resolve) => { timer = setTimeout(() => resolve({ ok: false, reason: `the test graph did not finish within ${timeoutMs / 1000} s` }), timeoutMs); });
  try {
    return await Promise.race([attempt().catch((e: unknown) => ({ ok: false as const, reason: plainProviderError(e instanceof Error ? e.message : String(e)) })), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the probe in a child process started from `script` (the encoder worker's bundle, which
 * answers PROBE_ENV=webgpu by probing and exiting), with a short command line and no inherited
 * execArgv; kills it after timeoutMs. Its stderr (Dawn's driver warnings) is dropped: the reason
 * comes back as one plain line.
 */
export function probeWebGpuInChild(script: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<Availability> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (r: Availability) => { if (!settled) { settled = true; clearTimeout(timer); child.kill(); resolve(r); } };
    const child = fork(script, [], { execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'], env: { ...process.env, [PROBE_ENV]: 'webgpu' }, serialization: 'json' });
    const timer = setTimeout(() => done({ ok: false, reason: `the test graph did not finish within ${timeoutMs / 1000} s` }), timeoutMs);
    child.on('message', (m: Availability) => done(m && typeof m === 'object' && 'ok' in m ? m : { ok: false, reason: 'the probe sent an invalid answer' }));
    child.on('error', (e) => done({ ok: false, reason: `the probe could not start (${e.message})` }));
    child.on('exit', (code, signal) => done({ ok: false, reason: `the probe process exited (${signal ?? `code ${code}`})` }));
  });
}

/** In the child started by probeWebGpuInChild: probe, answer, exit. Returns false in any other process. */
export function runProbeIfAsked(): boolean {
  if (process.env[PROBE_ENV] !== 'webgpu') return false;
  void probeWebGpuInProcess().then((r) => process.send?.(r, () => process.exit(0)));
  return true;
}

/** Per-process cache around a probe function. */
export function cachedProbe(probe: () => Promise<Availability>): () => Promise<Availability> {
  let result: Promise<Availability> | undefined;
  return () => (result ??= probe());
}
