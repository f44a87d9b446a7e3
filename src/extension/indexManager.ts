/**
 * Owns one FolderIndex per workspace folder, the encoder worker, and the work queue:
 * a full reconcile on start-up (only changed files are re-encoded), then watcher events batched
 * into small updates. Work runs one job at a time, pauses while the user draws, can be cancelled.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readSettings } from './config';
import { FolderIndex, SearchHit } from '../core/folderIndex';
import { jsTopK, OrtTopK, TopKEngine } from '../core/topkEngine';
import { acquireWriterLock } from '../core/writerLock';
import { ANN_DEFAULT_THRESHOLD, ANN_MIN_RECALL, annVectors, openAnn, removeAnnFiles } from '../core/annIndex';
import { PREPROCESS_VERSION, Stroke } from '../core/preprocess';
import { CrashIsolatingFileEncoder, EncoderWorkerClient } from '../core/workerClient';
import { FILE_TYPES, fileTypeOf, type FileType, type IndexState } from '../shared/protocol';

export interface IndexStatus {
  state: IndexState;
  indexed: number;
  total: number;
  done: number;
  message?: string;
  provider?: string;
  /** Files that could not be indexed, over all folders. */
  skipped?: number;
}

export interface RankedHit extends SearchHit { folder: vscode.WorkspaceFolder }

export class IndexManager implements vscode.Disposable {
  private readonly folders = new Map<string, { wf: vscode.WorkspaceFolder; index: FolderIndex }>();
  private readonly worker: EncoderWorkerClient;
  private readonly encoder: CrashIsolatingFileEncoder;
  private readonly emitter = new vscode.EventEmitter<IndexStatus>();
  readonly onDidChangeStatus = this.emitter.event;
  private readonly indexEmitter = new vscode.EventEmitter<void>();
  /** What a search can return changed (files indexed, changed or removed): the shown results may be stale. */
  readonly onDidChangeIndex = this.indexEmitter.event;
  private lastVersion = 0;
  /** Cancelled by the user: watcher changes are not encoded until resume() (deletions still apply). */
  private paused = false;
  /** Watcher work queued since the queue was last idle: "Indexing done/total" counts over all of it. */
  private watch = { jobs: 0, done: 0, total: 0 };
  private status: IndexStatus = { state: 'idle', indexed: 0, total: 0, done: 0 };
  private queue: Promise<void> = Promise.resolve();
  private cancelToken = { cancelled: false };
  private drawing = false;
  private drawingWaiters: (() => void)[] = [];
  private pendingChanged = new Set<string>();
  private pendingDeleted = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;
  private flushFirstAt = 0;
  private disposables: vscode.Disposable[] = [];
  private started = false;
  private engine: Promise<TopKEngine> | undefined;
  private locks = new Map<string, { acquired: boolean; release(): void }>();

  constructor(private readonly ctx: vscode.ExtensionContext, private readonly log: (line: string) => void) {
    const settings = readSettings();
    this.worker = new EncoderWorkerClient({
      workerScript: path.join(ctx.extensionPath, 'dist', 'encoderWorker.js'),
      modelDir: path.join(ctx.extensionPath, 'models'),
      provider: settings.provider,
      log,
    });
    this.encoder = new CrashIsolatingFileEncoder(this.worker, () => ({ maxFileBytes: readSettings().maxFileBytes }), log);
  }

  get current(): IndexStatus { return this.status; }
  get provider(): string { return this.worker.provider; }
  get modelId(): string { return this.worker.modelId; }

  private setStatus(patch: Partial<IndexStatus>): void {
    let skipped = 0;
    for (const f of this.folders.values()) skipped += f.index.skippedCount;
    this.status = { ...this.status, ...patch, indexed: this.totalIndexed(), skipped, provider: this.worker.provider || undefined };
    this.emitter.fire(this.status);
    this.noteIndexChange();
  }

  private totalIndexed(): number {
    let n = 0;
    for (const f of this.folders.values()) n += f.index.size;
    return n;
  }

  /** Fire onDidChangeIndex when any folder's entries changed since the last look (called with every status update). */
  private noteIndexChange(): void {
    let v = this.folders.size;
    for (const f of this.folders.values()) v += f.index.version;
    if (v === this.lastVersion) return;
    this.lastVersion = v;
    this.indexEmitter.fire();
  }

  /** Restricted Mode: nothing is indexed until the workspace is trusted. */
  setRestricted(): void {
    this.setStatus({ state: 'restricted', message: 'Restricted Mode: trust this workspace to index its images.' });
  }

