/**
 * Speed and scale benchmark, through the product code:
 *   query latency   strokes -> Embedder.embedStrokes (rasterise + sketch encoder) -> VectorMatrix.topK
 *                   (what FolderIndex.search runs) at 1k..1M indexed vectors (synthetic unit vectors of
 *                   the model's dimension), with the same queries timed against plain brute force
 *                   (all scores + full sort) as a ratio measured in the same run
 *   indexing        FolderIndex.reconcile on a fresh folder of SVG/PNG icons and of ~12 MP JPEG photos
 *                   (read, decode, resize, encode, store), images/s end to end
 *   index size      writeIndexFile of a 100k-entry index (realistic paths) -> bytes on disk
 *   ready time/RSS  a child process: import core, create the Embedder, FolderIndex.load of the 100k
 *                   index, first search -> ready; RSS before/after loading the index, peak RSS
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { execFileSync } from 'child_process';
import sharp from 'sharp';
import { Embedder } from '../src/core/embedder';
import { FolderIndex } from '../src/core/folderIndex';
import { EntryMeta, writeIndexFile } from '../src/core/indexStore';
import { PREPROCESS_VERSION, quickDrawToStrokes, rasterizeStrokes, Stroke } from '../src/core/preprocess';
import { VectorMatrix, Hit } from '../src/core/vectorIndex';
import { quantizeMatrix } from '../src/core/quantize';
import { jsTopK, OrtTopK, TopKEngine } from '../src/core/topkEngine';
import { Manifest, materialize } from './data/assemble';
import { mulberry32, quantile, sample } from './lib/metrics';

export interface PerfOptions {
  modelDir: string;
  data: string;
  shared: string;
  quick: boolean;
  seed: number;
  sizes: number[];
  icons: number;
  photos: number;
  /** Entries in the on-disk index for the size/ready/RSS measures (100k; smaller in --quick, scaled linearly). */
  readyEntries: number;
  /** Real image embeddings of the shipped model (the quality run's gallery) that seed the clustered vectors for the approximate index; embedded here when absent. */
  seedVectors?: Float32Array[];
  log: (s: string) => void;
}

interface AnnFigures { build_s: number; search_p50: number; search_p95: number; exact_search_p50: number; recall_at_50: number; self_check_recall_at_50: number; used: boolean; queries: number }

export interface PerfResult {
  query_ms: Record<string, {
    p50: number; p95: number; encode_p50: number; search_p50: number;
    js_topk_search_p50: number; bruteforce_search_p50: number;
    search_speedup_vs_bruteforce: number; search_speedup_vs_js_topk: number; reps: number;
  }>;
  search_engine: string;
  index_images_per_s: { icons: number; photos: number };
  index_detail: Record<string, { images: number; seconds: number; failed: number; avg_file_kb: number; runs_s?: number[] }>;
  rss_mb: number;
  rss_extra_mb_per_100k: number;
  index_mb_per_100k: number;
  ready_ms_100k: number;
  ready_detail: Record<string, number>;
  /** Both ONNX encoders on disk (what the VSIX carries), MB. */
  models_mb: number;
  /** Per index size: file size, ready time and RSS with that index on disk, and the approximate index. */
  scale: Record<string, {
    index_mb: number; ready_ms: number; rss_extra_mb: number;
    /** HNSW on vectors clustered around real embeddings (what a folder holds), and on i.i.d. random vectors (HNSW's worst case). */
    ann?: (AnnFigures & { seeds: number; random?: AnnFigures | { skipped: string } }) | { skipped: string };
  }>;
  gpu: string;
  provider: string;
  dim: number;
  notes: string[];
}

export const TOP_K = 60; // sketchSearch.maxResults default

/** Size of the model's two ONNX files (model.json names them), MB. */
export function modelsMb(modelDir: string): number {
  const mj = JSON.parse(fs.readFileSync(path.join(modelDir, 'model.json'), 'utf8')) as { sketch: string; image: string };
  return round((fs.statSync(path.join(modelDir, mj.sketch)).size + fs.statSync(path.join(modelDir, mj.image)).size) / 1e6, 1);
}

