import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EmbedResult } from '../../src/core/embedder';
import { decodeHalf, encodeHalf, fromHalf, toHalf } from '../../src/core/float16';
import { FileEncoder, FolderIndex } from '../../src/core/folderIndex';
import { deserializeIndex, IndexLoadError, readIndexFile, serializeIndex, writeIndexFile } from '../../src/core/indexStore';
import { scanFolder } from '../../src/core/scan';
import { topKDot, VectorMatrix } from '../../src/core/vectorIndex';
import { quantizeMatrix } from '../../src/core/quantize';
import { jsTopK } from '../../src/core/topkEngine';

const DIM = 8;

/** Test double for the encoder: a deterministic unit vector from the file's bytes. */
class HashEncoder implements FileEncoder {
  modelId = 'hash-model';
  dim = DIM;
  calls = 0;
  encoded: string[] = [];
  async embedFiles(paths: string[]): Promise<EmbedResult[]> {
    this.calls++;
    return paths.map((p) => {
      this.encoded.push(path.basename(p));
      let bytes: Buffer;
      try { bytes = fs.readFileSync(p); } catch { return { ok: false, error: 'file no longer exists' }; }
      if (bytes.toString().startsWith('BAD')) return { ok: false, error: 'not a supported image format' };
      return { ok: true, vector: vecOf(bytes), hash: crypto.createHash('sha1').update(bytes).digest('hex'), size: bytes.length };
    });
  }
}

function vecOf(bytes: Buffer): Float32Array {
  const h = crypto.createHash('sha256').update(bytes).digest();
  const v = new Float32Array(DIM);
  for (let i = 0; i < DIM; i++) v[i] = h[i] / 255 - 0.5;
  let n = 0;
  for (const x of v) n += x * x;
  return v.map((x) => x / Math.sqrt(n));
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sks-test-'));
}

test('float16 round-trips within half precision', () => {
  for (const x of [0, 1, -1, 0.5, 0.1234, -0.9999, 65504, 1e-5, 3e-8]) {
    const y = fromHalf(toHalf(x));
    assert.ok(Math.abs(y - x) <= Math.max(1e-3 * Math.abs(x), 6e-8), `${x} -> ${y}`);
  }
  const v = new Float32Array(1000).map((_, i) => Math.sin(i));
  const back = decodeHalf(encodeHalf(v));
  for (let i = 0; i < v.length; i++) assert.ok(Math.abs(back[i] - v[i]) < 1e-3);
});

test('topK equals a sort of all scores', () => {
  const rows = 500, dim = 16;
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) - 0.5;
  const data = new Float32Array(rows * dim).map(rnd);
  const q = new Float32Array(dim).map(rnd);
  const all = Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[r * dim + j] * q[j];
    return { row: r, score: s };
  }).sort((a, b) => b.score - a.score);
  const got = topKDot(data, rows, dim, q, 25);
  assert.deepEqual(got.map((h) => h.row), all.slice(0, 25).map((h) => h.row));
  assert.equal(topKDot(data, rows, dim, q, 0).length, 0);
  assert.equal(topKDot(data, 3, dim, q, 10).length, 3);
  assert.throws(() => topKDot(data, rows, dim, new Float32Array(3), 1), /dims/);
});

test('VectorMatrix swapRemove keeps the other rows', () => {
  const m = new VectorMatrix(2, 1);
  m.push(new Float32Array([1, 0]));
  m.push(new Float32Array([0, 1]));
  m.push(new Float32Array([0.6, 0.8]));
  assert.equal(m.swapRemove(0), 2);
  assert.equal(m.count, 2);
  const moved = m.get(0);
  assert.ok(Math.abs(moved[0] - 0.6) < 0.005 && Math.abs(moved[1] - 0.8) < 0.005, `${moved}`);
});

