/**
 * Ranks each E2E query drawing (test/e2e/drawings.ts) against the E2E image set with the shipped
 * model, through the CLI (dist/cli.js), as the pad would send it (pad pixels, mouse-move steps).
 * Use it to pick test/e2e's query when the model changes:
 *
 *   node esbuild.mjs && npx tsx scripts/check-e2e-drawings.ts [--model DIR] [--pad 300]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DRAWINGS } from '../test/e2e/drawings';
import { makeE2eFolder } from './lib/image-folder.mjs';
import { toPad } from './lib/pad-strokes';

const REPO = path.resolve(__dirname, '..');
const arg = (k: string) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : undefined; };
const model = arg('--model');
const pad = Number(arg('--pad') ?? 300);
const cli = (...a: string[]) => execFileSync(process.execPath, [path.join(REPO, 'bin/sketch-search.js'), ...a, ...(model ? ['--model', model] : [])], { encoding: 'utf8' });

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-drawings-'));
  try {
    const ws = path.join(tmp, 'ws');
    await makeE2eFolder(ws);
    const db = path.join(tmp, 'index.db');
    cli('index', ws, '--db', db);
    for (const [key, d] of Object.entries(DRAWINGS)) {
      const q = path.join(tmp, `${key}.json`);
      fs.writeFileSync(q, JSON.stringify({ strokes: d.strokes.map((st) => toPad(st, pad)) }));
      const { results } = JSON.parse(cli('query', '--db', db, '--sketch', q, '--top', '20', '--json')) as { results: { path: string; score: number }[] };
      const names = results.map((r) => path.basename(r.path));
      const rank = names.indexOf(d.target) + 1;
      console.log(`${key.padEnd(10)} ${d.target.padEnd(14)} rank ${String(rank || '-').padStart(2)}   top: ${names.slice(0, 5).join(', ')}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
