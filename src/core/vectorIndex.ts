/**
 * In-memory vectors (8-bit codes + a scale per row, see quantize.ts) and exact top-k over them.
 * Vectors are L2-normalised, so the inner product is the cosine similarity.
 */
import { dequantize, quantizeInto, quantizeQuery, ZERO_POINT } from './quantize';

export interface Hit { row: number; score: number }

/** A quantised matrix view: rows x dim codes (row-major) and one scale per row. */
export interface QuantizedRows { codes: Uint8Array; scales: Float32Array; rows: number; dim: number }

export class VectorMatrix {
  private codesBuf: Uint8Array;
  private scalesBuf: Float32Array;
  private rows = 0;

  constructor(readonly dim: number, capacity = 1024) {
    const cap = Math.max(1, capacity);
    this.codesBuf = new Uint8Array(dim * cap);
    this.scalesBuf = new Float32Array(cap);
  }

  get count(): number { return this.rows; }

  /** Append a float vector (quantised); returns its row. */
  push(v: Float32Array): number {
    this.ensure(this.rows + 1);
    this.set(this.rows, v);
    return this.rows++;
  }

  /** Append already-quantised codes. */
  pushCodes(codes: Uint8Array, scale: number): number {
    if (codes.length !== this.dim) throw new Error(`vector has ${codes.length} dims, index has ${this.dim}`);
    this.ensure(this.rows + 1);
    this.codesBuf.set(codes, this.rows * this.dim);
    this.scalesBuf[this.rows] = scale;
    return this.rows++;
  }

  /** The row's vector, dequantised (a copy). */
  get(row: number): Float32Array {
    return dequantize(this.codesBuf, row * this.dim, this.dim, this.scalesBuf[row]);
  }

  codesOf(row: number): { codes: Uint8Array; scale: number } {
    return { codes: this.codesBuf.subarray(row * this.dim, (row + 1) * this.dim), scale: this.scalesBuf[row] };
  }

  setCodes(row: number, codes: Uint8Array, scale: number): void {
    if (codes.length !== this.dim) throw new Error(`vector has ${codes.length} dims, index has ${this.dim}`);
    this.codesBuf.set(codes, row * this.dim);
    this.scalesBuf[row] = scale;
  }

  set(row: number, v: Float32Array): void {
    if (v.length !== this.dim) throw new Error(`vector has ${v.length} dims, index has ${this.dim}`);
    this.scalesBuf[row] = quantizeInto(v, this.codesBuf, row * this.dim);
  }

  /** Remove a row by moving the last row into its place; returns the row that moved (or -1). */
  swapRemove(row: number): number {
    const last = this.rows - 1;
    if (row !== last) {
      this.codesBuf.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      this.scalesBuf[row] = this.scalesBuf[last];
    }
    this.rows--;
    return row !== last ? last : -1;
  }

  /** A view of the live rows (no copy). */
  view(): QuantizedRows {
    return { codes: this.codesBuf.subarray(0, this.rows * this.dim), scales: this.scalesBuf.subarray(0, this.rows), rows: this.rows, dim: this.dim };
  }

  /** Exact top-k over the stored (quantised) vectors. */
  topK(q: Float32Array, k: number): Hit[] {
    return topKQuantized(this.view(), q, k);
  }

  private ensure(rows: number): void {
    if (rows <= this.scalesBuf.length) return;
    const cap = Math.max(this.scalesBuf.length * 2, rows);
    const codes = new Uint8Array(cap * this.dim);
    codes.set(this.codesBuf.subarray(0, this.rows * this.dim));
    const scales = new Float32Array(cap);
    scales.set(this.scalesBuf.subarray(0, this.rows));
    this.codesBuf = codes;
    this.scalesBuf = scales;
  }
}

/**
 * Exact top-k over quantised rows, with the query quantised the same way as the onnxruntime engine
 * does, so both engines compute the same integer products and return the same ranking.
 */
export function topKQuantized(m: QuantizedRows, q: Float32Array, k: number): Hit[] {
  if (q.length !== m.dim) throw new Error(`query has ${q.length} dims, index has ${m.dim}`);
  const { q8, scale: qs } = quantizeQuery(q);
  const { codes, scales, rows, dim } = m;
  // Σ (c - 128) q = Σ c q - 128 Σ q: the inner loop is then a plain uint8 x int32 product.
  const qi = Int32Array.from(q8);
  let qsum = 0;
  for (let j = 0; j < dim; j++) qsum += qi[j];
  const bias = ZERO_POINT * qsum;
  const scores = new Float32Array(rows);
  for (let r = 0, o = 0; r < rows; r++, o += dim) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let j = 0;
    for (; j + 3 < dim; j += 4) {
      // int32 arithmetic (|0): sums stay below 2^31 for dim <= 65k
      s0 = (s0 + codes[o + j] * qi[j]) | 0;
      s1 = (s1 + codes[o + j + 1] * qi[j + 1]) | 0;
      s2 = (s2 + codes[o + j + 2] * qi[j + 2]) | 0;
      s3 = (s3 + codes[o + j + 3] * qi[j + 3]) | 0;
    }
    for (; j < dim; j++) s0 = (s0 + codes[o + j] * qi[j]) | 0;
    scores[r] = (s0 + s1 + s2 + s3 - bias) * scales[r] * qs;
  }
  return topKOfScores(scores, rows, k);
}

/** Top-k of a score array with a bounded min-heap. */
export function topKOfScores(scores: Float32Array | Float64Array, rows: number, k: number): Hit[] {
  k = Math.max(0, Math.min(k, rows));
  if (k === 0) return [];
  const heapS = new Float64Array(k);
  const heapR = new Int32Array(k);
  let size = 0;
  for (let r = 0; r < rows; r++) {
    const s = scores[r];
    if (size < k) {
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapS[p] <= s) break;
        heapS[i] = heapS[p]; heapR[i] = heapR[p]; i = p;
      }
      heapS[i] = s; heapR[i] = r;
    } else if (s > heapS[0]) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const c = l + 1 < size && heapS[l + 1] < heapS[l] ? l + 1 : l;
        if (heapS[c] >= s) break;
        heapS[i] = heapS[c]; heapR[i] = heapR[c]; i = c;
      }
      heapS[i] = s; heapR[i] = r;
    }
  }
  const out: Hit[] = [];
  for (let i = 0; i < size; i++) out.push({ row: heapR[i], score: heapS[i] });
  out.sort((a, b) => b.score - a.score || a.row - b.row);
  return out;
}

/** Brute-force float32 top-k over a row-major matrix (reference and benchmark baseline). */
export function topKDot(
  data: Float32Array, rows: number, dim: number, q: Float32Array, k: number, filter?: (row: number) => boolean,
): Hit[] {
  if (q.length !== dim) throw new Error(`query has ${q.length} dims, index has ${dim}`);
  const scores = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    if (filter && !filter(r)) { scores[r] = -Infinity; continue; }
    let s = 0;
    const o = r * dim;
    for (let j = 0; j < dim; j++) s += data[o + j] * q[j];
    scores[r] = s;
  }
  const hits = topKOfScores(scores, rows, k);
  return filter ? hits.filter((h) => h.score !== -Infinity) : hits;
}
