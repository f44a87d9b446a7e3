/** The per-provider benchmark's options and its section of docs/BENCHMARKS.md (kept across runs). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseArgs } from '../../bench/run';
import { existingProvidersSection, parseProviders, providersSection, writeProvidersSection } from '../../bench/providers';

test('--providers takes a list of provider settings', () => {
  assert.deepEqual(parseProviders('cuda, webgpu,cpu'), ['cuda', 'webgpu', 'cpu']);
  assert.throws(() => parseProviders('cuda,tpu'), /unknown provider "tpu"/);
  assert.throws(() => parseProviders(','), /needs a list/);
  assert.deepEqual(parseArgs(['--providers', 'webgpu,cpu', '--skip-quality', '--skip-perf']).providers, ['webgpu', 'cpu']);
  assert.equal(parseArgs([]).providers, undefined);
});

test('the section says "not measured yet" until a GPU provider has numbers, and is replaced in place', () => {
  assert.match(providersSection(undefined), /not measured yet/);
  const cpuOnly = providersSection([{ provider: 'cpu', note: 'using CPU', available: true, image_per_s: 90, batch: 16, image_batch_ms_p50: 170, sketch_ms_p50: 5, max_cosine_distance_vs_cpu: 0, session_ms: 100 },
    { provider: 'webgpu', note: 'WebGPU not available (no GPU adapter found), using CPU', available: false }]);
  assert.match(cpuOnly, /not measured yet/);
  assert.match(cpuOnly, /\| webgpu \| not available \|/);
  const gpu = providersSection([{ provider: 'cuda', note: 'using CUDA', available: true, image_per_s: 2000, batch: 16, image_batch_ms_p50: 8, sketch_ms_p50: 1, max_cosine_distance_vs_cpu: 1e-6, session_ms: 900 }], 'NVIDIA H200', '2026-12-01');
  assert.doesNotMatch(gpu, /not measured yet/);
  assert.match(gpu, /\| cuda \| 2000 \(16\) \|/);

  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sks-bp-')), 'BENCHMARKS.md');
  fs.writeFileSync(file, '# Benchmarks\n\nother text\n');
  writeProvidersSection(file, providersSection(undefined));
  writeProvidersSection(file, gpu);
  const text = fs.readFileSync(file, 'utf8');
  assert.equal(text.split('providers:begin').length, 2, 'one section, replaced');
  assert.ok(text.startsWith('# Benchmarks\n\nother text\n'));
  assert.equal(existingProvidersSection(file), gpu);
});
