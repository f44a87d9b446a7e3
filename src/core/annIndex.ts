/**
 * Approximate nearest-neighbour search (usearch HNSW) for very large folders, as a snapshot plus
 * an exact delta: the HNSW graph is built from the vectors at one moment (in the encoder worker,
 * where a native fault cannot hurt the host; it takes seconds to minutes), saved next to the index
 * and memory-mapped for queries. Files added or changed since the snapshot are scored exactly, and
 * deleted ones are dropped, so results never point at stale files. Candidates from the graph are
 * re-scored exactly too. The snapshot is rebuilt when the delta grows (see FolderIndex.annStaleness).
 */
import * as fs from 'fs';

export interface AnnMeta {
  modelId: string;
  dim: number;
  /** Snapshot key i -> the file path and content hash it had. */
  paths: string[];
  hashes: string[];
  /**
   * Recall@50 of the graph measured on this folder's own vectors when it was built (probe queries
   * near stored vectors, candidates re-scored exactly as FolderIndex does). Absent in older snapshots.
   */
  recallAt50?: number;
}

export interface AnnSearcher {
  readonly meta: AnnMeta;
  /** Snapshot keys of approximate neighbours, best first. */
  search(q: Float32Array, k: number): number[];
}

/**
 * Search beam, and the number of graph candidates re-scored exactly. Measured on 1M vectors clustered
 * around the shipped model's real embeddings (`npx tsx bench/ann-sweep.ts`): with connectivity 16 /
 * expansion_add 128 recall@50 plateaus at 0.85-0.89 whatever the beam; with 32 / 256 it is 0.981 at
 * a beam of 800 and 0.998 at 1600 (5 ms per query on a 2-core CPU, against ~37 ms for exact search).
 */
export const ANN_EXPANSION_SEARCH = 1600;
/** Graph degree and build beam (see ANN_EXPANSION_SEARCH); the build takes ~4 min per 1M vectors on 2 cores. */
const ANN_CONNECTIVITY = 32;
const ANN_EXPANSION_ADD = 256;
/**
 * A snapshot is only searched when its self-check recall@50 reaches this; otherwise the folder keeps
 * exact search (slower, always right). Real embeddings are clustered and pass easily (0.99+ in the
 * benchmark); structureless vectors (i.i.d. random) are HNSW's known worst case and fail it.
 */
export const ANN_MIN_RECALL = 0.98; // the product's recall@50 bar (issue #5)
/** Candidates taken from the graph for k results, all re-scored exactly (FolderIndex.annSearch). */
export function annCandidates(k: number): number { return Math.max(2 * k, k + 50, ANN_EXPANSION_SEARCH); }

export function annUsable(meta: AnnMeta): boolean {
  return meta.recallAt50 === undefined || meta.recallAt50 >= ANN_MIN_RECALL;
}
/**
 * Exact search (onnxruntime uint8 x int8 + TopK) stays near the 25 ms query goal up to about this
 * many images on a 2-core CPU (docs/BENCHMARKS.md); above it a folder gets an HNSW snapshot.
 */
export const ANN_DEFAULT_THRESHOLD = 500_000;

/** Signed 8-bit vectors (code - 128) for the graph: the per-row scale barely varies for unit vectors, and candidates are re-scored exactly. */
export function annVectors(codes: Uint8Array, count: number, dim: number): Int8Array {
  const out = new Int8Array(count * dim);
  for (let i = 0; i < out.length; i++) out[i] = codes[i] - 128;
  return out;
}

/** Build the HNSW graph over `count` rows and write it (+ meta) atomically. */
export async function buildAnnFiles(vectors: Int8Array | Float32Array, count: number, meta: AnnMeta, file: string, threads = 2): Promise<AnnMeta> {
  const usearch = await import('usearch');
  const index = new usearch.Index({
    dimensions: meta.dim, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.I8,
    connectivity: ANN_CONNECTIVITY, expansion_add: ANN_EXPANSION_ADD, expansion_search: ANN_EXPANSION_SEARCH, multi: false,
  });
  if (count > 0) {
    const keys = new BigUint64Array(count);
    for (let i = 0; i < count; i++) keys[i] = BigInt(i);
    index.add(keys, vectors.subarray(0, count * meta.dim), threads);
    meta = { ...meta, recallAt50: selfRecall(index, vectors, count, meta.dim) };
  }
  const tmp = `${file}.${process.pid}.tmp`;
  index.save(tmp);
  await fs.promises.writeFile(`${tmp}.json`, JSON.stringify(meta));
  await fs.promises.rename(`${tmp}.json`, `${file}.json`);
  await fs.promises.rename(tmp, file);
  return meta;
}

