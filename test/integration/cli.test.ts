/** The sketch-search CLI end to end (built bundle, real model, real files). */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, test } from 'node:test';
import { MODEL_DIR, REPO, svgShape } from '../helpers/standinModel';

const BIN = path.join(REPO, 'bin', 'sketch-search.js');
const modelArgs = ['--model', process.env.SKETCH_SEARCH_MODEL_DIR ?? MODEL_DIR];
const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
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
