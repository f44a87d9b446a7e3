/**
 * Quality benchmark: ZS-SBIR metrics for every method on every dataset, all through the product's
 * preprocessing (src/core/preprocess.ts, decode.ts) and ONNX encoders.
 *
 * Datasets
 *   quickdraw-unseen-assets  QuickDraw drawings of the unseen classes (union of the 4 standard lists)
 *                            -> labelled assets (bench/labels/quickdraw-unseen-assets.json) + 20k+ distractors
 *   sketchy-all104 / sketchy-val / sketchy-train
 *                            Sketchy sketches -> photos of the same classes (val = training/splits/sketchy-val-classes.txt)
 *   similar-emoji            find-similar: one emoji rendering as the query, the same emoji in the
 *                            other sets as targets, in the full asset gallery
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { imageToRgb } from '../src/core/decode';
import { INPUT_SIZE, PREPROCESS_VERSION, quickDrawToStrokes, rgbToTensor, sketchTensor, Stroke } from '../src/core/preprocess';
import { assemble, extractSketchy, GalleryItem, Manifest, materialize, sketchyValClasses } from './data/assemble';
import { EMOJI_SETS, normClass, readLines as readLinesOf } from './data/sources';
import { isReservedDrawing, RESERVED_SETS, reservedGallery } from './data/reserved';
import { unseenUnion } from './labels/make-labels';
import { RecordCache } from './lib/cache';
import { Scorer } from './lib/gemm';
import { Kind, Method } from './lib/methods';
import { Entry, VectorStore } from './lib/vectorStore';
import { bestRankInFolder, bootstrapCI, mean, mulberry32, QueryMetrics, queryMetrics, sample, Summary, summarize } from './lib/metrics';

/** hit@k in folders of `size` images: every positive of the query's class plus random other gallery items. */
export interface FolderHitOptions { size: number; k: number; seed: number }
export const FOLDER_HIT: Omit<FolderHitOptions, 'seed'> = { size: 1000, k: 10 };

export interface QualityOptions {
  data: string;
  shared: string;
  quick: boolean;
  seed: number;
  distractors: number;
  /** QuickDraw drawings per class (sampled with the seed). */
  qdPerClass: number;
  /** Limit the number of QuickDraw classes (quick mode). */
  qdClasses?: number;
  sketchyPerClass: number;
  sketchyClasses?: number;
  /** Limit photos per class (quick mode; default all 25). */
  sketchyPhotosPerClass?: number;
  similarNames: number;
  /** Reserved QuickDraw drawings per class for the reserved-assets datasets. */
  reservedPerClass: number;
  valClassesFile?: string;
  log: (s: string) => void;
}


export interface DatasetResult {
  summary: Record<string, Summary>;
  perClass: Record<string, Record<string, { 'mAP@all': number; 'P@100': number; queries: number; 'hit@10_1k'?: number }>>;
  notes: string[];
}

export interface IndexChecks {
  /** The first (shipped) model's mAP@all on QuickDraw-unseen→assets with float32 vectors vs the index's 8-bit vectors. */
  int8: { 'mAP@all_float32': number; 'mAP@all_int8': number; relative_change: number };
  /** HNSW snapshot (annIndex.ts) over the real gallery vectors vs the shipped exact search. */
  ann: { gallery: number; queries: number; recall_at_50: number; build_s: number };
}

/**
 * The index stores 8-bit vectors and, above a size threshold, searches an HNSW snapshot: measure
 * both on the real gallery embeddings of the shipped model (the synthetic vectors of bench/perf
 * are a worst case for HNSW).
 */
