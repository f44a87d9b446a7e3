/**
 * Exact top-k by inner product over the quantised vectors, two interchangeable engines with the
 * same integer arithmetic and so the same ranking:
 * - OrtTopK: models/topk.onnx (MatMulInteger uint8 x int8 -> scale -> TopK) on onnxruntime-node's
 *   CPU kernels; the fast one.
 * - JsTopK: a plain loop (vectorIndex.topKQuantized); the fallback if onnxruntime cannot load.
 * bench/perf reports both, and float32 brute force, as ratios in one run.
 */
import type { InferenceSession } from 'onnxruntime-node';
import { loadOnnxRuntime } from './ort';
import { quantizeQuery } from './quantize';
import { Hit, QuantizedRows, topKQuantized } from './vectorIndex';

export interface TopKEngine {
  readonly name: string;
  topK(m: QuantizedRows, q: Float32Array, k: number): Promise<Hit[]>;
}

export const jsTopK: TopKEngine = {
  name: 'js',
  async topK(m, q, k) { return topKQuantized(m, q, k); },
};

export class OrtTopK implements TopKEngine {
  readonly name = 'onnxruntime';
  private constructor(private readonly ort: typeof import('onnxruntime-node'), private readonly session: InferenceSession) {}

  static async create(modelPath: string, threads = 1): Promise<OrtTopK> {
    const ort = await loadOnnxRuntime();
    const session = await ort.InferenceSession.create(modelPath, { executionProviders: ['cpu'], intraOpNumThreads: threads, graphOptimizationLevel: 'all' });
    return new OrtTopK(ort, session);
  }

  async topK(m: QuantizedRows, q: Float32Array, k: number): Promise<Hit[]> {
    if (q.length !== m.dim) throw new Error(`query has ${q.length} dims, index has ${m.dim}`);
    k = Math.max(0, Math.min(k, m.rows));
    if (k === 0) return [];
    const { q8, scale } = quantizeQuery(q);
    const out = await this.session.run({
      matrix: new this.ort.Tensor('uint8', m.codes.subarray(0, m.rows * m.dim), [m.rows, m.dim]),
      query: new this.ort.Tensor('int8', q8, [m.dim, 1]),
      scales: new this.ort.Tensor('float32', m.scales.subarray(0, m.rows), [m.rows, 1]),
      k: new this.ort.Tensor('int64', BigInt64Array.from([BigInt(k)]), [1]),
    });
    const values = out.values.data as Float32Array;
    const indices = out.indices.data as BigInt64Array;
    const hits: Hit[] = [];
    for (let i = 0; i < values.length; i++) hits.push({ row: Number(indices[i]), score: values[i] * scale });
    // Same tie order as the JS engine.
    hits.sort((a, b) => b.score - a.score || a.row - b.row);
    return hits;
  }

  async dispose(): Promise<void> { await this.session.release(); }
}
