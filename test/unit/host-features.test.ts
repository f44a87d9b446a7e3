/**
 * Host handling of the filter, scope, lazy-thumbnail and image-query messages: only issued ids get
 * thumbnails, dropped URIs outside the workspace or of non-images are refused, pasted bytes must
 * carry the right magic, filters and scopes narrow the results.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { installVscodeMock, recorded, vscodeMock } from '../helpers/vscodeMock';

installVscodeMock();

test('filters, scope, lazy thumbnails and image queries', async () => {
  const { SketchPadViewProvider } = await import('../../src/extension/viewProvider');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-host-'));
  fs.mkdirSync(path.join(root, 'icons', 'small'), { recursive: true });
  fs.mkdirSync(path.join(root, 'photos'));
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.writeFileSync(path.join(root, 'icons', 'cat.png'), 'x');
  fs.writeFileSync(path.join(root, 'notes.txt'), 'x');
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-out-'));
  fs.writeFileSync(path.join(outside, 'evil.png'), 'x');
  const wfUri = vscodeMock.Uri.file(root);
  vscodeMock.workspace.workspaceFolders = [{ uri: wfUri, name: 'ws', index: 0 }];
  const folder = { name: 'ws', uri: wfUri };
  const all = [
    { path: 'icons/cat.png', abs: path.join(root, 'icons/cat.png'), score: 0.9, folder },
    { path: 'icons/small/dog.svg', abs: path.join(root, 'icons/small/dog.svg'), score: 0.8, folder },
    { path: 'photos/sea.jpg', abs: path.join(root, 'photos/sea.jpg'), score: 0.7, folder },
    { path: 'photos/bad.png', abs: path.join(root, 'photos/bad.png'), score: -0.2, folder },
  ];
  const thumbsMade: string[] = [];
  const embedded: string[] = [] as string[];
  const fakeIndex = {
    onDidChangeStatus: () => ({ dispose: () => undefined }),
    current: { state: 'ready', indexed: 4, total: 4, done: 0 },
    setDrawing: () => undefined,
    embedStrokes: async () => new Float32Array([1, 0]),
    embedQueryFile: async (f: string) => { embedded.push(f); return { vector: new Float32Array([1, 0]), as: 'image' }; },
    vectorOf: () => undefined,
    search: async (_q: Float32Array, k: number) => all.slice(0, k),
    thumbnail: async (src: string, dest: string) => { thumbsMade.push(src); fs.mkdirSync(path.dirname(dest), { recursive: true }); fs.writeFileSync(dest, 'png'); },
  };
  const ctx = { extensionUri: { fsPath: '/ext', scheme: 'file' }, globalStorageUri: { fsPath: fs.mkdtempSync(path.join(os.tmpdir(), 'sks-st-')) } };
  const provider = new SketchPadViewProvider(ctx as never, fakeIndex as never, () => undefined);
  const posted: { type: string; [k: string]: unknown }[] = [];
  (provider as unknown as { view: unknown }).view = {
    visible: true,
    webview: { postMessage: async (m: { type: string }) => { posted.push(m); return true; }, asWebviewUri: (u: unknown) => u },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const last = (type: string): any => [...posted].reverse().find((m) => m.type === type);
  // Thumbnails are made by background workers: wait for them (a fixed 30 ms flaked on a loaded machine).
  const settle = async () => { for (let i = 0; i < 50 && (provider as unknown as { thumbWorkers: number }).thumbWorkers > 0; i++) await new Promise((r) => setTimeout(r, 20)); await new Promise((r) => setTimeout(r, 30)); };

  await provider.onMessage({ type: 'ready' });
  const cfg = last('config');
  assert.deepEqual(cfg, { type: 'config', gridSize: 'medium', showScores: 'always', minScore: 0 });

  // min score 0 (default) hides the negative hit; no thumbnails are made until asked for.
  await provider.onMessage({ type: 'search', requestId: 1, strokes: [[[0, 0], [1, 1]]] });
  let resp = last('searchResponse');
  assert.deepEqual(resp.results.map((r: { name: string; fileType: string }) => r.name), ['cat.png', 'dog.svg', 'sea.jpg']);
  assert.deepEqual(resp.results.map((r: { name: string; fileType: string }) => r.fileType), ['png', 'svg', 'jpg']);
  await settle();
  assert.equal(thumbsMade.length, 0);

  // Lazy thumbnails: only issued ids, each once.
  await provider.onMessage({ type: 'needThumbnails', resultIds: [resp.results[0].resultId, 'forged:1', resp.results[0].resultId] });
  await provider.onMessage({ type: 'needThumbnails', resultIds: [resp.results[0].resultId] });
  await settle();
  assert.deepEqual(thumbsMade, [all[0].abs]);
  assert.equal(posted.filter((m) => m.type === 'thumbnail').length, 1);
  await provider.onMessage({ type: 'needThumbnails', resultIds: [resp.results[0].resultId], preview: true });
  await settle();
  assert.equal(thumbsMade.length, 2);
  assert.equal(last('thumbnail').preview, true);

  // Type chips.
  await provider.onMessage({ type: 'search', requestId: 2, strokes: [[[0, 0], [1, 1]]], filter: { types: ['svg', 'jpg'] } });
  assert.deepEqual(last('searchResponse').results.map((r: { name: string }) => r.name), ['dog.svg', 'sea.jpg']);

  // Folder scope from the quick pick: subfolders listed (not node_modules), the chosen scope filters.
  vscodeMock.quickPickAnswer = ' icons';
  await provider.onMessage({ type: 'pickScope' });
  const labels: string[] = recorded.quickPicks.at(-1)!.map((i) => i.label);
  assert.ok(labels.some((l) => l.endsWith(' icons/small')) && labels.some((l) => l.endsWith(' photos')));
  assert.ok(!labels.some((l) => l.includes('node_modules')));
  const scope = last('scope') as { scopeId: string; label: string };
  assert.equal(scope.label, 'icons');
  await provider.onMessage({ type: 'search', requestId: 3, strokes: [[[0, 0], [1, 1]]], filter: { scopeId: scope.scopeId } });
  assert.deepEqual(last('searchResponse').results.map((r: { name: string }) => r.name), ['cat.png', 'dog.svg']);
  await provider.onMessage({ type: 'search', requestId: 4, strokes: [[[0, 0], [1, 1]]], filter: { scopeId: 'unknown' } });
  assert.equal(last('searchResponse').results.length, 3, 'an unknown scope id does not filter');
  await provider.onMessage({ type: 'pickScope', clear: true });
  assert.equal((last('scope') as { scopeId: unknown }).scopeId, null);

  // Dropped URIs: only existing image files inside a workspace folder.
  recorded.messages.length = 0;
  for (const uri of [`file://${outside}/evil.png`, `file://${root}/notes.txt`, `file://${root}/icons/missing.png`, `file://${root}/../${path.basename(outside)}/evil.png`]) {
    await provider.onMessage({ type: 'imageQuery', uri });
  }
  assert.deepEqual(embedded, []);
  assert.equal(recorded.messages.length, 4);
  await provider.onMessage({ type: 'imageQuery', uri: `file://${root}/icons/cat.png` });
  assert.deepEqual(embedded, [all[0].abs]);
  const res = last('results');
  assert.deepEqual((res.query as { label: string }).label, 'Similar to cat.png');
  assert.ok(!res.results.some((r: { name: string }) => r.name === 'cat.png'), 'the query image itself is not a result');

  // A re-created webview (ready) gets the pushed results again.
  const before = posted.length;
  await provider.onMessage({ type: 'ready' });
  assert.ok(posted.slice(before).some((m) => m.type === 'results'), 'results re-sent on ready');

  // A filter change re-runs the image query.
  await provider.onMessage({ type: 'filter', filter: { types: ['jpg'] } });
  assert.deepEqual(last('results').results.map((r: { name: string }) => r.name), ['sea.jpg']);

  // Pasted bytes: magic must match the MIME type; the temp file is removed afterwards.
  embedded.length = 0;
  await provider.onMessage({ type: 'imageQueryBytes', mime: 'image/png', base64: Buffer.from('GIF89a-not-a-png').toString('base64').padEnd(24, '=').slice(0, 24) });
  assert.deepEqual(embedded, []);
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  await provider.onMessage({ type: 'imageQueryBytes', mime: 'image/png', base64: png.toString('base64') });
  assert.equal(embedded.length, 1);
  assert.ok((embedded[0] as string).endsWith('.png') && !fs.existsSync(embedded[0]));
  assert.equal((last('results').query as { label: string }).label, 'Similar to the pasted image');

  // New commands map to fixed command ids only.
  recorded.commands.length = 0;
  await provider.onMessage({ type: 'command', command: 'showOutput' });
  await provider.onMessage({ type: 'command', command: 'openSettings' });
  assert.deepEqual(recorded.commands.map((c) => c.id), ['sketchSearch.showOutput', 'workbench.action.openSettings']);
  vscodeMock.workspace.workspaceFolders = [];
});