export async function runPerf(o: PerfOptions): Promise<PerfResult> {
  const notes: string[] = [];
  const emb = await Embedder.create(o.modelDir, { provider: 'cpu' });
  const dim = emb.dim;
  const rnd = mulberry32(o.seed);
  const queries = quickDrawQueries(o.shared, 40, o.seed);
  for (const q of queries.slice(0, 3)) await emb.embedStrokes(q); // warm-up
  // The engine the extension host uses (indexManager.topKEngine): models/topk.onnx on onnxruntime, else JS.
  const topkModel = path.join(path.resolve(__dirname, '..'), 'models', 'topk.onnx');
  let engine: TopKEngine = jsTopK;
  try { engine = await OrtTopK.create(topkModel); } catch (e) { notes.push(`shipped search engine unavailable (${(e as Error).message.split('\n')[0]}): timing the JavaScript fallback`); }

  // ---------- query latency ----------
  const query_ms: PerfResult['query_ms'] = {};
  const scaleBySize: PerfResult['scale'] = {};
  let int8Top1Diffs = 0; // float32 brute force vs the 8-bit index: different top-1 (near-ties on random vectors)
  const seeds = o.sizes.some((n) => n >= 10_000) ? o.seedVectors ?? await embedSeeds(o, emb) : [];
  for (const n of o.sizes) {
    const t0 = Date.now();
    const m = new VectorMatrix(dim, n);
    const rawF = new Float32Array(n * dim); // float32 copy for the brute-force baseline
    const v = new Float32Array(dim);
    for (let i = 0; i < n; i++) { randomUnit(v, rnd); m.push(v); rawF.set(v, i * dim); }
    const reps = o.quick ? 10 : n >= 1_000_000 ? 15 : 60;
    const total: number[] = [], enc: number[] = [], search: number[] = [], js: number[] = [], brute: number[] = [];
    const raw = m.view(); // the 8-bit codes + scales the index holds
    await engine.topK(raw, await emb.embedStrokes(queries[0]), TOP_K); // warm-up
    for (let r = 0; r < reps; r++) {
      const strokes = queries[r % queries.length];
      // shipped path: strokes -> rasterise + encode (Embedder.embedStrokes) -> exact top-k (host engine)
      const a = performance.now();
      const q = await emb.embedStrokes(strokes);
      const b = performance.now();
      const hits = await engine.topK(raw, q, TOP_K);
      const c = performance.now();
      total.push(c - a); enc.push(b - a); search.push(c - b);
      // the same query, interleaved, on the alternatives (so load changes hit all of them alike)
      if (r < (n >= 1_000_000 ? 5 : 10)) {
        const d = performance.now();
        const jh = await jsTopK.topK(raw, q, TOP_K);
        const e = performance.now();
        const bh = bruteForce(rawF, n, dim, q, TOP_K);
        const f = performance.now();
        js.push(e - d); brute.push(f - e);
        if (jh[0].row !== hits[0].row) notes.push(`top-1 differs between the shipped and JS engines at n=${n}`);
        if (bh[0].row !== hits[0].row) int8Top1Diffs++;
      }
    }
    const sp50 = quantile(search, 0.5), bp50 = quantile(brute, 0.5), jp50 = quantile(js, 0.5);
    query_ms[String(n)] = {
      p50: round(quantile(total, 0.5)), p95: round(quantile(total, 0.95)), encode_p50: round(quantile(enc, 0.5)),
      search_p50: round(sp50), js_topk_search_p50: round(jp50), bruteforce_search_p50: round(bp50),
      search_speedup_vs_bruteforce: round(bp50 / sp50, 2), search_speedup_vs_js_topk: round(jp50 / sp50, 2), reps,
    };
    o.log(`  query n=${n}: p50 ${query_ms[String(n)].p50} ms, p95 ${query_ms[String(n)].p95} ms (encode ${query_ms[String(n)].encode_p50}, search ${round(sp50)} [${engine.name}], JS topKDot ${round(jp50)}, brute force ${round(bp50)}) [${((Date.now() - t0) / 1000).toFixed(0)} s]`);
    const annQueries: Float32Array[] = [];
    for (const qq of queries.slice(0, 20)) annQueries.push(await emb.embedStrokes(qq));
    scaleBySize[String(n)] = await measureScale(o, m, n, dim, emb.modelId, topkModel, engine, annQueries, rnd, seeds);
  }

  if (int8Top1Diffs) notes.push(`8-bit index vs float32 brute force: top-1 differed on ${int8Top1Diffs} synthetic queries (random unit vectors, near-ties)`);

  // ---------- indexing throughput ----------
  const perfDir = path.join(o.data, 'perf');
  const iconsDir = path.join(perfDir, `icons-${o.icons}`);
  const photosDir = path.join(perfDir, `photos-${o.photos}`);
  await prepareIcons(o, iconsDir);
  await preparePhotos(o, photosDir);
  const index_detail: PerfResult['index_detail'] = {};
  for (const [name, dir] of [['icons', iconsDir], ['photos', photosDir]] as const) {
    // median of 3 fresh indexing runs (the machine is shared and noisy)
    const runs: { added: number; failed: number; s: number }[] = [];
    for (let rep = 0; rep < (o.quick ? 1 : 3); rep++) {
      const store = path.join(perfDir, `${name}-index.bin`);
      for (const f of fs.readdirSync(perfDir)) if (f.startsWith(`${name}-index.bin`)) fs.rmSync(path.join(perfDir, f), { force: true });
      const fi = new FolderIndex(dir, store, emb, { preprocessVersion: PREPROCESS_VERSION, batchSize: 16 });
      const t0 = performance.now();
      const r = await fi.reconcile();
      runs.push({ added: r.added, failed: r.failed, s: (performance.now() - t0) / 1000 });
    }
    runs.sort((a, b) => a.s - b.s);
    const r = runs[Math.floor(runs.length / 2)];
    const files = fs.readdirSync(dir).filter((f) => !f.startsWith('.'));
    const bytes = files.reduce((a, f) => a + fs.statSync(path.join(dir, f)).size, 0);
    index_detail[name] = { images: r.added, seconds: round(r.s, 2), failed: r.failed, avg_file_kb: round(bytes / files.length / 1024, 1), runs_s: runs.map((x) => round(x.s, 2)) } as PerfResult['index_detail'][string];
    o.log(`  index ${name}: ${r.added} images in ${r.s.toFixed(2)} s = ${(r.added / r.s).toFixed(1)} images/s (median of ${runs.length}: ${runs.map((x) => (x.added / x.s).toFixed(0)).join(', ')} images/s; ${r.failed} failed)`);
  }

  // ---------- index size and ready time with 100k ----------
  const N = o.readyEntries;
  const scale = 100_000 / N;
  if (N !== 100_000) notes.push(`index size, ready time and RSS measured with ${N} entries; size and RSS scaled x${scale} to per-100k, ready time not scaled`);
  const idxFile = path.join(perfDir, `synthetic-${N}-${emb.modelId}-${dim}.idx`);
  const names = realisticPaths(o.data, N, rnd);
  const vecs = new Float32Array(N * dim);
  const v = new Float32Array(dim);
  for (let i = 0; i < N; i++) { randomUnit(v, rnd); vecs.set(v, i * dim); }
  const entries: EntryMeta[] = names.map((p, i) => ({ path: p, size: 1000 + Math.floor(rnd() * 200000), mtimeMs: 1.7e12 + i * 1000.5, hash: crypto.createHash('sha1').update(p).digest('hex') }));
  await writeIndexFile(idxFile, { modelId: emb.modelId, preprocessVersion: PREPROCESS_VERSION, dim, entries, ...quantizeMatrix(vecs, N, dim), skipped: [] });
  const index_mb_per_100k = round((fs.statSync(idxFile).size / 1e6) * scale, 1);
  o.log(`  index on disk: ${index_mb_per_100k} MB per 100k images (dim ${dim}, 8-bit vectors + scales + JSON header; ${N} entries written)`);
  const readyRuns: Record<string, number>[] = [];
  for (let r = 0; r < (o.quick ? 1 : 3); r++) {
    const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'perf-ready.ts'), o.modelDir, idxFile, String(PREPROCESS_VERSION), topkModel, String(N)], { encoding: 'utf8', cwd: path.resolve(__dirname, '..') });
    readyRuns.push(JSON.parse(out.trim().split('\n').pop()!));
  }
  const med = (k: string) => round(quantile(readyRuns.map((x) => x[k]), 0.5), 1);
  const ready_detail = Object.fromEntries(Object.keys(readyRuns[0]).map((k) => [k, med(k)]));
  ready_detail.rss_extra_mb = round(ready_detail.rss_extra_mb * scale, 1);
  ready_detail.retained_js_mb = round(ready_detail.retained_js_mb * scale, 1);
  o.log(`  ready with ${N} entries: ${ready_detail.ready_ms} ms (import ${ready_detail.import_ms}, model ${ready_detail.model_ms}, load ${ready_detail.load_ms}, first search ${ready_detail.search_ms}); RSS +${ready_detail.rss_extra_mb} MB per 100k (JS heap + buffers retained: ${ready_detail.retained_js_mb} MB), peak ${ready_detail.peak_rss_mb} MB`);
  await emb.dispose();
  if (engine instanceof OrtTopK) await engine.dispose();
  return {
    query_ms, search_engine: engine.name, index_images_per_s: { icons: round(index_detail.icons.images / index_detail.icons.seconds, 1), photos: round(index_detail.photos.images / index_detail.photos.seconds, 1) },
    index_detail, rss_mb: ready_detail.peak_rss_mb, rss_extra_mb_per_100k: ready_detail.rss_extra_mb, index_mb_per_100k,
    ready_ms_100k: ready_detail.ready_ms, ready_detail, models_mb: modelsMb(o.modelDir), scale: scaleBySize, gpu: 'not measured: no GPU lent', provider: emb.provider, dim, notes: [...new Set(notes)],
  };
}

