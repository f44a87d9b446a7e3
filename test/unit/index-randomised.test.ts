/**
 * Randomised incremental correctness: after any sequence of creates, edits, deletes, renames,
 * folder moves, bulk "branch switches" and changes made while closed (followed by a restart and a
 * reconcile), the index equals a full rebuild of the folder. Bounded: fixed seeds, small trees.
 */
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { EmbedResult } from '../../src/core/embedder';
import { FileEncoder, FolderIndex } from '../../src/core/folderIndex';

const DIM = 4;
const encoder: FileEncoder = {
  modelId: 'hash', dim: DIM,
  async embedFiles(paths: string[]): Promise<EmbedResult[]> {
    return paths.map((p) => {
      let b: Buffer;
      try { b = fs.readFileSync(p); } catch { return { ok: false, error: 'file no longer exists' }; }
      if (b.length === 0) return { ok: false, error: 'empty file' };
      const h = crypto.createHash('sha256').update(b).digest();
      const v = new Float32Array(DIM).map((_, i) => h[i] / 255 + 0.01);
      const n = Math.hypot(...v);
      return { ok: true, vector: v.map((x) => x / n), hash: h.toString('hex'), size: b.length };
    });
  },
};

function snapshot(ix: FolderIndex): string[] {
  return ix.listEntries().map((e) => `${e.path}|${e.hash}|${Array.from(ix.vectorOf(e.path)!).map((x) => x.toFixed(3)).join(',')}`).sort();
}

function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...walk(root, r)); else out.push(r);
  }
  return out;
}

for (const seed of [1, 2, 3, 4, 5]) {
  test(`random change sequences end equal to a rebuild (seed ${seed})`, async () => {
    let s = seed;
    const rnd = () => ((s = (s * 48271) % 2147483647) / 2147483647);
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)];
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-rand-'));
    const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sks-rs-')), 'i.sksidx');
    const dirs = ['', 'a', 'a/b', 'c', 'c/d e', 'ü'];
    for (const d of dirs) fs.mkdirSync(path.join(root, d), { recursive: true });
    const exts = ['png', 'svg', 'jpg', 'txt'];
    const newFile = () => path.join(pick(dirs), `f${Math.floor(rnd() * 1e6)}.${pick(exts)}`);
    const write = (rel: string) => { fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true }); fs.writeFileSync(path.join(root, rel), `content ${rnd()}`); };
    for (let i = 0; i < 30; i++) write(newFile());

    let ix = new FolderIndex(root, store, encoder, { preprocessVersion: 1, batchSize: 4 });
    await ix.reconcile();
    for (let step = 0; step < 40; step++) {
      const files = walk(root);
      const op = pick(['create', 'edit', 'delete', 'rename', 'moveFolder', 'branch', 'closed', 'empty']);
      const changed: string[] = [], deleted: string[] = [];
      if (op === 'create') { const f = newFile(); write(f); changed.push(f); }
      else if (op === 'edit' && files.length) { const f = pick(files); write(f); changed.push(f); }
      else if (op === 'empty' && files.length) { const f = pick(files); fs.writeFileSync(path.join(root, f), ''); changed.push(f); }
      else if (op === 'delete' && files.length) { const f = pick(files); fs.rmSync(path.join(root, f)); deleted.push(f); }
      else if (op === 'rename' && files.length) {
        const f = pick(files); const to = newFile();
        fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
        fs.renameSync(path.join(root, f), path.join(root, to)); deleted.push(f); changed.push(to);
      } else if (op === 'moveFolder') {
        const from = pick(['a', 'c', 'moved', 'x/y']);
        const to = pick(['moved', 'x/y', 'a', 'c']);
        if (from !== to && fs.existsSync(path.join(root, from)) && !fs.existsSync(path.join(root, to)) && !to.startsWith(from + '/')) {
          fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
          fs.renameSync(path.join(root, from), path.join(root, to)); deleted.push(from); changed.push(to);
          if (!fs.existsSync(path.join(root, from))) fs.mkdirSync(path.join(root, from), { recursive: true });
        }
      } else if (op === 'branch') {
        // Hundreds of files change at once; the watcher delivers them all.
        for (const f of files) if (rnd() < 0.4) { fs.rmSync(path.join(root, f)); deleted.push(f); }
        for (let i = 0; i < 60; i++) { const f = newFile(); write(f); changed.push(f); }
        for (const f of walk(root)) if (rnd() < 0.2) { write(f); changed.push(f); }
      } else if (op === 'closed') {
        // Changes while VS Code is closed: no events, then a restart (load + reconcile).
        for (const f of files) if (rnd() < 0.2) fs.rmSync(path.join(root, f));
        for (let i = 0; i < 10; i++) write(newFile());
        for (const f of walk(root)) if (rnd() < 0.1) write(f);
        ix = new FolderIndex(root, store, encoder, { preprocessVersion: 1, batchSize: 4 });
        await ix.load();
        await ix.reconcile();
        continue;
      }
      const abs = (r: string) => path.join(root, r);
      if (deleted.length) await ix.removeFiles(deleted.map(abs));
      if (changed.length) await ix.updateFiles(changed.map(abs));
    }
    const rebuilt = new FolderIndex(root, path.join(path.dirname(store), 'fresh.sksidx'), encoder, { preprocessVersion: 1 });
    await rebuilt.reconcile();
    assert.deepEqual(snapshot(ix), snapshot(rebuilt));
    assert.deepEqual(ix.skippedFiles.map((f) => f.path).sort(), rebuilt.skippedFiles.map((f) => f.path).sort());
    // And what is on disk equals memory.
    const reloaded = new FolderIndex(root, store, encoder, { preprocessVersion: 1 });
    await reloaded.load();
    assert.deepEqual(snapshot(reloaded), snapshot(rebuilt));
  });
}
