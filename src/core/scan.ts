/**
 * Find the image files under a folder: include/exclude globs (picomatch, relative '/'-paths),
 * symbolic links not followed (no loops, nothing outside the folder), unreadable folders skipped.
 */
import * as fs from 'fs';
import * as path from 'path';
import picomatch from 'picomatch';

export const DEFAULT_INCLUDE = ['**/*.{png,jpg,jpeg,gif,webp,svg,bmp,tif,tiff,avif}'];
export const DEFAULT_EXCLUDE = ['**/node_modules/**', '**/.git/**'];

export interface ScanOptions {
  include?: string[];
  exclude?: string[];
  /** Files larger than this are reported as skipped. */
  maxFileBytes?: number;
}

/** The reason shown for a file over the size cap. */
export function tooLargeReason(maxFileBytes: number): string {
  return `larger than ${(maxFileBytes / 1e6).toFixed(0)} MB`;
}

export interface ScannedFile { rel: string; abs: string; size: number; mtimeMs: number }
export interface ScanResult { files: ScannedFile[]; skipped: { path: string; reason: string }[] }

export function makeMatcher(opts: ScanOptions): { included(rel: string): boolean; excludedDir(rel: string): boolean } {
  const pm = { dot: true, nocase: true };
  const inc = picomatch(opts.include?.length ? opts.include : DEFAULT_INCLUDE, pm);
  const exc = picomatch(opts.exclude ?? DEFAULT_EXCLUDE, pm);
  return {
    included: (rel) => inc(rel) && !exc(rel),
    // A folder is pruned if a pattern like "**/node_modules/**" matches something inside it.
    excludedDir: (rel) => exc(rel) || exc(`${rel}/`) || exc(`${rel}/x`),
  };
}

export async function scanFolder(root: string, opts: ScanOptions = {}): Promise<ScanResult> {
  const m = makeMatcher(opts);
  const files: ScannedFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const stack: string[] = [''];
  while (stack.length) {
    const relDir = stack.pop()!;
    let dir: fs.Dir;
    try {
      dir = await fs.promises.opendir(path.join(root, relDir));
    } catch (e) {
      if (relDir) skipped.push({ path: relDir, reason: `folder not readable (${(e as NodeJS.ErrnoException).code ?? 'error'})` });
      continue;
    }
    for await (const d of dir) {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      if (d.isDirectory()) {
        if (!m.excludedDir(rel)) stack.push(rel);
      } else if (d.isFile()) {
        if (!m.included(rel)) continue;
        const abs = path.join(root, rel);
        try {
          const st = await fs.promises.stat(abs);
          if (opts.maxFileBytes !== undefined && st.size > opts.maxFileBytes) {
            skipped.push({ path: rel, reason: tooLargeReason(opts.maxFileBytes) });
            continue;
          }
          files.push({ rel, abs, size: st.size, mtimeMs: st.mtimeMs });
        } catch {
          // deleted between listing and stat: simply not there
        }
      }
      // symbolic links and special files are not followed
    }
  }
  files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return { files, skipped };
}
