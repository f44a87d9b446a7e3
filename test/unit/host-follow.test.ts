/**
 * The host owns the current query and follows the index: a change re-runs it (debounced, with a
 * cap during churn) and sends a refresh that keeps the ids of results that stay; a restored sketch
 * search does not replace a current image query (item 1: its ids stay valid, thumbnails are made);
 * an unreadable query image is said once in plain words. Also FolderIndex's watcher progress,
 * cancel and change counter, and the plain decoder messages.
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { installVscodeMock, recorded, vscodeMock } from '../helpers/vscodeMock';

installVscodeMock();

type Msg = { type: string; [k: string]: unknown };
type Hit = { path: string; abs: string; score: number; folder: { name: string; uri: unknown } };

async function setup() {
  const { SketchPadViewProvider } = await import('../../src/extension/viewProvider');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-follow-'));
  const wfUri = vscodeMock.Uri.file(root);
  vscodeMock.workspace.workspaceFolders = [{ uri: wfUri, name: 'ws', index: 0 }];
  const folder = { name: 'ws', uri: wfUri };
  const hit = (p: string, score: number): Hit => ({ path: p, abs: path.join(root, p), score, folder });
  for (const p of ['a.png', 'b.png', 'c.png', 'q.png']) fs.writeFileSync(path.join(root, p), 'x');
  const state = { all: [hit('a.png', 0.9), hit('b.png', 0.8), hit('c.png', 0.7)], searches: 0 };
  const changed = new vscodeMock.EventEmitter<void>();
  const thumbsMade: string[] = [];
  const logs: string[] = [];
  const fakeIndex = {
    onDidChangeStatus: () => ({ dispose: () => undefined }),
    onDidChangeIndex: changed.event,
    current: { state: 'ready', indexed: 3, total: 3, done: 0 },
    setDrawing: () => undefined,
    embedStrokes: async () => new Float32Array([1, 0]),
    embedQueryFile: async (f: string) => {
      if (f.endsWith('broken.png')) throw new Error('vipspng: libpng read error');
      if (f.endsWith('fake.png')) throw new Error('Input buffer contains unsupported image format');
      return { vector: new Float32Array([1, 0]), as: 'image' };
    },
    vectorOf: () => undefined,
    search: async (_q: Float32Array, k: number) => { state.searches++; return state.all.slice(0, k); },
    thumbnail: async (src: string, dest: string) => { thumbsMade.push(path.basename(src)); fs.mkdirSync(path.dirname(dest), { recursive: true }); fs.writeFileSync(dest, 'png'); },
  };
  const ctx = { extensionUri: { fsPath: '/ext', scheme: 'file' }, globalStorageUri: { fsPath: fs.mkdtempSync(path.join(os.tmpdir(), 'sks-st-')) } };
  const provider = new SketchPadViewProvider(ctx as never, fakeIndex as never, (l) => logs.push(l));
  const posted: Msg[] = [];
  const view = { visible: true, webview: { postMessage: async (m: Msg) => { posted.push(m); return true; }, asWebviewUri: (u: unknown) => u } };
  (provider as unknown as { view: unknown }).view = view;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const last = (type: string): any => [...posted].reverse().find((m) => m.type === type);
  return { provider, root, state, hit, changed, posted, last, thumbsMade, logs, view };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Polls until ok() holds or 3 s pass: thumbnails are made off the message handler, and a loaded machine is slow. */
async function until(ok: () => boolean): Promise<void> {
  for (const t0 = Date.now(); !ok() && Date.now() - t0 < 3000;) await sleep(10);
}
const names = (m: { results: { name: string }[] }) => m.results.map((r) => r.name);
const ids = (m: { results: { resultId: string; name: string }[] }) => Object.fromEntries(m.results.map((r) => [r.name, r.resultId]));

test('a sketch query follows the index: deleted results leave, new ones appear, kept ids stay', async () => {
  const { provider, state, hit, changed, posted, last } = await setup();
  await provider.onMessage({ type: 'ready' });
  await provider.onMessage({ type: 'search', requestId: 7, strokes: [[[0, 0], [1, 1]]] });
  const first = last('searchResponse');
  assert.deepEqual(names(first), ['a.png', 'b.png', 'c.png']);

  state.all = [hit('a.png', 0.9), hit('c.png', 0.7)]; // b.png deleted
  changed.fire();
  await sleep(400);
  const r1 = last('resultsRefresh');
  assert.ok(r1, 'no refresh after the index changed');
  assert.deepEqual(r1.query, { kind: 'sketch', requestId: 7 });
  assert.deepEqual(names(r1), ['a.png', 'c.png']);
  assert.equal(ids(r1)['a.png'], ids(first)['a.png'], 'a result that stays keeps its id');
  assert.equal(ids(r1)['c.png'], ids(first)['c.png']);

  // The id of the deleted result is no longer honoured; the others still are.
  recorded.commands.length = 0;
  await provider.onMessage({ type: 'resultAction', action: 'copyPath', resultId: ids(first)['b.png'] });
  assert.equal(recorded.clipboard.length, 0);

  state.all = [hit('n.png', 0.95), hit('a.png', 0.9), hit('c.png', 0.7)];
  changed.fire();
  await sleep(400);
  const r2 = last('resultsRefresh');
  assert.deepEqual(names(r2), ['n.png', 'a.png', 'c.png']);
  assert.ok(!Object.values(ids(first)).includes(ids(r2)['n.png']), 'a new result gets a new id');

  // Cleared: nothing more is sent.
  await provider.onMessage({ type: 'clear' });
  const n = posted.length;
  changed.fire();
  await sleep(400);
  assert.equal(posted.length, n, 'no refresh after the results were cleared');
});