async function checkIndexOnRealVectors(
  method: string, qCls: string[], qEnc: Map<string, (Float32Array | null)[]>, gCls: (string | null)[], gEnc: Map<string, (Float32Array | null)[]>, log: (s: string) => void,
): Promise<IndexChecks> {
  const { quantizeMatrix, dequantize } = await import('../src/core/quantize');
  const { topKQuantized } = await import('../src/core/vectorIndex');
  const { annVectors, buildAnnFiles, openAnn } = await import('../src/core/annIndex');
  const gv = gEnc.get(method)!, qv = qEnc.get(method)!;
  const gi = gv.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
  const qi = qv.map((v, i) => (v ? i : -1)).filter((i) => i >= 0);
  const dim = gv[gi[0]]!.length;
  const flat = new Float32Array(gi.length * dim);
  gi.forEach((g, r) => flat.set(gv[g]!, r * dim));
  const { codes, scales } = quantizeMatrix(flat, gi.length, dim);
  const deq = gi.map((_, r) => dequantize(codes, r * dim, dim, scales[r]));
  const ap = (q: Float32Array, vecs: Float32Array[], cls: string) => {
    const sc = vecs.map((v, r) => { let s = 0; for (let j = 0; j < dim; j++) s += v[j] * q[j]; return { r, s }; }).sort((a, b) => b.s - a.s || a.r - b.r);
    let hits = 0, sum = 0;
    sc.forEach((x, rank) => { if (gCls[gi[x.r]] === cls) { hits++; sum += hits / (rank + 1); } });
    return hits ? sum / hits : 0;
  };
  const sample = qi.filter((_, k) => k % Math.max(1, Math.floor(qi.length / 300)) === 0);
  const floatVecs = gi.map((g) => gv[g]!);
  let mf = 0, m8 = 0;
  for (const q of sample) { mf += ap(qv[q]!, floatVecs, qCls[q]); m8 += ap(qv[q]!, deq, qCls[q]); }
  mf /= sample.length; m8 /= sample.length;
  const file = path.join(require('os').tmpdir(), `sks-bench-ann-${process.pid}.hnsw`);
  const t0 = performance.now();
  await buildAnnFiles(annVectors(codes, gi.length, dim), gi.length, { modelId: method, dim, paths: gi.map(String), hashes: gi.map(() => '') }, file);
  const build_s = (performance.now() - t0) / 1000;
  const ann = (await openAnn(file, method, dim))!;
  const view = { codes, scales, rows: gi.length, dim };
  let recall = 0;
  for (const q of sample) {
    const keys = ann.search(qv[q]!, 100);
    const got = keys.map((r) => { const v = deq[r]; let s = 0; for (let j = 0; j < dim; j++) s += v[j] * qv[q]![j]; return { r, s }; }).sort((a, b) => b.s - a.s).slice(0, 50);
    const exact = topKQuantized(view, qv[q]!, 50);
    const set = new Set(got.map((x) => x.r));
    recall += exact.filter((h) => set.has(h.row)).length / exact.length;
  }
  require('fs').rmSync(file, { force: true }); require('fs').rmSync(`${file}.json`, { force: true });
  const res: IndexChecks = {
    int8: { 'mAP@all_float32': +mf.toFixed(4), 'mAP@all_int8': +m8.toFixed(4), relative_change: +((m8 - mf) / Math.max(mf, 1e-9)).toFixed(4) },
    ann: { gallery: gi.length, queries: sample.length, recall_at_50: +(recall / sample.length).toFixed(4), build_s: +build_s.toFixed(1) },
  };
  log(`  index checks (${method}, ${sample.length} queries): mAP@all float32 ${res.int8['mAP@all_float32']} vs 8-bit ${res.int8['mAP@all_int8']}; HNSW recall@50 ${res.ann.recall_at_50} over ${gi.length} real vectors (build ${res.ann.build_s} s)`);
  return res;
}

