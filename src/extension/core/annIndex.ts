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
 * Exact search (onnxruntime MatMul + TopK) stays under the query-latency goal up to about this
 * many images on a 2-core CPU (docs/BENCHMARKS.md); above it a folder gets an HNSW snapshot.
 */
export const ANN_DEFAULT_THRESHOLD = 200_000;

/** Build the HNSW graph over the first `count` rows and write it (+ meta) atomically. */
export async function buildAnnFiles(vectors: Float32Array, count: number, meta: AnnMeta, file: string, threads = 2): Promise<void> {
  const usearch = await import('usearch');
  const index = new usearch.Index({
    dimensions: meta.dim, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.F16,
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
    dimensions: dim, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.F16,
    connectivity: 16, expansion_add: 128, expansion_search: ANN_EXPANSION_SEARCH, multi: false,
  });
  index.view(file);
  if (index.size() !== meta.paths.length) return undefined;
  return {
    meta,
    search(q: Float32Array, k: number): number[] {
      if (index.size() === 0) return [];
      const m = index.search(q, Math.min(k, index.size()), 1);
      return Array.from(m.keys, (key) => Number(key));
    },
  };
}

export async function removeAnnFiles(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
  await fs.promises.rm(`${file}.json`, { force: true });
}
