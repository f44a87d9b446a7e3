/**
 * A person's doodles against the demo workspace (scripts/lib/image-folder.mjs makeDemoFolder: ~570 real icons,
 * emoji, clip art and stamps), ranked by each model through the CLI (dist/cli.js) as the pad sends them. Prints the
 * rank of the first image whose file name names the thing drawn. An impression of what a user sees, beside the
 * benchmark's numbers: twelve drawings by one hand, not a measurement.
 *
 *   node esbuild.mjs && npx tsx scripts/check-user-doodles.ts [--models models,models/zero-shot] [--top 50]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { circle, polyline, star, type Pt } from '../test/e2e/drawings';
import { makeDemoFolder } from './lib/image-folder.mjs';
import { toPad } from './lib/pad-strokes';

const REPO = path.resolve(__dirname, '..');
const arg = (k: string) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : undefined; };
const models = (arg('--models') ?? 'models,models/zero-shot').split(',').filter(Boolean);
const top = Number(arg('--top') ?? 50);
const PAD = 300;

/** What a person draws, in pad units ([0, 1]²), and the words a matching file name holds. */
export const USER_DOODLES: { name: string; words: string[]; strokes: Pt[][] }[] = [
  { name: 'cat face', words: ['cat'], strokes: [
    circle(0.5, 0.58, 0.28), polyline([0.27, 0.42], [0.3, 0.14], [0.44, 0.31]), polyline([0.56, 0.31], [0.7, 0.14], [0.73, 0.42]),
    circle(0.4, 0.52, 0.03, 12), circle(0.6, 0.52, 0.03, 12), polyline([0.46, 0.64], [0.5, 0.68], [0.54, 0.64]),
    polyline([0.18, 0.6], [0.38, 0.64]), polyline([0.18, 0.72], [0.38, 0.68]), polyline([0.62, 0.64], [0.82, 0.6]), polyline([0.62, 0.68], [0.82, 0.72])] },
  { name: 'mug', words: ['mug', 'cup', 'coffee'], strokes: [
    polyline([0.25, 0.3], [0.27, 0.82], [0.63, 0.82], [0.65, 0.3], [0.25, 0.3]),
    polyline([0.65, 0.4], [0.78, 0.4], [0.83, 0.5], [0.78, 0.64], [0.64, 0.66]),
    polyline([0.38, 0.22], [0.36, 0.14], [0.39, 0.06]), polyline([0.5, 0.22], [0.48, 0.14], [0.51, 0.06])] },
  { name: 'key', words: ['key'], strokes: [
    circle(0.25, 0.5, 0.13), polyline([0.38, 0.5], [0.88, 0.5]), polyline([0.74, 0.5], [0.74, 0.62]), polyline([0.84, 0.5], [0.84, 0.64])] },
  { name: 'bell', words: ['bell'], strokes: [
    polyline([0.28, 0.74], [0.33, 0.46], [0.4, 0.3], [0.5, 0.24], [0.6, 0.3], [0.67, 0.46], [0.72, 0.74]),
    polyline([0.22, 0.74], [0.78, 0.74]), circle(0.5, 0.8, 0.045, 12), circle(0.5, 0.19, 0.045, 12)] },
  { name: 'light bulb', words: ['bulb'], strokes: [
    polyline([0.42, 0.62], [0.36, 0.52], [0.3, 0.4], [0.32, 0.26], [0.42, 0.17], [0.5, 0.15], [0.58, 0.17], [0.68, 0.26], [0.7, 0.4], [0.64, 0.52], [0.58, 0.62]),
    polyline([0.42, 0.62], [0.58, 0.62]), polyline([0.42, 0.7], [0.58, 0.7]), polyline([0.44, 0.78], [0.56, 0.78]), polyline([0.47, 0.85], [0.53, 0.85])] },
  { name: 'bicycle', words: ['bicycle', 'bike'], strokes: [
    circle(0.25, 0.65, 0.16), circle(0.75, 0.65, 0.16), polyline([0.25, 0.65], [0.42, 0.4], [0.66, 0.4], [0.75, 0.65]),
    polyline([0.42, 0.4], [0.5, 0.65], [0.25, 0.65]), polyline([0.5, 0.65], [0.66, 0.4]), polyline([0.66, 0.4], [0.62, 0.28], [0.72, 0.28]),
    polyline([0.38, 0.33], [0.48, 0.33])] },
  { name: 'crown', words: ['crown'], strokes: [polyline([0.2, 0.72], [0.18, 0.3], [0.35, 0.5], [0.5, 0.24], [0.65, 0.5], [0.82, 0.3], [0.8, 0.72], [0.2, 0.72])] },
  { name: 'fish', words: ['fish'], strokes: [
    circle(0.44, 0.5, 0.26, 32, 0.15), polyline([0.69, 0.5], [0.88, 0.34], [0.88, 0.66], [0.69, 0.5]), circle(0.3, 0.46, 0.025, 10)] },
  { name: 'house', words: ['house', 'home'], strokes: [
    polyline([0.25, 0.45], [0.25, 0.85], [0.75, 0.85], [0.75, 0.45]), polyline([0.18, 0.5], [0.5, 0.15], [0.82, 0.5]),
    polyline([0.44, 0.85], [0.44, 0.65], [0.56, 0.65], [0.56, 0.85])] },
  { name: 'sun', words: ['sun'], strokes: [
    circle(0.5, 0.5, 0.18), ...Array.from({ length: 8 }, (_, i) => {
      const a = (i * Math.PI) / 4;
      return polyline([0.5 + 0.25 * Math.cos(a), 0.5 + 0.25 * Math.sin(a)], [0.5 + 0.38 * Math.cos(a), 0.5 + 0.38 * Math.sin(a)]);
    })] },
  { name: 'tree', words: ['tree', 'oak', 'pine'], strokes: [
    polyline([0.45, 0.9], [0.45, 0.6]), polyline([0.55, 0.9], [0.55, 0.6]),
    polyline([0.45, 0.6], [0.3, 0.58], [0.22, 0.46], [0.28, 0.32], [0.38, 0.22], [0.5, 0.14], [0.62, 0.22], [0.72, 0.32], [0.78, 0.46], [0.7, 0.58], [0.55, 0.6])] },
  { name: 'star', words: ['star'], strokes: [star(0.5, 0.52, 0.4)] },
];

