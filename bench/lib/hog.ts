/**
 * Training-free baseline: HOG (Dalal & Triggs) of an edge map of the image versus HOG of the
 * sketch raster. Both start from the product's 128 px input tensor (preprocess.ts), so the
 * baseline sees exactly what the model sees.
 *
 *   sketch: ink map = (1 - gray)          (black strokes on white -> strokes = 1)
 *   image:  edge map = Sobel magnitude of gray, divided by its maximum
 *   HOG:    [-1,0,1] gradients, 9 unsigned orientation bins, 16x16 px cells (8x8 cells),
 *           2x2-cell blocks with stride 1 (7x7 blocks), L2-Hys per block (clip 0.2) -> 1764 dims, L2-normalised.
 */
import { INPUT_SIZE, l2normalize } from '../../src/core/preprocess';

export const HOG_VERSION = 'edge-hog-v1';
const S = INPUT_SIZE;
const CELL = 16, BINS = 9;
const NC = S / CELL;
export const HOG_DIM = (NC - 1) * (NC - 1) * 4 * BINS;

function gray(t: Float32Array): Float32Array {
  const n = S * S, g = new Float32Array(n);
  for (let i = 0; i < n; i++) g[i] = ((t[i] + t[n + i] + t[2 * n + i]) / 3 + 1) / 2; // 0 black .. 1 white
  return g;
}

export function edgeMap(t: Float32Array): Float32Array {
  const g = gray(t), e = new Float32Array(S * S);
  let max = 0;
  for (let y = 1; y < S - 1; y++) {
    for (let x = 1; x < S - 1; x++) {
      const i = y * S + x;
      const gx = (g[i - S + 1] + 2 * g[i + 1] + g[i + S + 1]) - (g[i - S - 1] + 2 * g[i - 1] + g[i + S - 1]);
      const gy = (g[i + S - 1] + 2 * g[i + S] + g[i + S + 1]) - (g[i - S - 1] + 2 * g[i - S] + g[i - S + 1]);
      const m = Math.sqrt(gx * gx + gy * gy);
      e[i] = m;
      if (m > max) max = m;
    }
  }
  if (max > 0) for (let i = 0; i < e.length; i++) e[i] /= max;
  return e;
}

export function inkMap(t: Float32Array): Float32Array {
  const g = gray(t);
  for (let i = 0; i < g.length; i++) g[i] = 1 - g[i];
  return g;
}

export function hog(map: Float32Array): Float32Array {
  const cells = new Float32Array(NC * NC * BINS);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const i = y * S + x;
      const gx = (x + 1 < S ? map[i + 1] : map[i]) - (x > 0 ? map[i - 1] : map[i]);
      const gy = (y + 1 < S ? map[i + S] : map[i]) - (y > 0 ? map[i - S] : map[i]);
      const m = Math.sqrt(gx * gx + gy * gy);
      if (m === 0) continue;
      let a = Math.atan2(gy, gx);
      if (a < 0) a += Math.PI;
      let fb = (a / Math.PI) * BINS - 0.5; // bin centres at (b + 0.5) * 20 degrees
      if (fb < 0) fb += BINS;
      const b0 = Math.floor(fb) % BINS, b1 = (b0 + 1) % BINS, w1 = fb - Math.floor(fb);
      const c = (Math.floor(y / CELL) * NC + Math.floor(x / CELL)) * BINS;
      cells[c + b0] += m * (1 - w1);
      cells[c + b1] += m * w1;
    }
  }
  const out = new Float32Array(HOG_DIM);
  let o = 0;
  const blk = new Float32Array(4 * BINS);
  for (let by = 0; by < NC - 1; by++) {
    for (let bx = 0; bx < NC - 1; bx++) {
      let k = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
        const c = ((by + dy) * NC + bx + dx) * BINS;
        for (let b = 0; b < BINS; b++) blk[k++] = cells[c + b];
      }
      normHys(blk);
      out.set(blk, o);
      o += blk.length;
    }
  }
  return l2normalize(out);
}

function normHys(v: Float32Array): void {
  const eps = 1e-6;
  let s = 0;
  for (const x of v) s += x * x;
  let n = 1 / Math.sqrt(s + eps);
  for (let i = 0; i < v.length; i++) v[i] = Math.min(0.2, v[i] * n);
  s = 0;
  for (const x of v) s += x * x;
  n = 1 / Math.sqrt(s + eps);
  for (let i = 0; i < v.length; i++) v[i] *= n;
}

export function hogDescriptor(kind: 'sketch' | 'image', tensor: Float32Array): Float32Array {
  return hog(kind === 'sketch' ? inkMap(tensor) : edgeMap(tensor));
}
