/** In-memory vectors with exact cosine top-k (vectors are L2-normalised, so cosine = dot). */

export interface Hit { row: number; score: number }

export class VectorMatrix {
  private data: Float32Array;
  private rows = 0;

  constructor(readonly dim: number, capacity = 1024) {
    this.data = new Float32Array(dim * Math.max(1, capacity));
  }

  get count(): number { return this.rows; }

  /** Append a vector; returns its row. */
  push(v: Float32Array): number {
    if (v.length !== this.dim) throw new Error(`vector has ${v.length} dims, index has ${this.dim}`);
    if ((this.rows + 1) * this.dim > this.data.length) {
      const next = new Float32Array(Math.max(this.data.length * 2, (this.rows + 1) * this.dim));
      next.set(this.data.subarray(0, this.rows * this.dim));
      this.data = next;
    }
    this.data.set(v, this.rows * this.dim);
    return this.rows++;
  }

  get(row: number): Float32Array {
    return this.data.subarray(row * this.dim, (row + 1) * this.dim);
  }

  set(row: number, v: Float32Array): void {
    this.data.set(v, row * this.dim);
  }

  /** Remove a row by moving the last row into its place; returns the row that moved (or -1). */
  swapRemove(row: number): number {
    const last = this.rows - 1;
    if (row !== last) this.data.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
    this.rows--;
    return row !== last ? last : -1;
  }

  raw(): Float32Array { return this.data.subarray(0, this.rows * this.dim); }

  /** Exact top-k by dot product. `filter` (optional) can exclude rows. */
  topK(q: Float32Array, k: number, filter?: (row: number) => boolean): Hit[] {
    return topKDot(this.data, this.rows, this.dim, q, k, filter);
  }
}

/** Brute-force top-k over a row-major matrix with a bounded min-heap. */
export function topKDot(
  data: Float32Array, rows: number, dim: number, q: Float32Array, k: number, filter?: (row: number) => boolean,
): Hit[] {
  if (q.length !== dim) throw new Error(`query has ${q.length} dims, index has ${dim}`);
  k = Math.max(0, Math.min(k, rows));
  if (k === 0) return [];
  const heapS = new Float64Array(k);
  const heapR = new Int32Array(k);
  let size = 0;
  for (let r = 0; r < rows; r++) {
    if (filter && !filter(r)) continue;
    let s = 0;
    const o = r * dim;
    for (let j = 0; j < dim; j++) s += data[o + j] * q[j];
    if (size < k) {
      // sift up
      let i = size++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (heapS[p] <= s) break;
        heapS[i] = heapS[p]; heapR[i] = heapR[p]; i = p;
      }
      heapS[i] = s; heapR[i] = r;
    } else if (s > heapS[0]) {
      // replace root, sift down
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