test('index file round-trips and rejects corruption, truncation and newer formats', async () => {
  const ix = { modelId: 'm', preprocessVersion: 1, dim: 2, entries: [{ path: 'a.png', size: 1, mtimeMs: 2, hash: 'h' }], ...quantizeMatrix(new Float32Array([0.6, 0.8]), 1, 2), skipped: [{ path: 'b.png', reason: 'bad' }] };
  const buf = serializeIndex(ix);
  const back = deserializeIndex(buf);
  assert.deepEqual(back.entries, ix.entries);
  assert.deepEqual(back.skipped, ix.skipped);
  assert.deepEqual(Array.from(back.codes), Array.from(ix.codes));
  assert.deepEqual(Array.from(back.scales), Array.from(ix.scales));
  assert.ok(Math.abs((back.codes[0] - 128) * back.scales[0] - 0.6) < 0.005);
  const flipped = Buffer.from(buf); flipped[flipped.length - 1] ^= 0xff;
  assert.throws(() => deserializeIndex(flipped), IndexLoadError);
  assert.throws(() => deserializeIndex(buf.subarray(0, buf.length - 3)), IndexLoadError);
  assert.throws(() => deserializeIndex(buf.subarray(0, 10)), IndexLoadError);
  const newer = Buffer.from(buf); newer.writeUInt32LE(99, 8);
  assert.throws(() => deserializeIndex(newer), /newer/);

  const dir = tmpdir();
  const file = path.join(dir, 'x', 'index.sksidx');
  await writeIndexFile(file, ix);
  assert.equal((await readIndexFile(file))!.entries.length, 1);
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['index.sksidx'], 'no temp files left behind');
  fs.writeFileSync(file, flipped);
  await assert.rejects(readIndexFile(file), IndexLoadError);
  assert.ok(fs.readdirSync(path.dirname(file)).some((f) => f.startsWith('index.sksidx.corrupt-')), 'corrupt index set aside');
  assert.equal(await readIndexFile(file), undefined);
});

test('a format-1 (float16) index file is still read, and quantised', () => {
  const header = Buffer.from(JSON.stringify({ modelId: 'm', preprocessVersion: 1, dim: 2, count: 1, vectorEncoding: 'f16', entries: [{ path: 'a.png', size: 1, mtimeMs: 2, hash: 'h' }], skipped: [] }));
  const half = encodeHalf(new Float32Array([0.6, 0.8]));
  const vec = Buffer.from(half.buffer);
  const pre = Buffer.alloc(20);
  Buffer.from('SKSIDX\0\0', 'latin1').copy(pre, 0);
  pre.writeUInt32LE(1, 8); pre.writeUInt32LE(header.length, 12);
  const { crc32 } = require('../../src/core/indexStore');
  pre.writeUInt32LE(crc32(vec, crc32(header)), 16);
  const back = deserializeIndex(Buffer.concat([pre, header, vec]));
  assert.ok(Math.abs((back.codes[1] - 128) * back.scales[0] - 0.8) < 0.005);
});

test('scan honours include/exclude, skips large files and does not follow symlinks', async () => {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'a b', 'ünï'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'a b', 'ünï', 'cat.PNG'), 'x');
  fs.writeFileSync(path.join(dir, 'dog.svg'), 'x');
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
  fs.writeFileSync(path.join(dir, 'big.jpg'), Buffer.alloc(2000));
  fs.writeFileSync(path.join(dir, 'node_modules', 'x', 'icon.png'), 'x');
  fs.symlinkSync(dir, path.join(dir, 'loop'));
  fs.symlinkSync(path.join(dir, 'dog.svg'), path.join(dir, 'link.svg'));
  const r = await scanFolder(dir, { maxFileBytes: 1000 });
  assert.deepEqual(r.files.map((f) => f.rel), ['a b/ünï/cat.PNG', 'dog.svg']);
  assert.deepEqual(r.skipped.map((s) => s.path), ['big.jpg']);
  const r2 = await scanFolder(dir, { include: ['**/*.svg'], exclude: [] });
  assert.deepEqual(r2.files.map((f) => f.rel), ['dog.svg']);
});