  /** Start the worker, load stored indexes, reconcile, watch. Safe to call once trusted. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    if (!vscode.workspace.workspaceFolders?.length) {
      this.setStatus({ state: 'noWorkspace', message: 'Open a folder to index its images.' });
      return;
    }
    try {
      await this.worker.start();
      this.log(`model ${this.worker.modelId} (${this.worker.dim} dims) on execution provider "${this.worker.provider}"`);
    } catch (e) {
      this.started = false;
      this.setStatus({ state: 'error', message: `Model failed to load: ${(e as Error).message}` });
      this.log(`model failed to load: ${(e as Error).message}`);
      return;
    }
    await this.syncFolders();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => this.onChanged(u)),
      watcher.onDidChange((u) => this.onChanged(u)),
      watcher.onDidDelete((u) => this.onDeleted(u)),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.syncFolders()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('sketchSearch.include') || e.affectsConfiguration('sketchSearch.exclude') || e.affectsConfiguration('sketchSearch.useGitignore') || e.affectsConfiguration('files.exclude')) this.rebuild(false);
      }),
    );
  }

  private storeFile(wf: vscode.WorkspaceFolder): string {
    const base = this.ctx.storageUri?.fsPath ?? path.join(this.ctx.globalStorageUri.fsPath, 'no-workspace');
    const key = crypto.createHash('sha1').update(wf.uri.toString()).digest('hex').slice(0, 12);
    return path.join(base, `index-${key}.sksidx`);
  }

  private async syncFolders(): Promise<void> {
    const current = new Set((vscode.workspace.workspaceFolders ?? []).filter((w) => w.uri.scheme === 'file').map((w) => w.uri.toString()));
    for (const key of [...this.folders.keys()]) if (!current.has(key)) this.folders.delete(key);
    for (const wf of vscode.workspace.workspaceFolders ?? []) {
      if (wf.uri.scheme !== 'file' || this.folders.has(wf.uri.toString())) continue;
      const s = readSettings(wf.uri);
      const store = this.storeFile(wf);
      await fs.promises.mkdir(path.dirname(store), { recursive: true });
      const lock = this.locks.get(store) ?? acquireWriterLock(store);
      this.locks.set(store, lock);
      if (!lock.acquired) this.log(`[${wf.name}] another window is writing this index; keeping changes in memory only`);
      const index = new FolderIndex(wf.uri.fsPath, store, this.encoder, {
        include: s.include, exclude: s.exclude, maxFileBytes: s.maxFileBytes, preprocessVersion: PREPROCESS_VERSION,
        readOnly: !lock.acquired,
        // A GPU takes bigger batches; on CPU small batches keep the queue responsive.
        batchSize: this.worker.provider && this.worker.provider !== 'cpu' ? 64 : 16,
        between: () => this.yieldToUser(), log: (l) => this.log(`[${wf.name}] ${l}`),
      });
      const note = await index.load();
      if (note) { this.log(`[${wf.name}] ${note}`); void vscode.window.showInformationMessage(`Sketch Search: ${note}`); }
      if (index.size >= this.annThreshold()) {
        index.attachAnn(await openAnn(index.annFile, this.worker.modelId, this.worker.dim).catch(() => undefined));
      }
      this.folders.set(wf.uri.toString(), { wf, index });
    }
    this.setStatus({});
    this.enqueueReconcile();
  }

  private enqueueReconcile(): void {
    this.enqueue(async () => {
      this.paused = false;
      this.cancelToken = { cancelled: false };
      const token = this.cancelToken;
      for (const { wf, index } of this.folders.values()) {
        if (token.cancelled) break;
        this.setStatus({ state: 'indexing', done: 0, total: 0, message: `Scanning ${wf.name}…` });
        const res = await index.reconcile((p) => this.setStatus({ state: 'indexing', done: p.done, total: p.total, message: undefined }), token);
        this.log(`[${wf.name}] reconciled: ${index.size} images (+${res.added} -${res.removed}, ${res.failed} skipped)`);
        if (!token.cancelled) await this.refreshAnn(wf, index);
      }
      this.setStatus(token.cancelled
        ? { state: 'paused', message: undefined, done: 0, total: 0 }
        : { state: 'ready', message: undefined, done: 0, total: 0 });
    });
  }

  /** Folders above this many images search an HNSW snapshot plus an exact delta (docs/INDEX.md). */
  private annThreshold(): number {
    const v = vscode.workspace.getConfiguration('sketchSearch').get<number>('approximateSearchThreshold');
    return typeof v === 'number' && v >= 1000 ? v : ANN_DEFAULT_THRESHOLD;
  }

