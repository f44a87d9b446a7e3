/** The sketch-search CLI end to end (built bundle, real model, real files). */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import sharp from 'sharp';
import { MODEL_DIR, REPO, svgShape } from '../helpers/standinModel';

const BIN = path.join(REPO, 'bin', 'sketch-search.js');
const modelArgs = ['--model', process.env.SKETCH_SEARCH_MODEL_DIR ?? MODEL_DIR];
const run = (args: string[], opts: { cwd?: string; input?: string; execArgv?: string[] } = {}) =>
  spawnSync(process.execPath, [...(opts.execArgv ?? []), BIN, ...args], { encoding: 'utf8', cwd: opts.cwd, input: opts.input, maxBuffer: 256 * 2 ** 20 });
let dir: string;
let db: string;

before(() => {
  execFileSync(process.execPath, [path.join(REPO, 'esbuild.mjs')], { cwd: REPO, stdio: 'ignore' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-cli-'));
  fs.mkdirSync(path.join(dir, 'icons', 'with space'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'icons', 'circle.svg'), svgShape('circle'));
  fs.writeFileSync(path.join(dir, 'icons', 'with space', 'square.svg'), svgShape('square'));
  fs.writeFileSync(path.join(dir, 'triangle.svg'), svgShape('triangle'));
  fs.writeFileSync(path.join(dir, 'corrupt.png'), 'not a png');
  db = path.join(dir, 'out', 'index.sksidx');
});

test('index builds, reports skipped files, and is incremental', () => {
  const r = run(['index', dir, '--db', db, ...modelArgs]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /3 images indexed/);
  assert.match(r.stderr, /skipped corrupt\.png: not a supported image format/);
  const again = run(['index', dir, '--db', db, ...modelArgs]);
  assert.match(again.stdout, /3 images indexed .*\(\+0 -0/);
});

test('query with pad stroke JSON, QuickDraw ndjson and a raster sketch; --json output', () => {
  const strokes = path.join(dir, 'q.json');
  const circle = Array.from({ length: 33 }, (_, i) => [100 + 50 * Math.cos((i / 32) * 2 * Math.PI), 100 + 50 * Math.sin((i / 32) * 2 * Math.PI)]);
  fs.writeFileSync(strokes, JSON.stringify({ strokes: [circle] }));
  const r = run(['query', '--db', db, '--sketch', strokes, '--top', '2', '--json', ...modelArgs]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.results.length, 2);
  for (const h of out.results) assert.ok(typeof h.path === 'string' && h.score <= 1.0001 && h.score >= -1.0001);

  const nd = path.join(dir, 'q.ndjson');
  fs.writeFileSync(nd, JSON.stringify({ word: 'circle', drawing: [[circle.map((p) => p[0]), circle.map((p) => p[1])]] }) + '\n{"broken"\n');
  const r2 = run(['query', '--db', db, '--sketch', nd, ...modelArgs]);
  assert.equal(r2.status, 0, r2.stderr);
  assert.equal(r2.stdout.trim().split('\n').length, 3);

  const raster = path.join(dir, 'sketch.svg');
  fs.writeFileSync(raster, svgShape('circle'));
  assert.equal(run(['query', '--db', db, '--sketch', raster, '--top', '1', ...modelArgs]).status, 0);
});

test('embed writes L2-normalised JSON lines, expands folders, skips bad inputs with exit 1', () => {
  const out = path.join(dir, 'emb.jsonl');
  const r = run(['embed', '--as', 'image', '--out', out, path.join(dir, 'icons'), path.join(dir, 'corrupt.png'), ...modelArgs]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /skipped .*corrupt\.png/);
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(lines.map((l) => path.basename(l.path)), ['circle.svg', 'square.svg']);
  for (const l of lines) {
    const n = Math.sqrt(l.embedding.reduce((a: number, x: number) => a + x * x, 0));
    assert.ok(Math.abs(n - 1) < 1e-4);
  }
});

test('bad usage and missing inputs give clear messages and non-zero exits', () => {
  assert.equal(run([]).status, 2);
  const u = run(['frobnicate']);
  assert.equal(u.status, 2);
  assert.match(u.stderr, /unknown command frobnicate/);
  assert.match(run(['query', '--db', path.join(dir, 'nope'), '--sketch', 'x.json', ...modelArgs]).stderr, /no such index/);
  assert.equal(run(['query', '--db', db, '--sketch', path.join(dir, 'q.json'), '--top', 'ten', ...modelArgs]).status, 2);
  assert.match(run(['index', path.join(dir, 'missing-dir'), ...modelArgs]).stderr, /not a directory/);
  assert.match(run(['embed', '--as', 'photo', 'x', ...modelArgs]).stderr, /--as sketch or --as image/);
});

// onnxruntime-node 1.30 segfaults (exit 139) in a process whose command line is over ~29,000
// characters (docs/onnxruntime-long-cmdline-segfault.md); a shell glob of an assets folder is one.
const MANY = 1500;
let many: { dir: string; rel: string[] } | undefined;
async function manyImages(): Promise<{ dir: string; rel: string[] }> {
  if (many) return many;
  const root = path.join(dir, 'many');
  fs.mkdirSync(path.join(root, 'assets', 'icons'), { recursive: true });
  const seeds: Buffer[] = [];
  for (let i = 0; i < 5; i++) seeds.push(await sharp({ create: { width: 40, height: 40, channels: 3, background: { r: 50 * i, g: 120, b: 220 - 40 * i } } }).png().toBuffer());
  const rel: string[] = [];
  for (let i = 0; i < MANY; i++) {
    const r = path.join('assets', 'icons', `toolbar-icon-${String(i).padStart(4, '0')}.png`);
    fs.writeFileSync(path.join(root, r), seeds[i % seeds.length]);
    rel.push(r);
  }
  return (many = { dir: root, rel });
}
const jsonLines = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { path: string; embedding: number[] });

test(`embed with ${MANY} image paths on the command line (a shell glob of an assets folder) exits 0 with ${MANY} lines`, async () => {
  const { dir: root, rel } = await manyImages();
  const abs = rel.map((r) => path.join(root, r));
  assert.ok(abs.join(' ').length > 60_000, 'well over the ~29,000-character crash threshold');
  const out = path.join(root, 'argv.jsonl');
  const r = run(['embed', '--as', 'image', '--out', out, ...modelArgs, ...abs]);
  assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}: ${r.stderr.slice(-2000)}`);
  const lines = jsonLines(out);
  assert.equal(lines.length, MANY);
  assert.deepEqual(lines.map((l) => l.path), abs);
});

test(`embed --files-from FILE: ${MANY} relative paths (relative to the cwd, empty lines ignored), even under a huge execArgv`, async () => {
  const { dir: root, rel } = await manyImages();
  const list = path.join(dir, 'list.txt');
  fs.writeFileSync(list, rel.map((r, i) => (i % 100 === 0 ? `\n${r}\r` : r)).join('\n') + '\n\n');
  const out = path.join(root, 'list.jsonl');
  // The CLI process itself runs with a 30,000-character execArgv: the worker must not inherit it.
  const r = run(['embed', '--as', 'image', '--files-from', list, '--out', out, ...modelArgs], { cwd: root, execArgv: [`--conditions=${'c'.repeat(30_000)}`] });
  assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}: ${r.stderr.slice(-2000)}`);
  const lines = jsonLines(out);
  assert.equal(lines.length, MANY);
  assert.deepEqual(lines.map((l) => l.path), rel);
});

