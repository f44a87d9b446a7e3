/** A storm of 10,000 files created within seconds, then deleted: the index ends consistent. */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EmbedResult } from '../../src/core/embedder';
import { FolderIndex } from '../../src/core/folderIndex';

const encoder = {
  modelId: 'hash', dim: 16,
  async embedFiles(paths: string[]): Promise<EmbedResult[]> {
    return paths.map((p) => {
      let b: Buffer;
      try { b = fs.readFileSync(p); } catch { return { ok: false as const, error: 'file no longer exists' }; }
      const v = new Float32Array(16).fill(0.25);
      return { ok: true as const, vector: v, hash: crypto.createHash('sha1').update(b).digest('hex'), size: b.length };
    });
  },
};

test('10,000 creates then deletes in watcher-sized bursts', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-storm-'));
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sks-storm-s-')), 'i.sksidx');
  const ix = new FolderIndex(root, store, encoder, { preprocessVersion: 1, batchSize: 64 });
  await ix.reconcile();
  const files: string[] = [];
  for (let d = 0; d < 100; d++) {
    fs.mkdirSync(path.join(root, `d${d}`));
    for (let i = 0; i < 100; i++) {
      const f = path.join(root, `d${d}`, `img-${i}.png`);
      fs.writeFileSync(f, `${d}-${i}`);
      files.push(f);
    }
  }
  const heap0 = process.memoryUsage().heapUsed;
  // Events arrive in bursts while files are still being deleted under our feet.
  for (let i = 0; i < files.length; i += 500) {
    if (i === 5000) for (const f of files.slice(9000)) fs.rmSync(f);
    await ix.updateFiles(files.slice(i, i + 500));
  }
  assert.equal(ix.size, 9000);
  for (let i = 0; i < files.length; i += 1000) {
    for (const f of files.slice(i, i + 1000)) fs.rmSync(f, { force: true });
    await ix.removeFiles(files.slice(i, i + 1000));
  }
  assert.equal(ix.size, 0);
  const heapGrowthMb = (process.memoryUsage().heapUsed - heap0) / 1e6;
  assert.ok(heapGrowthMb < 100, `heap grew ${heapGrowthMb.toFixed(0)} MB`);
  const reloaded = new FolderIndex(root, store, encoder, { preprocessVersion: 1 });
  await reloaded.load();
  assert.equal(reloaded.size, 0, 'journal replay ends empty too');
  await reloaded.reconcile();
  assert.equal(reloaded.size, 0);
});
