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
}

export interface AnnSearcher {
  readonly meta: AnnMeta;
  /** Snapshot keys of approximate neighbours, best first. */
  search(q: Float32Array, k: number): number[];
}

export const ANN_EXPANSION_SEARCH = 160;
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
export async function buildAnnFiles(vectors: Int8Array | Float32Array, count: number, meta: AnnMeta, file: string, threads = 2): Promise<void> {
  const usearch = await import('usearch');
  const index = new usearch.Index({
    dimensions: meta.dim, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.I8,
    connectivity: 16, expansion_add: 128, expansion_search: ANN_EXPANSION_SEARCH, multi: false,
  });
  if (count > 0) {
    const keys = new BigUint64Array(count);
    for (let i = 0; i < count; i++) keys[i] = BigInt(i);
    index.add(keys, vectors.subarray(0, count * meta.dim), threads);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  index.save(tmp);
  await fs.promises.writeFile(`${tmp}.json`, JSON.stringify(meta));
  await fs.promises.rename(`${tmp}.json`, `${file}.json`);
  await fs.promises.rename(tmp, file);
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
    connectivity: 16, expansion_add: 128, expansion_search: ANN_EXPANSION_SEARCH, multi: false,
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
