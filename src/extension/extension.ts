/**
 * Extension entry: wires settings, the index manager (worker process + per-folder indexes),
 * the sidebar view, commands and the status bar. Thin glue: logic lives in core/.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { IndexManager } from './indexManager';
import { createStatusBar } from './statusBar';
import { IMAGE_EXT_RE, SketchPadViewProvider } from './viewProvider';

const t = vscode.l10n.t;

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
      void vscode.window.showErrorMessage(t('Sketch Search: {0} failed: {1}', name, (e as Error).message));
    }
  };

  const imageQuery = async (file: string, label: string) => {
    await vscode.commands.executeCommand('sketchSearch.pad.focus');
    await view.runImageQuery(file, label);
  };

  ctx.subscriptions.push(
    vscode.commands.registerCommand('sketchSearch.openPad', guard(t('Open Sketch Pad'), async () => {
      await vscode.commands.executeCommand('workbench.view.extension.sketchSearch');
      await vscode.commands.executeCommand('sketchSearch.pad.focus');
    })),
    vscode.commands.registerCommand('sketchSearch.searchWithImageFile', guard(t('Search with Image File'), async () => {
      const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: IMAGE_FILTERS, openLabel: t('Search') });
      if (!picked?.[0]) return;
      if (picked[0].scheme !== 'file') throw new Error(t('only local files can be used as a query'));
      await imageQuery(picked[0].fsPath, t('Similar to {0}', path.basename(picked[0].fsPath)));
    })),
    vscode.commands.registerCommand('sketchSearch.findSimilar', guard(t('Find Similar Images'), async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri ?? (vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: vscode.Uri } | undefined)?.uri;
      if (!target || target.scheme !== 'file' || !IMAGE_EXT_RE.test(target.fsPath)) {
        void vscode.window.showInformationMessage(t('Sketch Search: select an image file to find similar images.'));
        return;
      }
      await imageQuery(target.fsPath, t('Similar to {0}', path.basename(target.fsPath)));
    })),
    vscode.commands.registerCommand('sketchSearch.rebuildIndex', guard(t('Rebuild Index'), () => {
      if (!vscode.workspace.isTrusted) {
        const manage = t('Manage Workspace Trust');
        void vscode.window.showWarningMessage(t('Sketch Search does not index images in Restricted Mode.'), manage)
          .then((c) => c === manage && vscode.commands.executeCommand('workbench.trust.manage'));
        return;
      }
      log('rebuilding the index');
      index.rebuild(true);
    })),
    vscode.commands.registerCommand('sketchSearch.cancelIndexing', () => {
      if (index.cancel()) log('indexing cancelled by the user');
      else void vscode.window.showInformationMessage(t('Sketch Search: nothing is being indexed.'));
    }),
    vscode.commands.registerCommand('sketchSearch.resumeIndexing', guard(t('Resume Indexing'), () => {
      if (!vscode.workspace.isTrusted) return;
      log('resuming indexing (only what is missing)');
      index.resume();
    })),
    vscode.commands.registerCommand('sketchSearch.showSkippedFiles', guard(t('Show Skipped Files'), async () => {
      const skipped = index.skippedReport();
      out.appendLine(`skipped files: ${skipped.length}`);
      for (const k of skipped) out.appendLine(`  ${k.folder}/${k.path}: ${k.reason}`);
      if (skipped.length === 0) { void vscode.window.showInformationMessage(t('Sketch Search: no files were skipped.')); return; }
      const folders = new Map((vscode.workspace.workspaceFolders ?? []).map((w) => [w.name, w]));
      const multi = folders.size > 1;
      const picked = await vscode.window.showQuickPick(skipped.map((k) => ({
        label: multi ? `${k.folder}/${k.path}` : k.path, description: k.reason, skipped: k,
      })), { title: t('Sketch Search: Skipped Files ({0})', skipped.length), placeHolder: t('Files that could not be indexed; pick one to reveal it in the Explorer'), matchOnDescription: true });
      const wf = picked && folders.get(picked.skipped.folder);
      if (wf) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.joinPath(wf.uri, ...picked.skipped.path.split('/')));
    })),
    vscode.commands.registerCommand('sketchSearch.clearPad', () => view.clearPad()),
    vscode.commands.registerCommand('sketchSearch.showOutput', () => out.show(true)),
    vscode.commands.registerCommand('sketchSearch.showIndexStatus', guard(t('Show Index Status'), async () => {
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
      const summary = s.state === 'indexing' ? t('indexing {0}/{1}', s.done, s.total) : s.state;
      const rebuild = t('Rebuild Index');
      const resume = t('Resume');
      const actions = s.state === 'error' ? [rebuild] : s.state === 'paused' ? [resume] : [];
      const pick = await vscode.window.showInformationMessage(
        t('Sketch Search: {0}, {1} images indexed, provider {2}, {3} skipped (details in the Output panel).', summary, s.indexed, index.provider || t('none'), skipped.length),
        ...actions);
      if (pick === rebuild) await vscode.commands.executeCommand('sketchSearch.rebuildIndex');
      if (pick === resume) await vscode.commands.executeCommand('sketchSearch.resumeIndexing');
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