  /** (Re)build the approximate-search snapshot of a large folder when it covers too little. */
  private async refreshAnn(wf: vscode.WorkspaceFolder, index: FolderIndex): Promise<void> {
    const file = index.annFile;
    if (index.size < this.annThreshold()) {
      if (index.hasAnn) { index.attachAnn(undefined); await removeAnnFiles(file); }
      return;
    }
    if (index.hasAnn && index.annStaleness() < 0.05) return;
    const t0 = Date.now();
    this.setStatus({ state: 'indexing', message: `Building the fast search index for ${wf.name}…` });
    try {
      const src = index.annSource();
      await this.worker.buildAnn(annVectors(src.rows.codes, src.rows.rows, index.dim), src.rows.rows, { modelId: this.worker.modelId, dim: index.dim, paths: src.paths, hashes: src.hashes }, file);
      index.attachAnn(await openAnn(file, this.worker.modelId, index.dim));
      const recall = index.annRecall;
      this.log(`[${wf.name}] approximate search snapshot of ${src.rows.rows} images built in ${((Date.now() - t0) / 1000).toFixed(1)} s, self-check recall@50 ${recall?.toFixed(3) ?? '?'}`
        + (index.annInUse ? '' : `: below ${ANN_MIN_RECALL}, so this folder keeps exact search`));
    } catch (e) {
      index.attachAnn(undefined);
      this.log(`[${wf.name}] approximate search unavailable (${(e as Error).message}); using exact search`);
    }
  }

  private enqueue(job: () => Promise<void>): void {
    this.queue = this.queue.then(job).catch((e: unknown) => {
      this.log(`indexing error: ${(e as Error).stack ?? e}`);
      this.setStatus({ state: 'error', message: `Indexing failed: ${(e as Error).message}` });
    });
  }

  /** Resolve when the user is not drawing (indexing yields to the query). */
  private yieldToUser(): Promise<void> {
    if (!this.drawing) return new Promise((r) => setImmediate(r));
    return new Promise((r) => this.drawingWaiters.push(r));
  }

  setDrawing(active: boolean): void {
    this.drawing = active;
    if (!active) { for (const w of this.drawingWaiters.splice(0)) w(); }
    else setTimeout(() => this.setDrawing(false), 10_000); // never stall indexing on a lost pointerup
  }

  private onChanged(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    this.pendingDeleted.delete(uri.fsPath);
    this.pendingChanged.add(uri.fsPath);
    this.scheduleFlush();
  }

  private onDeleted(uri: vscode.Uri): void {
    if (uri.scheme !== 'file') return;
    this.pendingChanged.delete(uri.fsPath);
    this.pendingDeleted.add(uri.fsPath);
    this.scheduleFlush();
  }

  /** Batch watcher events: after 300 ms of quiet, but at least once a second during churn (so deletions reach the results). */
  private scheduleFlush(): void {
    const now = Date.now();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    else this.flushFirstAt = now;
    this.flushTimer = setTimeout(() => { this.flushTimer = undefined; this.applyWatcherEvents(); }, Math.max(0, Math.min(300, this.flushFirstAt + 1000 - now)));
  }

  private applyWatcherEvents(): void {
    const changed = [...this.pendingChanged];
    const deleted = [...this.pendingDeleted];
    this.pendingChanged.clear();
    this.pendingDeleted.clear();
    if (!changed.length && !deleted.length) return;
    // Count only what may be encoded (not folders, non-images, excluded files), so the total is honest.
    const count = changed.filter((p) => [...this.folders.values()].some(({ index }) => index.wouldIndex(p))).length;
    this.watch.jobs++;
    this.watch.total += count;
    this.enqueue(async () => {
      const token = this.cancelToken;
      try {
        for (const { index } of this.folders.values()) {
          const mine = (ps: string[]) => ps.filter((p) => index.relOf(p) !== undefined);
          const d = mine(deleted), c = mine(changed);
          if (d.length) await index.removeFiles(d);
          // Paused: deletions apply (results must not point at gone files); new work waits for resume().
          if (c.length && !this.paused && !token.cancelled) {
            const base = this.watch.done;
            this.setStatus({ state: 'indexing', done: base, total: this.watch.total, message: undefined });
            await index.updateFiles(c, (p) => this.setStatus({ state: 'indexing', done: base + p.done, total: Math.max(this.watch.total, base + p.total), message: undefined }), token);
          }
        }
      } finally {
        this.watch.done += count;
        if (--this.watch.jobs === 0) this.watch = { jobs: 0, done: 0, total: 0 };
      }
      if (this.paused || token.cancelled) this.setStatus({ state: 'paused', message: undefined, done: 0, total: 0 });
      else if (this.watch.jobs === 0) this.setStatus({ state: 'ready', message: undefined, done: 0, total: 0 });
      else this.setStatus({ state: 'indexing', done: this.watch.done, total: this.watch.total, message: undefined });
    });
  }

