/**
 * Parity: src/core/preprocess.ts (sketchTensor) vs its numpy port
 * training/sketchsearch/preprocess.py, on hand-made and real QuickDraw stroke sets.
 * Run: node --import tsx --test test/integration/preprocess-parity.test.ts
 * Needs /usr/bin/python3 with numpy (Debian python3-numpy); QuickDraw cases need ../shared/data.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { sketchTensor, quickDrawToStrokes, INPUT_SIZE, type Stroke } from '../../src/core/preprocess';

const ROOT = path.resolve(__dirname, '..', '..');
const PY = process.env.SKETCHSEARCH_PYTHON ?? '/usr/bin/python3';
const QD = process.env.SKETCHSEARCH_QUICKDRAW
  ?? path.resolve(ROOT, '..', 'shared', 'data', 'quickdraw', 'quickdraw-simplified.ndjson.gz');
const QD_RAW = path.resolve(path.dirname(QD), 'quickdraw-raw-exupery.ndjson.gz');

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
}

function handMade(): Stroke[][] {
  const rnd = lcg(42);
  const randomWalk: Stroke[] = [];
  for (let k = 0; k < 4; k++) {
    const s: Stroke = [];
    let x = rnd() * 500, y = rnd() * 300;
    for (let i = 0; i < 30; i++) { x += (rnd() - 0.5) * 40; y += (rnd() - 0.5) * 40; s.push([x, y]); }
    randomWalk.push(s);
  }
  return [
    [],                                   // nothing
    [[]],                                 // empty stroke
    [[[10, 10]]],                         // single point -> dot in the centre
    [[[5, 5], [5, 5], [5, 5]]],           // degenerate: repeated point
    [[[0, 0], [100, 0]]],                 // horizontal line (zero-height box)
    [[[3, 0], [3, 250]]],                 // vertical line
    [[[0, 0], [1, 1]], [[0.5, 0.5]]],     // tiny coordinates, a point stroke
    [[[0, 0], [NaN, 4], [10, 10]], [[Infinity, 1]]], // non-finite points dropped
    [[[-1000.25, 37.5], [2000.75, 1200.125], [-300.5, -800]]],
    randomWalk,
  ];
}

function readNdjsonGz(file: string, n: number, stride: number): number[][][][] {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n');
  const out: number[][][][] = [];
  for (let i = 0; i < lines.length && out.length < n; i += stride) {
    if (lines[i].trim()) out.push(JSON.parse(lines[i]).drawing);
  }
  return out;
}

function pythonTensors(sets: Stroke[][], dir: string): Float32Array {
  const inFile = path.join(dir, 'in.json');
  const outFile = path.join(dir, 'out.f32');
  const enc = (v: number) => (Number.isFinite(v) ? v : String(v)); // JSON has no NaN/Infinity
  fs.writeFileSync(inFile, JSON.stringify(sets.map((s) => s.map((st) => st.map((p) => [enc(p[0]), enc(p[1])])))));
  const r = spawnSync(PY, ['-m', 'sketchsearch.preprocess_cli', inFile, outFile], {
    cwd: path.join(ROOT, 'training'), encoding: 'utf8',
  });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  const buf = fs.readFileSync(outFile);
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
}

function compare(sets: Stroke[][], label: string): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pp-parity-'));
  try {
    const py = pythonTensors(sets, dir);
    const n = 3 * INPUT_SIZE * INPUT_SIZE;
    assert.equal(py.length, sets.length * n, `${label}: python returned ${py.length} values`);
    let worst = 0;
    sets.forEach((strokes, i) => {
      const ts = sketchTensor(strokes);
      for (let k = 0; k < n; k++) {
        const d = Math.abs(ts[k] - py[i * n + k]);
        if (!(d <= worst)) worst = Number.isNaN(d) ? Infinity : d;
      }
    });
    assert.ok(worst < 1e-5, `${label}: max abs diff ${worst}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('hand-made stroke sets (empty, single point, degenerate, non-finite, random walk)', () => {
  const sets = handMade();
  compare(sets, 'hand-made');
  // sanity: the single point is drawn as a dot in the centre
  const dot = sketchTensor(sets[2]);
  const c = (INPUT_SIZE / 2) * INPUT_SIZE + INPUT_SIZE / 2;
  assert.equal(dot[c], -1);
});

test('QuickDraw simplified drawings', { skip: !fs.existsSync(QD) && `missing ${QD}` }, () => {
  const sets = readNdjsonGz(QD, 40, 1733).map(quickDrawToStrokes);
  assert.equal(sets.length, 40);
  compare(sets, 'quickdraw-simplified');
});

test('QuickDraw raw drawings (float coordinates)', { skip: !fs.existsSync(QD_RAW) && `missing ${QD_RAW}` }, () => {
  const sets = readNdjsonGz(QD_RAW, 15, 611).map(quickDrawToStrokes);
  compare(sets, 'quickdraw-raw');
});