export async function runQuality(o: QualityOptions, methods: Method[]): Promise<{ datasets: Record<string, DatasetResult>; manifest: Manifest; failed: number; indexChecks: IndexChecks; galleryVectors: Float32Array[] }> {
  const manifest = await assemble({ data: o.data, shared: o.shared, seed: o.seed, distractors: 20000, photosPerClass: 10, wallpapers: 100, log: o.log });
  await extractSketchy(o);
  const cacheDir = path.join(o.data, 'cache');
  const rgb = new RecordCache(cacheDir, `rgb${INPUT_SIZE}`, INPUT_SIZE * INPUT_SIZE * 3);
  const rnd = mulberry32(o.seed);

  const fileEntry = (id: string, rel: string, kind: Kind): Entry => {
    const abs = path.join(o.data, rel);
    const rkey = `${id}|${safeSize(abs)}|pp${PREPROCESS_VERSION}`;
    return {
      key: `${kind}:${id}`, kind,
      tensor: async () => {
        let b = rgb.get(rkey);
        if (!b) {
          if (rgb.failed.has(rkey)) return null;
          try {
            b = await imageToRgb(abs);
            rgb.put([{ key: rkey, data: b }]);
          } catch (e) {
            rgb.fail(rkey, (e as Error).message.split('\n')[0]);
            return null;
          }
        }
        return rgbToTensor(b);
      },
    };
  };

  const store = new VectorStore(cacheDir, methods, o.log);
  const encode = (label: string, entries: Entry[]) => store.encode(label, entries);

  const datasets: Record<string, DatasetResult> = {};

  // ---------- 1. QuickDraw unseen -> assets ----------
  let classes = manifest.classes.filter((c) => c.assets > 0);
  const skippedClasses = manifest.classes.filter((c) => c.assets === 0).map((c) => c.cls);
  if (o.qdClasses) classes = sample(classes.filter((c) => c.assets >= 3), o.qdClasses, rnd).sort((a, b) => (a.cls < b.cls ? -1 : 1));
  const clsSet = new Set(classes.map((c) => c.cls));
  let gallery = manifest.items;
  if (o.quick) {
    const distractors = sample(manifest.items.filter((g) => g.role === 'distractor'), o.distractors, rnd);
    const negatives = sample(manifest.items.filter((g) => g.role === 'negative'), Math.ceil(o.distractors / 2), rnd);
    gallery = [...manifest.items.filter((g) => g.role === 'positive' && clsSet.has(g.cls!)), ...negatives, ...distractors];
  }
  // Every QuickDraw class, read once: the unseen classes here, all of them for the reserved datasets (4.).
  const qdAll = readQuickDraw(path.join(o.shared, 'data', 'quickdraw', 'quickdraw-simplified.ndjson.gz'),
    new Map(readLinesOf(path.join(o.shared, 'data', 'splits', 'quickdraw-345-classes.txt')).map((c) => [normClass(c), normClass(c)])));
  const qdQueries: { cls: string; key: string; drawing: number[][][] }[] = [];
  for (const c of classes) qdQueries.push(...sample(qdAll.get(normClass(c.quickdraw)) ?? [], o.qdPerClass, rnd).map((d) => ({ cls: c.cls, key: d.key, drawing: d.drawing })));
  o.log(`quickdraw-unseen-assets: ${classes.length} classes, ${qdQueries.length} queries, gallery ${gallery.length} (${gallery.filter((g) => g.role === 'positive' && (!o.quick || clsSet.has(g.cls!))).length} labelled)`);
  const written = await materialize(o.data, gallery);
  if (written) o.log(`  wrote ${written} gallery files`);
  const gEnc = await encode('gallery', gallery.map((g) => fileEntry(g.id, g.file, 'image')));
  const qEnc = await encode('quickdraw queries', qdQueries.map((q) => ({
    key: `sketch:qd:${q.key}:pp${PREPROCESS_VERSION}`, kind: 'sketch' as Kind,
    tensor: async () => sketchTensor(quickDrawToStrokes(q.drawing)),
  })));
  const parity = await parityCheck(methods, gallery.map((g) => path.join(o.data, g.file)), gEnc, qdQueries.map((q) => quickDrawToStrokes(q.drawing)), qEnc, mulberry32(o.seed + 99));
  if (parity) o.log(`  ${parity}`);
  datasets['quickdraw-unseen-assets'] = await evaluate(methods, qdQueries.map((q) => q.cls), qEnc, gallery.map((g) => (g.role === 'positive' && clsSet.has(g.cls!) ? g.cls : null)), gEnc, undefined, { ...FOLDER_HIT, seed: o.seed });
  if (parity) datasets['quickdraw-unseen-assets'].notes.push(parity);
  const indexChecks = await checkIndexOnRealVectors(methods[0].name, qdQueries.map((q) => q.cls), qEnc, gallery.map((g) => (g.role === 'positive' && clsSet.has(g.cls!) ? g.cls : null)), gEnc, o.log);
  datasets['quickdraw-unseen-assets'].notes.push(
    `classes evaluated: ${classes.length}; unseen classes in QuickDraw without any accepted asset (not evaluated): ${skippedClasses.join(', ') || 'none'}`,
    `gallery: ${gallery.length} items: ${countBy(gallery, (g) => (g.role === 'distractor' ? `distractor/${g.group}` : g.role))}`,
  );

  // ---------- 2. Sketchy sketch -> photo ----------
  const sk = path.join(o.data, 'sketchy');
  let skClasses = fs.readdirSync(path.join(sk, 'sketch')).sort();
  const val = sketchyValClasses(o.valClassesFile);
  if (o.sketchyClasses) {
    // quick mode: half validation classes, half the others (when the split exists)
    const isVal = (c: string) => !!val?.includes(normClass(c));
    const nv = val ? Math.ceil(o.sketchyClasses / 2) : 0;
    skClasses = [...sample(skClasses.filter(isVal), nv, rnd), ...sample(skClasses.filter((c) => !isVal(c)), o.sketchyClasses - nv, rnd)].sort();
  }
  const skSketches: { cls: string; rel: string }[] = [], skPhotos: { cls: string; rel: string }[] = [];
  for (const c of skClasses) {
    const s = fs.readdirSync(path.join(sk, 'sketch', c)).sort(), p = fs.readdirSync(path.join(sk, 'photo', c)).sort();
    skSketches.push(...sample(s, o.sketchyPerClass, rnd).sort().map((f) => ({ cls: c, rel: path.join('sketchy', 'sketch', c, f) })));
    skPhotos.push(...(o.sketchyPhotosPerClass ? sample(p, o.sketchyPhotosPerClass, rnd).sort() : p).map((f) => ({ cls: c, rel: path.join('sketchy', 'photo', c, f) })));
  }
  const sEnc = await encode('sketchy sketches', skSketches.map((s) => fileEntry(`sketchy:${s.rel}`, s.rel, 'sketch')));
  const pEnc = await encode('sketchy photos', skPhotos.map((s) => fileEntry(`sketchy:${s.rel}`, s.rel, 'image')));
  const subsets: [string, (c: string) => boolean][] = [['sketchy-all104', () => true]];
  if (val) {
    const vs = new Set(val);
    subsets.push(['sketchy-val', (c) => vs.has(normClass(c))], ['sketchy-train', (c) => !vs.has(normClass(c))]);
  }
  for (const [name, keep] of subsets) {
    const qi = skSketches.map((s, i) => (keep(s.cls) ? i : -1)).filter((i) => i >= 0);
    const gi = skPhotos.map((s, i) => (keep(s.cls) ? i : -1)).filter((i) => i >= 0);
    if (!qi.length) continue;
    datasets[name] = await evaluate(methods, qi.map((i) => skSketches[i].cls), pick(sEnc, qi), gi.map((i) => skPhotos[i].cls), pick(pEnc, gi));
    datasets[name].notes.push(`${new Set(qi.map((i) => skSketches[i].cls)).size} classes; gallery = photos of these classes only`);
  }
  if (!val) datasets['sketchy-all104'].notes.push('training/splits/sketchy-val-classes.txt not found: no val/train split reported');

  // ---------- 3. find similar (emoji renderings) ----------
  const emojiKey = (g: { set: string; name: string }) => (EMOJI_SETS.includes(g.set) ? g.name.replace(/-s-/g, 's-').replace(/[^a-z0-9]/g, '') : null);
  const { allSourceItems } = await import('./data/sources');
  const emojiItems = allSourceItems().filter((s) => EMOJI_SETS.includes(s.set));
  const byKey = new Map<string, typeof emojiItems>();
  for (const e of emojiItems) { const k = emojiKey(e)!; (byKey.get(k) ?? byKey.set(k, []).get(k)!).push(e); }
  const keys = sample([...byKey.keys()].filter((k) => new Set(byKey.get(k)!.map((e) => e.set)).size >= 3).sort(), o.similarNames, rnd);
  const keySet = new Set(keys);
  const inGallery = new Set(gallery.map((g) => g.id));
  const extra: GalleryItem[] = [];
  for (const k of keys) {
    for (const e of byKey.get(k)!) {
      if (inGallery.has(e.id)) continue;
      const safe = e.id.slice(e.set.length + 1).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
      const rel = path.join('gallery', e.set, `${safe}.${e.ext}`);
      const abs = path.join(o.data, rel);
      if (!fs.existsSync(abs)) { fs.mkdirSync(path.dirname(abs), { recursive: true }); if (e.svg) fs.writeFileSync(abs, e.svg()); else fs.copyFileSync(e.file!, abs); }
      extra.push({ id: e.id, file: rel, set: e.set, name: e.name, source: e.source, licence: e.licence, cls: null, role: 'distractor', group: 'emoji' });
    }
  }
  const simGallery = [...gallery, ...extra];
  const xEnc = extra.length ? await encode('find-similar extra renderings', extra.map((g) => fileEntry(g.id, g.file, 'image'))) : new Map(methods.map((m) => [m.name, [] as (Float32Array | null)[]]));
  const simEnc = new Map(methods.map((m) => [m.name, [...gEnc.get(m.name)!, ...xEnc.get(m.name)!]]));
  const simCls = simGallery.map((g) => { const k = emojiKey(g); return k && keySet.has(k) ? k : null; });
  const qIdx = simCls.map((c, i) => (c ? i : -1)).filter((i) => i >= 0);
  datasets['similar-emoji'] = await evaluate(methods, qIdx.map((i) => simCls[i]!), pick(simEnc, qIdx), simCls, simEnc, qIdx);
  datasets['similar-emoji'].notes.push(`${keys.length} emoji, each rendered by 3-5 of ${EMOJI_SETS.join(', ')}; every rendering is a query; targets = the other renderings; gallery = the quickdraw gallery + these renderings (self excluded)`);

  // ---------- 4. reserved drawings -> reserved icon packages (new to both builds) ----------
  // Queries: QuickDraw drawings with int(key_id) % 11 == 0, which no build trains on; gallery: the
  // reserved icon packages, which no build trains on. "trained" = classes outside the unseen lists
  // (the full build's classes; the zero-shot build's seen classes), "unseen" = the unseen lists.
  const res = reservedGallery(o.data, o.shared);
  const unseenSet = new Set(unseenUnion(o.shared));
  for (const [name, inUnseen] of [['quickdraw-reserved-trained-assets', false], ['quickdraw-reserved-unseen-assets', true]] as const) {
    let cls = [...res.positives.keys()].filter((c) => unseenSet.has(c) === inUnseen && (qdAll.get(c) ?? []).some((d) => isReservedDrawing(d.key))).sort();
    if (o.qdClasses) cls = sample(cls, o.qdClasses, rnd).sort();
    const keep = new Set(cls);
    const queries = cls.flatMap((c) => sample(qdAll.get(c)!.filter((d) => isReservedDrawing(d.key)), o.reservedPerClass, rnd).map((d) => ({ cls: c, key: d.key, drawing: d.drawing })));
    let gal = res.items;
    if (o.quick) gal = [...res.items.filter((g) => g.cls && keep.has(g.cls)), ...sample(res.items.filter((g) => !g.cls || !keep.has(g.cls)), o.distractors, rnd)];
    const rg = await encode(`${name} gallery`, gal.map((g) => fileEntry(g.id, g.file, 'image')));
    const rq = await encode(`${name} queries`, queries.map((q) => ({
      key: `sketch:qd:${q.key}:pp${PREPROCESS_VERSION}`, kind: 'sketch' as Kind, tensor: async () => sketchTensor(quickDrawToStrokes(q.drawing)),
    })));
    datasets[name] = await evaluate(methods, queries.map((q) => q.cls), rq, gal.map((g) => (g.cls && keep.has(g.cls) ? g.cls : null)), rg, undefined, { ...FOLDER_HIT, seed: o.seed });
    datasets[name].notes.push(
      `${cls.length} classes, ${queries.length} queries (QuickDraw drawings with key_id % 11 == 0, up to ${o.reservedPerClass} per class); gallery ${gal.length} icons of ${RESERVED_SETS.join(', ')} (${gal.filter((g) => g.cls && keep.has(g.cls)).length} labelled by name matching; ${res.rejected} false friends rejected in bench/labels/reserved-review.json kept as distractors; ${res.ambiguous} ambiguous names left out; skin-tone and gender variants left out)`,
    );
  }

  rgb.close();
  store.close();
  const galleryVectors = gEnc.get(methods[0].name)!.filter((v): v is Float32Array => v !== null);
  return { datasets, manifest, failed: rgb.failed.size, indexChecks, galleryVectors };
}

