/**
 * The index of one folder: entries + vectors in memory, persisted with indexStore, kept equal to
 * the files on disk by `reconcile` (full scan diff: only new or changed size/mtime files are
 * encoded) and by `updateFiles` / `removeFiles` (file watcher events).
 */
import { createHash } from 'crypto';
import { mkdir, open, readFile, rm, stat } from 'fs/promises';
import * as path from 'path';
import { EntryMeta, IndexLoadError, readIndexFile, SkippedFile, writeIndexFile } from './indexStore';
import { makeMatcher, ScannedFile, scanFolder, ScanOptions, tooLargeReason } from './scan';
import { annCandidates, annUsable, removeAnnFiles, type AnnSearcher } from './annIndex';
import { jsTopK, TopKEngine } from './topkEngine';
import { quantizeInto } from './quantize';
import { Hit, QuantizedRows, VectorMatrix } from './vectorIndex';
import type { EmbedResult } from './embedder';

/** What encodes files for the index (the in-process Embedder, or the worker-process client). */
export interface FileEncoder {
  readonly modelId: string;
  readonly dim: number;
  embedFiles(absPaths: string[]): Promise<EmbedResult[]>;
}

export interface CancelToken { readonly cancelled: boolean }
export interface Progress { done: number; total: number }

export interface FolderIndexOptions extends ScanOptions {
  batchSize?: number;
  preprocessVersion: number;
  /** Persist at most this often during long runs (ms). */
  saveEveryMs?: number;
  /** Keep the index in memory only (another process owns the file). */
  readOnly?: boolean;
  /** Called between batches; may wait (e.g. while the user draws). */
  between?: () => Promise<void>;
  log?: (line: string) => void;
}

type JournalRecord = { e: EntryMeta; v: Float32Array } | { skip: string; reason: string } | { del: string };

export interface SearchHit { path: string; abs: string; score: number }

export class FolderIndex {
  private entries: EntryMeta[] = [];
  private rowOf = new Map<string, number>();
  private vectors: VectorMatrix;
  private skipped = new Map<string, string>();
  private dirty = false;
  /** How many entries of each file size exist (to find identical files cheaply). */
  private sizes = new Map<number, number>();
  /** Files that reused the vector of an identical file instead of being encoded. */
  dedupedCount = 0;
  /** Approximate search snapshot (large folders only) and the paths put since it was taken. */
  private ann: AnnSearcher | undefined;
  private annDelta = new Set<string>();
  private lastSave = Date.now();
  private journalStarted = false;
  private changes = 0;
  private matcher: ReturnType<typeof makeMatcher> | undefined;

  constructor(
    readonly root: string,
    readonly storeFile: string,
    private readonly encoder: FileEncoder,
    private readonly opts: FolderIndexOptions,
  ) {
    this.vectors = new VectorMatrix(encoder.dim);
  }

  get size(): number { return this.entries.length; }
  get dim(): number { return this.vectors.dim; }
  get skippedFiles(): SkippedFile[] { return [...this.skipped].map(([p, reason]) => ({ path: p, reason })); }
  get skippedCount(): number { return this.skipped.size; }
  /** Grows whenever an entry is added, replaced or removed: what a search can return changed. */
  get version(): number { return this.changes; }
  listEntries(): readonly EntryMeta[] { return this.entries; }
  vectorOf(rel: string): Float32Array | undefined {
    const r = this.rowOf.get(rel);
    return r === undefined ? undefined : this.vectors.get(r);
  }

  /** Load from disk. Returns a message if the stored index was unusable and set aside. */
  async load(): Promise<string | undefined> {
    let stored;
    try {
      stored = await readIndexFile(this.storeFile);
    } catch (e) {
      const why = e instanceof IndexLoadError ? e.message : `cannot read index: ${(e as Error).message}`;
      return `${why}; it was set aside and the folder will be re-indexed`;
    }
    if (!stored) {
      await this.replayJournal();
      return undefined;
    }
    if (stored.modelId !== this.encoder.modelId || stored.preprocessVersion !== this.opts.preprocessVersion || stored.dim !== this.encoder.dim) {
      return 'the model or preprocessing changed; re-encoding every image';
    }
    this.entries = [];
    this.rowOf.clear();
    this.sizes.clear();
    this.vectors = new VectorMatrix(stored.dim, stored.entries.length);
    const dim = stored.dim;
    stored.entries.forEach((e, i) => this.putCodes(e, stored!.codes.subarray(i * dim, (i + 1) * dim), stored!.scales[i]));
    for (const s of stored.skipped) this.skipped.set(s.path, s.reason);
    await this.replayJournal();
    return undefined;
  }