/**
 * At one index size: the index file on disk, time to "ready" and RSS with it (child process, as
 * perf-ready.ts), and the approximate index (annIndex.ts) on clustered and random vectors.
 */
async function measureScale(o: PerfOptions, m: VectorMatrix, n: number, dim: number, modelId: string, topkModel: string, engine: TopKEngine, qs: Float32Array[], rnd: () => number, seeds: Float32Array[]): Promise<PerfResult['scale'][string]> {
  const dir = path.join(o.data, 'perf', 'scale');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `synthetic-${n}.idx`);
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
  const view = m.view();
  const names = realisticPaths(o.data, n, rnd);
  const entries: EntryMeta[] = names.map((p, i) => ({ path: p, size: 1000 + i, mtimeMs: 1.7e12 + i * 1000.5, hash: crypto.createHash('sha1').update(p).digest('hex') }));
  await writeIndexFile(file, { modelId, preprocessVersion: PREPROCESS_VERSION, dim, entries, codes: view.codes, scales: view.scales, skipped: [] });
  const index_mb = round(fs.statSync(file).size / 1e6, 1);
  const out = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(__dirname, 'perf-ready.ts'), o.modelDir, file, String(PREPROCESS_VERSION), topkModel, String(n), modelId], { encoding: 'utf8', cwd: path.resolve(__dirname, '..'), maxBuffer: 1 << 24 });
  const ready = JSON.parse(out.trim().split('\n').pop()!);
  const res: PerfResult['scale'][string] = { index_mb, ready_ms: ready.ready_ms, rss_extra_mb: ready.rss_extra_mb };
  if (n < 10_000) res.ann = { skipped: 'below 10k: exact search only' };
  else {
    const seeded = seededMatrix(seeds, n, dim, rnd);
    const main = await measureAnn(seeded, n, dim, modelId, engine, qs, dir, names, entries);
    const random = n > RANDOM_ANN_MAX ? { skipped: `random vectors measured up to ${RANDOM_ANN_MAX.toLocaleString('en')} (their graph is slow to build and is rejected by the self-check anyway)` }
      : await measureAnn(m, n, dim, modelId, engine, qs, dir, names, entries);
    res.ann = { ...main, seeds: seeds.length, random };
  }
  o.log(`  scale n=${n}: index ${index_mb} MB, ready ${res.ready_ms} ms, RSS +${res.rss_extra_mb} MB${res.ann && 'recall_at_50' in res.ann ? `, HNSW (clustered around ${res.ann.seeds} real embeddings) build ${res.ann.build_s} s, search p50 ${res.ann.search_p50} ms (exact ${res.ann.exact_search_p50}), recall@50 ${res.ann.recall_at_50} (self-check ${res.ann.self_check_recall_at_50})${res.ann.random && 'recall_at_50' in res.ann.random ? `; random vectors recall@50 ${res.ann.random.recall_at_50} (self-check ${res.ann.random.self_check_recall_at_50}, used: ${res.ann.random.used})` : ''}` : ''}`);
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { force: true });
  return res;
}

