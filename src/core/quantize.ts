/**
 * Vectors are kept (on disk and in memory) as 8-bit codes with one float scale per vector:
 * code = round(v / scale) + 128 with scale = max|v| / 127, so v ≈ (code - 128) * scale.
 * A quarter of float32's size, and onnxruntime's uint8 x int8 kernels search it about twice as fast
 * as float32 (docs/BENCHMARKS.md; quality impact measured by the benchmark's "int8" rows).
 */

export const ZERO_POINT = 128;

/** Quantise v into codes[offset .. offset + v.length) with |code - 128| <= maxCode; returns the scale. */
export function quantizeInto(v: Float32Array, codes: Uint8Array, offset: number, maxCode = 127): number {
  let max = 0;
  for (let i = 0; i < v.length; i++) { const a = Math.abs(v[i]); if (a > max) max = a; }
  const scale = max > 0 ? max / maxCode : 1;
  const inv = 1 / scale;
  for (let i = 0; i < v.length; i++) {
    let c = Math.round(v[i] * inv);
    if (c > maxCode) c = maxCode; else if (c < -maxCode) c = -maxCode;
    codes[offset + i] = c + ZERO_POINT;
  }
  return scale;
}

export function dequantize(codes: Uint8Array, offset: number, dim: number, scale: number, out = new Float32Array(dim)): Float32Array {
  for (let i = 0; i < dim; i++) out[i] = (codes[offset + i] - ZERO_POINT) * scale;
  return out;
}

/**
 * Largest query code. 7 bits, not 8: on x86 CPUs without VNNI (AVX2, plain AVX-512) onnxruntime's
 * uint8 x int8 kernel adds pairs of products in int16 (VPMADDUBSW), which saturates once
 * 2 * 255 * |q| > 32767. With |q| <= 63 no sum can saturate, so the fast kernel stays exact and both
 * engines rank identically on every CPU (test/unit/topk-engine.test.ts failed on an AVX2 machine).
 */
export const QUERY_MAX_CODE = 63;

/** A query as signed 7-bit values and its scale (for the uint8 x int8 product). */
export function quantizeQuery(q: Float32Array): { q8: Int8Array; scale: number } {
  const codes = new Uint8Array(q.length);
  const scale = quantizeInto(q, codes, 0, QUERY_MAX_CODE);
  const q8 = new Int8Array(q.length);
  for (let i = 0; i < q.length; i++) q8[i] = codes[i] - ZERO_POINT;
  return { q8, scale };
}

/** Quantise a whole row-major float matrix. */
export function quantizeMatrix(vectors: Float32Array, rows: number, dim: number): { codes: Uint8Array; scales: Float32Array } {
  const codes = new Uint8Array(rows * dim);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) scales[r] = quantizeInto(vectors.subarray(r * dim, (r + 1) * dim), codes, r * dim);
  return { codes, scales };
}
