/**
 * Host side of the view's layout: an image query's results carry a webview URI of the query's
 * thumbnail (shown in place of the pad), a pasted bitmap's results say so (the webview shows its
 * own copy), and the webview is told which file types the index has (chips only for those).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { installVscodeMock, vscodeMock } from '../helpers/vscodeMock';

installVscodeMock();

test('image query thumbnail, pasted flag and the file types of the index', async () => {
  const { SketchPadViewProvider } = await import('../../src/extension/viewProvider');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-layout-'));
  fs.mkdirSync(path.join(root, 'icons'));
  fs.writeFileSync(path.join(root, 'icons', 'cat.png'), 'x');
  const wfUri = vscodeMock.Uri.file(root);
  vscodeMock.workspace.workspaceFolders = [{ uri: wfUri, name: 'ws', index: 0 }];
  const folder = { name: 'ws', uri: wfUri };
  const hits = [{ path: 'icons/dog.svg', abs: path.join(root, 'icons/dog.svg'), score: 0.8, folder }];
  const thumbsMade: { src: string; size: number }[] = [];
  let types: string[] = [];
  let fireStatus: () => void = () => undefined;
  const fakeIndex = {
    onDidChangeStatus: (f: () => void) => { fireStatus = f; return { dispose: () => undefined }; },
    current: { state: 'ready', indexed: 2, total: 2, done: 0 },
    setDrawing: () => undefined,
    embedStrokes: async () => new Float32Array([1, 0]),
    embedQueryFile: async () => ({ vector: new Float32Array([1, 0]), as: 'image' }),
    vectorOf: () => undefined,
    search: async () => hits,
    fileTypes: () => types,
    thumbnail: async (src: string, dest: string, size: number) => { thumbsMade.push({ src, size }); fs.mkdirSync(path.dirname(dest), { recursive: true }); fs.writeFileSync(dest, 'png'); },
  };
  const ctx = { extensionUri: { fsPath: '/ext', scheme: 'file' }, globalStorageUri: { fsPath: fs.mkdtempSync(path.join(os.tmpdir(), 'sks-st-')) } };
  const provider = new SketchPadViewProvider(ctx as never, fakeIndex as never, () => undefined);
  const posted: { type: string; [k: string]: unknown }[] = [];
  (provider as unknown as { view: unknown }).view = {
    visible: true,
    webview: { postMessage: async (m: { type: string }) => { posted.push(m); return true; }, asWebviewUri: (u: { fsPath: string }) => ({ toString: () => `webview:${u.fsPath}` }) },
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const last = (type: string): any => [...posted].reverse().find((m) => m.type === type);

  types = ['png', 'svg'];
  await provider.onMessage({ type: 'ready' });
  assert.deepEqual(last('fileTypes'), { type: 'fileTypes', types: ['png', 'svg'] });

  // A file query: the results name a webview URI of the query file's (preview-size) thumbnail.
  await provider.onMessage({ type: 'imageQuery', uri: `file://${root}/icons/cat.png` });
  const res = last('results');
  assert.equal(res.query.label, 'Similar to cat.png');
  const previews = thumbsMade.filter((t) => t.size === 256); // (Recent's small thumbnails may come too)
  assert.equal(previews.length, 1);
  assert.equal(previews[0].src, path.join(root, 'icons/cat.png'));
  assert.match(res.query.imageUri, /^webview:.*\.png$/);
  assert.ok(fs.existsSync(res.query.imageUri.slice('webview:'.length)), 'the URI names the cached thumbnail');
  assert.equal(res.query.pasted, undefined);
  // Re-sent on ready (a re-created webview) and kept when a filter change re-runs the query.
  await provider.onMessage({ type: 'ready' });
  assert.equal(last('results').query.imageUri, res.query.imageUri);
  await provider.onMessage({ type: 'filter', filter: { types: ['svg'] } });
  assert.equal(last('results').query.imageUri, res.query.imageUri);

  // A pasted bitmap: no thumbnail of the temp file; the webview shows its own bytes.
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
  await provider.onMessage({ type: 'imageQueryBytes', mime: 'image/png', base64: png.toString('base64') });
  const pasted = last('results');
  assert.equal(pasted.query.pasted, true);
  assert.equal(pasted.query.imageUri, undefined);
  // (The Recent list makes small thumbnails of its image entries; none is of the pasted temp file.)
  assert.deepEqual(thumbsMade.filter((t) => t.size === 256).map((t) => t.src), [path.join(root, 'icons/cat.png')]);
  assert.ok(!thumbsMade.some((t) => path.basename(path.dirname(t.src)).startsWith('sketch-search-')), 'no thumbnail of the temp file');

  // File types follow the index (throttled), and are sent only when they change.
  const n = posted.filter((m) => m.type === 'fileTypes').length;
  types = ['png', 'svg', 'gif'];
  fireStatus();
  fireStatus();
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(posted.filter((m) => m.type === 'fileTypes').length, n + 1);
  assert.deepEqual(last('fileTypes').types, ['png', 'svg', 'gif']);
  fireStatus();
  await new Promise((r) => setTimeout(r, 1100));
  assert.equal(posted.filter((m) => m.type === 'fileTypes').length, n + 1, 'unchanged types are not re-sent');
  provider.dispose();
  vscodeMock.workspace.workspaceFolders = [];
});
