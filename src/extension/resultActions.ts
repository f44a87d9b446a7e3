/** What a result's actions do in VS Code (open, reveal, copy, insert a reference at the cursor). */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ActionOutcome, ResultAction } from '../shared/protocol';

/** What an action really did, for the webview to announce (detail: the target document, or the error). */
export interface ActionResult { outcome: ActionOutcome; detail?: string }

/** A path from the active document's folder to the image, '/'-separated, './'-prefixed. */
export function relativeFromEditor(editor: vscode.TextEditor | undefined, abs: string): string {
  const doc = editor?.document;
  if (!doc || doc.uri.scheme !== 'file') return vscode.workspace.asRelativePath(abs, false).split(path.sep).join('/');
  let rel = path.relative(path.dirname(doc.uri.fsPath), abs).split(path.sep).join('/');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

function encodeUrlPath(p: string): string {
  return p.split('/').map((s) => (s === '.' || s === '..' ? s : encodeURIComponent(s))).join('/');
}

export function markdownImageLink(name: string, rel: string): string {
  const alt = path.parse(name).name.replace(/[[\]]/g, '');
  return `![${alt}](${encodeUrlPath(rel)})`;
}

export function htmlImg(name: string, rel: string): string {
  const alt = path.parse(name).name.replace(/"/g, '&quot;');
  return `<img src="${encodeUrlPath(rel).replace(/"/g, '%22')}" alt="${alt}">`;
}

export function importStatement(name: string, rel: string, languageId: string | undefined, docText = vscode.window.activeTextEditor?.document.getText() ?? ''): string {
  const ident = path.parse(name).name.replace(/[^A-Za-z0-9_$]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')).replace(/^[^A-Za-z_$]/, '_$&') || 'image';
  const quoted = JSON.stringify(rel);
  if (languageId === 'javascript' && !docText.includes('import ')) return `const ${ident} = require(${quoted});`;
  return `import ${ident} from ${quoted};`;
}

const CSS_LANGS = new Set(['css', 'scss', 'less', 'sass', 'stylus', 'postcss']);
const HTML_LANGS = new Set(['html', 'vue', 'svelte', 'astro', 'php', 'handlebars', 'razor', 'xml', 'javascriptreact', 'typescriptreact']);
const CODE_LANGS = new Set(['javascript', 'typescript']);

export function cssUrl(rel: string): string {
  return `url("${encodeUrlPath(rel).replace(/"/g, '%22')}")`;
}

/** What Ctrl/Cmd+Enter inserts: the reference that suits the language of the document. */
export function referenceFor(name: string, rel: string, languageId: string | undefined, docText?: string): string {
  if (languageId && CSS_LANGS.has(languageId)) return cssUrl(rel);
  if (languageId && HTML_LANGS.has(languageId)) return htmlImg(name, rel);
  if (languageId && CODE_LANGS.has(languageId)) return importStatement(name, rel, languageId, docText);
  return markdownImageLink(name, rel);
}

/** The text editor last active (its document and selections), kept while an image preview hides it. */
let lastText: { editor: vscode.TextEditor; selections: readonly vscode.Selection[] } | undefined;

function isDocEditor(e: vscode.TextEditor | undefined): e is vscode.TextEditor {
  return !!e && (e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled');
}

/** Follow the active text editor and its selections (call once; dispose on deactivate). */
export function trackLastTextEditor(): vscode.Disposable {
  const remember = (e: vscode.TextEditor | undefined) => { if (isDocEditor(e)) lastText = { editor: e, selections: e.selections }; };
  remember(vscode.window.activeTextEditor);
  const subs = [
    vscode.window.onDidChangeActiveTextEditor?.(remember),
    vscode.window.onDidChangeTextEditorSelection?.((ev) => { if (ev.textEditor === lastText?.editor || ev.textEditor === vscode.window.activeTextEditor) remember(ev.textEditor); }),
  ];
  return { dispose: () => { for (const d of subs) d?.dispose(); lastText = undefined; } };
}

/** Is a tab of this document still open (a hidden editor, e.g. behind a preview of a result)? */
function hasOpenTab(uri: vscode.Uri): boolean {
  const key = uri.toString();
  return (vscode.window.tabGroups?.all ?? []).some((g) => g.tabs.some((t) => {
    const input = t.input as { uri?: vscode.Uri } | undefined;
    return typeof vscode.TabInputText === 'function' && input instanceof vscode.TabInputText && input.uri?.toString() === key;
  }));
}

/**
 * The editor a reference goes into: the active text editor or, when none is active (an image
 * preview or another custom editor is, e.g. after a click on a result or "Open to the Side"),
 * the only visible text editor of a file or untitled document, else the text editor last active
 * if its tab is still open (a result's preview tab may hide it; the text goes in at its cursor).
 */
export function targetEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return active;
  const visible = (vscode.window.visibleTextEditors ?? []).filter(isDocEditor);
  if (visible.length === 1) return visible[0];
  if (visible.length === 0 && lastText && !lastText.editor.document.isClosed && hasOpenTab(lastText.editor.document.uri)) return lastText.editor;
  return undefined;
}

async function insertAtCursor(text: string, editor: vscode.TextEditor | undefined): Promise<ActionResult> {
  if (!editor) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Sketch Search: open a text editor to insert into, then try again.'));
    return { outcome: 'noEditor' };
  }
  let ok: boolean;
  if ((vscode.window.visibleTextEditors ?? []).includes(editor) || editor === vscode.window.activeTextEditor) {
    ok = await editor.edit((b) => { for (const sel of editor.selections) b.replace(sel, text); });
  } else {
    // Hidden behind another tab: TextEditor.edit is not possible, edit its document at the cursor it had.
    const sels = lastText?.editor === editor ? lastText.selections : editor.selections;
    const we = new vscode.WorkspaceEdit();
    for (const sel of sels) we.replace(editor.document.uri, sel, text);
    ok = await vscode.workspace.applyEdit(we);
    if (ok && lastText?.editor === editor) lastText = { editor, selections: cursorsAfter(sels, text) };
  }
  return ok === false ? { outcome: 'notInserted' } : { outcome: 'inserted', detail: path.basename(editor.document.uri.fsPath || editor.document.uri.path || '') };
}

/** Where the cursors are after `text` replaced each selection (so the next insert goes after it). */
function cursorsAfter(sels: readonly vscode.Selection[], text: string): readonly vscode.Selection[] {
  if (text.includes('\n') || sels.some((s) => s.start.line !== s.end.line)) return sels;
  const sorted = [...sels].sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);
  let line = -1, shift = 0;
  return sorted.map((sel) => {
    if (sel.start.line !== line) { line = sel.start.line; shift = 0; }
    const col = sel.start.character + shift + text.length;
    shift += text.length - (sel.end.character - sel.start.character);
    return new vscode.Selection(line, col, line, col);
  });
}

export async function runResultAction(action: ResultAction, abs: string): Promise<ActionResult> {
  const uri = vscode.Uri.file(abs);
  const name = path.basename(abs);
  const editor = targetEditor();
  const rel = () => relativeFromEditor(editor, abs);
  switch (action) {
    case 'preview':
      // Single click, as in the Search view: a preview tab, focus stays in the results.
      await vscode.commands.executeCommand('vscode.open', uri, { preview: true, preserveFocus: true });
      return { outcome: 'opened' };
    case 'open':
      // Double click / Enter: a pinned editor that takes focus.
      await vscode.commands.executeCommand('vscode.open', uri, { preview: false });
      return { outcome: 'opened' };
    case 'openToSide':
      await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      return { outcome: 'opened' };
    case 'revealInExplorer':
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return { outcome: 'done' };
    case 'copyPath':
      await vscode.env.clipboard.writeText(abs);
      return { outcome: 'copied' };
    case 'copyRelativePath':
      await vscode.env.clipboard.writeText(vscode.workspace.asRelativePath(uri, false));
      return { outcome: 'copied' };
    case 'insertMarkdownLink':
      return insertAtCursor(markdownImageLink(name, rel()), editor);
    case 'insertHtmlImg':
      return insertAtCursor(htmlImg(name, rel()), editor);
    case 'insertReference':
      return insertAtCursor(referenceFor(name, rel(), editor?.document.languageId, editor?.document.getText()), editor);
    case 'insertImportPath':
      return insertAtCursor(importStatement(name, rel(), editor?.document.languageId, editor?.document.getText()), editor);
    case 'findSimilar':
      await vscode.commands.executeCommand('sketchSearch.findSimilar', uri);
      return { outcome: 'done' };
  }
}
