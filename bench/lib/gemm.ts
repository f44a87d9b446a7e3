/**
 * Dense score matrices for the quality benchmark (queries x gallery dot products), computed by
 * onnxruntime-node's own GEMM: a one-node ONNX graph (Gemm, transB=1) built here byte by byte, so
 * evaluating thousands of queries against a 20k+ gallery takes seconds, not minutes.
 * (Only the *evaluation* uses this; the product's search, timed in bench/perf, is vectorIndex.topKDot.)
 */
import type { InferenceSession } from 'onnxruntime-node';
import { int, model, node, str, valueInfo } from '../../src/core/onnxGraph';
import { loadOnnxRuntime } from '../../src/core/ort';

/** ONNX model: Y[M,N] = A[M,K] * B[N,K]^T. */
export function gemmModel(k: number): Uint8Array {
  const transB = [...str(1, 'transB'), ...int(3, 1), ...int(20, 2 /* INT */)];
  return model('scores', [node(['A', 'B'], ['Y'], 'gemm', 'Gemm', [transB])], [valueInfo('A', ['M', k]), valueInfo('B', ['N', k])], [valueInfo('Y', ['M', 'N'])]);
}

export class Scorer {
  private constructor(private readonly ort: typeof import('onnxruntime-node'), private readonly session: InferenceSession, readonly dim: number) {}

  static async create(dim: number): Promise<Scorer> {
    const ort = await loadOnnxRuntime();
    const session = await ort.InferenceSession.create(gemmModel(dim), { executionProviders: ['cpu'] });
    return new Scorer(ort, session, dim);
  }

  /** queries: M x dim row-major; gallery: N x dim row-major. Returns M x N scores. */
  async scores(queries: Float32Array, gallery: Float32Array): Promise<Float32Array> {
    const M = queries.length / this.dim, N = gallery.length / this.dim;
    const out = await this.session.run({
      A: new this.ort.Tensor('float32', queries, [M, this.dim]),
      B: new this.ort.Tensor('float32', gallery, [N, this.dim]),
    });
    return out.Y.data as Float32Array;
  }

  async dispose(): Promise<void> { await this.session.release(); }
}
