import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filteredTopK, makeHitPredicate } from '../../src/extension/resultFilter';

const ws = { uri: { toString: () => 'file:///ws' } };
const other = { uri: { toString: () => 'file:///other' } };
const hits = [
  { path: 'icons/a.png', abs: '/ws/icons/a.png', score: 0.9, folder: ws },
  { path: 'icons/b.svg', abs: '/ws/icons/b.svg', score: 0.8, folder: ws },
  { path: 'photos/c.JPEG', abs: '/ws/photos/c.JPEG', score: 0.7, folder: ws },
  { path: 'icons-old/d.png', abs: '/ws/icons-old/d.png', score: 0.6, folder: ws },
  { path: 'icons/e.tiff', abs: '/other/icons/e.tiff', score: 0.5, folder: other },
  { path: 'icons/f.png', abs: '/ws/icons/f.png', score: -0.1, folder: ws },
];

test('predicate: types, scope (prefix is a folder, not a string prefix), min score, excluded file', () => {
  const names = (f: Parameters<typeof makeHitPredicate>[0]) => hits.filter(makeHitPredicate(f)).map((h) => h.path);
  assert.deepEqual(names({ types: ['jpg', 'other'] }), ['photos/c.JPEG', 'icons/e.tiff']);
  assert.deepEqual(names({ scope: { folderUri: 'file:///ws', prefix: 'icons', label: 'icons' } }), ['icons/a.png', 'icons/b.svg', 'icons/f.png']);
  assert.deepEqual(names({ scope: { folderUri: 'file:///other', prefix: '', label: 'other' } }), ['icons/e.tiff']);
  assert.deepEqual(names({ minScore: 0.65 }), ['icons/a.png', 'icons/b.svg', 'photos/c.JPEG']);
  assert.deepEqual(names({ excludeAbs: '/ws/icons/a.png', types: ['png'] }), ['icons-old/d.png', 'icons/f.png']);
});

test('filteredTopK over-fetches until k pass or the index is exhausted', async () => {
  const asked: number[] = [];
  const fetch = async (n: number) => { asked.push(n); return hits.slice(0, n); };
  assert.deepEqual((await filteredTopK(fetch, 2, { types: ['png'] })).map((h) => h.path), ['icons/a.png', 'icons-old/d.png']);
  asked.length = 0;
  assert.deepEqual((await filteredTopK(fetch, 1, {})).map((h) => h.path), ['icons/a.png']);
  assert.deepEqual(asked, [1], 'no filter: no over-fetch');
  asked.length = 0;
  assert.deepEqual((await filteredTopK(fetch, 5, { types: ['gif'] })).length, 0);
  assert.ok(asked.length <= 2, 'stops when the index has no more');
  assert.deepEqual((await filteredTopK(fetch, 10, { minScore: 0 })).length, 5);
});