  private get journalFile(): string { return `${this.storeFile}.journal`; }

  /** The approximate-search snapshot's file (annIndex.ts), next to the index. */
  get annFile(): string { return `${this.storeFile}.hnsw`; }

  /** Delete everything stored for this folder: index file, journal, search snapshot. */
  async discardStored(): Promise<void> {
    await rm(this.storeFile, { force: true });
    await rm(this.journalFile, { force: true });
    await removeAnnFiles(this.annFile);
  }

  /**
   * Work done since the last full save is appended to a journal after every batch (fsynced), so
   * a crash or a kill loses at most the batch in flight. Lines: a header, then one JSON record per
   * file: {p, s, m, h, v: base64 float16} for an encoded file, {x, r} for a skipped one.
   */
  private async appendJournal(records: JournalRecord[]): Promise<void> {
    if (this.opts.readOnly || records.length === 0) return;
    let text = '';
    if (!this.journalStarted) {
      text += JSON.stringify({ modelId: this.encoder.modelId, preprocessVersion: this.opts.preprocessVersion, dim: this.encoder.dim }) + '\n';
    }
    for (const r of records) {
      if ('e' in r) {
        const row = this.rowOf.get(r.e.path);
        if (row === undefined) continue; // removed again within the batch
        const { codes, scale } = this.vectors.codesOf(row);
        text += JSON.stringify({ p: r.e.path, s: r.e.size, m: r.e.mtimeMs, h: r.e.hash, c: Buffer.from(codes).toString('base64'), k: scale }) + '\n';
      } else if ('skip' in r) text += JSON.stringify({ x: r.skip, r: r.reason }) + '\n';
      else text += JSON.stringify({ d: r.del }) + '\n';
    }
    await mkdir(path.dirname(this.journalFile), { recursive: true });
    const fh = await open(this.journalFile, this.journalStarted ? 'a' : 'w');
    try {
      await fh.writeFile(text);
      await fh.sync();
    } finally {
      await fh.close();
    }
    this.journalStarted = true;
  }

  private async replayJournal(): Promise<void> {
    let text: string;
    try { text = await readFile(this.journalFile, 'utf8'); } catch { return; }
    const lines = text.split('\n');
    try {
      const h = JSON.parse(lines[0]);
      if (h.modelId !== this.encoder.modelId || h.preprocessVersion !== this.opts.preprocessVersion || h.dim !== this.encoder.dim) return;
    } catch { return; }
    for (const line of lines.slice(1)) {
      if (!line) continue;
      let r: { p?: string; s?: number; m?: number; h?: string; c?: string; k?: number; x?: string; r?: string; d?: string };
      try { r = JSON.parse(line); } catch { break; } // torn last write
      if (typeof r.d === 'string') { this.removeTree(r.d); continue; }
      if (typeof r.x === 'string') { this.remove(r.x); this.skipped.set(r.x, String(r.r)); continue; }
      if (typeof r.p !== 'string' || typeof r.c !== 'string' || typeof r.k !== 'number') break;
      const codes = new Uint8Array(Buffer.from(r.c, 'base64'));
      if (codes.length !== this.encoder.dim) break;
      this.skipped.delete(r.p);
      this.putCodes({ path: r.p, size: Number(r.s), mtimeMs: Number(r.m), hash: String(r.h) }, codes, r.k);
    }
    this.dirty = true;
  }

  async save(): Promise<void> {
    if (!this.dirty || this.opts.readOnly) return;
    this.dirty = false;
    this.lastSave = Date.now();
    await writeIndexFile(this.storeFile, {
      modelId: this.encoder.modelId, preprocessVersion: this.opts.preprocessVersion, dim: this.encoder.dim,
      entries: this.entries, codes: this.vectors.view().codes, scales: this.vectors.view().scales, skipped: this.skippedFiles,
    });
    // Everything in the journal is now in the index file.
    await rm(this.journalFile, { force: true });
    this.journalStarted = false;
  }

