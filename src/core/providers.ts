/**
 * Which onnxruntime execution providers to try, in which order: a pure function of the setting,
 * the platform, the files beside onnxruntime's binding and the WebGPU probe's result, so the
 * decision is unit-tested without a GPU. The encoder (encoder.ts) walks the order and reports the
 * outcome in one plain line (providerSummary).
 *
 *   auto on Linux:   CUDA (only if its provider libraries were installed beside onnxruntime)
 *                    -> WebGPU (bundled; only if the probe ran a tiny graph) -> CPU
 *   auto on Windows: DirectML -> CPU        auto on macOS: CoreML -> CPU
 *   an explicit provider: that one -> CPU (with the same CUDA library and WebGPU probe checks)
 */
import type { ProviderSetting } from './encoder';
import { stripAnsi } from './logLines';

export type Provider = Exclude<ProviderSetting, 'auto'>;
export type Availability = { ok: true } | { ok: false; reason: string };

/** Without these two, onnxruntime cannot load the CUDA provider (and prints a red FAIL trying). */
export const CUDA_LIBRARIES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'];
const CUDA_LIBRARIES_WIN = ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll'];

export const PROVIDER_LABEL: Record<Provider, string> = { cpu: 'CPU', cuda: 'CUDA', dml: 'DirectML', coreml: 'CoreML', webgpu: 'WebGPU' };

export interface ProviderFacts {
  platform: NodeJS.Platform;
  /** File names in onnxruntime-node's binding folder (ortBinaryFiles()). */
  binaryFiles: readonly string[];
  /** The WebGPU probe's result; undefined while not probed yet (WebGPU is then still a candidate). */
  webgpu?: Availability;
}

export interface ProviderPlan {
  /** Providers to try, in order; 'cpu' is always last. */
  order: Provider[];
  /** Providers left out before trying, and why (plain words). */
  skipped: { provider: Provider; reason: string }[];
}

export function providerOrder(setting: ProviderSetting, facts: ProviderFacts): ProviderPlan {
  const wanted: Provider[] = setting !== 'auto' ? [setting]
    : facts.platform === 'win32' ? ['dml']
      : facts.platform === 'darwin' ? ['coreml']
        : facts.platform === 'linux' ? ['cuda', 'webgpu']
          : [];
  const order: Provider[] = [];
  const skipped: ProviderPlan['skipped'] = [];
  for (const p of wanted) {
    if (p === 'cpu') continue;
    if (p === 'cuda') {
      const needed = facts.platform === 'win32' ? CUDA_LIBRARIES_WIN : CUDA_LIBRARIES;
      const missing = needed.filter((f) => !facts.binaryFiles.includes(f));
      if (missing.length > 0) { skipped.push({ provider: p, reason: missing.length === needed.length ? 'its provider libraries are not installed' : `${missing.join(', ')} is missing beside onnxruntime` }); continue; }
    }
    if (p === 'webgpu' && facts.webgpu && !facts.webgpu.ok) { skipped.push({ provider: p, reason: facts.webgpu.reason }); continue; }
    order.push(p);
  }
  order.push('cpu');
  return { order, skipped };
}

/**
 * The one line that says which provider runs the model and why the ones before it did not, e.g.
 * "CUDA not available (its provider libraries are not installed), WebGPU not available (no GPU
 * adapter found), using CPU".
 */
export function providerSummary(used: Provider, notUsed: { provider: Provider; reason: string }[]): string {
  const why = notUsed.map((n) => `${PROVIDER_LABEL[n.provider]} not available (${n.reason})`);
  return [...why, `using ${PROVIDER_LABEL[used]}`].join(', ');
}

/**
 * A provider failure from onnxruntime (one long line with source locations and C++ signatures)
 * as a short reason a user can act on.
 */
export function plainProviderError(message: string): string {
  const text = stripAnsi(message);
  const lib = /([\w.+-]+\.so(?:\.\d+)*): cannot open shared object file/.exec(text);
  if (lib) return `${lib[1]} not found`;
  if (/No supported adapters|Failed to get a WebGPU adapter/i.test(text)) return 'no GPU adapter found';
  let line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? 'unknown error';
  line = line.replace(/^.*\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/, '');
  line = line.replace(/^.*\bwas false\.\s*/, '');
  line = line.replace(/^\S+\.(?:cc|cpp|h):\d+\s+/, '');
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
