/**
 * Execution-provider choice (a pure function of setting, platform, the files beside onnxruntime's
 * binding and the WebGPU probe), the one plain line that reports it, and what reaches the Output
 * channel from the worker's stderr (the real onnxruntime text captured on a machine without CUDA).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineBuffer, stripAnsi } from '../../src/core/logLines';
import { CUDA_LIBRARIES, plainProviderError, providerOrder, providerSummary } from '../../src/core/providers';
import { workerForkOptions } from '../../src/core/workerClient';

const BINDING = ['libonnxruntime.so.1', 'onnxruntime_binding.node'];
const WITH_CUDA = [...BINDING, ...CUDA_LIBRARIES];
const NO_ADAPTER = { ok: false as const, reason: 'no GPU adapter found' };

// Captured from onnxruntime-node 1.30.0 creating a session with executionProviders ['cuda'] (linux-x64, no CUDA libraries).
const ORT_CUDA_STDERR = '\u001b[1;31m2026-12-01 09:02:30.943188931 [E:onnxruntime:onnxruntime-node, provider_bridge_ort.cc:2146 Create] /onnxruntime_src/onnxruntime/core/session/provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError] : 1 : FAIL : Failed to load library /work/wt-cli/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_shared.so with error: /work/wt-cli/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime_providers_shared.so: cannot open shared object file: No such file or directory\n\u001b[m\n';
// The error thrown by the same attempt, and by a WebGPU session on a machine without a GPU adapter.
const ORT_CUDA_ERROR = 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library';
const ORT_WEBGPU_ERROR = '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters\n';

test('auto on Linux: CUDA only when its libraries are beside onnxruntime, then WebGPU, then CPU', () => {
  assert.deepEqual(providerOrder('auto', { platform: 'linux', binaryFiles: WITH_CUDA }).order, ['cuda', 'webgpu', 'cpu']);
  const noCuda = providerOrder('auto', { platform: 'linux', binaryFiles: BINDING });
  assert.deepEqual(noCuda.order, ['webgpu', 'cpu']);
  assert.equal(noCuda.skipped.length, 1);
  assert.equal(noCuda.skipped[0].provider, 'cuda');
  assert.equal(noCuda.skipped[0].reason, 'its provider libraries are not installed');
  // Only the shared library missing: still not tried (loading it is what prints the red FAIL).
  const half = providerOrder('auto', { platform: 'linux', binaryFiles: [...BINDING, 'libonnxruntime_providers_cuda.so'] });
  assert.deepEqual(half.order, ['webgpu', 'cpu']);
  assert.equal(half.skipped[0].reason, 'libonnxruntime_providers_shared.so is missing beside onnxruntime');
});

test('the WebGPU probe result decides whether WebGPU is tried', () => {
  assert.deepEqual(providerOrder('auto', { platform: 'linux', binaryFiles: BINDING, webgpu: { ok: true } }).order, ['webgpu', 'cpu']);
  const failed = providerOrder('auto', { platform: 'linux', binaryFiles: WITH_CUDA, webgpu: NO_ADAPTER });
  assert.deepEqual(failed.order, ['cuda', 'cpu']);
  assert.deepEqual(failed.skipped, [{ provider: 'webgpu', reason: NO_ADAPTER.reason }]);
  assert.deepEqual(providerOrder('auto', { platform: 'linux', binaryFiles: BINDING, webgpu: NO_ADAPTER }).order, ['cpu']);
});

test('auto on Windows and macOS: the platform provider, then CPU, without CUDA or WebGPU', () => {
  assert.deepEqual(providerOrder('auto', { platform: 'win32', binaryFiles: WITH_CUDA, webgpu: { ok: true } }), { order: ['dml', 'cpu'], skipped: [] });
  assert.deepEqual(providerOrder('auto', { platform: 'darwin', binaryFiles: [], webgpu: { ok: true } }), { order: ['coreml', 'cpu'], skipped: [] });
  assert.deepEqual(providerOrder('auto', { platform: 'freebsd', binaryFiles: [] }).order, ['cpu']);
});

test('an explicit provider: that one then CPU, with the same checks', () => {
  assert.deepEqual(providerOrder('cpu', { platform: 'linux', binaryFiles: WITH_CUDA }), { order: ['cpu'], skipped: [] });
  assert.deepEqual(providerOrder('cuda', { platform: 'linux', binaryFiles: WITH_CUDA }).order, ['cuda', 'cpu']);
  assert.deepEqual(providerOrder('cuda', { platform: 'linux', binaryFiles: BINDING }).order, ['cpu']);
  assert.deepEqual(providerOrder('webgpu', { platform: 'win32', binaryFiles: [] }).order, ['webgpu', 'cpu']);
  assert.deepEqual(providerOrder('webgpu', { platform: 'linux', binaryFiles: [], webgpu: NO_ADAPTER }).order, ['cpu']);
  assert.deepEqual(providerOrder('dml', { platform: 'win32', binaryFiles: [] }).order, ['dml', 'cpu']);
  // Windows names its provider libraries .dll.
  assert.deepEqual(providerOrder('cuda', { platform: 'win32', binaryFiles: ['onnxruntime_providers_cuda.dll', 'onnxruntime_providers_shared.dll'] }).order, ['cuda', 'cpu']);
  assert.deepEqual(providerOrder('cuda', { platform: 'win32', binaryFiles: WITH_CUDA }).order, ['cpu']);
});

test('the outcome is one plain line', () => {
  const plan = providerOrder('auto', { platform: 'linux', binaryFiles: BINDING, webgpu: NO_ADAPTER });
  const line = providerSummary('cpu', plan.skipped);
  assert.equal(line, 'CUDA not available (its provider libraries are not installed), WebGPU not available (no GPU adapter found), using CPU');
  assert.doesNotMatch(line, /\n|\x1b/);
  assert.equal(providerSummary('cuda', []), 'using CUDA');
});

test('onnxruntime errors become short reasons', () => {
  assert.equal(plainProviderError(ORT_WEBGPU_ERROR), 'no GPU adapter found');
  assert.equal(plainProviderError(ORT_CUDA_STDERR), 'libonnxruntime_providers_shared.so not found');
  assert.equal(plainProviderError(ORT_CUDA_ERROR), ORT_CUDA_ERROR);
  assert.equal(plainProviderError('Failed to load library libonnxruntime_providers_cuda.so with error: libcublasLt.so.12: cannot open shared object file: No such file or directory'), 'libcublasLt.so.12 not found');
  assert.equal(plainProviderError('x.cc:12 f() [ONNXRuntimeError] : 6 : RUNTIME_EXCEPTION : CUDA failure 100: no CUDA-capable device is detected'), 'CUDA failure 100: no CUDA-capable device is detected');
  assert.ok(plainProviderError('e'.repeat(500)).length <= 160);
});

test('worker stderr reaches the log as plain whole lines: no escape codes, no blank lines, chunks joined', () => {
  assert.equal(stripAnsi('\u001b[1;31mred\u001b[m \u001b]0;title\u0007plain'), 'red plain');
  const lines: string[] = [];
  const buf = new LineBuffer((l) => lines.push(l));
  // The real text, split mid-line and mid-escape the way a pipe may deliver it.
  buf.push(ORT_CUDA_STDERR.slice(0, 3));
  buf.push(ORT_CUDA_STDERR.slice(3, 200));
  buf.push(ORT_CUDA_STDERR.slice(200));
  buf.push('Warning: Couldn\'t load Vulkan\r\n\r\npartial');
  buf.flush();
  assert.equal(lines.length, 3, lines.join('\n'));
  assert.ok(lines[0].startsWith('2026-12-01 09:02:30.943188931 [E:onnxruntime'));
  assert.ok(lines[0].endsWith('No such file or directory'));
  assert.deepEqual(lines.slice(1), ['Warning: Couldn\'t load Vulkan', 'partial']);
  for (const l of lines) assert.doesNotMatch(l, /\x1b|\[1;31m|\[m/);
});

test('the worker is forked with no arguments and none of the parent\'s execArgv; telemetry off unless chosen', () => {
  const { args, options } = workerForkOptions({ PATH: '/bin' }, { EXTRA: '1' });
  assert.deepEqual(args, []);
  assert.deepEqual(options.execArgv, []);
  assert.equal(options.env?.ORT_DISABLE_TELEMETRY, '1');
  assert.equal(options.env?.EXTRA, '1');
  assert.equal(workerForkOptions({ ORT_DISABLE_TELEMETRY: '0' }).options.env?.ORT_DISABLE_TELEMETRY, '0');
});