test('reconcile encodes only new or changed files and survives a restart', async () => {
  const dir = tmpdir();
  const store = path.join(tmpdir(), 'idx.sksidx');
  for (const n of ['a', 'b', 'c']) fs.writeFileSync(path.join(dir, `${n}.png`), `image ${n}`);
  fs.writeFileSync(path.join(dir, 'bad.png'), 'BAD bytes');
  const enc = new HashEncoder();
  const ix = new FolderIndex(dir, store, enc, { preprocessVersion: 1 });
  const r1 = await ix.reconcile();
  assert.deepEqual(r1, { added: 3, removed: 0, failed: 1 });
  assert.deepEqual(ix.skippedFiles, [{ path: 'bad.png', reason: 'not a supported image format' }]);

  // Exact query finds its own file first.
  const q = vecOf(Buffer.from('image b'));
  assert.equal((await ix.search(q, 1))[0].path, 'b.png');
  assert.ok(Math.abs((await ix.search(q, 1))[0].score - 1) < 1e-2); // 8-bit vectors

  // Restart: a new FolderIndex loads the store; nothing is re-encoded if nothing changed.
  const enc2 = new HashEncoder();
  const ix2 = new FolderIndex(dir, store, enc2, { preprocessVersion: 1 });
  assert.equal(await ix2.load(), undefined);
  assert.equal(ix2.size, 3);
  fs.writeFileSync(path.join(dir, 'c.png'), 'image c changed!');
  fs.rmSync(path.join(dir, 'a.png'));
  fs.writeFileSync(path.join(dir, 'd.png'), 'image d');
  const r2 = await ix2.reconcile();
  assert.deepEqual(enc2.encoded.sort(), ['bad.png', 'c.png', 'd.png']);
  assert.deepEqual(r2, { added: 2, removed: 1, failed: 1 });
  assert.deepEqual(ix2.listEntries().map((e) => e.path).sort(), ['b.png', 'c.png', 'd.png']);
  assert.equal((await ix2.search(vecOf(Buffer.from('image c changed!')), 1))[0].path, 'c.png');

  // A different model id forces re-encoding.
  const enc3 = new HashEncoder();
  enc3.modelId = 'other-model';
  const ix3 = new FolderIndex(dir, store, enc3, { preprocessVersion: 1 });
  assert.match((await ix3.load())!, /model or preprocessing changed/);
  assert.equal(ix3.size, 0);
});

test('watcher updates: create, change, delete, folder delete', async () => {
  const dir = tmpdir();
  const store = path.join(tmpdir(), 'idx.sksidx');
  const ix = new FolderIndex(dir, store, new HashEncoder(), { preprocessVersion: 1 });
  await ix.reconcile();
  fs.mkdirSync(path.join(dir, 'sub'));
  fs.writeFileSync(path.join(dir, 'sub', 'x.png'), 'x');
  fs.writeFileSync(path.join(dir, 'y.svg'), 'y');
  fs.writeFileSync(path.join(dir, 'readme.md'), 'not an image');
  await ix.updateFiles([path.join(dir, 'sub', 'x.png'), path.join(dir, 'y.svg'), path.join(dir, 'readme.md'), path.join(os.tmpdir(), 'outside.png')]);
  assert.deepEqual(ix.listEntries().map((e) => e.path).sort(), ['sub/x.png', 'y.svg']);
  fs.rmSync(path.join(dir, 'sub'), { recursive: true });
  await ix.removeFiles([path.join(dir, 'sub')]);
  assert.deepEqual(ix.listEntries().map((e) => e.path), ['y.svg']);
  // A moved-in folder is picked up as a whole.
  fs.mkdirSync(path.join(dir, 'moved', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'moved', 'deep', 'z.png'), 'z');
  await ix.updateFiles([path.join(dir, 'moved')]);
  assert.deepEqual(ix.listEntries().map((e) => e.path).sort(), ['moved/deep/z.png', 'y.svg']);
  // Persisted state equals memory.
  const again = new FolderIndex(dir, store, new HashEncoder(), { preprocessVersion: 1 });
  await again.load();
  assert.deepEqual(again.listEntries().map((e) => e.path).sort(), ['moved/deep/z.png', 'y.svg']);
});

test('identical files are encoded once', async () => {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'copy'));
  fs.writeFileSync(path.join(dir, 'a.png'), 'same bytes');
  fs.writeFileSync(path.join(dir, 'copy', 'a.png'), 'same bytes');
  fs.writeFileSync(path.join(dir, 'b.png'), 'same bytez'); // same size, different content
  const enc = new HashEncoder();
  const ix = new FolderIndex(dir, path.join(tmpdir(), 'i.sksidx'), enc, { preprocessVersion: 1, batchSize: 1 });
  await ix.reconcile();
  assert.equal(ix.size, 3);
  assert.deepEqual(enc.encoded.sort(), ['a.png', 'b.png']);
  assert.equal(ix.dedupedCount, 1);
  assert.deepEqual(Array.from(ix.vectorOf('copy/a.png')!), Array.from(ix.vectorOf('a.png')!));
  assert.notDeepEqual(Array.from(ix.vectorOf('b.png')!), Array.from(ix.vectorOf('a.png')!));
});

