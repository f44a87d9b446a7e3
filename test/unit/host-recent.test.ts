/**
 * The host's handling of recent queries (viewProvider + recentQueries): a drawing in progress is
 * one entry, a brought-back drawing goes back to the webview and a changed copy becomes a new
 * entry, forged ids do nothing, and the list is sent on ready.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installVscodeMock } from '../helpers/vscodeMock';

installVscodeMock();

async function makeProvider() {
  const { SketchPadViewProvider } = await import('../../src/extension/viewProvider');
  const { memoryMemento } = await import('../../src/extension/recentQueries');
  const posted: { type: string; [k: string]: unknown }[] = [];
  const fakeIndex = {
    onDidChangeStatus: () => ({ dispose: () => undefined }),
    current: { state: 'ready', indexed: 1, total: 1, done: 0 },
    setDrawing: () => undefined,
    embedStrokes: async () => new Float32Array([1, 0]),
    search: async () => [{ path: 'cat.png', abs: '/ws/cat.png', score: 0.9, folder: { name: 'ws' } }],
    thumbnail: async () => { throw new Error('no thumbnails here'); },
  };
  const memento = memoryMemento();
  const ctx = { extensionUri: { fsPath: '/ext', scheme: 'file' }, globalStorageUri: { fsPath: '/tmp/sks-mock-storage' }, workspaceState: memento };
  const provider = new SketchPadViewProvider(ctx as never, fakeIndex as never, () => undefined);
  (provider as unknown as { view: unknown }).view = {
    visible: true,
    webview: { postMessage: async (m: { type: string }) => { posted.push(m); return true; }, asWebviewUri: (u: unknown) => u },
  };
  return { provider, posted, memento };
}

test('a drawing in progress is one recent entry; a new drawing after clear is another', async () => {
  const { provider } = await makeProvider();
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.1, 0.1], [0.5, 0.5]]] });
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.1, 0.1], [0.5, 0.5]], [[0.2, 0.8], [0.8, 0.2]]] });
  assert.equal(provider.recent.list().length, 1, 'the second state replaced the first');
  await provider.onMessage({ type: 'clear' });
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.9, 0.9], [0.1, 0.1]]] });
  assert.equal(provider.recent.list().length, 2);
});

test('bringing back a drawing sends its strokes; changing it then keeps the original', async () => {
  const { provider, posted } = await makeProvider();
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.1, 0.1], [0.5, 0.5]]] });
  await provider.onMessage({ type: 'clear' });
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.9, 0.9], [0.1, 0.1]]] });
  const first = provider.recent.list()[1];
  await provider.onMessage({ type: 'useRecent', recentId: first.id });
  const restore = posted.find((m) => m.type === 'restoreSketch');
  assert.deepEqual(restore?.strokes, [[[0.1, 0.1], [0.5, 0.5]]]);
  assert.equal(provider.recent.list()[0].id, first.id, 'used again: first in the list');
  // The webview searches with it (same strokes: no new entry), then the user adds a stroke.
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.1, 0.1], [0.5, 0.5]]] });
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.1, 0.1], [0.5, 0.5]], [[0, 1], [1, 0]]] });
  assert.equal(provider.recent.list().length, 3, 'the changed drawing is new; the brought-back one stays');
  posted.length = 0;
  await provider.onMessage({ type: 'useRecent', recentId: 'r-not-issued' });
  await provider.onMessage({ type: 'useRecent', recentId: '../../etc/passwd' });
  assert.equal(posted.some((m) => m.type === 'restoreSketch' || m.type === 'queryStarted'), false, 'unknown ids do nothing');
});

test('the list is sent on ready, without paths, and forget removes entries', async () => {
  const { provider, posted } = await makeProvider();
  await provider.onMessage({ type: 'rememberSketch', strokes: [[[0.1, 0.1], [0.5, 0.5]]] });
  await provider.recent.addImage('/ws/secret/cat.png', 'Similar to cat.png');
  posted.length = 0;
  await provider.onMessage({ type: 'ready' });
  await new Promise((r) => setTimeout(r, 20));
  const list = posted.find((m) => m.type === 'recentQueries') as { entries: { kind: string; label?: string }[] } | undefined;
  assert.deepEqual(list?.entries.map((e) => e.kind), ['image', 'sketch']);
  assert.ok(!JSON.stringify(list).includes('/ws/'), 'no absolute path reaches the webview');
  await provider.onMessage({ type: 'forgetRecent', recentId: provider.recent.list()[0].id });
  assert.equal(provider.recent.list().length, 1);
  await provider.onMessage({ type: 'forgetRecent', all: true });
  assert.equal(provider.recent.list().length, 0);
  provider.dispose();
});
