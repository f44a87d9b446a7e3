/**
 * Insert at the cursor when a result's preview tab hides the text editor (src/extension/resultActions.ts):
 * the text editor last active, while its tab is open, edited through a WorkspaceEdit.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installVscodeMock, vscodeMock } from '../helpers/vscodeMock';

// The classes this path uses, added to the mock before resultActions is first imported (it copies the module's members).
class Selection { constructor(readonly start: { line: number; character: number }, readonly end: { line: number; character: number }) {} }
const Sel = function (this: unknown, a: number, b: number, c: number, d: number) { return new Selection({ line: a, character: b }, { line: c, character: d }); } as unknown as typeof Selection;
class TabInputText { constructor(readonly uri: unknown) {} }
class WorkspaceEdit { edits: { uri: unknown; at: number; text: string }[] = []; replace(uri: unknown, sel: Selection, text: string) { this.edits.push({ uri, at: sel.start.character, text }); } }
const m = vscodeMock as unknown as Record<string, unknown> & { window: Record<string, unknown>; workspace: Record<string, unknown> };
Object.assign(m, { Selection: Sel, TabInputText, WorkspaceEdit });
installVscodeMock();

test('behind a preview tab, the reference goes into the text editor last active, at its cursor, one after the other', async () => {
  const { runResultAction, trackLastTextEditor } = await import('../../src/extension/resultActions');
  const uri = { scheme: 'file', fsPath: '/ws/notes.md', toString: () => 'file:///ws/notes.md' };
  const doc = { uri, languageId: 'markdown', getText: () => '', isClosed: false };
  const notes = { document: doc, selections: [new Selection({ line: 2, character: 0 }, { line: 2, character: 0 })], edit: async () => { throw new Error('TextEditor#edit not possible on closed editors'); } };
  const applied: { at: number; text: string }[] = [];
  let onActive: ((e: unknown) => void) | undefined;
  {
    Object.assign(m.window, {
      activeTextEditor: notes, visibleTextEditors: [notes],
      onDidChangeActiveTextEditor: (l: (e: unknown) => void) => { onActive = l; return { dispose: () => undefined }; },
      onDidChangeTextEditorSelection: () => ({ dispose: () => undefined }),
      tabGroups: { all: [{ tabs: [{ input: new TabInputText(uri) }, { input: { viewType: 'imagePreview' } }] }] },
    });
    Object.assign(m.workspace, { applyEdit: async (we: WorkspaceEdit) => { applied.push(...we.edits.map((e) => ({ at: e.at, text: e.text }))); return true; } });
    const tracking = trackLastTextEditor();
    // A click on a result: its preview tab hides notes.md (no active or visible text editor).
    Object.assign(m.window, { activeTextEditor: undefined, visibleTextEditors: [] });
    onActive?.(undefined);
    assert.deepEqual(await runResultAction('insertReference', '/ws/img/a.png'), { outcome: 'inserted', detail: 'notes.md' });
    assert.deepEqual(await runResultAction('insertReference', '/ws/img/b.png'), { outcome: 'inserted', detail: 'notes.md' });
    assert.deepEqual(applied, [{ at: 0, text: '![a](./img/a.png)' }, { at: 17, text: '![b](./img/b.png)' }], 'the second goes after the first');
    // Its tab closed: nothing to insert into.
    (m.window.tabGroups as { all: unknown[] }).all = [];
    assert.deepEqual(await runResultAction('insertReference', '/ws/img/a.png'), { outcome: 'noEditor' });
    tracking.dispose();
  }
});