test('refreshes are debounced during churn but still happen (at most about one a second)', async () => {
  const { provider, state, changed, posted } = await setup();
  await provider.onMessage({ type: 'search', requestId: 1, strokes: [[[0, 0], [1, 1]]] });
  const before = state.searches;
  const t0 = Date.now();
  while (Date.now() - t0 < 2200) { changed.fire(); await sleep(20); }
  await sleep(400);
  const refreshes = posted.filter((m) => m.type === 'resultsRefresh').length;
  assert.ok(refreshes >= 2 && refreshes <= 4, `${refreshes} refreshes for 2.2 s of changes every 20 ms`);
  assert.equal(state.searches - before, refreshes);
});

test('an image query follows the index; the refreshed list is what a re-created view gets', async () => {
  const { provider, state, hit, changed, last, posted } = await setup();
  await provider.runImageQuery(path.join(os.tmpdir(), 'q.png'), 'Similar to q.png');
  assert.deepEqual(names(last('results')), ['a.png', 'b.png', 'c.png']);
  state.all = [hit('c.png', 0.7)];
  changed.fire();
  await sleep(400);
  const r = last('resultsRefresh');
  assert.deepEqual(r.query, { kind: 'image', label: 'Similar to q.png' });
  assert.deepEqual(names(r), ['c.png']);
  const n = posted.length;
  await provider.onMessage({ type: 'ready' });
  const resent = posted.slice(n).find((m) => m.type === 'results') as unknown as { results: { name: string }[] };
  assert.deepEqual(names(resent), ['c.png']);
});

test('item 1: a restored sketch search does not replace the current image query, and its thumbnails are made', async () => {
  const { provider, last, posted, thumbsMade } = await setup();
  await provider.onMessage({ type: 'search', requestId: 3, strokes: [[[0, 0], [1, 1]]] });
  await provider.runImageQuery(path.join(os.tmpdir(), 'q.png'), 'Similar to q.png');
  const shown = last('results');
  // The view is re-created: ready, then its saved drawing is searched again with restore.
  const n = posted.length;
  await provider.onMessage({ type: 'ready' });
  await provider.onMessage({ type: 'search', requestId: 4, strokes: [[[0, 0], [1, 1]]], restore: true });
  assert.ok(!posted.slice(n).some((m) => m.type === 'searchResponse'), 'the restored search was answered over the image query');
  assert.deepEqual(names(posted.slice(n).find((m) => m.type === 'results') as never), names(shown));
  await provider.onMessage({ type: 'needThumbnails', resultIds: shown.results.map((r: { resultId: string }) => r.resultId) });
  await until(() => thumbsMade.length >= 3);
  assert.deepEqual(thumbsMade.sort(), ['a.png', 'b.png', 'c.png'], 'thumbnails for the shown image results');

  // After another re-creation the same ids get their thumbnails again (a new document has none).
  await provider.onMessage({ type: 'ready' });
  const m = posted.length;
  await provider.onMessage({ type: 'needThumbnails', resultIds: [shown.results[0].resultId] });
  await until(() => posted.slice(m).some((x) => x.type === 'thumbnail'));
  await sleep(50); // a second thumbnail for the same id would arrive now
  assert.equal(posted.slice(m).filter((x) => x.type === 'thumbnail' && x.resultId === shown.results[0].resultId).length, 1, 'thumbnail sent again to the new document');

  // A drawing the user makes (not a restore) does replace the image query.
  await provider.onMessage({ type: 'search', requestId: 5, strokes: [[[0, 0], [1, 1]]] });
  assert.equal(last('searchResponse').requestId, 5);
});

