/**
 * Encode throughput per execution provider, through the product's Embedder (same provider
 * selection, same sessions):  npm run bench -- --providers cuda,webgpu,cpu [--skip-quality --skip-perf]
 *
 * Per provider: time to create the sessions, image-encoder throughput at the indexing batch size
 * (images/s, encoder only: decoding is CPU work whatever the provider), sketch-encoder latency at
 * batch 1 (what a stroke costs), and the largest cosine distance to the CPU's embeddings of the
 * same inputs (a GPU provider computing in lower precision shows here). A provider that is not
 * available is recorded with the encoder's one-line reason instead of numbers.
 */
import * as fs from 'fs';
import { Embedder } from '../src/core/embedder';
import type { ProviderSetting } from '../src/core/encoder';
import { mulberry32, quantile } from './lib/metrics';

export const PROVIDER_SETTINGS: ProviderSetting[] = ['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'];

export interface ProviderFigures {
  provider: string;
  /** The encoder's own line: which provider runs and why others did not. */
  note: string;
  available: boolean;
  session_ms?: number;
  batch?: number;
  image_per_s?: number;
  image_batch_ms_p50?: number;
  sketch_ms_p50?: number;
  max_cosine_distance_vs_cpu?: number;
}

export interface ProviderBenchOptions {
  modelDir: string;
  providers: ProviderSetting[];
  batch?: number;
  batches?: number;
  sketchReps?: number;
  seed?: number;
  log: (s: string) => void;
}

export function parseProviders(list: string): ProviderSetting[] {
  const out = list.split(',').map((p) => p.trim()).filter(Boolean);
  for (const p of out) if (!PROVIDER_SETTINGS.includes(p as ProviderSetting)) throw new Error(`--providers: unknown provider "${p}" (one of ${PROVIDER_SETTINGS.join(', ')})`);
  if (out.length === 0) throw new Error('--providers needs a list, e.g. cuda,webgpu,cpu');
  return out as ProviderSetting[];
}

function tensors(n: number, size: number, rnd: () => number): Float32Array[] {
  return Array.from({ length: n }, () => Float32Array.from({ length: 3 * size * size }, () => rnd() * 2 - 1));
}

function cosineDistance(a: Float32Array, b: Float32Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += a[i] * b[i];
  return 1 - d; // both L2-normalised
}

export async function runProviders(o: ProviderBenchOptions): Promise<ProviderFigures[]> {
  const batch = o.batch ?? 16, batches = o.batches ?? 20, sketchReps = o.sketchReps ?? 30;
  const rnd = mulberry32(o.seed ?? 1);
  const ref = await Embedder.create(o.modelDir, { provider: 'cpu' });
  const size = ref.encoder.model.inputSize;
  const probe = tensors(4, size, rnd);
  const refImage = await ref.encoder.embed('image', probe);
  await ref.dispose();
  const input = tensors(batch, size, rnd);
  const out: ProviderFigures[] = [];
  for (const provider of o.providers) {
    const t0 = performance.now();
    const emb = await Embedder.create(o.modelDir, { provider });
    const session_ms = Math.round(performance.now() - t0);
    const available = provider === 'auto' || emb.provider === provider;
    const fig: ProviderFigures = { provider: provider === 'auto' ? `auto (${emb.provider})` : provider, note: emb.providerNote, available };
    if (!available) {
      o.log(`  ${provider}: not available: ${emb.providerNote}`);
      out.push(fig);
      await emb.dispose();
      continue;
    }
    for (let i = 0; i < 2; i++) await emb.encoder.embed('image', input); // warm-up (kernel compilation on GPUs)
    const times: number[] = [];
    for (let i = 0; i < batches; i++) {
      const a = performance.now();
      await emb.encoder.embed('image', input);
      times.push(performance.now() - a);
    }
    const sk: number[] = [];
    await emb.embedSketchTensors([input[0]]);
    for (let i = 0; i < sketchReps; i++) {
      const a = performance.now();
      await emb.embedSketchTensors([input[i % batch]]);
      sk.push(performance.now() - a);
    }
    const got = await emb.encoder.embed('image', probe);
    const total = times.reduce((s, x) => s + x, 0);
    Object.assign(fig, {
      session_ms, batch,
      image_per_s: Math.round((batch * batches * 1000) / total),
      image_batch_ms_p50: Math.round(quantile(times, 0.5) * 10) / 10,
      sketch_ms_p50: Math.round(quantile(sk, 0.5) * 100) / 100,
      max_cosine_distance_vs_cpu: Number(Math.max(...got.map((v, i) => cosineDistance(v, refImage[i]))).toExponential(2)),
    });
    o.log(`  ${fig.provider}: ${fig.image_per_s} images/s (batch ${batch}, p50 ${fig.image_batch_ms_p50} ms), sketch ${fig.sketch_ms_p50} ms, max cosine distance to CPU ${fig.max_cosine_distance_vs_cpu}, sessions ${session_ms} ms`);
    out.push(fig);
    await emb.dispose();
  }
  return out;
}

const BEGIN = '<!-- providers:begin (bench/providers.ts; npm run bench -- --providers ...) -->';
const END = '<!-- providers:end -->';

/** Markdown for docs/BENCHMARKS.md: the measured table, or what is not measured yet and how to measure it. */
export function providersSection(figs: ProviderFigures[] | undefined, machine?: string, date?: string): string {
  const L = [BEGIN, '## Encode throughput per execution provider', ''];
  if (!figs?.some((f) => f.available && f.provider !== 'cpu')) {
    L.push('Per-provider GPU throughput is **not measured yet**: no GPU machine has been lent to a benchmark run so far.',
      'On a machine with a GPU, `npm run bench -- --providers cuda,webgpu,cpu --skip-quality --skip-perf` measures it and fills this section.', '');
  }
  if (figs?.length) {
    if (machine || date) L.push(`Measured ${date ?? ''}${machine ? ` on ${machine}` : ''}.`, '');
    L.push('| provider | images/s (encoder, batch) | batch p50 ms | sketch p50 ms | max cosine distance vs CPU | sessions ms | note |', '|---|---|---|---|---|---|---|');
    for (const f of figs) {
      L.push(f.available
        ? `| ${f.provider} | ${f.image_per_s} (${f.batch}) | ${f.image_batch_ms_p50} | ${f.sketch_ms_p50} | ${f.max_cosine_distance_vs_cpu} | ${f.session_ms} | ${f.note} |`
        : `| ${f.provider} | not available | - | - | - | - | ${f.note} |`);
    }
    L.push('');
  }
  L.push(END);
  return L.join('\n');
}

/** The section as it stands in an existing BENCHMARKS.md (kept across full runs that do not measure providers). */
export function existingProvidersSection(file: string): string | undefined {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const a = text.indexOf(BEGIN), b = text.indexOf(END);
  return a >= 0 && b > a ? text.slice(a, b + END.length) : undefined;
}

/** Replace (or append) the section in BENCHMARKS.md. */
export function writeProvidersSection(file: string, section: string): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const old = existingProvidersSection(file);
  fs.writeFileSync(file, old ? text.replace(old, section) : `${text.trimEnd()}\n\n${section}\n`);
}
