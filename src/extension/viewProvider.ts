/**
 * The sidebar sketch pad. The host owns state: it validates every message, runs searches, keeps
 * the map from opaque result ids to files, and makes thumbnails (only those the webview says are
 * visible). The webview only renders and reports. It gets each result's file URI solely so a
 * result can be dragged into an editor; it never names a file for the host to act on, except an
 * image dropped on the pad (imageQuery), which the host checks itself (file: URI, image type,
 * inside a workspace folder, an existing file) and only reads as a query.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  ConfigMessage, fileTypeOf, type FileType, FromWebviewMessage, ImageQueryBytesMessage, IndexStatusMessage, LIMITS, padStrokesToPoints, SearchFilter,
  RecentQueryView, type ResultsMessage, SearchResult, ToWebviewMessage, validateFromWebview,
} from '../shared/protocol';
import { renderWebviewHtml } from '../webview/html';
import { plainImageReason } from '../core/imageErrors';
import { readSettings } from './config';
import { IndexManager, RankedHit } from './indexManager';
import { RecentQueries, memoryMemento, type RecentEntry } from './recentQueries';
import { runResultAction, trackLastTextEditor } from './resultActions';
import { filteredTopK, type Scope } from './resultFilter';
import { PREVIEW_SIZE, ThumbnailCache, THUMB_SIZE } from './thumbnails';

export const IMAGE_EXT_RE = /\.(png|jpe?g|gif|webp|svg|bmp|tiff?|avif)$/i;
const MAGIC: Record<ImageQueryBytesMessage['mime'], { ext: string; test: (b: Buffer) => boolean }> = {
  'image/png': { ext: 'png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  'image/jpeg': { ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  'image/gif': { ext: 'gif', test: (b) => b.subarray(0, 4).toString('latin1') === 'GIF8' },
  'image/webp': { ext: 'webp', test: (b) => b.subarray(0, 4).toString('latin1') === 'RIFF' && b.subarray(8, 12).toString('latin1') === 'WEBP' },
};
const COMMAND_MAP = {
  rebuildIndex: ['sketchSearch.rebuildIndex'],
  showIndexStatus: ['sketchSearch.showIndexStatus'],
  searchWithImageFile: ['sketchSearch.searchWithImageFile'],
  trustWorkspace: ['workbench.trust.manage'],
  showOutput: ['sketchSearch.showOutput'],
  openSettings: ['workbench.action.openSettings', '@ext:sketch-search.sketch-search'],
  cancelIndexing: ['sketchSearch.cancelIndexing'],
  resumeIndexing: ['sketchSearch.resumeIndexing'],
  showSkippedFiles: ['sketchSearch.showSkippedFiles'],
} as const;

/** `imageUri`: webview URI of the query file's thumbnail; `pasted`: the webview's own bitmap (it shows its copy). */
interface ImageQuery { vector: Float32Array; label: string; excludeAbs?: string; imageUri?: string; pasted?: boolean }
/** What the shown results answer; re-run when the index changes (the host owns it). */
type CurrentQuery =
  | { kind: 'sketch'; vector: Float32Array; top: number; filter: SearchFilter; requestId: number }
  | { kind: 'image'; q: ImageQuery };

/** Index changes are coalesced: a re-run waits for a quiet moment, but at most MAX_WAIT during heavy churn. */
const REFRESH_QUIET_MS = 250;
const REFRESH_MAX_WAIT_MS = 1000;