test('item 7: an unreadable query image is said once, in plain words; the detail goes to the log', async () => {
  const { provider, last, logs, view } = await setup();
  recorded.messages.length = 0;
  await provider.runImageQuery('/x/broken.png', 'Similar to broken.png');
  const r = last('results');
  assert.equal(r.error, 'broken.png is not a readable image: the file is truncated');
  assert.deepEqual(r.results, []);
  assert.deepEqual(recorded.messages, [], 'no toast while the view shows it');
  assert.ok(logs.some((l) => l.includes('vipspng: libpng read error')), 'the raw text is in the Output channel');
  await provider.runImageQuery('/x/fake.png', 'Similar to fake.png');
  assert.equal(last('results').error, 'fake.png is not a readable image: not a supported image format');
  // Without a visible view: one toast instead.
  view.visible = false;
  await provider.runImageQuery('/x/broken.png', 'Similar to broken.png');
  assert.deepEqual(recorded.messages, ['Sketch Search: broken.png is not a readable image: the file is truncated']);
});

test('FolderIndex: watcher updates report progress, stop when cancelled, and bump the change counter', async () => {
  const { FolderIndex } = await import('../../src/core/folderIndex');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-fi-'));
  const encoder = {
    modelId: 'm', dim: 4,
    async embedFiles(ps: string[]) {
      return ps.map((p) => {
        const b = fs.readFileSync(p);
        if (b.toString().startsWith('BAD')) return { ok: false as const, error: 'the file is truncated', detail: 'vipspng: libpng read error' };
        const h = crypto.createHash('sha256').update(b).digest();
        return { ok: true as const, vector: new Float32Array([h[0] + 1, h[1], h[2], h[3]]), hash: crypto.createHash('sha1').update(b).digest('hex'), size: b.length };
      });
    },
  };
  const logs: string[] = [];
  const ix = new FolderIndex(dir, path.join(dir, '.store', 'i.sksidx'), encoder, { preprocessVersion: 1, batchSize: 4, log: (l) => logs.push(l) });
  const files = Array.from({ length: 10 }, (_, i) => path.join(dir, `f${i}.png`));
  files.forEach((f, i) => fs.writeFileSync(f, i === 9 ? 'BAD' : `img${i}`));
  assert.equal(ix.wouldIndex(files[0]), true);
  assert.equal(ix.wouldIndex(path.join(dir, 'notes.md')), false);
  const v0 = ix.version;
  const seen: string[] = [];
  await ix.updateFiles(files, (p) => seen.push(`${p.done}/${p.total}`));
  assert.deepEqual(seen, ['0/10', '4/10', '8/10', '10/10']);
  assert.equal(ix.size, 9);
  assert.equal(ix.skippedCount, 1);
  assert.ok(logs.some((l) => l.includes('the file is truncated') && l.includes('vipspng')), 'the detail is logged with the plain reason');
  assert.ok(ix.version > v0);

  const more = Array.from({ length: 12 }, (_, i) => path.join(dir, `g${i}.png`));
  more.forEach((f, i) => fs.writeFileSync(f, `more${i}`));
  const token = { cancelled: false };
  await ix.updateFiles(more, (p) => { if (p.done >= 4) token.cancelled = true; }, token);
  assert.equal(ix.size, 9 + 4, 'encoding stops at the batch boundary after cancel');
  const v1 = ix.version;
  fs.rmSync(files[0]);
  await ix.removeFiles([files[0]]);
  assert.ok(ix.version > v1, 'a removal counts as a change');
  // What a resume (reconcile) encodes: only the missing ones.
  const res = await ix.reconcile();
  assert.equal(res.added, 12 - 4);
});

test('plain decoder messages (real libvips errors)', async () => {
  const sharp = (await import('sharp')).default;
  const { imageToRgb } = await import('../../src/core/decode');
  const { plainImageReason } = await import('../../src/core/imageErrors');
  const png = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const jpg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } }).jpeg().toBuffer();
  const reason = async (b: Buffer) => { try { await imageToRgb(b); return 'decoded'; } catch (e) { return plainImageReason(e); } };
  assert.equal(await reason(png.subarray(0, Math.floor(png.length / 2))), 'the file is truncated');
  assert.equal(await reason(jpg.subarray(0, Math.floor(jpg.length / 2))), 'the file is truncated');
  assert.equal(await reason(Buffer.from('hello world')), 'not a supported image format');
  assert.equal(await reason(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect')), 'the SVG is not well-formed');
  assert.equal(plainImageReason(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })), 'the file no longer exists');
  assert.equal(plainImageReason(new Error('empty file')), 'the file is empty');
  for (const r of [await reason(png.subarray(0, 40)), plainImageReason(new Error('some new vips_thing failure'))]) {
    assert.doesNotMatch(r, /vips|libpng|Input buffer/i);
  }
});