/** Whether a file name names one of the words (as a word: "sun" is not "sunflower"). */
export function names(file: string, words: string[]): boolean {
  const base = path.basename(file).toLowerCase().replace(/\.[a-z0-9]+$/, '');
  return words.some((w) => new RegExp(`(^|[^a-z])${w}s?([^a-z]|$)`).test(base));
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'user-doodles-'));
  try {
    const ws = path.join(tmp, 'ws');
    const n = await makeDemoFolder(ws);
    const ranks: Record<string, string[]> = {};
    for (const model of models) {
      const cli = (...a: string[]) => execFileSync(process.execPath, [path.join(REPO, 'bin/sketch-search.js'), ...a, '--model', path.resolve(REPO, model)], { encoding: 'utf8', maxBuffer: 1 << 26 });
      const db = path.join(tmp, `${model.replace(/[^a-z0-9]+/gi, '_')}.db`);
      cli('index', ws, '--db', db);
      ranks[model] = USER_DOODLES.map((d) => {
        const q = path.join(tmp, 'q.json');
        fs.writeFileSync(q, JSON.stringify({ strokes: d.strokes.map((st) => toPad(st, PAD)) }));
        const { results } = JSON.parse(cli('query', '--db', db, '--sketch', q, '--top', String(top), '--json')) as { results: { path: string }[] };
        const r = results.findIndex((x) => names(x.path, d.words)) + 1;
        return r ? String(r) : `>${top}`;
      });
    }
    console.log(`rank of the first matching image among ${n} files of the demo workspace`);
    console.log(['doodle'.padEnd(12), ...models.map((m) => m.padStart(Math.max(10, m.length)))].join(' '));
    USER_DOODLES.forEach((d, i) => console.log([d.name.padEnd(12), ...models.map((m) => ranks[m][i].padStart(Math.max(10, m.length)))].join(' ')));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
if (require.main === module) main().catch((e) => { console.error(e); process.exit(1); });