export class SketchPadViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'sketchSearch.pad';
  private view: vscode.WebviewView | undefined;
  private results = new Map<string, string>(); // resultId -> absolute path
  private generation = 0;
  private readonly thumbs: ThumbnailCache;
  private disposables: vscode.Disposable[] = [];
  private invalidMessages = 0;
  private thumbQueue: { id: string; preview: boolean; gen: number }[] = [];
  private thumbRequested = new Set<string>();
  private thumbWorkers = 0;
  private scopes = new Map<string, Scope>();
  private scopeSeq = 0;
  private filter: SearchFilter = {};
  private lastImageQuery: ImageQuery | undefined;
  /** The folder scope last chosen, re-sent when the webview is re-created (it forgets it when hidden). */
  private currentScope: { scopeId: string; label: string } | undefined;
  /** The last host-pushed results, re-sent on `ready`: a webview that was just created may miss them. */
  private lastPushed: ToWebviewMessage | undefined;
  /** The last 20 queries of this workspace. */
  readonly recent: RecentQueries;
  /**
   * The recent entry of the drawing on the pad: `own` when it was drawn since the pad was last
   * empty (its later states replace it), not when it was brought back from the list (then a
   * changed drawing becomes a new entry and the old one stays).
   */
  private sketchSession: { id: string; own: boolean } | undefined;
  private recentTimer: ReturnType<typeof setTimeout> | undefined;
  /** The file types last sent (chips are shown only for these), and the throttle of their updates. */
  private sentFileTypes: string | undefined;
  private fileTypesTimer: NodeJS.Timeout | undefined;
  private current: CurrentQuery | undefined;
  /** An image query is being read/encoded (a restored sketch search must not replace it). */
  private imageQueryPending = 0;
  private idSeq = 0;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private refreshFirstAt = 0;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  constructor(
    private readonly ctx: vscode.ExtensionContext,
    private readonly index: IndexManager,
    private readonly log: (line: string) => void,
  ) {
    this.thumbs = new ThumbnailCache(path.join(ctx.globalStorageUri.fsPath, 'thumbnails'), (s, d, n) => index.thumbnail(s, d, n));
    this.recent = new RecentQueries(ctx.workspaceState ?? memoryMemento(), ctx.storageUri ? path.join(ctx.storageUri.fsPath, 'recent-images') : undefined);
    this.recent.onDidChange(() => this.scheduleRecentPost());
    this.disposables.push(trackLastTextEditor());
    this.disposables.push(index.onDidChangeStatus(() => this.postStatus()));
    this.disposables.push(index.onDidChangeStatus(() => this.scheduleFileTypes()));
    this.disposables.push(index.onDidChangeIndex?.(() => this.scheduleRefresh()) ?? { dispose: () => undefined });
    this.disposables.push(vscode.workspace.onDidChangeConfiguration?.((e) => {
      if (e.affectsConfiguration('sketchSearch')) this.postConfig();
    }) ?? { dispose: () => undefined });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const webview = view.webview;
    webview.options = {
      enableScripts: true,
      // Only the extension's media (styles, the webview bundle) and the thumbnail cache.
      localResourceRoots: [
        vscode.Uri.joinPath(this.ctx.extensionUri, 'media'),
        vscode.Uri.file(this.thumbs.dir),
      ],
    };
    webview.html = renderWebviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'webview.css')).toString(),
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('hex'),
      l10n: vscode.l10n?.bundle,
      lang: vscode.env?.language,
    });
    this.disposables.push(
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      view.onDidDispose(() => { if (this.view === view) this.view = undefined; }),
    );
  }

  /** Entry point for every untrusted message; never throws. */
  async onMessage(raw: unknown): Promise<void> {
    const v = validateFromWebview(raw);
    if (!v.ok) {
      if (this.invalidMessages++ < 20) this.log(`ignored invalid message from the webview: ${v.error}`);
      return;
    }
    try {
      await this.handle(v.value);
    } catch (e) {
      this.log(`error handling ${v.value.type}: ${(e as Error).message}`);
    }
  }

  private async handle(m: FromWebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.postConfig();
        this.postStatus();
        if (this.currentScope) this.post({ type: 'scope', ...this.currentScope });
        // A new document has no thumbnails: serve requests for the same ids again.
        this.thumbRequested.clear();
        this.thumbQueue = [];
        if (this.lastPushed) this.post(this.lastPushed);
        void this.postRecent();
        this.postFileTypes(true);
        return;
      case 'drawing':
        this.index.setDrawing(m.active);
        return;
      case 'clear':
        this.sketchSession = undefined;
        this.results.clear();
        this.lastImageQuery = undefined;
        this.lastPushed = undefined;
        this.current = undefined;
        return;
      case 'search': {
        // A re-created webview re-runs its saved sketch; while an image query is the current one
        // (shown, or still being read) that would replace the ids of what is shown: its results
        // are (re-)sent instead, and they supersede this request in the webview.
        if (m.restore && (this.lastImageQuery || this.imageQueryPending > 0)) return;
        const t0 = performance.now();
        this.filter = m.filter ?? {};
        this.lastImageQuery = undefined;
        this.lastPushed = undefined;
        this.current = undefined;
        const strokes = padStrokesToPoints(m.strokes);
        if (strokes.every((s) => s.length === 0)) {
          this.post({ type: 'searchResponse', requestId: m.requestId, results: [], elapsedMs: 0 });
          return;
        }
        try {
          const q = await this.index.embedStrokes(strokes);
          const top = m.top ?? readSettings().maxResults;
          const filter = this.filter;
          const hits = await this.searchFiltered(q, top, filter);
          const results = this.toResults(hits);
          this.current = { kind: 'sketch', vector: q, top, filter, requestId: m.requestId };
          this.post({ type: 'searchResponse', requestId: m.requestId, results, elapsedMs: performance.now() - t0 });
        } catch (e) {
          this.post({ type: 'searchResponse', requestId: m.requestId, results: [], elapsedMs: performance.now() - t0, error: (e as Error).message });
        }
        return;
      }
      case 'resultAction': {
        const abs = this.results.get(m.resultId);
        // A stale or forged id: nothing to do, but say so (the webview announces the outcome).
        if (!abs) { this.post({ type: 'resultActionResponse', requestId: m.requestId, outcome: 'gone' }); return; }
        try {
          const r = await runResultAction(m.action, abs);
          this.post(r.detail === undefined ? { type: 'resultActionResponse', requestId: m.requestId, outcome: r.outcome } : { type: 'resultActionResponse', requestId: m.requestId, outcome: r.outcome, detail: r.detail });
        } catch (e) {
          this.post({ type: 'resultActionResponse', requestId: m.requestId, outcome: 'failed', detail: (e as Error).message });
          throw e;
        }
        return;
      }
      case 'rememberSketch': {
        const replace = this.sketchSession?.own ? this.sketchSession.id : undefined;
        const id = await this.recent.addSketch(m.strokes, replace);
        if (id && id !== this.sketchSession?.id) this.sketchSession = { id, own: true };
        return;
      }
      case 'useRecent':
        await this.useRecent(m.recentId);
        return;
      case 'forgetRecent':
        await this.recent.forget(m.all ? 'all' : m.recentId ?? '');
        return;
      case 'needThumbnails':
        for (const id of m.resultIds) {
          const key = `${m.preview ? 'p' : 't'}${id}`;
          if (!this.results.has(id) || this.thumbRequested.has(key)) continue;
          this.thumbRequested.add(key);
          // Previews jump the queue: the user is looking at that one now.
          const job = { id, preview: !!m.preview, gen: this.generation };
          if (m.preview) this.thumbQueue.unshift(job); else this.thumbQueue.push(job);
        }
        this.pumpThumbnails();
        return;
      case 'command': {
        const [id, ...args] = COMMAND_MAP[m.command];
        await vscode.commands.executeCommand(id, ...args);
        return;
      }
      case 'filter':
        this.filter = m.filter;
        if (this.lastImageQuery) await this.rerunImageQuery(this.lastImageQuery);
        return;
      case 'pickScope':
        await this.pickScope(m.clear === true);
        return;
      case 'imageQuery': {
        if (m.filter) this.filter = m.filter;
        const file = await this.checkDroppedUri(m.uri);
        if (!file) return;
        await this.runImageQuery(file, vscode.l10n.t('Similar to {0}', path.basename(file)));
        return;
      }
      case 'imageQueryBytes':
        if (m.filter) this.filter = m.filter;
        await this.runBytesQuery(m);
        return;
    }
  }

  // ---------------------------------------------------------------- image queries

  /** A dropped URI -> an absolute path we are willing to read, or undefined (with a message). */
  private async checkDroppedUri(raw: string): Promise<string | undefined> {
    const refuse = (why: string) => {
      this.log(`dropped item not used as a query: ${why}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Sketch Search: drop an image file from this workspace (PNG, JPEG, GIF, WebP, SVG, BMP, TIFF, AVIF).'));
      return undefined;
    };
    let uri: vscode.Uri;
    try { uri = vscode.Uri.parse(raw, true); } catch { return refuse('not a URI'); }
    if (uri.scheme !== 'file') return refuse('not a file: URI');
    const file = uri.fsPath;
    if (!IMAGE_EXT_RE.test(file)) return refuse('not an image type');
    const wf = vscode.workspace.getWorkspaceFolder(uri);
    if (!wf || wf.uri.scheme !== 'file') return refuse('outside the workspace folders');
    try {
      const [real, root] = await Promise.all([fs.promises.realpath(file), fs.promises.realpath(wf.uri.fsPath)]);
      const rel = path.relative(root, real);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return refuse('resolves outside the workspace folder');
      const st = await fs.promises.stat(real);
      if (!st.isFile()) return refuse('not a file');
      if (st.size > readSettings().maxFileBytes) return refuse('too large');
    } catch {
      return refuse('does not exist');
    }
    return file;
  }

  private async runBytesQuery(m: ImageQueryBytesMessage): Promise<void> {
    const bytes = Buffer.from(m.base64, 'base64');
    const kind = MAGIC[m.mime];
    if (bytes.length === 0 || bytes.length > LIMITS.maxImageBytes || !kind.test(bytes)) {
      this.log(`pasted image not used as a query: not a valid ${m.mime}`);
      void vscode.window.showWarningMessage(vscode.l10n.t('Sketch Search: the pasted image could not be read.'));
      return;
    }
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'sketch-search-'));
    try {
      const file = path.join(dir, `pasted.${kind.ext}`);
      await fs.promises.writeFile(file, bytes, { mode: 0o600 });
      const label = vscode.l10n.t('Similar to the pasted image');
      await this.runImageQuery(file, label, { transient: true, displayName: vscode.l10n.t('The pasted image') });
      await this.recent.addPasted(bytes, kind.ext as 'png' | 'jpg' | 'gif' | 'webp', label);
    } finally {
      await fs.promises.rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
  }

  /**
   * Use an image file as the query ("Find Similar", "Search with Image File…", drop, paste). A file
   * that cannot be read is said once, in plain words, in the view (a toast only if the view is not
   * there); the decoder's own text goes to the Output channel. Never throws.
   */
  async runImageQuery(file: string, label: string, opts: { transient?: boolean; displayName?: string } = {}): Promise<void> {
    this.post({ type: 'queryStarted', label });
    this.sketchSession = undefined;
    const t0 = performance.now();
    this.imageQueryPending++;
    let q: ImageQuery;
    try {
      // The query's own thumbnail (shown in place of the pad) is made while it is encoded.
      const thumb = opts.transient ? Promise.resolve(undefined) : this.queryThumbnail(file);
      const indexed = opts.transient ? undefined : this.index.vectorOf(file);
      const vector = indexed ?? (await this.index.embedQueryFile(file)).vector;
      const imageUri = await thumb;
      q = { vector, label, excludeAbs: opts.transient ? undefined : file, imageUri, pasted: opts.transient || undefined };
    } catch (e) {
      const name = opts.displayName ?? path.basename(file);
      const plain = vscode.l10n.t('{0} is not a readable image: {1}', name, plainImageReason(e));
      this.log(`query image ${file} not used: ${(e as Error).message}`);
      this.lastImageQuery = undefined;
      this.current = undefined;
      this.results.clear();
      this.lastPushed = { type: 'results', query: { kind: 'image', label }, results: [], elapsedMs: performance.now() - t0, error: plain };
      this.post(this.lastPushed);
      if (!this.visible) void vscode.window.showWarningMessage(`Sketch Search: ${plain}`);
      return;
    } finally {
      this.imageQueryPending--;
    }
    await this.rerunImageQuery(q, t0);
    if (!opts.transient) await this.recent.addImage(file, label);
  }

  private async rerunImageQuery(q: ImageQuery, t0 = performance.now()): Promise<void> {
    this.lastImageQuery = q;
    this.current = undefined;
    const hits = await this.searchFiltered(q.vector, readSettings().maxResults, this.filter, q.excludeAbs);
    if (this.lastImageQuery !== q) return; // superseded
    this.current = { kind: 'image', q };
    this.showImageResults(q.label, hits, performance.now() - t0, q);
  }

  /** Push results of an image query. */
  showImageResults(label: string, hits: RankedHit[], elapsedMs: number, q?: Pick<ImageQuery, 'imageUri' | 'pasted'>): void {
    const results = this.toResults(hits);
    const query: ResultsMessage['query'] = { kind: 'image', label };
    if (q?.imageUri) query.imageUri = q.imageUri;
    if (q?.pasted) query.pasted = true;
    this.lastPushed = { type: 'results', query, results, elapsedMs };
    this.post(this.lastPushed);
  }

  /** A webview URI of a thumbnail of the query file (from the thumbnail cache), or undefined. */
  private async queryThumbnail(file: string): Promise<string | undefined> {
    try {
      const thumb = await this.thumbs.get(file, PREVIEW_SIZE);
      return thumb && this.view ? this.view.webview.asWebviewUri(vscode.Uri.file(thumb)).toString() : undefined;
    } catch {
      return undefined;
    }
  }

  // ---------------------------------------------------------------- file types in the index

  private scheduleFileTypes(): void {
    if (this.fileTypesTimer) return;
    // Status changes come with every indexing tick: look at the index at most once a second.
    this.fileTypesTimer = setTimeout(() => { this.fileTypesTimer = undefined; this.postFileTypes(false); }, 1000);
  }

  /** Tell the webview which file types the index has (only when they changed, unless `force`). */
  private postFileTypes(force: boolean): void {
    let types: FileType[];
    try { types = this.index.fileTypes(); } catch { return; }
    const key = types.join(',');
    if (!force && key === this.sentFileTypes) return;
    this.sentFileTypes = key;
    this.post({ type: 'fileTypes', types });
  }

  // ---------------------------------------------------------------- following the index

  /**
   * The index changed: re-run the current query soon (trailing, but at least every
   * REFRESH_MAX_WAIT_MS while changes keep coming, e.g. 2,000 files added and removed).
   */
  private scheduleRefresh(): void {
    if (!this.current) return;
    const t = Date.now();
    if (this.refreshTimer === undefined) this.refreshFirstAt = t;
    else clearTimeout(this.refreshTimer);
    const wait = Math.max(0, Math.min(REFRESH_QUIET_MS, this.refreshFirstAt + REFRESH_MAX_WAIT_MS - t));
    this.refreshTimer = setTimeout(() => { this.refreshTimer = undefined; void this.refresh(); }, wait);
  }

  /** Re-run the current query and send the new list as a refresh (ids of results that stay are kept). One at a time. */
  refresh(): Promise<void> {
    if (this.refreshing) { this.refreshAgain = true; return this.refreshing; }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        await this.refreshOnce().catch((e: unknown) => this.log(`refreshing the results failed: ${(e as Error).message}`));
      } while (this.refreshAgain);
    })().finally(() => { this.refreshing = undefined; });
    return this.refreshing;
  }

  private async refreshOnce(): Promise<void> {
    const cur = this.current;
    if (!cur) return;
    const hits = cur.kind === 'sketch'
      ? await this.searchFiltered(cur.vector, cur.top, cur.filter)
      : await this.searchFiltered(cur.q.vector, readSettings().maxResults, this.filter, cur.q.excludeAbs);
    if (this.current !== cur) return; // a new query came in meanwhile
    const results = this.toResults(hits, true);
    if (cur.kind === 'sketch') {
      this.post({ type: 'resultsRefresh', query: { kind: 'sketch', requestId: cur.requestId }, results });
    } else {
      const prev = this.lastPushed?.type === 'results' ? this.lastPushed.elapsedMs : 0;
      const query: ResultsMessage['query'] = { kind: 'image', label: cur.q.label };
      if (cur.q.imageUri) query.imageUri = cur.q.imageUri;
      if (cur.q.pasted) query.pasted = true;
      this.lastPushed = { type: 'results', query, results, elapsedMs: prev };
      this.post({ type: 'resultsRefresh', query: { kind: 'image', label: cur.q.label }, results });
    }
  }

  private searchFiltered(q: Float32Array, k: number, filter: SearchFilter, excludeAbs?: string): Promise<RankedHit[]> {
    const scope = filter.scopeId ? this.scopes.get(filter.scopeId) : undefined;
    return filteredTopK((n) => this.index.search(q, n), k, { types: filter.types, scope, minScore: readSettings().minScore, excludeAbs });
  }

  // ---------------------------------------------------------------- recent queries

  /** Bring back a recent query: a drawing goes back on the pad (the webview then searches), an image is searched again. */
  private async useRecent(id: string): Promise<void> {
    const e = this.recent.get(id);
    if (!e) { void this.postRecent(); return; }
    if (e.kind === 'sketch') {
      this.sketchSession = { id: e.id, own: false };
      this.lastImageQuery = undefined;
      this.lastPushed = undefined;
      await this.recent.touch(e.id);
      this.post({ type: 'restoreSketch', strokes: e.strokes });
      return;
    }
    const file = e.kind === 'image' ? e.path : this.recent.pastedFile(e);
    if (!file || !(await this.usableRecentImage(file, e))) {
      const name = e.kind === 'image' ? path.basename(e.path) : vscode.l10n.t('the pasted image');
      void vscode.window.showWarningMessage(vscode.l10n.t('Sketch Search: {0} is no longer available; removed it from the recent queries.', name));
      await this.recent.forget(e.id);
      return;
    }
    if (e.kind === 'pasted') {
      await this.runImageQuery(file, e.label, { transient: true });
      await this.recent.touch(e.id);
    } else {
      await this.runImageQuery(file, vscode.l10n.t('Similar to {0}', path.basename(file)));
    }
  }

  /**
   * A stored path is used again only if it is still an image file within the size limit. It may lie
   * outside the workspace ("Search with Image File…" can pick any file); the store is the
   * host's own (user storage, not the workspace), and its entries were validated when read.
   */
  private async usableRecentImage(file: string, e: RecentEntry): Promise<boolean> {
    if (e.kind === 'image' && !IMAGE_EXT_RE.test(file)) return false;
    try {
      const st = await fs.promises.stat(file);
      return st.isFile() && st.size <= readSettings().maxFileBytes;
    } catch { return false; }
  }

  private scheduleRecentPost(): void {
    clearTimeout(this.recentTimer);
    this.recentTimer = setTimeout(() => { void this.postRecent(); }, 100);
  }

  /** The list with thumbnails of the image entries (made on demand, cached like the results'). */
  private async postRecent(): Promise<void> {
    const view = this.view;
    if (!view) return;
    const entries = this.recent.views();
    await Promise.all(entries.map(async (v: RecentQueryView) => {
      if (v.kind !== 'image') return;
      const e = this.recent.get(v.recentId);
      const file = e?.kind === 'image' ? e.path : e?.kind === 'pasted' ? this.recent.pastedFile(e) : undefined;
      const thumb = file ? await this.thumbs.get(file, THUMB_SIZE).catch(() => undefined) : undefined;
      if (thumb) v.thumbnailUri = view.webview.asWebviewUri(vscode.Uri.file(thumb)).toString();
    }));
    this.post({ type: 'recentQueries', entries });
  }

  // ---------------------------------------------------------------- folder scope

  private async pickScope(clear: boolean): Promise<void> {
    if (clear) {
      this.filter = { ...this.filter, scopeId: undefined };
      this.currentScope = undefined;
      this.post({ type: 'scope', scopeId: null, label: '' });
      return;
    }
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((w) => w.uri.scheme === 'file');
    if (folders.length === 0) return;
    type Item = vscode.QuickPickItem & { scope?: Scope };
    const items: Item[] = [{ label: `$(root-folder) ${vscode.l10n.t('All workspace folders')}`, description: vscode.l10n.t('no folder scope') }];
    const multi = folders.length > 1;
    for (const wf of folders) {
      if (multi) items.push({ label: `$(root-folder) ${wf.name}`, scope: { folderUri: wf.uri.toString(), prefix: '', label: wf.name } });
      for (const rel of await listSubfolders(wf.uri.fsPath, 4, 2000)) {
        const label = multi ? `${wf.name}/${rel}` : rel;
        items.push({ label: `$(folder) ${rel}`, description: multi ? wf.name : undefined, scope: { folderUri: wf.uri.toString(), prefix: rel, label } });
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Sketch Search: Search in Folder'),
      placeHolder: vscode.l10n.t('Only show results from this folder'),
      matchOnDescription: true,
    });
    if (!picked) return;
    if (!picked.scope) {
      this.filter = { ...this.filter, scopeId: undefined };
      this.currentScope = undefined;
      this.post({ type: 'scope', scopeId: null, label: '' });
      return;
    }
    const scopeId = `s${++this.scopeSeq}`;
    if (this.scopes.size > 50) {
      const keep = this.currentScope && this.scopes.get(this.currentScope.scopeId);
      this.scopes.clear();
      if (keep && this.currentScope) this.scopes.set(this.currentScope.scopeId, keep);
    }
    this.scopes.set(scopeId, picked.scope);
    this.currentScope = { scopeId, label: picked.scope.label };
    this.post({ type: 'scope', scopeId, label: picked.scope.label });
  }

  // ---------------------------------------------------------------- plumbing

  clearPad(): void { this.post({ type: 'clearPad' }); }

  get visible(): boolean { return !!this.view?.visible; }

  /**
   * Hits -> results with opaque ids. A new query issues new ids (and forgets thumbnail requests);
   * a refresh keeps the id of every file still in the list, so the webview keeps those tiles.
   */
  private toResults(hits: RankedHit[], refresh = false): SearchResult[] {
    const keep = new Map<string, string>(); // abs -> id
    if (refresh) for (const [id, abs] of this.results) keep.set(abs, id);
    else {
      this.generation++;
      this.thumbQueue = [];
      this.thumbRequested.clear();
    }
    this.results.clear();
    const out = hits.map((h) => {
      const resultId = keep.get(h.abs) ?? `${this.generation}:${++this.idSeq}`;
      this.results.set(resultId, h.abs);
      const folder = path.posix.dirname(h.path);
      const name = path.posix.basename(h.path);
      return {
        resultId, name, folder: folder === '.' ? '' : folder, workspaceFolder: h.folder.name, score: h.score,
        uri: vscode.Uri.file(h.abs).toString(), fileType: fileTypeOf(name),
      };
    });
    if (refresh) {
      // Forget thumbnail work for results that left the list.
      this.thumbQueue = this.thumbQueue.filter((j) => this.results.has(j.id));
      for (const key of [...this.thumbRequested]) if (!this.results.has(key.slice(1))) this.thumbRequested.delete(key);
    }
    return out;
  }

  private pumpThumbnails(): void {
    while (this.thumbWorkers < 2 && this.thumbQueue.length > 0) {
      this.thumbWorkers++;
      void this.thumbWorker().finally(() => { this.thumbWorkers--; });
    }
  }

  private async thumbWorker(): Promise<void> {
    for (let job = this.thumbQueue.shift(); job; job = this.thumbQueue.shift()) {
      if (job.gen !== this.generation || !this.view) continue;
      const abs = this.results.get(job.id);
      if (!abs) continue;
      const file = await this.thumbs.get(abs, job.preview ? PREVIEW_SIZE : THUMB_SIZE);
      if (file && job.gen === this.generation && this.view) {
        const msg: ToWebviewMessage = { type: 'thumbnail', resultId: job.id, thumbnailUri: this.view.webview.asWebviewUri(vscode.Uri.file(file)).toString() };
        if (job.preview) msg.preview = true;
        this.post(msg);
      }
    }
  }

  private postConfig(): void {
    const s = readSettings();
    const msg: ConfigMessage = { type: 'config', gridSize: s.gridSize, showScores: s.showScores, minScore: s.minScore };
    this.post(msg);
  }

  private postStatus(): void {
    const s = this.index.current;
    const msg: IndexStatusMessage = { type: 'indexStatus', state: s.state, indexed: s.indexed, total: s.state === 'indexing' ? s.total : s.indexed, message: s.message, provider: s.provider };
    if (s.skipped) msg.skipped = s.skipped;
    if (s.state === 'indexing') { msg.indexed = s.done; }
    this.post(msg);
  }

  private post(m: ToWebviewMessage): void {
    void this.view?.webview.postMessage(m).then(undefined, () => undefined);
  }

  dispose(): void {
    clearTimeout(this.recentTimer);
    if (this.fileTypesTimer) clearTimeout(this.fileTypesTimer);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/** Subfolders of `root` as '/'-paths, breadth first, skipping dot folders and node_modules. */
export async function listSubfolders(root: string, maxDepth: number, max: number): Promise<string[]> {
  const out: string[] = [];
  let level = [''];
  for (let d = 0; d < maxDepth && level.length > 0 && out.length < max; d++) {
    const next: string[] = [];
    for (const rel of level) {
      let ents: fs.Dirent[];
      try { ents = await fs.promises.readdir(path.join(root, rel), { withFileTypes: true }); } catch { continue; }
      for (const e of ents) {
        if (!e.isDirectory() || e.name.startsWith('.') || e.name === 'node_modules') continue;
        const r = rel ? `${rel}/${e.name}` : e.name;
        out.push(r);
        next.push(r);
        if (out.length >= max) break;
      }
      if (out.length >= max) break;
    }
    level = next;
  }
  return out.sort((a, b) => a.localeCompare(b));
}