test('IndexManager: watcher indexing counts what is done; cancel pauses; resume indexes only what is missing; churn is flushed every second', async () => {
  const { IndexManager } = await import('../../src/extension/indexManager');
  const { FolderIndex } = await import('../../src/core/folderIndex');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-im-'));
  const wf = { uri: vscodeMock.Uri.file(root), name: 'ws', index: 0 };
  const ctx = { extensionPath: '/ext', storageUri: vscodeMock.Uri.file(path.join(root, '.st')), globalStorageUri: vscodeMock.Uri.file(path.join(root, '.gst')) };
  const im = new IndexManager(ctx as never, () => undefined);
  const encoded: string[] = [];
  const encoder = {
    modelId: 'm', dim: 4,
    async embedFiles(ps: string[]) {
      await sleep(30); // slow enough to cancel in the middle
      return ps.map((p) => {
        encoded.push(path.basename(p));
        const b = fs.readFileSync(p);
        const h = crypto.createHash('sha256').update(b).digest();
        return { ok: true as const, vector: new Float32Array([h[0] + 1, h[1], h[2], h[3]]), hash: crypto.createHash('sha1').update(b).digest('hex'), size: b.length };
      });
    },
  };
  const index = new FolderIndex(root, path.join(root, '.st', 'i.sksidx'), encoder, { preprocessVersion: 1, batchSize: 4 });
  const internals = im as unknown as { folders: Map<string, unknown>; started: boolean; onChanged(u: unknown): void; applyWatcherEvents(): void };
  internals.folders.set(wf.uri.toString(), { wf, index });
  internals.started = true;
  const statuses: { state: string; done: number; total: number }[] = [];
  im.onDidChangeStatus((s) => statuses.push({ state: s.state, done: s.done, total: s.total }));
  let indexChanges = 0;
  (im as { onDidChangeIndex?: (l: () => void) => unknown }).onDidChangeIndex?.(() => indexChanges++);

  // 20 files copied in: the count goes up batch by batch (not "0/20" until done).
  const files = Array.from({ length: 20 }, (_, i) => path.join(root, `a${i}.png`));
  files.forEach((f, i) => fs.writeFileSync(f, `a${i}`));
  fs.writeFileSync(path.join(root, 'notes.md'), 'x'); // not counted
  for (const f of [...files, path.join(root, 'notes.md')]) internals.onChanged(vscodeMock.Uri.file(f));
  await sleep(400);
  await im.idle();
  const indexing = statuses.filter((s) => s.state === 'indexing');
  assert.ok(indexing.length > 0 && indexing.every((s) => s.total === 20), `totals: ${JSON.stringify(indexing)}`);
  assert.ok(indexing.some((s) => s.done > 0 && s.done < 20), `no partial count: ${JSON.stringify(indexing)}`);
  assert.equal(statuses.at(-1)!.state, 'ready');
  assert.equal(index.size, 20);
  assert.ok(indexChanges > 0, 'onDidChangeIndex fired');

  // 40 more; cancel after a few batches: paused, nothing more encoded, even for new events.
  statuses.length = 0;
  const more = Array.from({ length: 40 }, (_, i) => path.join(root, `b${i}.png`));
  more.forEach((f, i) => fs.writeFileSync(f, `b${i}`));
  for (const f of more) internals.onChanged(vscodeMock.Uri.file(f));
  await sleep(300 + 30 * 3);
  assert.equal(im.current.state, 'indexing');
  assert.equal(im.cancel(), true);
  await im.idle();
  assert.equal(im.current.state, 'paused');
  const atPause = index.size;
  assert.ok(atPause > 20 && atPause < 60, `indexed at pause: ${atPause}`);
  fs.writeFileSync(path.join(root, 'c0.png'), 'c0');
  internals.onChanged(vscodeMock.Uri.file(path.join(root, 'c0.png')));
  await sleep(400);
  await im.idle();
  assert.equal(index.size, atPause, 'nothing is encoded while paused');
  assert.equal(im.current.state, 'paused');
  assert.equal(im.cancel(), false, 'nothing to cancel while paused');

  // Resume: only the missing ones are encoded.
  encoded.length = 0;
  statuses.length = 0;
  im.resume();
  await sleep(50);
  await im.idle();
  assert.equal(index.size, 61);
  assert.equal(encoded.length, 61 - atPause, `resume encoded ${encoded.length}`);
  const totals = new Set(statuses.filter((s) => s.state === 'indexing' && s.total > 0).map((s) => s.total));
  assert.deepEqual([...totals], [61 - atPause]);
  assert.equal(im.current.state, 'ready');

  // Churn: events every 40 ms for 2.5 s are applied at least every second, not only when it stops.
  const flushes: number[] = [];
  const t0 = Date.now();
  internals.applyWatcherEvents = () => { flushes.push(Date.now() - t0); };
  while (Date.now() - t0 < 2500) { internals.onChanged(vscodeMock.Uri.file(path.join(root, `z${Date.now()}.png`))); await sleep(40); }
  assert.ok(flushes.filter((t) => t < 2500).length >= 2, `flushes during churn at ${flushes.join(', ')} ms`);
  im.dispose();
});
