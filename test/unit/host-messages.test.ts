/**
 * The host's webview message handler against random and malformed messages: it never throws,
 * never opens or reads anything the webview names, and acts only on result ids it issued.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installVscodeMock, recorded } from '../helpers/vscodeMock';

installVscodeMock();

test('fuzzed and forged messages open nothing; valid ids act on the right file', async () => {
  const { SketchPadViewProvider } = await import('../../src/extension/viewProvider');
  const posted: unknown[] = [];
  const fakeIndex = {
    onDidChangeStatus: () => ({ dispose: () => undefined }),
    current: { state: 'ready', indexed: 2, total: 2, done: 0 },
    setDrawing: () => undefined,
    embedStrokes: async () => new Float32Array([1, 0]),
    search: async () => [
      { path: 'icons/cat.png', abs: '/ws/icons/cat.png', score: 0.9, folder: { name: 'ws' } },
      { path: 'dog.svg', abs: '/ws/dog.svg', score: 0.5, folder: { name: 'ws' } },
    ],
    thumbnail: async () => { throw new Error('no thumbnails in this test'); },
  };
  const ctx = { extensionUri: { fsPath: '/ext', scheme: 'file' }, globalStorageUri: { fsPath: '/tmp/sks-mock-storage' } };
  const logs: string[] = [];
  const provider = new SketchPadViewProvider(ctx as never, fakeIndex as never, (l) => logs.push(l));
  // Attach a fake view so posts are captured.
  (provider as unknown as { view: unknown }).view = {
    visible: true,
    webview: { postMessage: async (m: unknown) => { posted.push(m); return true; }, asWebviewUri: (u: unknown) => u },
  };

  let seed = 99;
  const rnd = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const junk = (d: number): unknown => {
    if (d > 3) return pick([null, 0, -1, 1e308, 'x', '../../etc/passwd', '/etc/passwd', true, undefined]);
    return pick<() => unknown>([
      () => ({ type: pick(['search', 'resultAction', 'command', 'clear', 'drawing', 'ready', 'open', 'constructor', 'needThumbnails', 'imageQuery', 'imageQueryBytes', 'pickScope', 'filter']), resultIds: pick([['1:0'], ['/etc/passwd'], junk(d + 1)]), uri: pick(['file:///etc/passwd', 'file:///ws/../etc/x.png', 'https://x/y.png', junk(d + 1)]), mime: pick(['image/png', 'image/svg+xml', junk(d + 1)]), base64: pick(['iVBORw0KGgo=', 'AAAA', junk(d + 1)]), filter: pick([{ types: ['png'] }, { scopeId: 's1' }, junk(d + 1)]), preview: junk(d + 1), clear: junk(d + 1), requestId: junk(d + 1), strokes: junk(d + 1), action: pick(['open', 'copyPath', 'rm', junk(d + 1)]), resultId: pick(['1:0', '/etc/passwd', '../x', '0:0', '999:1', junk(d + 1)]), command: pick(['rebuildIndex', 'workbench.action.terminal.new', junk(d + 1)]) }),
      () => [junk(d + 1), junk(d + 1)],
      () => 'string message',
      () => ({ __proto__: { type: 'search' } }),
      () => ({ type: 'search', requestId: 1, strokes: Array.from({ length: 3 }, () => [[rnd() * 1e7, rnd()]]) }),
    ])();
  };
  for (let i = 0; i < 3000; i++) await provider.onMessage(junk(0));
  const opened = recorded.commands.filter((c) => c.id === 'vscode.open' || c.id === 'revealInExplorer');
  assert.deepEqual(opened, [], 'nothing may be opened before any results were issued');
  assert.deepEqual(recorded.clipboard, []);
  assert.ok(recorded.commands.every((c) => ['sketchSearch.rebuildIndex', 'sketchSearch.showIndexStatus', 'sketchSearch.searchWithImageFile', 'workbench.trust.manage'].includes(c.id)),
    `unexpected command ${JSON.stringify(recorded.commands.map((c) => c.id))}`);

  // A real search issues ids; only those ids act, and only on their own files.
  recorded.commands.length = 0;
  posted.length = 0;
  await provider.onMessage({ type: 'search', requestId: 7, strokes: [[[0, 0], [1, 1]]] });
  const resp = posted.find((m) => (m as { type: string }).type === 'searchResponse') as { requestId: number; results: { resultId: string; name: string }[] };
  assert.equal(resp.requestId, 7);
  assert.deepEqual(resp.results.map((r) => r.name), ['cat.png', 'dog.svg']);
  // The only place a path reaches the webview is the file URI for dragging a result into an editor.
  assert.ok(!JSON.stringify(resp.results.map((r) => ({ ...r, uri: undefined }))).includes('/ws/'), 'absolute paths reach the webview only as the drag URI');
  assert.deepEqual(resp.results.map((r) => (r as { uri?: string }).uri), ['file:///ws/icons/cat.png', 'file:///ws/dog.svg']);
  await provider.onMessage({ type: 'resultAction', requestId: 1, action: 'copyPath', resultId: resp.results[1].resultId });
  assert.deepEqual(recorded.clipboard, ['/ws/dog.svg']);
  await provider.onMessage({ type: 'resultAction', requestId: 2, action: 'open', resultId: '/etc/passwd' });
  await provider.onMessage({ type: 'resultAction', requestId: 3, action: 'open', resultId: resp.results[0].resultId });
  const opens = recorded.commands.filter((c) => c.id === 'vscode.open');
  assert.equal(opens.length, 1);
  assert.equal((opens[0].args[0] as { fsPath: string }).fsPath, '/ws/icons/cat.png');
  // After a new search, old ids are dead.
  await provider.onMessage({ type: 'search', requestId: 8, strokes: [[[0, 0], [2, 1]]] });
  await provider.onMessage({ type: 'resultAction', requestId: 4, action: 'open', resultId: resp.results[0].resultId });
  assert.equal(recorded.commands.filter((c) => c.id === 'vscode.open').length, 1);
  // Every action is answered with what really happened, by requestId.
  const answers = posted.filter((m) => (m as { type: string }).type === 'resultActionResponse');
  assert.deepEqual(answers, [
    { type: 'resultActionResponse', requestId: 1, outcome: 'copied' },
    { type: 'resultActionResponse', requestId: 2, outcome: 'gone' },
    { type: 'resultActionResponse', requestId: 3, outcome: 'opened' },
    { type: 'resultActionResponse', requestId: 4, outcome: 'gone' },
  ]);
});