test('one writer per index file; a stale lock is taken over', async () => {
  const { acquireWriterLock } = await import('../../src/core/writerLock');
  const file = path.join(tmpdir(), 'i.sksidx');
  const a = acquireWriterLock(file);
  assert.equal(a.acquired, true);
  fs.writeFileSync(`${file}.lock`, String(process.ppid)); // a live process that is not us
  assert.equal(acquireWriterLock(file).acquired, false);
  fs.writeFileSync(`${file}.lock`, '999999999'); // no such process
  const c = acquireWriterLock(file);
  assert.equal(c.acquired, true);
  c.release();
  assert.equal(fs.existsSync(`${file}.lock`), false);
  // A read-only index never writes.
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'x.png'), 'x');
  const ro = new FolderIndex(dir, file, new HashEncoder(), { preprocessVersion: 1, readOnly: true });
  await ro.reconcile();
  assert.equal(ro.size, 1);
  assert.equal(fs.existsSync(file), false);
});

test('a crash mid-indexing loses at most the batch in flight (journal)', async () => {
  const dir = tmpdir();
  for (let i = 0; i < 10; i++) fs.writeFileSync(path.join(dir, `f${i}.png`), `img ${i}`);
  fs.writeFileSync(path.join(dir, 'bad.png'), 'BAD');
  const store = path.join(tmpdir(), 'i.sksidx');
  // An encoder that "crashes" (never returns) on its third batch: the process would die here.
  class DyingEncoder extends HashEncoder {
    async embedFiles(paths: string[]) {
      if (this.calls === 2) return new Promise<never>(() => undefined);
      return super.embedFiles(paths);
    }
  }
  const ix = new FolderIndex(dir, store, new DyingEncoder(), { preprocessVersion: 1, batchSize: 2, saveEveryMs: 1e9 });
  void ix.reconcile();
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(fs.existsSync(store), false, 'no full save happened');
  assert.ok(fs.existsSync(`${store}.journal`));
  // "Restart": a new index loads the journal; only the unfinished files are encoded again.
  const enc = new HashEncoder();
  const again = new FolderIndex(dir, store, enc, { preprocessVersion: 1, batchSize: 2 });
  await again.load();
  // Two batches survived: [bad.png (skipped), f0] and [f1, f2].
  assert.equal(again.size, 3);
  assert.deepEqual(again.skippedFiles.map((f) => f.path), ['bad.png']);
  // A torn last line is ignored.
  fs.appendFileSync(`${store}.journal`, '{"p":"torn.png","s":');
  const torn = new FolderIndex(dir, store, new HashEncoder(), { preprocessVersion: 1 });
  await torn.load();
  assert.equal(torn.size, 3);
  await again.reconcile();
  assert.equal(again.size, 10);
  assert.deepEqual(enc.encoded.sort(), ['bad.png', 'f3.png', 'f4.png', 'f5.png', 'f6.png', 'f7.png', 'f8.png', 'f9.png'], 'only unfinished files (and the skipped one, retried) are encoded again');
  assert.equal(fs.existsSync(`${store}.journal`), false, 'journal folded into the index file');
});

test('odd names and very deep trees are indexed; unreadable files get a clear reason', async () => {
  const dir = tmpdir();
  const names = ['new\nline.png', 'tab\there.png', 'emoji 🐱.png', 'quote"s.png', '-dash.png', ' lead.png'];
  for (const n of names) fs.writeFileSync(path.join(dir, n), `img ${n}`);
  let deep = dir;
  for (let i = 0; i < 200; i++) deep = path.join(deep, `d${i % 10}`);
  fs.mkdirSync(deep, { recursive: true });
  fs.writeFileSync(path.join(deep, 'bottom.png'), 'deep');
  const ix = new FolderIndex(dir, path.join(tmpdir(), 'i.sksidx'), new HashEncoder(), { preprocessVersion: 1 });
  await ix.reconcile();
  assert.equal(ix.size, names.length + 1);
  for (const n of names) assert.ok(ix.vectorOf(n), n);
  // Survives a save/load round trip with these names.
  await ix.save();
  const again = new FolderIndex(dir, ix.storeFile, new HashEncoder(), { preprocessVersion: 1 });
  await again.load();
  assert.deepEqual(again.listEntries().map((e) => e.path).sort(), ix.listEntries().map((e) => e.path).sort());
  const { describeError } = await import('../../src/core/embedder');
  assert.equal(describeError(Object.assign(new Error("EACCES: permission denied, open '/x.png'"), { code: 'EACCES' })), 'permission denied');
  assert.equal(describeError(new Error("ENOENT: no such file or directory, open '/x.png'")), 'the file no longer exists');
});