  /** Wait for queued indexing work (tests, CLI-like flows). */
  idle(): Promise<void> { return this.queue; }

  /** Stop indexing now (the button beside the progress, or the command); resume() picks up the rest. */
  cancel(): boolean {
    if (this.status.state !== 'indexing') return false;
    this.cancelToken.cancelled = true;
    this.paused = true;
    return true;
  }

  /** Index only what is missing or changed (a reconcile: stored vectors are kept). */
  resume(): void {
    if (!this.started) { void this.start(); return; }
    this.paused = false;
    this.enqueueReconcile();
  }

  /** Re-reconcile every folder; with `fromScratch`, forget the stored vectors first. */
  rebuild(fromScratch = true): void {
    this.cancelToken.cancelled = true;
    this.paused = false;
    this.enqueue(async () => {
      const old = [...this.folders.values()];
      this.folders.clear();
      // From scratch: forget what is stored (index, journal, search snapshot). Otherwise only the
      // options changed: new FolderIndex objects reuse the stored vectors.
      if (fromScratch) for (const { index } of old) await index.discardStored();
      if (!this.started) await this.start();
      else await this.syncFolders();
    });
  }


  async embedStrokes(strokes: Stroke[]): Promise<Float32Array> {
    return this.worker.embedStrokes(strokes);
  }

  embedQueryFile(file: string): Promise<{ vector: Float32Array; as: 'sketch' | 'image' }> {
    return this.worker.embedQueryFile(file, { maxFileBytes: readSettings().maxFileBytes });
  }

  /** Vector of an indexed file, if any (Find Similar without re-encoding). */
  vectorOf(abs: string): Float32Array | undefined {
    for (const { index } of this.folders.values()) {
      const rel = index.relOf(abs);
      if (rel !== undefined) { const v = index.vectorOf(rel); if (v) return v; }
    }
    return undefined;
  }

  async search(q: Float32Array, k: number): Promise<RankedHit[]> {
    const all: RankedHit[] = [];
    const engine = await this.topKEngine();
    for (const { wf, index } of this.folders.values()) for (const h of await index.search(q, k, engine)) all.push({ ...h, folder: wf });
    return all.sort((a, b) => b.score - a.score).slice(0, k);
  }

  /** The fast exact search engine (onnxruntime), or the JavaScript one if it cannot load. */
  private topKEngine(): Promise<TopKEngine> {
    this.engine ??= OrtTopK.create(path.join(this.ctx.extensionPath, 'models', 'topk.onnx')).then(
      (e) => { this.log('search: exact top-k on onnxruntime'); return e as TopKEngine; },
      (e) => { this.log(`search: onnxruntime top-k unavailable (${(e as Error).message}); using the JavaScript search`); return jsTopK; },
    );
    return this.engine;
  }

  /** The file types (chips) present in the index, in chip order. */
  fileTypes(): FileType[] {
    const seen = new Set<FileType>();
    for (const { index } of this.folders.values()) {
      for (const e of index.listEntries()) {
        seen.add(fileTypeOf(e.path));
        if (seen.size === FILE_TYPES.length) break;
      }
    }
    return FILE_TYPES.filter((t) => seen.has(t));
  }

  skippedReport(): { folder: string; path: string; reason: string }[] {
    const out: { folder: string; path: string; reason: string }[] = [];
    for (const { wf, index } of this.folders.values()) for (const s of index.skippedFiles) out.push({ folder: wf.name, ...s });
    return out;
  }

  folderSizes(): { folder: string; images: number; store: string }[] {
    return [...this.folders.values()].map(({ wf, index }) => ({ folder: wf.name, images: index.size, store: index.storeFile }));
  }

  thumbnail(src: string, dest: string, size: number): Promise<void> {
    return this.worker.thumbnail(src, dest, size, { maxFileBytes: readSettings().maxFileBytes });
  }

  get workerRestarts(): number { return this.worker.restarts; }

  /** Write every index file in full (on shutdown); the journal already covers a hard kill. */
  async flush(): Promise<void> {
    for (const { index } of this.folders.values()) await index.save().catch((e) => this.log(`save failed: ${(e as Error).message}`));
  }

  dispose(): void {
    this.cancelToken.cancelled = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const d of this.disposables) d.dispose();
    this.worker.dispose();
    for (const l of this.locks.values()) l.release();
    this.emitter.dispose();
    this.indexEmitter.dispose();
  }
}
