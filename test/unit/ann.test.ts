/** Approximate search: snapshot + exact delta stays correct as files change, and recall is high. */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { ANN_MIN_RECALL, annVectors, buildAnnFiles, openAnn } from '../../src/core/annIndex';
import type { EmbedResult } from '../../src/core/embedder';
import { FolderIndex } from '../../src/core/folderIndex';
import { topKQuantized } from '../../src/core/vectorIndex';

const DIM = 32;
function vecOf(bytes: Buffer): Float32Array {
  const h = crypto.createHash('sha512').update(bytes).digest();
  const v = new Float32Array(DIM).map((_, i) => h[i] / 255 - 0.5);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
const encoder = {
  modelId: 'hash', dim: DIM,
  async embedFiles(paths: string[]): Promise<EmbedResult[]> {
    return paths.map((p) => {
      const b = fs.readFileSync(p);
      return { ok: true as const, vector: vecOf(b), hash: crypto.createHash('sha1').update(b).digest('hex'), size: b.length };
    });
  },
};

test('snapshot + delta: changed, new and deleted files are never stale; recall@50 >= 0.98', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-ann-'));
  for (let i = 0; i < 3000; i++) fs.writeFileSync(path.join(root, `f${i}.png`), `img ${i}`);
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sks-ann-s-')), 'i.sksidx');
  const ix = new FolderIndex(root, store, encoder, { preprocessVersion: 1, batchSize: 256 });
  await ix.reconcile();
  const src = ix.annSource();
  await buildAnnFiles(annVectors(src.rows.codes, src.rows.rows, DIM), src.rows.rows, { modelId: 'hash', dim: DIM, paths: src.paths, hashes: src.hashes }, `${store}.hnsw`);
  const ann = await openAnn(`${store}.hnsw`, 'hash', DIM);
  assert.ok(ann);
  assert.equal(await openAnn(`${store}.hnsw`, 'other-model', DIM), undefined);
  ix.attachAnn(ann);
  assert.equal(ix.annStaleness(), 0);

  // Change the folder after the snapshot.
  fs.writeFileSync(path.join(root, 'f1.png'), 'changed 1');
  fs.rmSync(path.join(root, 'f2.png'));
  fs.writeFileSync(path.join(root, 'new.png'), 'brand new');
  await ix.updateFiles([path.join(root, 'f1.png'), path.join(root, 'new.png')]);
  await ix.removeFiles([path.join(root, 'f2.png')]);
  assert.ok(ix.annStaleness() > 0 && ix.annStaleness() < 0.01);

  // The new and changed files are found exactly; the deleted one never appears.
  assert.equal((await ix.search(vecOf(Buffer.from('brand new')), 1))[0].path, 'new.png');
  assert.equal((await ix.search(vecOf(Buffer.from('changed 1')), 1))[0].path, 'f1.png');
  const oldF2 = vecOf(Buffer.from('img 2'));
  assert.ok(!(await ix.search(oldF2, 50)).some((h) => h.path === 'f2.png'));

  // Recall@50 against exact search over the same vectors.
  let recall = 0;
  const Q = 50;
  for (let i = 0; i < Q; i++) {
    const q = vecOf(Buffer.from(`query ${i}`));
    const approx = new Set((await ix.search(q, 50)).map((h) => h.path));
    const { rows, paths } = ix.annSource();
    const exact = topKQuantized(rows, q, 50).map((h) => paths[h.row]);
    recall += exact.filter((p) => approx.has(p)).length / 50;
  }
  recall /= Q;
  assert.ok(recall >= 0.98, `recall@50 ${recall.toFixed(3)}`);
});

/** n unit vectors in `dim` dims: i.i.d. random, or clustered around `seeds` centres (as real embeddings are). */
function vectors(n: number, dim: number, seeds: number, rnd: () => number): Float32Array {
  const g = () => Math.sqrt(-2 * Math.log(Math.max(1e-12, rnd()))) * Math.cos(2 * Math.PI * rnd());
  const centres = Array.from({ length: seeds }, () => Float32Array.from({ length: dim }, g));
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const v = out.subarray(i * dim, (i + 1) * dim);
    const c = seeds ? centres[i % seeds] : undefined;
    for (let j = 0; j < dim; j++) v[j] = c ? c[j] / Math.sqrt(dim) + (0.5 * g()) / Math.sqrt(dim) : g();
    const norm = Math.hypot(...v);
    for (let j = 0; j < dim; j++) v[j] /= norm;
  }
  return out;
}

test('the recall self-check passes a graph over clustered vectors and fails a graph that misses neighbours', async () => {
  const { quantizeMatrix } = await import('../../src/core/quantize');
  const { annUsable, selfRecall } = await import('../../src/core/annIndex');
  let s = 7;
  const rnd = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-ann-self-'));
  const n = 20_000, dim = 256;
  const { codes } = quantizeMatrix(vectors(n, dim, 400, rnd), n, dim);
  const i8 = annVectors(codes, n, dim);
  const file = path.join(dir, 'clustered.hnsw');
  const meta = await buildAnnFiles(i8, n, { modelId: 'm', dim, paths: Array.from({ length: n }, (_, i) => `f${i}`), hashes: new Array(n).fill('h') }, file);
  const ann = await openAnn(file, 'm', dim);
  assert.equal(ann?.meta.recallAt50, meta.recallAt50, 'the self-check is saved with the snapshot');
  assert.ok(meta.recallAt50! >= ANN_MIN_RECALL, `clustered recall ${meta.recallAt50}`);
  assert.equal(annUsable(meta), true);
  // A graph that returns arbitrary rows (here: always the first ones) is measured as such and not used.
  const broken = { search: (_q: Int8Array, k: number) => ({ keys: BigUint64Array.from({ length: k }, (_, i) => BigInt(i)) }) };
  const low = selfRecall(broken, i8, n, dim);
  assert.ok(low < 0.2, `broken graph recall ${low}`);
  assert.equal(annUsable({ ...meta, recallAt50: low }), false);
});

test('a folder whose snapshot failed the self-check searches exactly but keeps the snapshot (no rebuild loop)', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-ann-low-'));
  for (let i = 0; i < 300; i++) fs.writeFileSync(path.join(root, `f${i}.png`), `img ${i}`);
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sks-ann-low-s-')), 'i.sksidx');
  const ix = new FolderIndex(root, store, encoder, { preprocessVersion: 1, batchSize: 256 });
  await ix.reconcile();
  const src = ix.annSource();
  // A graph over the wrong vectors (all zero) returns arbitrary candidates; its recorded self-check says so.
  const meta = await buildAnnFiles(new Int8Array(src.rows.rows * DIM), src.rows.rows, { modelId: 'hash', dim: DIM, paths: src.paths, hashes: src.hashes }, `${store}.hnsw`);
  fs.writeFileSync(`${store}.hnsw.json`, JSON.stringify({ ...meta, recallAt50: 0.1 }));
  const ann = await openAnn(`${store}.hnsw`, 'hash', DIM);
  assert.ok(ann && ann.meta.recallAt50! < ANN_MIN_RECALL);
  ix.attachAnn(ann);
  assert.equal(ix.hasAnn, true);
  assert.equal(ix.annInUse, false);
  assert.equal(ix.annStaleness(), 0);
  for (let i = 0; i < 20; i++) {
    const q = vecOf(Buffer.from(`img ${i * 7}`));
    assert.equal((await ix.search(q, 1))[0].path, `f${i * 7}.png`, 'exact search finds each file');
  }
});
