/**
 * Retrieval metrics as used in the ZS-SBIR literature (SAKE, Doodle2Search, ...), per query,
 * then averaged over queries. Definitions: bench/README.md#metrics.
 *
 * Ranking: gallery items sorted by descending score. Ties are broken pessimistically: an
 * irrelevant item whose score equals a relevant item's score ranks above it (so a model that
 * outputs constant vectors cannot score above chance by ordering luck).
 */

export interface QueryMetrics {
  /** Average precision over the whole ranked gallery. */
  apAll: number;
  /** Precision in the top 100. */
  p100: number;
  /** AP over the top 200, normalised by the relevant items found in the top 200 (0 if none). */
  ap200: number;
  /** Precision in the top 200. */
  p200: number;
  /** Relevant items in the gallery. */
  relevant: number;
}

/**
 * 1-based ranks of the relevant items, ascending.
 * scores: one per gallery item; relevant(j) says whether item j is relevant; exclude: an item that
 * is not part of this query's gallery (the query itself in find-similar), or -1.
 */
export function relevantRanks(scores: ArrayLike<number>, relevant: (j: number) => boolean, exclude = -1): number[] {
  const n = scores.length;
  const pos: number[] = [];
  for (let j = 0; j < n; j++) if (j !== exclude && relevant(j)) pos.push(scores[j]);
  if (pos.length === 0) return [];
  pos.sort((a, b) => b - a); // descending
  const R = pos.length;
  // negAbove[i]: irrelevant items ranked above the i-th relevant item (score >= its score).
  const cnt = new Float64Array(R + 1);
  for (let j = 0; j < n; j++) {
    if (j === exclude || relevant(j)) continue;
    const s = scores[j];
    if (!(s >= pos[R - 1])) continue; // NaN or below every relevant item
    // first index i with pos[i] <= s: this negative is above relevant items i..R-1
    let lo = 0, hi = R - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (pos[mid] <= s) hi = mid; else lo = mid + 1;
    }
    cnt[lo]++;
  }
  const ranks: number[] = new Array(R);
  let above = 0;
  for (let i = 0; i < R; i++) {
    above += cnt[i];
    ranks[i] = i + 1 + above;
  }
  return ranks;
}

export function metricsFromRanks(ranks: number[]): QueryMetrics {
  const R = ranks.length;
  let apAll = 0, in100 = 0, in200 = 0, ap200 = 0;
  for (let i = 0; i < R; i++) {
    const prec = (i + 1) / ranks[i];
    apAll += prec;
    if (ranks[i] <= 100) in100++;
    if (ranks[i] <= 200) { in200++; ap200 += prec; }
  }
  return {
    apAll: R > 0 ? apAll / R : 0,
    p100: in100 / 100,
    ap200: in200 > 0 ? ap200 / in200 : 0,
    p200: in200 / 200,
    relevant: R,
  };
}

export function queryMetrics(scores: ArrayLike<number>, relevant: (j: number) => boolean, exclude = -1): QueryMetrics {
  return metricsFromRanks(relevantRanks(scores, relevant, exclude));
}

export interface Summary {
  'mAP@all': number;
  'P@100': number;
  'mAP@200': number;
  'P@200': number;
  queries: number;
  gallery: number;
  /** 95% bootstrap interval of mAP@all over queries. */
  'mAP@all_ci95': [number, number];
  /** Share of queries with a relevant item in the top 10 of a 1,000-image folder (bench/README.md#metrics); QuickDraw datasets only. */
  'hit@10_1k'?: number;
  'hit@10_1k_ci95'?: [number, number];
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : 0;
}

export function summarize(per: QueryMetrics[], gallery: number, seed = 1, resamples = 1000): Summary {
  const ap = per.map((m) => m.apAll);
  return {
    'mAP@all': mean(ap),
    'P@100': mean(per.map((m) => m.p100)),
    'mAP@200': mean(per.map((m) => m.ap200)),
    'P@200': mean(per.map((m) => m.p200)),
    queries: per.length,
    gallery,
    'mAP@all_ci95': bootstrapCI(ap, seed, resamples),
  };
}

/** Deterministic PRNG (mulberry32): same seed, same sequence, on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Percentile bootstrap of the mean: resample queries with replacement. */
export function bootstrapCI(xs: number[], seed = 1, resamples = 1000, level = 0.95): [number, number] {
  const n = xs.length;
  if (n === 0) return [0, 0];
  const rnd = mulberry32(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += xs[Math.floor(rnd() * n)];
    means[b] = s / n;
  }
  means.sort();
  const lo = (1 - level) / 2;
  const q = (p: number) => means[Math.min(resamples - 1, Math.max(0, Math.floor(p * resamples)))];
  return [q(lo), q(1 - lo)];
}

/** Deterministic sample of k items (Fisher-Yates prefix), order preserved as sampled. */
export function sample<T>(xs: readonly T[], k: number, rnd: () => number): T[] {
  const a = xs.slice();
  k = Math.min(k, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rnd() * (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

/** p-quantile (0..1) of numbers by nearest rank. */
export function quantile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = xs.slice().sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))];
}

/**
 * Floyd's algorithm: k distinct integers from [0, n), deterministic for a given rnd. O(k), so a
 * fresh folder can be drawn for every query without copying the gallery.
 */
export function sampleIndices(n: number, k: number, rnd: () => number): number[] {
  k = Math.min(k, n);
  const picked = new Set<number>();
  for (let j = n - k; j < n; j++) {
    const t = Math.floor(rnd() * (j + 1));
    picked.add(picked.has(t) ? j : t);
  }
  return [...picked];
}

/**
 * The user-level metric: is a matching image in the top k of a folder of `folderSize` images that
 * holds every relevant item plus random other gallery items? (bench/README.md#metrics)
 * negatives: the gallery indices that are not relevant to this query (the query itself left out);
 * positives: the relevant ones. Ties are pessimistic, as in relevantRanks. Returns the 1-based
 * rank of the best relevant item in that folder, or 0 when the query has no relevant item.
 */
export function bestRankInFolder(scores: ArrayLike<number>, positives: ArrayLike<number>, negatives: ArrayLike<number>, folderSize: number, rnd: () => number): number {
  if (positives.length === 0) return 0;
  let best = -Infinity;
  for (let i = 0; i < positives.length; i++) best = Math.max(best, scores[positives[i]]);
  const room = Math.max(0, folderSize - positives.length);
  let above = 0;
  for (const s of sampleIndices(negatives.length, room, rnd)) if (scores[negatives[s]] >= best || Number.isNaN(best)) above++;
  return 1 + above;
}
