/** The host's store of recent queries (src/extension/recentQueries.ts) with a fake Memento. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  MAX_PREVIEW_POINTS, MAX_RECENT, MAX_STORED_POINTS, RecentQueries, STORAGE_KEY, memoryMemento, parseStored, thinStrokes,
} from '../../src/extension/recentQueries';

const sketch = (k: number) => [[[0.1, (10 + k) / 100], [0.5, 0.5], [0.9, 0.2]]] as [number, number][][];
let clock = 1000;
const tick = () => ++clock;

test('keeps the last 20 queries, newest first, and survives a new store on the same Memento (a window reload)', async () => {
  const m = memoryMemento();
  const r = new RecentQueries(m, undefined, tick);
  for (let k = 0; k < 25; k++) await r.addSketch(sketch(k));
  await r.addImage('/ws/icons/cat.png', 'Similar to cat.png');
  assert.equal(r.list().length, MAX_RECENT);
  assert.equal(r.list()[0].kind, 'image');
  assert.deepEqual((r.list()[1] as { strokes: unknown }).strokes, sketch(24));
  const again = new RecentQueries(m, undefined, tick);
  assert.deepEqual(again.list(), r.list(), 'what was stored is read back as it was');
});

test('de-duplicates: the same drawing or image moves to the front instead of being listed twice', async () => {
  const r = new RecentQueries(memoryMemento(), undefined, tick);
  const a = await r.addSketch(sketch(1));
  await r.addImage('/ws/a.png', 'Similar to a.png');
  await r.addSketch(sketch(2));
  assert.equal(await r.addSketch(sketch(1)), a, 'same strokes, same entry');
  await r.addImage('/ws/a.png', 'Similar to a.png');
  assert.deepEqual(r.list().map((e) => e.kind), ['image', 'sketch', 'sketch']);
  assert.equal(r.list()[1].id, a);
  // Pressure and tiny rounding differences do not make a new entry.
  assert.equal(await r.addSketch([[[0.1, 0.11, 0.5], [0.5, 0.500001], [0.9, 0.2]]]), a);
});

test('a drawing in progress replaces its own earlier state', async () => {
  const r = new RecentQueries(memoryMemento(), undefined, tick);
  const first = await r.addSketch([[[0, 0], [1, 1]]]);
  const second = await r.addSketch([[[0, 0], [1, 1]], [[0, 1], [1, 0]]], first);
  assert.equal(r.list().length, 1);
  assert.equal(r.list()[0].id, second);
  assert.equal((r.list()[0] as { strokes: unknown[] }).strokes.length, 2);
});

test('stored data is validated: damaged entries are dropped, the rest kept', () => {
  const good = { id: 'r1', kind: 'sketch', at: 5, strokes: [[[0.1, 0.2], [0.3, 0.4]]] };
  const stored = [
    good,
    { ...good, id: 'r2' }, // a duplicate drawing
    { id: 'r3', kind: 'sketch', at: 1, strokes: [[[0.1, 'x']]] },
    { id: 'r4', kind: 'sketch', at: 1, strokes: [[[1e9, 0]]] },
    { id: 'r5', kind: 'image', at: 1, path: 'relative/cat.png' },
    { id: 'r6', kind: 'image', at: 1, path: '/etc/passwd' },
    { id: 'r7', kind: 'image', at: 1, path: '/ws/cat.png', label: 'Similar to cat.png' },
    { id: 'r8', kind: 'pasted', at: 1, file: '../../x.png' },
    { id: 'r9', kind: 'pasted', at: 1, file: `${'a'.repeat(40)}.png`, label: 'Similar to the pasted image' },
    { id: '../x', kind: 'image', at: 1, path: '/ws/dog.png' },
    { id: 'r10', kind: 'shell', command: 'rm -rf /' },
    null, 'x', 42,
  ];
  const out = parseStored(stored);
  assert.deepEqual(out.map((e) => e.id), ['r1', 'r7', 'r9']);
  assert.deepEqual(parseStored('garbage'), []);
  assert.deepEqual(parseStored(undefined), []);
  const m = memoryMemento();
  void m.update(STORAGE_KEY, { not: 'a list' });
  assert.deepEqual(new RecentQueries(m, undefined).list(), []);
});

test('per workspace: each workspace Memento has its own list', async () => {
  const a = new RecentQueries(memoryMemento(), undefined, tick);
  const b = new RecentQueries(memoryMemento(), undefined, tick);
  await a.addSketch(sketch(1));
  assert.equal(a.list().length, 1);
  assert.equal(b.list().length, 0);
});

test('large drawings are thinned for storage and the preview, keeping stroke ends', async () => {
  const long = [Array.from({ length: 20_000 }, (_, i) => [i / 20_000, 0.5] as [number, number])];
  const r = new RecentQueries(memoryMemento(), undefined, tick);
  await r.addSketch(long);
  const e = r.list()[0] as { strokes: [number, number][][] };
  assert.ok(e.strokes[0].length <= MAX_STORED_POINTS);
  assert.deepEqual(e.strokes[0][0], [0, 0.5]);
  assert.deepEqual(e.strokes[0].at(-1), [1, 0.5], 'the last point (0.99995 rounded to 4 digits)');
  const v = r.views()[0];
  assert.ok(v.kind === 'sketch' && v.preview[0].length <= MAX_PREVIEW_POINTS && v.strokeCount === 1);
  assert.deepEqual(thinStrokes([[[0, 0]]], 1), [[[0, 0]]]);
});

test('pasted bitmaps are kept in workspace storage by hash, and deleted when they fall off the list', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-recent-'));
  try {
    const r = new RecentQueries(memoryMemento(), dir, tick);
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const kept = await r.addPasted(bytes, 'png', 'Similar to the pasted image');
    assert.ok(kept && fs.readFileSync(kept.file).equals(bytes));
    assert.equal((await r.addPasted(bytes, 'png', 'Similar to the pasted image'))?.id, kept.id, 'same bytes, same entry');
    for (let k = 0; k < MAX_RECENT; k++) await r.addSketch(sketch(k));
    assert.equal(r.list().some((e) => e.kind === 'pasted'), false);
    assert.equal(fs.existsSync(kept.file), false, 'the pasted file is removed with its entry');
    await r.forget('all');
    assert.equal(r.list().length, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