/**
 * The benchmark's vectors (decode/rasterise cached, encoder batched) must equal what the product's
 * entry points return: Embedder.embedFiles (read + decode + encode) and Embedder.embedStrokes.
 */
async function parityCheck(
  methods: Method[], files: string[], gEnc: Map<string, (Float32Array | null)[]>, strokes: Stroke[][], qEnc: Map<string, (Float32Array | null)[]>, rnd: () => number,
): Promise<string | undefined> {
  const m = methods.find((x) => x.product);
  if (!m?.product) return undefined;
  const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0);
  const sims: number[] = [];
  const gi = sample(files.map((_, i) => i).filter((i) => gEnc.get(m.name)![i]), 12, rnd);
  const pv = await m.product.embedFiles(gi.map((i) => files[i]), 'image');
  gi.forEach((i, k) => { if (pv[k]) sims.push(cos(pv[k]!, gEnc.get(m.name)![i]!)); });
  for (const i of sample(strokes.map((_, i) => i), 6, rnd)) sims.push(cos(await m.product.embedStrokes(strokes[i]), qEnc.get(m.name)![i]!));
  const min = Math.min(...sims);
  return `parity with the product entry points (Embedder.embedFiles / embedStrokes) on ${sims.length} inputs: min cosine ${min.toFixed(6)}${min < 0.9999 ? ' (MISMATCH: the benchmark path differs from the product path)' : ''}`;
}

