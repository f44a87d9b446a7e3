/**
 * Exact top-k by inner product, two interchangeable engines with identical results:
 * - OrtTopK: models/topk.onnx (MatMul + TopK) on onnxruntime-node's CPU kernels; the fast one.
 * - JsTopK: a plain loop (vectorIndex.topKDot); the fallback if onnxruntime cannot load.
 * bench/perf reports both as a ratio in one run.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { Hit, topKDot } from './vectorIndex';

export interface TopKEngine {
  readonly name: string;
  topK(data: Float32Array, rows: number, dim: number, q: Float32Array, k: number): Promise<Hit[]>;
}

export const jsTopK: TopKEngine = {
  name: 'js',
  async topK(data, rows, dim, q, k) { return topKDot(data, rows, dim, q, k); },
};

export class OrtTopK implements TopKEngine {
  readonly name = 'onnxruntime';
  private constructor(private readonly ort: typeof import('onnxruntime-node'), private readonly session: InferenceSession) {}

  static async create(modelPath: string, threads = 1): Promise<OrtTopK> {
    const ort = await import('onnxruntime-node');
    const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
    return new OrtTopK(ort, session);
  }

  async topK(data: Float32Array, rows: number, dim: number, q: Float32Array, k: number): Promise<Hit[]> {
    if (q.length !== dim) throw new Error(`query has ${q.length} dims, index has ${dim}`);
    k = Math.max(0, Math.min(k, rows));
    if (k === 0) return [];
    const matrix = new this.ort.Tensor('float32', data.subarray(0, rows * dim), [rows, dim]);
    const out = await this.session.run({
      matrix,
      query: new this.ort.Tensor('float32', q, [dim, 1]),
      k: new this.ort.Tensor('int64', BigInt64Array.from([BigInt(k)]), [1]),
    });
    const values = out.values.data as Float32Array;
    const indices = out.indices.data as BigInt64Array;
    const hits: Hit[] = [];
    for (let i = 0; i < values.length; i++) hits.push({ row: Number(indices[i]), score: values[i] });
    // Same tie order as the JS engine.
    hits.sort((a, b) => b.score - a.score || a.row - b.row);
    return hits;
  }

  async dispose(): Promise<void> { await this.session.release(); }
}