test('discarding what is stored also drops the journal, so a rebuild starts empty', async () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'a.png'), 'a');
  const store = path.join(tmpdir(), 'i.sksidx');
  const ix = new FolderIndex(dir, store, new HashEncoder(), { preprocessVersion: 1 });
  await ix.reconcile();
  fs.writeFileSync(path.join(dir, 'b.png'), 'b');
  await ix.updateFiles([path.join(dir, 'b.png')]); // journaled, not yet saved in full
  assert.ok(fs.existsSync(`${store}.journal`));
  await ix.discardStored();
  const fresh = new FolderIndex(dir, store, new HashEncoder(), { preprocessVersion: 1 });
  assert.equal(await fresh.load(), undefined);
  assert.equal(fresh.size, 0);
});

test('a copy of the query image ranks first above near-duplicates closer than the 8-bit precision', async () => {
  // A PNG and the SVG it was rendered from embed at cosine ~0.9995; the 7-bit-query x 8-bit-row score
  // errs by about 1e-3, so without re-scoring the copy sometimes lost to its near-duplicate (E2E, v4 model).
  const D = 256;
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
  const unit = (v: Float32Array) => { let n = 0; for (const x of v) n += x * x; return v.map((x) => x / Math.sqrt(n)); };
  const vecs = new Map<string, Float32Array>();
  class MapEncoder implements FileEncoder {
    modelId = 'map-model';
    dim = D;
    async embedFiles(paths: string[]): Promise<EmbedResult[]> {
      return paths.map((p) => ({ ok: true, vector: vecs.get(path.basename(p))!, hash: path.basename(p), size: 1 }));
    }
  }
  let nearAbove = 0;
  for (let trial = 0; trial < 40; trial++) {
    const dir = tmpdir();
    const q = unit(Float32Array.from({ length: D }, rnd));
    vecs.clear();
    vecs.set('copy.png', q);
    for (let i = 0; i < 4; i++) vecs.set(`near${i}.svg`, unit(q.map((x) => x + 0.007 * rnd())));
    for (let i = 0; i < 5; i++) vecs.set(`other${i}.png`, unit(Float32Array.from({ length: D }, rnd)));
    for (const n of vecs.keys()) fs.writeFileSync(path.join(dir, n), n);
    const ix = new FolderIndex(dir, path.join(tmpdir(), 'idx.sksidx'), new MapEncoder(), { preprocessVersion: 1 });
    await ix.reconcile();
    // What the engine alone ranks (the failure this guards against happens in some trials).
    const m = quantizeMatrix(Float32Array.from([...vecs.values()].flatMap((v) => [...v])), vecs.size, D);
    const raw = await jsTopK.topK({ ...m, rows: vecs.size, dim: D }, q, 1);
    if ([...vecs.keys()][raw[0].row] !== 'copy.png') nearAbove++;
    const hits = await ix.search(q, 6);
    assert.equal(hits[0].path, 'copy.png', `trial ${trial}: ${hits.map((h) => `${h.path} ${h.score.toFixed(5)}`).join(', ')}`);
    assert.ok(Math.abs(hits[0].score - 1) < 1e-6);
    assert.ok(hits.slice(1, 5).every((h) => h.path.startsWith('near') && h.score <= hits[0].score && h.score > 0.99), 'near-duplicates next');
    for (let i = 1; i < hits.length; i++) assert.ok(hits[i - 1].score >= hits[i].score, 'sorted by score');
  }
  assert.ok(nearAbove > 0, 'the case is not exercised: no trial had a near-duplicate above the copy before re-scoring');
});
