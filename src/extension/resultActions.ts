/** What a result's actions do in VS Code (open, reveal, copy, insert a reference at the cursor). */
import * as path from 'path';
import * as vscode from 'vscode';
import type { ResultAction } from '../shared/protocol';

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

/**
 * The editor a reference goes into: the active text editor or, when none is active (an image
 * preview or another custom editor is, e.g. after "Open to the Side"), the only visible text
 * editor of a file or untitled document.
 */
export function targetEditor(): vscode.TextEditor | undefined {
  const active = vscode.window.activeTextEditor;
  if (active) return active;
  const visible = (vscode.window.visibleTextEditors ?? []).filter((e) => e.document.uri.scheme === 'file' || e.document.uri.scheme === 'untitled');
  return visible.length === 1 ? visible[0] : undefined;
}

async function insertAtCursor(text: string, editor: vscode.TextEditor | undefined): Promise<void> {
  if (!editor) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Sketch Search: open a text editor to insert into, then try again.'));
    return;
  }
  await editor.edit((b) => { for (const sel of editor.selections) b.replace(sel, text); });
}

export async function runResultAction(action: ResultAction, abs: string): Promise<void> {
  const uri = vscode.Uri.file(abs);
  const name = path.basename(abs);
  const editor = targetEditor();
  switch (action) {
    case 'open':
      await vscode.commands.executeCommand('vscode.open', uri, { preview: true });
      return;
    case 'openToSide':
      await vscode.commands.executeCommand('vscode.open', uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      return;
    case 'revealInExplorer':
      await vscode.commands.executeCommand('revealInExplorer', uri);
      return;
    case 'copyPath':
      await vscode.env.clipboard.writeText(abs);
      return;
    case 'copyRelativePath':
      await vscode.env.clipboard.writeText(vscode.workspace.asRelativePath(uri, false));
      return;
    case 'insertMarkdownLink':
      await insertAtCursor(markdownImageLink(name, relativeFromEditor(editor, abs)), editor);
      return;
    case 'insertHtmlImg':
      await insertAtCursor(htmlImg(name, relativeFromEditor(editor, abs)), editor);
      return;
    case 'insertReference':
      await insertAtCursor(referenceFor(name, relativeFromEditor(editor, abs), editor?.document.languageId, editor?.document.getText()), editor);
      return;
    case 'insertImportPath':
      await insertAtCursor(importStatement(name, relativeFromEditor(editor, abs), editor?.document.languageId, editor?.document.getText()), editor);
      return;
    case 'findSimilar':
      await vscode.commands.executeCommand('sketchSearch.findSimilar', uri);
      return;
  }
}