test(`embed - reads ${MANY} paths from standard input; --files-from - too`, async () => {
  const { dir: root, rel } = await manyImages();
  const out = path.join(root, 'stdin.jsonl');
  const r = run(['embed', '--as', 'image', '--out', out, ...modelArgs, '-'], { cwd: root, input: rel.join('\n') + '\n' });
  assert.equal(r.status, 0, `exit ${r.status} signal ${r.signal}: ${r.stderr.slice(-2000)}`);
  assert.equal(jsonLines(out).length, MANY);
  const two = run(['embed', '--as', 'image', '--files-from', '-', ...modelArgs], { cwd: root, input: `${rel[0]}\n\n${rel[1]}\n` });
  assert.equal(two.status, 0, two.stderr);
  assert.deepEqual(two.stdout.trim().split('\n').map((l) => JSON.parse(l).path), [rel[0], rel[1]]);
});

test('--files-from: a missing or empty list gets a clear message and loads no model', () => {
  const missing = run(['embed', '--as', 'image', '--files-from', path.join(dir, 'no-such-list.txt'), ...modelArgs]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /--files-from .*no-such-list\.txt: no such file/);
  const folder = run(['embed', '--as', 'image', '--files-from', dir, ...modelArgs]);
  assert.match(folder.stderr, /is a directory, not a list of paths/);
  const empty = path.join(dir, 'empty-list.txt');
  fs.writeFileSync(empty, '\n\n');
  const e = run(['embed', '--as', 'image', '--files-from', empty, ...modelArgs]);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /empty list of paths from .*empty-list\.txt/);
  assert.match(run(['embed', '--as', 'image', ...modelArgs]).stderr, /needs at least one PATH \(or --files-from FILE, or - for standard input\)/);
  assert.match(run(['query', '--db', db, '--sketch', 'x.json', 'stray.png', ...modelArgs]).stderr, /query takes no PATH arguments/);
});
