/** bench/lib/vectorStore.ts: models that share an encoder file share its cached vectors. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Kind, Method } from '../../bench/lib/methods';
import { VectorStore, type Entry } from '../../bench/lib/vectorStore';

/** A fake two-encoder model: vectors say which encoder made them; calls are counted per kind. */
function fake(name: string, sketchKey: string, imageKey: string, calls: Record<string, number>): Method {
  return {
    name, key: `${name}-both`, kindKeys: { sketch: sketchKey, image: imageKey }, dim: 2, batch: 4,
    async embed(kind: Kind, tensors: Float32Array[]) {
      calls[`${name}:${kind}`] = (calls[`${name}:${kind}`] ?? 0) + tensors.length;
      return tensors.map((t) => new Float32Array([t[0], kind === 'sketch' ? Number(sketchKey.slice(-1)) : 7]));
    },
    async dispose() {},
  };
}

test('two re-exports with one image encoder: each image is encoded once; sketches by each model', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-vs-'));
  const calls: Record<string, number> = {};
  const a = fake('a', 'sk1', 'img', calls), b = fake('b', 'sk2', 'img', calls);
  const entries = (kind: Kind, n: number): Entry[] => Array.from({ length: n }, (_, i) => ({ key: `${kind}:${i}`, kind, tensor: async () => new Float32Array([i]) }));
  let store = new VectorStore(dir, [a, b]);
  const g = await store.encode('gallery', entries('image', 10));
  const q = await store.encode('queries', entries('sketch', 5));
  assert.equal(calls['a:image'], 10);
  assert.equal(calls['b:image'], undefined, 'b reads a\'s image vectors');
  assert.deepEqual([calls['a:sketch'], calls['b:sketch']], [5, 5]);
  assert.deepEqual(Array.from(g.get('b')![3]!), [3, 7]);
  assert.deepEqual(Array.from(q.get('a')![2]!), [2, 1]);
  assert.deepEqual(Array.from(q.get('b')![2]!), [2, 2]);
  store.close();
  // A later run with a third model that shares a's sketch encoder and has a new image encoder.
  const c = fake('c', 'sk1', 'img2', calls);
  store = new VectorStore(dir, [a, c]);
  await store.encode('gallery', entries('image', 10));
  await store.encode('queries', entries('sketch', 5));
  store.close();
  assert.equal(calls['a:image'], 10, 'cached on disk');
  assert.equal(calls['c:image'], 10);
  assert.equal(calls['c:sketch'], undefined);
});

test('RecordCache: one writer per cache; a second live process keeps its records in memory; a dead holder\'s lock is taken over', async () => {
  const { RecordCache } = await import('../../bench/lib/cache');
  const { spawn } = await import('node:child_process');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-rc-'));
  const rec = (n: number) => new Uint8Array(8).fill(n);
  const a = new RecordCache(dir, 'vec-x', 8);
  assert.equal(a.owner, true);
  a.put([{ key: 'k1', data: rec(1) }]);
  a.close();
  // another live process holds the lock
  const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
  try {
    fs.writeFileSync(path.join(dir, 'vec-x.lock'), String(other.pid));
    const b = new RecordCache(dir, 'vec-x', 8);
    assert.equal(b.owner, false);
    assert.deepEqual([...b.get('k1')!], [...rec(1)], 'what is on disk is read');
    b.put([{ key: 'k2', data: rec(2) }]);
    assert.deepEqual([...b.get('k2')!], [...rec(2)], 'a new record is served from memory');
    b.close();
    assert.equal(fs.readFileSync(path.join(dir, 'vec-x.keys'), 'utf8'), 'k1\n', 'nothing was appended to the files');
    assert.equal(fs.statSync(path.join(dir, 'vec-x.bin')).size, 8);
    assert.ok(fs.existsSync(path.join(dir, 'vec-x.lock')), 'the holder\'s lock is left alone');
  } finally {
    other.kill();
  }
  await new Promise((r) => other.once('exit', r));
  // the holder is gone: its lock is stale and is taken over
  const c = new RecordCache(dir, 'vec-x', 8);
  assert.equal(c.owner, true);
  c.put([{ key: 'k2', data: rec(2) }]);
  c.close();
  assert.equal(fs.readFileSync(path.join(dir, 'vec-x.keys'), 'utf8'), 'k1\nk2\n');
  assert.equal(fs.existsSync(path.join(dir, 'vec-x.lock')), false, 'released on close');
});