function pick<T>(m: Map<string, T[]>, idx: number[]): Map<string, T[]> {
  return new Map([...m].map(([k, v]) => [k, idx.map((i) => v[i])]));
}

function countBy<T>(xs: T[], f: (x: T) => string): string {
  const c = new Map<string, number>();
  for (const x of xs) c.set(f(x), (c.get(f(x)) ?? 0) + 1);
  return [...c].sort().map(([k, v]) => `${k} ${v}`).join(', ');
}

/**
 * Score every query against the gallery, per method. Queries or gallery items whose input failed
 * to decode are dropped (the same ones for every method, so methods stay comparable).
 * selfIndex[i]: the gallery index of query i itself (find-similar), excluded from its ranking.
 */
async function evaluate(
  methods: Method[], qCls: string[], qVec: Map<string, (Float32Array | null)[]>,
  gCls: (string | null)[], gVec: Map<string, (Float32Array | null)[]>, selfIndex?: number[], folder?: FolderHitOptions,
): Promise<DatasetResult> {
  const okQ = qCls.map((_, i) => methods.every((m) => qVec.get(m.name)![i])).map((ok, i) => (ok ? i : -1)).filter((i) => i >= 0);
  const okG = gCls.map((_, j) => methods.every((m) => gVec.get(m.name)![j])).map((ok, j) => (ok ? j : -1)).filter((j) => j >= 0);
  const gPos = new Map(okG.map((j, n) => [j, n]));
  const ids = new Map<string, number>();
  const cid = (c: string | null) => (c === null ? -1 : ids.get(c) ?? ids.set(c, ids.size).get(c)!);
  const G = Int32Array.from(okG.map((j) => cid(gCls[j])));
  const res: DatasetResult = { summary: {}, perClass: {}, notes: [] };
  if (okQ.length < qCls.length || okG.length < gCls.length) res.notes.push(`dropped ${qCls.length - okQ.length} queries and ${gCls.length - okG.length} gallery items that failed to decode`);
  // Folder metric: the relevant and the other gallery positions of each class (okG order).
  const byClass = new Map<number, { pos: Int32Array; neg: Int32Array }>();
  const folderOf = (c: number) => {
    let e = byClass.get(c);
    if (!e) {
      const pos: number[] = [], neg: number[] = [];
      G.forEach((g, n) => (g === c ? pos : neg).push(n));
      byClass.set(c, e = { pos: Int32Array.from(pos), neg: Int32Array.from(neg) });
    }
    return e;
  };
  for (const m of methods) {
    const scorer = await Scorer.create(m.dim);
    const gm = new Float32Array(okG.length * m.dim);
    okG.forEach((j, n) => gm.set(gVec.get(m.name)![j]!, n * m.dim));
    const per: QueryMetrics[] = [];
    const hits: number[] = [];
    const B = 128;
    for (let s = 0; s < okQ.length; s += B) {
      const part = okQ.slice(s, s + B);
      const qm = new Float32Array(part.length * m.dim);
      part.forEach((i, n) => qm.set(qVec.get(m.name)![i]!, n * m.dim));
      const sc = await scorer.scores(qm, gm);
      part.forEach((i, n) => {
        const row = sc.subarray(n * okG.length, (n + 1) * okG.length);
        const c = cid(qCls[i]);
        const self = selfIndex ? gPos.get(selfIndex[i]) ?? -1 : -1;
        per.push(queryMetrics(row, (j) => G[j] === c, self));
        if (folder) {
          // The same folder for query i under every method (seeded by the query), so methods compare on equal folders.
          const { pos, neg } = folderOf(c);
          const rank = bestRankInFolder(row, pos, neg, folder.size, mulberry32(folder.seed * 1_000_003 + i));
          hits.push(rank > 0 && rank <= folder.k ? 1 : 0);
        }
      });
    }
    await scorer.dispose();
    res.summary[m.name] = summarize(per, okG.length - (selfIndex ? 1 : 0));
    if (folder) {
      res.summary[m.name]['hit@10_1k'] = mean(hits);
      res.summary[m.name]['hit@10_1k_ci95'] = bootstrapCI(hits, 1, 1000);
    }
    const pc: DatasetResult['perClass'][string] = {};
    const groups = new Map<string, number[]>(); // class -> positions in okQ (per[] and hits[] share them)
    okQ.forEach((i, n) => (groups.get(qCls[i]) ?? groups.set(qCls[i], []).get(qCls[i])!).push(n));
    for (const [c, ns] of [...groups].sort()) {
      pc[c] = { 'mAP@all': mean(ns.map((n) => per[n].apAll)), 'P@100': mean(ns.map((n) => per[n].p100)), queries: ns.length };
      if (folder) pc[c]['hit@10_1k'] = mean(ns.map((n) => hits[n]));
    }
    res.perClass[m.name] = pc;
  }
  return res;
}

function readQuickDraw(file: string, classOf: Map<string, string>): Map<string, { key: string; drawing: number[][][] }[]> {
  const out = new Map<string, { key: string; drawing: number[][][] }[]>();
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  for (const line of text.split('\n')) {
    if (!line) continue;
    const w = /"word":\s*"([^"]*)"/.exec(line);
    const cls = w && classOf.get(normClass(w[1]));
    if (!cls) continue;
    const d = JSON.parse(line) as { key_id: string; drawing: number[][][] };
    (out.get(cls) ?? out.set(cls, []).get(cls)!).push({ key: String(d.key_id), drawing: d.drawing });
  }
  for (const v of out.values()) v.sort((a, b) => (a.key < b.key ? -1 : 1));
  return out;
}


function safeSize(p: string): number {
  try { return fs.statSync(p).size; } catch { return -1; }
}
