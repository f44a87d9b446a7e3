/** Approximate search: snapshot + exact delta stays correct as files change, and recall is high. */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { annVectors, buildAnnFiles, openAnn } from '../../src/extension/core/annIndex';
import type { EmbedResult } from '../../src/extension/core/embedder';
import { FolderIndex } from '../../src/extension/core/folderIndex';
import { topKQuantized } from '../../src/extension/core/vectorIndex';

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