  /** Make the index equal to the folder: drop vanished files, encode new or changed ones. */
  async reconcile(onProgress?: (p: Progress) => void, token?: CancelToken): Promise<{ added: number; removed: number; failed: number }> {
    const scan = await scanFolder(this.root, this.opts);
    const onDisk = new Map(scan.files.map((f) => [f.rel, f]));
    let removed = 0;
    for (const e of [...this.entries]) {
      if (!onDisk.has(e.path)) { this.remove(e.path); removed++; }
    }
    for (const p of [...this.skipped.keys()]) if (!onDisk.has(p)) this.skipped.delete(p);
    for (const s of scan.skipped) this.skipped.set(s.path, s.reason);
    const todo = scan.files.filter((f) => {
      const r = this.rowOf.get(f.rel);
      // New, or skipped before: a skipped file's old stat is not kept, so every full reconcile
      // retries it (cheap: failures are rare).
      if (r === undefined) return true;
      const e = this.entries[r];
      return e.size !== f.size || e.mtimeMs !== f.mtimeMs;
    });
    const res = await this.encodeFiles(todo, onProgress, token);
    this.dirty ||= removed > 0;
    await this.save();
    return { added: res.added, removed, failed: res.failed };
  }

  /** Whether a watcher event for this path may lead to an encode (inside the folder, included). */
  wouldIndex(abs: string): boolean {
    const rel = this.relOf(abs);
    this.matcher ??= makeMatcher(this.opts);
    return rel !== undefined && rel !== '' && this.matcher.included(rel);
  }

  /**
   * Files created or changed (watcher). Paths are absolute. With a cancelled token nothing more
   * is encoded (a later reconcile picks the rest up); removals of vanished files still apply.
   */
  async updateFiles(absPaths: string[], onProgress?: (p: Progress) => void, token?: CancelToken): Promise<void> {
    const files: ScannedFile[] = [];
    const m = makeMatcher(this.opts);
    let sawFolder = false;
    const gone: string[] = []; // vanished or no longer included: journaled as deletions
    for (const abs of absPaths) {
      const rel = this.relOf(abs);
      if (rel === undefined) continue;
      try {
        const st = await stat(abs);
        if (st.isDirectory()) { sawFolder = true; continue; }
        if (!st.isFile()) continue;
        if (!m.included(rel)) { this.remove(rel); gone.push(rel); continue; }
        if (this.opts.maxFileBytes !== undefined && st.size > this.opts.maxFileBytes) {
          this.remove(rel);
          gone.push(rel);
          this.skipped.set(rel, tooLargeReason(this.opts.maxFileBytes));
          continue;
        }
        files.push({ rel, abs, size: st.size, mtimeMs: st.mtimeMs });
      } catch {
        this.remove(rel);
        gone.push(rel);
      }
    }
    await this.appendJournal(gone.map((r) => ({ del: r })));
    await this.encodeFiles(files, onProgress, token);
    // A folder appeared (moved in, checked out): its files may not get their own events.
    if (sawFolder && !token?.cancelled) {
      const n = files.length;
      await this.reconcile(onProgress && ((p) => onProgress({ done: n + p.done, total: n + p.total })), token);
    }
    await this.maybeSave();
  }

  /** Files (or folders) deleted (watcher). Paths are absolute. */
  async removeFiles(absPaths: string[]): Promise<void> {
    const journal: JournalRecord[] = [];
    for (const abs of absPaths) {
      const rel = this.relOf(abs);
      if (rel === undefined) continue;
      this.removeTree(rel);
      journal.push({ del: rel });
    }
    await this.appendJournal(journal);
    await this.maybeSave();
  }

  /** Remove a file, or everything under a folder ('' = all). */
  private removeTree(rel: string): void {
    if (rel === '') {
      for (const e of [...this.entries]) this.remove(e.path);
      this.skipped.clear();
      return;
    }
    if (this.rowOf.has(rel)) {
      // A file: no need to look for entries below it (that scan is O(index) per event).
      this.remove(rel);
      this.skipped.delete(rel);
      return;
    }
    this.skipped.delete(rel);
    const prefix = rel + '/';
    for (const p of this.entries.filter((e) => e.path.startsWith(prefix)).map((e) => e.path)) this.remove(p);
    for (const p of [...this.skipped.keys()]) if (p.startsWith(prefix)) this.skipped.delete(p);
  }

  /** Full save only now and then; the journal covers what happens in between. */
  private async maybeSave(): Promise<void> {
    if (Date.now() - this.lastSave > (this.opts.saveEveryMs ?? 30_000)) await this.save();
  }