/** Plain brute force: every score into a float32 array, then a full sort of row ids. */
export function bruteForce(data: Float32Array, rows: number, dim: number, q: Float32Array, k: number): Hit[] {
  const s = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    const o = r * dim;
    for (let j = 0; j < dim; j++) acc += data[o + j] * q[j];
    s[r] = acc;
  }
  const idx = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) idx[i] = i;
  idx.sort((a, b) => s[b] - s[a] || a - b);
  return Array.from(idx.subarray(0, k), (row) => ({ row, score: s[row] }));
}

/** Random vectors get an HNSW graph only up to this size (slow to build, and rejected by the self-check). */
const RANDOM_ANN_MAX = 100_000;

/** Image embeddings of up to 3,000 gallery files (when the quality run did not hand its gallery over). */
async function embedSeeds(o: PerfOptions, emb: Embedder): Promise<Float32Array[]> {
  const mf = path.join(o.data, 'gallery-manifest.json');
  if (!fs.existsSync(mf)) throw new Error(`${mf} missing: run the quality benchmark once (npm run bench) so the gallery exists`);
  const m: Manifest = JSON.parse(fs.readFileSync(mf, 'utf8'));
  const files = sample(m.items, 3000, mulberry32(o.seed + 11)).map((g) => path.join(o.data, g.file));
  const out: Float32Array[] = [];
  for (let i = 0; i < files.length; i += 64) {
    for (const r of await emb.embedFiles(files.slice(i, i + 64))) if (r.ok) out.push(r.vector);
  }
  o.log(`  ${out.length} real image embeddings seed the clustered vectors`);
  return out;
}

