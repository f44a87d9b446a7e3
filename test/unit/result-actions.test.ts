import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installVscodeMock, recorded, vscodeMock } from '../helpers/vscodeMock';

installVscodeMock();

test('references suit the language of the document', async () => {
  const { referenceFor, markdownImageLink, htmlImg, importStatement, cssUrl } = await import('../../src/extension/resultActions');
  assert.equal(markdownImageLink('my cat [1].png', './img/my cat [1].png'), '![my cat 1](./img/my%20cat%20%5B1%5D.png)');
  assert.equal(htmlImg('a"b.png', '../a"b.png'), '<img src="../a%22b.png" alt="a&quot;b">');
  assert.equal(cssUrl('./a b.svg'), 'url("./a%20b.svg")');
  assert.equal(importStatement('arrow-left.svg', './arrow-left.svg', 'typescript'), 'import arrowLeft from "./arrow-left.svg";');
  assert.equal(importStatement('1x.png', './1x.png', 'javascript'), 'const _1x = require("./1x.png");');
  assert.equal(referenceFor('a.png', './a.png', 'markdown'), '![a](./a.png)');
  assert.equal(referenceFor('a.png', './a.png', undefined), '![a](./a.png)');
  assert.equal(referenceFor('a.png', './a.png', 'html'), '<img src="./a.png" alt="a">');
  assert.equal(referenceFor('a.png', './a.png', 'typescriptreact'), '<img src="./a.png" alt="a">');
  assert.equal(referenceFor('a.png', './a.png', 'scss'), 'url("./a.png")');
  assert.equal(referenceFor('a.png', './a.png', 'typescript'), 'import a from "./a.png";');
});

test('insertReference edits every selection of the active editor, relative to its file', async () => {
  const { runResultAction } = await import('../../src/extension/resultActions');
  const edits: string[] = [];
  vscodeMock.window.activeTextEditor = {
    document: { uri: { scheme: 'file', fsPath: '/ws/docs/readme.md' }, languageId: 'markdown', getText: () => '' },
    selections: [1, 2],
    edit: async (fn: (b: { replace: (s: unknown, t: string) => void }) => void) => { fn({ replace: (_s, t) => edits.push(t) }); return true; },
  };
  await runResultAction('insertReference', '/ws/img/logo.png');
  assert.deepEqual(edits, ['![logo](../img/logo.png)', '![logo](../img/logo.png)']);
  vscodeMock.window.activeTextEditor = undefined;
  recorded.messages.length = 0;
  await runResultAction('insertReference', '/ws/img/logo.png');
  assert.equal(recorded.messages.length, 1, 'no editor: a warning, no edit');
});

test('with an image preview active, insertion goes to the one visible text editor', async () => {
  const { targetEditor } = await import('../../src/extension/resultActions');
  const md = { document: { uri: { scheme: 'file', fsPath: '/ws/notes.md' } } };
  const out = { document: { uri: { scheme: 'output', fsPath: 'x' } } };
  const w = vscodeMock.window as unknown as { activeTextEditor: unknown; visibleTextEditors?: unknown[] };
  const saved = { active: w.activeTextEditor, visible: w.visibleTextEditors };
  try {
    w.activeTextEditor = undefined;
    w.visibleTextEditors = [md, out];
    assert.equal(targetEditor(), md);
    w.visibleTextEditors = [md, { document: { uri: { scheme: 'file', fsPath: '/ws/b.md' } } }];
    assert.equal(targetEditor(), undefined, 'ambiguous: two text editors visible');
    w.visibleTextEditors = [];
    assert.equal(targetEditor(), undefined);
  } finally {
    w.activeTextEditor = saved.active;
    w.visibleTextEditors = saved.visible;
  }
});

test('actions report what really happened: inserted (into which document), no editor, refused edit, preview keeps focus', async () => {
  const { runResultAction } = await import('../../src/extension/resultActions');
  const w = vscodeMock.window as unknown as { activeTextEditor: unknown; visibleTextEditors?: unknown[] };
  const saved = { active: w.activeTextEditor, visible: w.visibleTextEditors };
  try {
    w.visibleTextEditors = [];
    w.activeTextEditor = undefined;
    assert.deepEqual(await runResultAction('insertReference', '/ws/img/logo.png'), { outcome: 'noEditor' });
    assert.deepEqual(await runResultAction('insertMarkdownLink', '/ws/img/logo.png'), { outcome: 'noEditor' });
    const editor = (accept: boolean) => ({
      document: { uri: { scheme: 'file', fsPath: '/ws/docs/readme.md' }, languageId: 'markdown', getText: () => '' },
      selections: [1],
      edit: async (fn: (b: { replace: (s: unknown, t: string) => void }) => void) => { fn({ replace: () => undefined }); return accept; },
    });
    w.activeTextEditor = editor(true);
    assert.deepEqual(await runResultAction('insertReference', '/ws/img/logo.png'), { outcome: 'inserted', detail: 'readme.md' });
    w.activeTextEditor = editor(false);
    assert.deepEqual(await runResultAction('insertHtmlImg', '/ws/img/logo.png'), { outcome: 'notInserted' });
    w.activeTextEditor = undefined;
    recorded.commands.length = 0;
    assert.deepEqual(await runResultAction('preview', '/ws/img/logo.png'), { outcome: 'opened' });
    assert.deepEqual(await runResultAction('open', '/ws/img/logo.png'), { outcome: 'opened' });
    assert.deepEqual(recorded.commands.map((c) => c.args[1]), [{ preview: true, preserveFocus: true }, { preview: false }],
      'a single click previews without taking focus; open pins the editor and focuses it');
    assert.deepEqual(await runResultAction('copyPath', '/ws/img/logo.png'), { outcome: 'copied' });
  } finally {
    w.activeTextEditor = saved.active;
    w.visibleTextEditors = saved.visible;
  }
});
