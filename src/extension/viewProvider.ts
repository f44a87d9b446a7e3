/**
 * The sidebar sketch pad. The host owns state: it validates every message, runs searches, keeps
 * the map from opaque result ids to files (the webview never sees or sends paths), and makes
 * thumbnails. The webview only renders and reports.
 */
import * as crypto from 'crypto';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  FromWebviewMessage, IndexStatusMessage, padStrokesToPoints, SearchResult, ToWebviewMessage, validateFromWebview,
} from '../shared/protocol';
import { renderWebviewHtml } from '../webview/html';
import { readSettings } from './config';
import { IndexManager, RankedHit } from './indexManager';
import { runResultAction } from './resultActions';
import { ThumbnailCache } from './thumbnails';

export class SketchPadViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'sketchSearch.pad';
  private view: vscode.WebviewView | undefined;
  private results = new Map<string, string>(); // resultId -> absolute path
  private generation = 0;
  private readonly thumbs: ThumbnailCache;
  private disposables: vscode.Disposable[] = [];
  private invalidMessages = 0;

  constructor(
    private readonly ctx: vscode.ExtensionContext,
    private readonly index: IndexManager,
    private readonly log: (line: string) => void,
  ) {
    this.thumbs = new ThumbnailCache(path.join(ctx.globalStorageUri.fsPath, 'thumbnails'), (s, d, n) => index.thumbnail(s, d, n));
    this.disposables.push(index.onDidChangeStatus(() => this.postStatus()));
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const webview = view.webview;
    webview.options = {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.ctx.extensionUri, 'dist'),
        vscode.Uri.joinPath(this.ctx.extensionUri, 'media'),
        vscode.Uri.file(this.thumbs.dir),
      ],
    };
    webview.html = renderWebviewHtml({
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.ctx.extensionUri, 'media', 'webview.css')).toString(),
      cspSource: webview.cspSource,
      nonce: crypto.randomBytes(16).toString('hex'),
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
        this.postStatus();
        return;
      case 'drawing':
        this.index.setDrawing(m.active);
        return;
      case 'clear':
        this.results.clear();
        return;
      case 'search': {
        const t0 = performance.now();
        const strokes = padStrokesToPoints(m.strokes);
        if (strokes.every((s) => s.length === 0)) {
          this.post({ type: 'searchResponse', requestId: m.requestId, results: [], elapsedMs: 0 });
          return;
        }
        try {
          const q = await this.index.embedStrokes(strokes);
          const hits = await this.index.search(q, m.top ?? readSettings().maxResults);
          const results = this.toResults(hits);
          this.post({ type: 'searchResponse', requestId: m.requestId, results, elapsedMs: performance.now() - t0 });
          void this.sendThumbnails(results);
        } catch (e) {
          this.post({ type: 'searchResponse', requestId: m.requestId, results: [], elapsedMs: performance.now() - t0, error: (e as Error).message });
        }
        return;
      }
      case 'resultAction': {
        const abs = this.results.get(m.resultId);
        if (!abs) return; // stale or forged id: nothing to do
        await runResultAction(m.action, abs);
        return;
      }
      case 'command': {
        const map = {
          rebuildIndex: 'sketchSearch.rebuildIndex',
          showIndexStatus: 'sketchSearch.showIndexStatus',
          searchWithImageFile: 'sketchSearch.searchWithImageFile',
          trustWorkspace: 'workbench.trust.manage',
        } as const;
        await vscode.commands.executeCommand(map[m.command]);
        return;
      }
    }
  }

  /** Push results of an image query ("Search with Image File…", "Find Similar"). */
  showImageResults(label: string, hits: RankedHit[], elapsedMs: number): void {
    const results = this.toResults(hits);
    this.post({ type: 'results', query: { kind: 'image', label }, results, elapsedMs });
    void this.sendThumbnails(results);
  }

  clearPad(): void { this.post({ type: 'clearPad' }); }

  get visible(): boolean { return !!this.view?.visible; }

  private toResults(hits: RankedHit[]): SearchResult[] {
    this.generation++;
    this.results.clear();
    return hits.map((h, i) => {
      const resultId = `${this.generation}:${i}`;
      this.results.set(resultId, h.abs);
      const folder = path.posix.dirname(h.path);
      return { resultId, name: path.posix.basename(h.path), folder: folder === '.' ? '' : folder, workspaceFolder: h.folder.name, score: h.score };
    });
  }

  private async sendThumbnails(results: SearchResult[]): Promise<void> {
    const gen = this.generation;
    const queue = [...results];
    const work = async () => {
      for (let r = queue.shift(); r; r = queue.shift()) {
        if (gen !== this.generation || !this.view) return;
        const abs = this.results.get(r.resultId);
        if (!abs) continue;
        const file = await this.thumbs.get(abs);
        if (file && gen === this.generation && this.view) {
          this.post({ type: 'thumbnail', resultId: r.resultId, thumbnailUri: this.view.webview.asWebviewUri(vscode.Uri.file(file)).toString() });
        }
      }
    };
    await Promise.all([work(), work()]);
  }

  private postStatus(): void {
    const s = this.index.current;
    const msg: IndexStatusMessage = { type: 'indexStatus', state: s.state, indexed: s.indexed, total: s.state === 'indexing' ? s.total : s.indexed, message: s.message, provider: s.provider };
    if (s.state === 'indexing') { msg.indexed = s.done; }
    this.post(msg);
  }

  private post(m: ToWebviewMessage): void {
    void this.view?.webview.postMessage(m).then(undefined, () => undefined);
  }

  dispose(): void { for (const d of this.disposables) d.dispose(); }
}
