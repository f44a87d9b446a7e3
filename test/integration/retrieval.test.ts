/**
 * The shipped model really retrieves: QuickDraw drawings of classes it never trained on
 * (from the standard unseen lists) find emoji renderings of their class in a small labelled folder,
 * through the same CLI/index code the extension uses. Needs the corpora (scripts/fetch-corpora.sh)
 * and ../shared/data.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { test } from 'node:test';
import { Embedder } from '../../src/core/embedder';
import { FolderIndex } from '../../src/core/folderIndex';
import { PREPROCESS_VERSION, quickDrawToStrokes } from '../../src/core/preprocess';
import { MODEL_DIR, REPO } from '../helpers/standinModel';

const SHARED = process.env.SKETCH_SEARCH_SHARED ?? path.join(REPO, '..', 'shared');
const ICONIFY = path.join(REPO, 'bench', 'corpora', 'node_modules', '@iconify-json');
const CLASSES: Record<string, string> = {
  airplane: 'airplane', banana: 'banana', cactus: 'cactus', butterfly: 'butterfly',
  pineapple: 'pineapple', scissors: 'scissors', snail: 'snail', umbrella: 'umbrella',
};
const SETS = ['twemoji', 'fluent-emoji-flat', 'noto', 'emojione'];
const PER_CLASS = 10;

function averagePrecision(ranked: boolean[]): number {
  let hits = 0, sum = 0;
  ranked.forEach((rel, i) => { if (rel) { hits++; sum += hits / (i + 1); } });
  return hits ? sum / hits : 0;
}

test('QuickDraw drawings of unseen classes retrieve their emoji well above chance', async () => {
  const unseen = new Set(fs.readdirSync(path.join(SHARED, 'data', 'splits')).filter((f) => f.startsWith('unseen-'))
    .flatMap((f) => fs.readFileSync(path.join(SHARED, 'data', 'splits', f), 'utf8').split('\n')).map((s) => s.trim().toLowerCase()));
  for (const c of Object.keys(CLASSES)) assert.ok(unseen.has(c), `${c} must be an unseen class for this test to mean zero-shot`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-ret-'));
  for (const set of SETS) {
    const j = JSON.parse(fs.readFileSync(path.join(ICONIFY, set, 'icons.json'), 'utf8'));
    for (const [cls, icon] of Object.entries(CLASSES)) {
      const name = j.icons[icon] ? icon : j.aliases?.[icon]?.parent;
      const i = j.icons[name];
      assert.ok(i, `${set} has no ${icon}`);
      const w = i.width ?? j.width ?? 16, h = i.height ?? j.height ?? 16;
      fs.mkdirSync(path.join(dir, cls), { recursive: true });
      fs.writeFileSync(path.join(dir, cls, `${set}.svg`), `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${i.body}</svg>`);
    }
  }

  const drawings: { cls: string; drawing: number[][][] }[] = [];
  const counts = new Map<string, number>();
  const lines = zlib.gunzipSync(fs.readFileSync(path.join(SHARED, 'data', 'quickdraw', 'quickdraw-simplified.ndjson.gz'))).toString('utf8').split('\n');
  for (const line of lines) {
    if (!line) continue;
    const d = JSON.parse(line) as { word: string; drawing: number[][][]; recognized?: boolean };
    const cls = d.word.toLowerCase();
    if (!(cls in CLASSES) || (counts.get(cls) ?? 0) >= PER_CLASS || d.recognized === false) continue;
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
    drawings.push({ cls, drawing: d.drawing });
  }
  assert.equal(drawings.length, PER_CLASS * Object.keys(CLASSES).length);

  const embedder = await Embedder.create(process.env.SKETCH_SEARCH_MODEL_DIR ?? MODEL_DIR, { provider: 'cpu' });
  try {
    const ix = new FolderIndex(dir, path.join(dir, '.idx', 'i.sksidx'), embedder, { preprocessVersion: PREPROCESS_VERSION });
    const r = await ix.reconcile();
    assert.equal(r.failed, 0);
    assert.equal(ix.size, SETS.length * Object.keys(CLASSES).length);
    let model = 0, chance = 0;
    let seed = 1;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (const d of drawings) {
      const q = await embedder.embedStrokes(quickDrawToStrokes(d.drawing));
      const ranked = (await ix.search(q, ix.size)).map((h) => h.path.startsWith(`${d.cls}/`));
      model += averagePrecision(ranked);
      const shuffled = [...ranked].sort(() => rnd() - 0.5);
      chance += averagePrecision(shuffled);
    }
    model /= drawings.length;
    chance /= drawings.length;
    console.log(`retrieval mAP ${model.toFixed(3)} vs random ranking ${chance.toFixed(3)} (${drawings.length} queries, ${ix.size} images)`);
    assert.ok(model > 1.5 * chance, `mAP ${model.toFixed(3)} is not well above chance ${chance.toFixed(3)}`);
  } finally {
    await embedder.dispose();
  }
});
