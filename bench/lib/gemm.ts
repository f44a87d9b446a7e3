/**
 * Dense score matrices for the quality benchmark (queries x gallery dot products), computed by
 * onnxruntime-node's own GEMM: a one-node ONNX graph (Gemm, transB=1) built here byte by byte, so
 * evaluating thousands of queries against a 20k+ gallery takes seconds, not minutes.
 * (Only the *evaluation* uses this; the product's search, timed in bench/perf, is vectorIndex.topKDot.)
 */
import type { InferenceSession } from 'onnxruntime-node';

function varint(n: number): number[] {
  const out: number[] = [];
  let v = BigInt(n);
  do {
    let b = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) b |= 0x80;
    out.push(b);
  } while (v > 0n);
  return out;
}
const key = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, v: number) => [...key(field, 0), ...varint(v)];
const bytes = (field: number, b: number[]) => [...key(field, 2), ...varint(b.length), ...b];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, 'utf8')]);

function valueInfo(name: string, dims: (number | string)[]): number[] {
  const shape = dims.flatMap((d) => bytes(1, typeof d === 'number' ? int(1, d) : str(2, d)));
  const tensorType = [...int(1, 1 /* FLOAT */), ...bytes(2, shape)];
  return [...str(1, name), ...bytes(2, bytes(1, tensorType))];
}

/** ONNX model: Y[M,N] = A[M,K] * B[N,K]^T. */
export function gemmModel(k: number): Uint8Array {
  const attr = [...str(1, 'transB'), ...int(3, 1), ...int(20, 2 /* INT */)];
  const node = [...str(1, 'A'), ...str(1, 'B'), ...str(2, 'Y'), ...str(3, 'gemm'), ...str(4, 'Gemm'), ...bytes(5, attr)];
  const graph = [
    ...bytes(1, node), ...str(2, 'scores'),
    ...bytes(11, valueInfo('A', ['M', k])), ...bytes(11, valueInfo('B', ['N', k])),
    ...bytes(12, valueInfo('Y', ['M', 'N'])),
  ];
  const model = [...int(1, 8), ...bytes(8, [...str(1, ''), ...int(2, 13)]), ...bytes(7, graph)];
  return Uint8Array.from(model);
}

export class Scorer {
  private constructor(private readonly ort: typeof import('onnxruntime-node'), private readonly session: InferenceSession, readonly dim: number) {}

  static async create(dim: number): Promise<Scorer> {
    const ort = await import('onnxruntime-node');
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