/** Open a saved snapshot (memory-mapped). Undefined if missing or for another model. */
export async function openAnn(file: string, modelId: string, dim: number): Promise<AnnSearcher | undefined> {
  let meta: AnnMeta;
  try {
    meta = JSON.parse(await fs.promises.readFile(`${file}.json`, 'utf8'));
    await fs.promises.access(file);
  } catch {
    return undefined;
  }
  if (meta.modelId !== modelId || meta.dim !== dim || !Array.isArray(meta.paths) || meta.paths.length !== meta.hashes?.length) return undefined;
  const usearch = await import('usearch');
  const index = new usearch.Index({
    dimensions: dim, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.I8,
    connectivity: ANN_CONNECTIVITY, expansion_add: ANN_EXPANSION_ADD, expansion_search: ANN_EXPANSION_SEARCH, multi: false,
  });
  index.view(file);
  if (index.size() !== meta.paths.length) return undefined;
  return {
    meta,
    search(q: Float32Array, k: number): number[] {
      if (index.size() === 0) return [];
      const m = index.search(toI8(q), Math.min(k, index.size()), 1);
      return Array.from(m.keys, (key) => Number(key));
    },
  };
}

/**
 * Recall@50 of the graph against exact search over the same 8-bit vectors, for probe queries made by
 * perturbing stored vectors (a query is near, not on, what it should find). Exact search over all
 * rows costs a few seconds at 1M: small next to the build.
 */
export function selfRecall(index: { search(q: Int8Array, k: number, threads: number): { keys: BigUint64Array } }, vectors: Int8Array | Float32Array, count: number, dim: number, probes = 32, k = 50): number {
  if (count <= k) return 1;
  let seed = 0x9e3779b9;
  const rnd = () => { seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0; return seed / 4294967296; };
  let total = 0;
  for (let p = 0; p < probes; p++) {
    const row = Math.floor(rnd() * count);
    const q = new Float32Array(dim);
    let norm = 0;
    for (let j = 0; j < dim; j++) norm += vectors[row * dim + j] ** 2;
    const s = 1 / Math.sqrt(norm || 1);
    for (let j = 0; j < dim; j++) {
      const g = Math.sqrt(-2 * Math.log(Math.max(1e-12, rnd()))) * Math.cos(2 * Math.PI * rnd());
      q[j] = vectors[row * dim + j] * s + (0.5 * g) / Math.sqrt(dim);
    }
    const score = (r: number) => { let x = 0; for (let j = 0; j < dim; j++) x += vectors[r * dim + j] * q[j]; return x; };
    const exact = topRows(count, k, score);
    const got = topRows(0, k, score, Array.from(index.search(toI8(q), annCandidates(k), 1).keys, Number));
    const set = new Set(got);
    total += exact.filter((r) => set.has(r)).length / exact.length;
  }
  return total / probes;
}

/** The k best rows by score, over 0..count-1 or over the given rows. */
function topRows(count: number, k: number, score: (r: number) => number, rows?: number[]): number[] {
  const best: { r: number; s: number }[] = [];
  const consider = (r: number) => {
    const s = score(r);
    if (best.length === k && s <= best[k - 1].s) return;
    let i = best.length === k ? k - 1 : best.length;
    if (best.length < k) best.push({ r, s }); else best[i] = { r, s };
    while (i > 0 && best[i - 1].s < s) { [best[i - 1], best[i]] = [best[i], best[i - 1]]; i--; }
  };
  if (rows) rows.forEach(consider); else for (let r = 0; r < count; r++) consider(r);
  return best.map((b) => b.r);
}

function toI8(q: Float32Array): Int8Array {
  let max = 0;
  for (const x of q) max = Math.max(max, Math.abs(x));
  const s = max > 0 ? 127 / max : 1;
  return Int8Array.from(q, (x) => Math.round(x * s));
}

export async function removeAnnFiles(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
  await fs.promises.rm(`${file}.json`, { force: true });
}