/**
 * n vectors clustered as a folder's embeddings are: each one a real image embedding plus Gaussian
 * noise of norm ~0.5 (cosine ~0.9 to its seed), so near-duplicates and variants surround each asset.
 */
function seededMatrix(seeds: Float32Array[], n: number, dim: number, rnd: () => number): VectorMatrix {
  const m = new VectorMatrix(dim, n);
  const v = new Float32Array(dim);
  const sd = 0.5 / Math.sqrt(dim);
  for (let i = 0; i < n; i++) {
    const s = seeds[i < seeds.length ? i : Math.floor(rnd() * seeds.length)];
    let norm = 0;
    for (let j = 0; j < dim; j++) {
      v[j] = s[j] + (i < seeds.length ? 0 : sd * Math.sqrt(-2 * Math.log(Math.max(1e-12, rnd()))) * Math.cos(2 * Math.PI * rnd()));
      norm += v[j] * v[j];
    }
    norm = 1 / Math.sqrt(norm);
    for (let j = 0; j < dim; j++) v[j] *= norm;
    m.push(v);
  }
  return m;
}

/** Build the snapshot as the extension does, then time it and measure recall@50 against the shipped exact search, with FolderIndex's candidate count and exact re-scoring. */
async function measureAnn(m: VectorMatrix, n: number, dim: number, modelId: string, engine: TopKEngine, qs: Float32Array[], dir: string, names: string[], entries: EntryMeta[]): Promise<AnnFigures> {
  const { annCandidates, annUsable, annVectors, buildAnnFiles, openAnn } = await import('../src/core/annIndex');
  const view = m.view();
  const annFile = path.join(dir, `synthetic-${n}.hnsw`);
  const t0 = performance.now();
  const meta = await buildAnnFiles(annVectors(view.codes, n, dim), n, { modelId, dim, paths: names, hashes: entries.map((e) => e.hash) }, annFile);
  const build_s = (performance.now() - t0) / 1000;
  const ann = (await openAnn(annFile, modelId, dim))!;
  const times: number[] = [], exactTimes: number[] = [];
  let recall = 0;
  for (const q of qs) {
    const a = performance.now();
    const keys = ann.search(q, annCandidates(50));
    const scored = keys.map((row) => { const v = m.get(row); let s = 0; for (let j = 0; j < dim; j++) s += v[j] * q[j]; return { row, s }; })
      .sort((x, y) => y.s - x.s).slice(0, 50);
    const b = performance.now();
    const exact = await engine.topK(view, q, 50);
    const c = performance.now();
    times.push(b - a); exactTimes.push(c - b);
    const got = new Set(scored.map((h) => h.row));
    recall += exact.filter((h) => got.has(h.row)).length / exact.length;
  }
  await removeAnnFilesQuiet(annFile);
  return { build_s: round(build_s, 1), search_p50: round(quantile(times, 0.5)), search_p95: round(quantile(times, 0.95)), exact_search_p50: round(quantile(exactTimes, 0.5)), recall_at_50: round(recall / qs.length, 3), self_check_recall_at_50: round(meta.recallAt50 ?? NaN, 3), used: annUsable(meta), queries: qs.length };
}

