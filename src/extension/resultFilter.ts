/**
 * Host-side filtering of ranked hits for the results filters (file-type chips, folder scope,
 * minimum score). vscode-free so it can be unit-tested. The index ranks everything; we over-fetch
 * and filter until `k` hits pass or the index is exhausted.
 */
import { fileTypeOf, type FileType } from '../shared/protocol';

/** A folder scope: a workspace folder (by URI string) and a '/'-path inside it ('' = all of it). */
export interface Scope { folderUri: string; prefix: string; label: string }

export interface HitLike { path: string; abs: string; score: number; folder: { uri?: { toString(): string } } }

export interface HitFilter {
  types?: readonly FileType[];
  scope?: Scope;
  minScore?: number;
  /** Absolute path never returned (the query image itself). */
  excludeAbs?: string;
}

export function makeHitPredicate(f: HitFilter): (h: HitLike) => boolean {
  const types = f.types && f.types.length > 0 ? new Set(f.types) : undefined;
  const prefix = f.scope?.prefix.replace(/^\/+|\/+$/g, '') ?? '';
  return (h) => {
    if (f.minScore !== undefined && !(h.score >= f.minScore)) return false;
    if (f.excludeAbs !== undefined && h.abs === f.excludeAbs) return false;
    if (types && !types.has(fileTypeOf(h.path))) return false;
    if (f.scope) {
      if (h.folder.uri?.toString() !== f.scope.folderUri) return false;
      if (prefix && !h.path.startsWith(`${prefix}/`)) return false;
    }
    return true;
  };
}

/**
 * Top `k` hits that pass `f`. `fetch(n)` returns the n best hits, best first. Asks for k, then
 * 4x more, … up to `maxFetch`; stops early once hits fall below minScore (they are sorted).
 */
export async function filteredTopK<H extends HitLike>(fetch: (n: number) => Promise<H[]>, k: number, f: HitFilter, maxFetch = 20_000): Promise<H[]> {
  const pred = makeHitPredicate(f);
  const needsMore = (f.types && f.types.length > 0) || f.scope || f.excludeAbs !== undefined;
  let n = needsMore ? Math.min(maxFetch, Math.max(k * 4, k + 1)) : k;
  for (;;) {
    const hits = await fetch(n);
    const kept = hits.filter(pred);
    const last = hits[hits.length - 1];
    const belowMin = f.minScore !== undefined && last !== undefined && last.score < f.minScore;
    if (kept.length >= k || hits.length < n || n >= maxFetch || belowMin) return kept.slice(0, k);
    n = Math.min(maxFetch, n * 4);
  }
}
