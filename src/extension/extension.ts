/**
 * Extension entry: wires settings, the index manager (worker process + per-folder indexes),
 * the sidebar view, commands and the status bar. Thin glue: logic lives in core/.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { IndexManager } from './indexManager';
import { createStatusBar } from './statusBar';
import { SketchPadViewProvider } from './viewProvider';

const IMAGE_FILTERS = { Images: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'bmp', 'tif', 'tiff', 'avif'] };

let active: IndexManager | undefined;

export function activate(ctx: vscode.ExtensionContext): { index: IndexManager } {
  const out = vscode.window.createOutputChannel('Sketch Search');
  const log = (line: string) => out.appendLine(`[${new Date().toISOString()}] ${line}`);
  const index = new IndexManager(ctx, log);
  active = index;
  const view = new SketchPadViewProvider(ctx, index, log);
  const status = createStatusBar();
  ctx.subscriptions.push(out, index, view, status.item, index.onDidChangeStatus((s) => status.update(s)));
  ctx.subscriptions.push(vscode.window.registerWebviewViewProvider(SketchPadViewProvider.viewId, view, { webviewOptions: { retainContextWhenHidden: false } }));
  status.update(index.current);

  const guard = <A extends unknown[]>(name: string, fn: (...a: A) => Promise<void> | void) => async (...a: A) => {
    try {
      await fn(...a);
    } catch (e) {
      log(`${name} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(`Sketch Search: ${name} failed: ${(e as Error).message}`);
    }
  };

  const imageQuery = async (file: string, label: string) => {
    const t0 = performance.now();
    const indexed = index.vectorOf(file);
    const q = indexed ? { vector: indexed, as: 'image' as const } : await index.embedQueryFile(file);
    const hits = (await index.search(q.vector, 61)).filter((h) => h.abs !== file);
    await vscode.commands.executeCommand('sketchSearch.pad.focus');
    view.showImageResults(label, hits, performance.now() - t0);
  };

  ctx.subscriptions.push(
    vscode.commands.registerCommand('sketchSearch.openPad', guard('Open Sketch Pad', async () => {
      await vscode.commands.executeCommand('workbench.view.extension.sketchSearch');
      await vscode.commands.executeCommand('sketchSearch.pad.focus');
    })),
    vscode.commands.registerCommand('sketchSearch.searchWithImageFile', guard('Search with Image File', async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: IMAGE_FILTERS, openLabel: 'Search' });
      if (!picked?.[0]) return;
      if (picked[0].scheme !== 'file') throw new Error('only local files can be used as a query');
      await imageQuery(picked[0].fsPath, `Similar to ${path.basename(picked[0].fsPath)}`);
    })),
    vscode.commands.registerCommand('sketchSearch.findSimilar', guard('Find Similar Images', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri ?? (vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined)?.uri;
      if (!target || target.scheme !== 'file') {
        void vscode.window.showInformationMessage('Sketch Search: select an image file to find similar images.');
        return;
      }
      await imageQuery(target.fsPath, `Similar to ${path.basename(target.fsPath)}`);
    })),
    vscode.commands.registerCommand('sketchSearch.rebuildIndex', guard('Rebuild Index', () => {
      if (!vscode.workspace.isTrusted) {
        void vscode.window.showWarningMessage('Sketch Search does not index images in Restricted Mode.', 'Manage Workspace Trust')
          .then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
        return;
      }
      log('rebuilding the index');
      index.rebuild(true);
    })),
    vscode.commands.registerCommand('sketchSearch.cancelIndexing', () => index.cancel()),
    vscode.commands.registerCommand('sketchSearch.clearPad', () => view.clearPad()),
    vscode.commands.registerCommand('sketchSearch.showIndexStatus', guard('Show Index Status', async () => {
      const s = index.current;
      const skipped = index.skippedReport();
      out.appendLine('');
      out.appendLine('Sketch Search index status');
      out.appendLine(`  state: ${s.state}${s.message ? ` (${s.message})` : ''}`);
      out.appendLine(`  model: ${index.modelId || 'not loaded'}; execution provider: ${index.provider || 'none'}`);
      for (const f of index.folderSizes()) out.appendLine(`  ${f.folder}: ${f.images} images (${f.store})`);
      out.appendLine(`  skipped files: ${skipped.length}`);
      for (const k of skipped) out.appendLine(`    ${k.folder}/${k.path}: ${k.reason}`);
      out.show(true);
      const summary = s.state === 'indexing' ? `indexing ${s.done}/${s.total}` : s.state;
      void vscode.window.showInformationMessage(
        `Sketch Search: ${summary}, ${s.indexed} images indexed, provider ${index.provider || 'none'}, ${skipped.length} skipped (details in the Output panel).`);
    })),
  );

  if (vscode.workspace.isTrusted) {
    void index.start();
  } else {
    index.setRestricted();
    ctx.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void index.start()));
  }
  log(`activated (extension ${ctx.extension.packageJSON.version}, ${process.platform}-${process.arch})`);
  return { index };
}

export async function deactivate(): Promise<void> {
  // Indexing is cancelled by dispose; save what is in memory before VS Code goes away.
  await active?.flush();
}