async function removeAnnFilesQuiet(file: string): Promise<void> {
  const { removeAnnFiles } = await import('../src/core/annIndex');
  await removeAnnFiles(file);
}

function randomUnit(v: Float32Array, rnd: () => number): void {
  let n = 0;
  for (let i = 0; i < v.length; i++) { v[i] = rnd() * 2 - 1; n += v[i] * v[i]; }
  n = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) v[i] *= n;
}

function round(x: number, d = 2): number { const f = 10 ** d; return Math.round(x * f) / f; }

function quickDrawQueries(shared: string, n: number, seed: number): Stroke[][] {
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(shared, 'data', 'quickdraw', 'quickdraw-simplified.ndjson.gz'))).toString('utf8').split('\n').filter(Boolean);
  return sample(lines, n, mulberry32(seed)).map((l) => quickDrawToStrokes(JSON.parse(l).drawing));
}

/** A folder of icons as a repository holds them: SVGs from the gallery plus tuxpaint PNG sprites. */
async function prepareIcons(o: PerfOptions, dir: string): Promise<void> {
  if (fs.existsSync(path.join(dir, '.done'))) return;
  const m: Manifest = JSON.parse(fs.readFileSync(path.join(o.data, 'gallery-manifest.json'), 'utf8'));
  const rnd = mulberry32(o.seed + 7);
  const svg = sample(m.items.filter((g) => g.file.endsWith('.svg')), Math.round(o.icons * 0.8), rnd);
  const png = sample(m.items.filter((g) => g.file.endsWith('.png')), o.icons - svg.length, rnd);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  await materialize(o.data, [...svg, ...png]);
  [...svg, ...png].forEach((g, i) => fs.copyFileSync(path.join(o.data, g.file), path.join(dir, `${String(i).padStart(5, '0')}-${path.basename(g.file)}`)));
  fs.writeFileSync(path.join(dir, '.done'), '');
}

/**
 * Large JPEG "photos": Sketchy photos upscaled to 4032x3024 (12.2 MP, a phone camera's size) with
 * seeded sensor-like noise so they compress like real photos (several MB each), quality 90.
 */
async function preparePhotos(o: PerfOptions, dir: string): Promise<void> {
  if (fs.existsSync(path.join(dir, '.done'))) return;
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const src = path.join(o.data, 'sketchy', 'photo');
  const all = fs.readdirSync(src).sort().flatMap((c) => fs.readdirSync(path.join(src, c)).sort().slice(0, 1).map((f) => path.join(src, c, f)));
  const rnd = mulberry32(o.seed + 11);
  const W = 4032, H = 3024;
  for (const [i, f] of sample(all, o.photos, rnd).entries()) {
    const raw = await sharp(f).resize(W, H, { kernel: 'cubic' }).removeAlpha().raw().toBuffer();
    for (let k = 0; k < raw.length; k++) { const v = raw[k] + Math.floor((rnd() - 0.5) * 24); raw[k] = v < 0 ? 0 : v > 255 ? 255 : v; }
    await sharp(raw, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 90 }).toFile(path.join(dir, `IMG_${String(i).padStart(4, '0')}.jpg`));
  }
  fs.writeFileSync(path.join(dir, '.done'), '');
}

function realisticPaths(data: string, n: number, rnd: () => number): string[] {
  let names: string[] = [];
  try {
    const m: Manifest = JSON.parse(fs.readFileSync(path.join(data, 'gallery-manifest.json'), 'utf8'));
    names = m.items.map((g) => g.file.replace(/^gallery\//, ''));
  } catch { names = ['icons/icon.svg']; }
  const dirs = ['assets', 'src/assets/images', 'public/img', 'docs/media', 'packages/ui/icons', 'static/photos/2024'];
  return Array.from({ length: n }, (_, i) => `${dirs[Math.floor(rnd() * dirs.length)]}/${i % 97}/${i}-${path.basename(names[Math.floor(rnd() * names.length)])}`);
}