  async search(q: Float32Array, k: number, engine: TopKEngine = jsTopK): Promise<SearchHit[]> {
    const hits = this.ann && this.annInUse ? this.annSearch(this.ann, q, k) : await engine.topK(this.vectors.view(), q, k);
    return this.rescore(hits, q).map((h: Hit) => {
      const e = this.entries[h.row];
      return { path: e.path, abs: path.join(this.root, e.path), score: h.score };
    });
  }

  /**
   * The engines score a 7-bit query against 8-bit rows (error about 1e-3), but near-duplicates (an emoji
   * PNG and the SVG it was rendered from: cosine 0.9995) are closer than that, so a copy of the query
   * image could rank below them. The k hits are re-scored with the float query, and a row that is the
   * query's own 8-bit quantisation (every code within 1, scale within 1%: the same image) scores q·q = 1
   * and ranks first.
   */
  private rescore(hits: Hit[], q: Float32Array): Hit[] {
    const dim = this.vectors.dim;
    const own = new Uint8Array(dim);
    const ownScale = quantizeInto(q, own, 0);
    const qq = dot(q, q);
    const isOwn = (row: number) => {
      const { codes, scale } = this.vectors.codesOf(row);
      if (Math.abs(scale - ownScale) > 0.01 * ownScale) return false;
      for (let j = 0; j < dim; j++) if (Math.abs(codes[j] - own[j]) > 1) return false;
      return true;
    };
    // A cosine cannot exceed q·q; the 8-bit error can push a near-duplicate past it, so clamp.
    const out = hits.map((h) => {
      const same = isOwn(h.row);
      return { row: h.row, same, score: same ? qq : Math.min(this.floatScore(h.row, q), qq) };
    });
    out.sort((a, b) => Number(b.same) - Number(a.same) || b.score - a.score || a.row - b.row);
    return out.map(({ row, score }) => ({ row, score }));
  }

  /** The stored (8-bit) row against the float query. */
  private floatScore(row: number, q: Float32Array): number {
    return dot(this.vectors.get(row), q);
  }

  /** Use an approximate-search snapshot (or none). Entries that differ from it are scored exactly. */
  attachAnn(ann: AnnSearcher | undefined): void {
    this.ann = ann;
    this.annDelta.clear();
    if (!ann) return;
    const keyOf = new Map(ann.meta.paths.map((p, i) => [p, i]));
    for (const e of this.entries) {
      const key = keyOf.get(e.path);
      if (key === undefined || ann.meta.hashes[key] !== e.hash) this.annDelta.add(e.path);
    }
  }

  get hasAnn(): boolean { return this.ann !== undefined; }

  /** A snapshot that failed its recall self-check stays attached (so it is not rebuilt in a loop) but is not searched. */
  get annRecall(): number | undefined { return this.ann?.meta.recallAt50; }

  get annInUse(): boolean { return this.ann !== undefined && annUsable(this.ann.meta); }

  /** Share of the index the snapshot does not cover (changed since, or gone): rebuild when large. */
  annStaleness(): number {
    if (!this.ann) return 1;
    const gone = Math.max(0, this.ann.meta.paths.length - (this.size - this.annDelta.size));
    return (this.annDelta.size + gone) / Math.max(1, this.size);
  }

  /** The data a snapshot is built from. */
  annSource(): { rows: QuantizedRows; paths: string[]; hashes: string[] } {
    return { rows: this.vectors.view(), paths: this.entries.map((e) => e.path), hashes: this.entries.map((e) => e.hash) };
  }

  private annSearch(ann: AnnSearcher, q: Float32Array, k: number): Hit[] {
    const score = (row: number) => this.floatScore(row, q);
    const seen = new Set<number>();
    const hits: Hit[] = [];
    for (const key of ann.search(q, annCandidates(k))) {
      const p = ann.meta.paths[key];
      const row = p === undefined ? undefined : this.rowOf.get(p);
      if (row === undefined || this.annDelta.has(p) || seen.has(row)) continue;
      seen.add(row);
      hits.push({ row, score: score(row) });
    }
    for (const p of this.annDelta) {
      const row = this.rowOf.get(p);
      if (row !== undefined && !seen.has(row)) { seen.add(row); hits.push({ row, score: score(row) }); }
    }
    hits.sort((a, b) => b.score - a.score || a.row - b.row);
    return hits.slice(0, k);
  }

  relOf(abs: string): string | undefined {
    const rel = path.relative(this.root, abs);
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }


  private async encodeFiles(files: ScannedFile[], onProgress?: (p: Progress) => void, token?: CancelToken): Promise<{ added: number; failed: number }> {
    const batch = this.opts.batchSize ?? 16;
    let added = 0, failed = 0;
    onProgress?.({ done: 0, total: files.length });
    for (let i = 0; i < files.length; i += batch) {
      if (token?.cancelled) break;
      await this.opts.between?.();
      const all = files.slice(i, i + batch);
      // Identical files are encoded once: a file whose size matches an indexed one is hashed
      // here (cheap, and only then) and reuses that entry's vector when the content is the same.
      const chunk: ScannedFile[] = [];
      const journal: JournalRecord[] = [];
      for (const f of all) {
        const twin = await this.findTwin(f);
        if (twin) {
          this.skipped.delete(f.rel);
          const e = { path: f.rel, size: f.size, mtimeMs: f.mtimeMs, hash: twin.hash };
          this.put(e, twin.vector);
          journal.push({ e, v: twin.vector });
          added++;
          this.dedupedCount++;
        } else chunk.push(f);
      }
      const results = chunk.length ? await this.encoder.embedFiles(chunk.map((f) => f.abs)) : [];
      chunk.forEach((f, j) => {
        const r = results[j];
        if (r && r.ok) {
          this.skipped.delete(f.rel);
          const e = { path: f.rel, size: f.size, mtimeMs: f.mtimeMs, hash: r.hash };
          this.put(e, r.vector);
          journal.push({ e, v: r.vector });
          added++;
        } else {
          this.remove(f.rel);
          this.skipped.set(f.rel, r ? r.error : 'no result');
          journal.push({ skip: f.rel, reason: r ? r.error : 'no result' });
          this.opts.log?.(`skipped ${f.rel}: ${r ? r.error : 'no result'}${r && !r.ok && r.detail && r.detail !== r.error ? ` (${r.detail})` : ''}`);
          failed++;
        }
      });
      this.dirty = true;
      onProgress?.({ done: Math.min(files.length, i + batch), total: files.length });
      await this.appendJournal(journal);
      await this.maybeSave();
    }
    return { added, failed };
  }

  private async findTwin(f: ScannedFile): Promise<{ hash: string; vector: Float32Array } | undefined> {
    if (!this.sizes.has(f.size)) return undefined;
    let hash: string;
    try {
      hash = createHash('sha1').update(await readFile(f.abs)).digest('hex');
    } catch {
      return undefined; // let the encoder report the problem
    }
    for (const e of this.entries) {
      if (e.size === f.size && e.hash === hash && e.path !== f.rel) return { hash, vector: this.vectorOf(e.path)! };
    }
    return undefined;
  }

  /** Add or replace an entry; the vector is quantised (memory holds exactly what the file stores). */
  private put(e: EntryMeta, v: Float32Array): void {
    const r = this.beforePut(e);
    if (r !== undefined) this.vectors.set(r, v);
    else this.rowOf.set(e.path, this.vectors.push(v));
    this.afterPut(e, r);
  }

  private putCodes(e: EntryMeta, codes: Uint8Array, scale: number): void {
    const r = this.beforePut(e);
    if (r !== undefined) this.vectors.setCodes(r, codes, scale);
    else this.rowOf.set(e.path, this.vectors.pushCodes(codes, scale));
    this.afterPut(e, r);
  }

  private beforePut(e: EntryMeta): number | undefined {
    if (this.ann) this.annDelta.add(e.path);
    this.sizes.set(e.size, (this.sizes.get(e.size) ?? 0) + 1);
    const old = this.rowOf.get(e.path);
    if (old !== undefined) this.unsize(this.entries[old].size);
    return old;
  }

  private afterPut(e: EntryMeta, row: number | undefined): void {
    if (row !== undefined) this.entries[row] = e;
    else this.entries.push(e);
    this.dirty = true;
    this.changes++;
  }

  private unsize(size: number): void {
    const n = (this.sizes.get(size) ?? 0) - 1;
    if (n > 0) this.sizes.set(size, n); else this.sizes.delete(size);
  }

  private remove(rel: string): void {
    const r = this.rowOf.get(rel);
    if (r === undefined) return;
    this.unsize(this.entries[r].size);
    const moved = this.vectors.swapRemove(r);
    this.rowOf.delete(rel);
    this.annDelta.delete(rel);
    if (moved >= 0) {
      const e = this.entries[moved];
      this.entries[r] = e;
      this.rowOf.set(e.path, r);
    }
    this.entries.pop();
    this.dirty = true;
    this.changes++;
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j] * b[j];
  return s;
}
