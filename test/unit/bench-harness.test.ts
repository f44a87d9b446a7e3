import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Scorer, gemmModel } from '../../bench/lib/gemm';
import { hogDescriptor, HOG_DIM } from '../../bench/lib/hog';
import { randomMethod, resizeTensor } from '../../bench/lib/methods';
import { RecordCache, vectorOf } from '../../bench/lib/cache';
import { classPhrases, matchItem, rejectKey, loadReview } from '../../bench/labels/make-labels';
import { normClass, phraseIn, tokens } from '../../bench/data/sources';
import { parseArgs, bars, perfTargets, summaryForJson } from '../../bench/run';
import { sketchTensor } from '../../src/core/preprocess';

test('gemm scorer equals naive dot products', async () => {
  assert.ok(gemmModel(4).length > 50);
  const s = await Scorer.create(3);
  const y = await s.scores(Float32Array.from([1, 2, 3, 0, 1, 0]), Float32Array.from([1, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2]));
  assert.deepEqual(Array.from(y), [1, 3, 6, 12, 0, 0, 1, 2]);
  await s.dispose();
});

test('edge-hog: fixed size, unit norm, deterministic, sketch close to its own rendering', () => {
  const a = sketchTensor([[[0, 0], [100, 0], [100, 100], [0, 100], [0, 0]]]);
  const b = sketchTensor([[[0, 0], [100, 100]], [[100, 0], [0, 100]]]);
  const ha = hogDescriptor('sketch', a), hb = hogDescriptor('sketch', b);
  assert.equal(ha.length, HOG_DIM);
  let n = 0; for (const x of ha) n += x * x;
  assert.ok(Math.abs(n - 1) < 1e-4);
  assert.deepEqual(hogDescriptor('sketch', a), ha);
  const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i], 0);
  // the edge map of a drawn square (as an image) matches the square sketch better than the cross
  const ia = hogDescriptor('image', a);
  assert.ok(dot(ia, ha) > dot(ia, hb), `${dot(ia, ha)} <= ${dot(ia, hb)}`);
});

test('teacher resize keeps constant images constant and the 128->224 shape', () => {
  const t = new Float32Array(3 * 128 * 128).fill(0.5);
  const r = resizeTensor(t);
  assert.equal(r.length, 3 * 224 * 224);
  assert.ok(r.every((v) => Math.abs(v - 0.5) < 1e-6));
});

test('random baseline is deterministic per key and seed', async () => {
  const m = randomMethod(1, 8);
  const [a, b] = await m.embed('image', [new Float32Array(0), new Float32Array(0)], ['x', 'y']);
  const [a2] = await m.embed('sketch', [new Float32Array(0)], ['x']);
  assert.deepEqual(a, a2);
  assert.notDeepEqual(a, b);
  const [c] = await randomMethod(2, 8).embed('image', [new Float32Array(0)], ['x']);
  assert.notDeepEqual(a, c);
});

test('record cache round trip, survives reopen, ignores a torn tail', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cache-'));
  const c = new RecordCache(dir, 'v', 8);
  c.put([{ key: 'a', data: new Uint8Array(Float32Array.from([1, 2]).buffer) }]);
  c.fail('bad', 'broken file');
  c.close();
  fs.appendFileSync(path.join(dir, 'v.bin'), Buffer.alloc(3)); // torn write
  const d = new RecordCache(dir, 'v', 8);
  assert.deepEqual(Array.from(vectorOf(d.get('a')!)), [1, 2]);
  assert.equal(d.get('b'), undefined);
  assert.ok(d.has('bad'));
  d.put([{ key: 'b', data: new Uint8Array(Float32Array.from([3, 4]).buffer) }]);
  assert.deepEqual(Array.from(vectorOf(d.get('b')!)), [3, 4]);
  d.close();
  fs.rmSync(dir, { recursive: true });
});

test('class names normalise and match as whole words; the longest class wins', () => {
  assert.equal(normClass('Hot-air_balloon'), 'hot air balloon');
  assert.equal(normClass('teddy_bear'), normClass('teddy-bear'));
  assert.ok(phraseIn(tokens('palm tree'), tokens('palm-trees')));
  assert.ok(!phraseIn(tokens('ant'), tokens('antenna')));
  const review = loadReview();
  const ph = classPhrases(['tree', 'palm tree', 'bat', 'mouse', 'beach', 'umbrella'], review);
  assert.equal(matchItem('palm tree', ph).cls, 'palm tree');
  assert.equal(matchItem('baseball bat', ph).cls, 'bat'); // a candidate ...
  assert.ok(rejectKey(review, 'game-icons:baseball-bat'), 'baseball bat must be rejected in review'); // ... rejected by review
  assert.ok(rejectKey(review, 'twemoji:computer-mouse'));
  assert.equal(rejectKey(review, 'twemoji:mouse'), undefined);
  assert.equal(matchItem('beach with umbrella', ph).cls, undefined); // ambiguous unless assigned
  assert.equal(review.assign?.['twemoji:beach-with-umbrella'], 'beach');
});

test('committed label file has reviewed classes and no false friends', () => {
  const labels = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'bench', 'labels', 'quickdraw-unseen-assets.json'), 'utf8'));
  const bat = labels.classes.bat;
  const all = Object.values<string[]>(bat.accepted).flat();
  assert.ok(all.includes('bat'));
  assert.ok(!all.some((n) => /baseball|cricket|ping-pong/.test(n)));
  const mouse = Object.values<string[]>(labels.classes.mouse.accepted).flat();
  assert.ok(!mouse.some((n) => /computer/.test(n)));
  assert.ok(Object.keys(labels.classes).length >= 60);
});

test('CLI defaults and the model bars', () => {
  const a = parseArgs(['--quick']);
  assert.ok(a.quick && a.models[0].endsWith(path.sep + 'models'));
  assert.ok(a.shared.endsWith(path.sep + 'shared'));
  assert.ok(a.out.endsWith('quick-results.json'));
  assert.equal(a.models.length, 1); // a quick run benchmarks the shipped build only
  if (fs.existsSync(path.join(__dirname, '../../models/zero-shot/model.json'))) {
    assert.deepEqual(parseArgs([]).models.map((m) => path.relative(path.join(__dirname, '../..'), m)), ['models', path.join('models', 'zero-shot')]);
  }
  assert.equal(parseArgs(['--models', 'a,b']).models.length, 2);
  assert.throws(() => parseArgs(['--bogus']));
  // the models alone: no baselines, and then docs/BENCHMARKS.md (which compares with them) is left alone
  assert.equal(parseArgs([]).baselines, true);
  assert.equal(parseArgs([]).docs, true);
  assert.equal(parseArgs(['--no-baselines']).baselines, false);
  assert.equal(parseArgs(['--no-baselines']).docs, false);
  const s = (m: number) => ({ 'mAP@all': m, 'P@100': 0, 'mAP@200': 0, 'P@200': 0, queries: 1, gallery: 1, 'mAP@all_ci95': [m, m] as [number, number] });
  const b = bars({
    'quickdraw-unseen-assets': { student: { ...s(0.07), 'hit@10_1k': 0.69 }, 'edge-hog': s(0.1) },
    'similar-emoji': { student: s(0.30) },
  });
  assert.equal(b.quickdraw_unseen_mAP.value, 0.07);
  assert.equal(b.quickdraw_unseen_mAP.pass, true);
  assert.equal(b.quickdraw_unseen_hit10_1k.pass, false);
  assert.equal(b.similar_emoji_mAP.pass, true); // >= target passes
  assert.equal(b.sketchy_val_mAP.pass, null); // not measured is neither pass nor fail
  assert.equal(b.full_build_reserved_trained_hit10_1k.pass, null);
  // another model of the run (an ablation) is judged by its own numbers
  assert.equal(bars({ 'quickdraw-unseen-assets': { student: s(0.01), v6: s(0.08) } }, 'v6').quickdraw_unseen_mAP.pass, true);
  // two builds in one run: the zero-shot bars on the zero-shot build, the full build's bar on the full build
  const two = bars({
    'quickdraw-unseen-assets': { student: s(0.09), 'student:zero-shot': s(0.05) },
    'quickdraw-reserved-trained-assets': { student: { ...s(0.1), 'hit@10_1k': 0.9 }, 'student:zero-shot': { ...s(0.1), 'hit@10_1k': 0.5 } },
  }, { zeroShot: 'student:zero-shot', full: 'student' });
  assert.equal(two.quickdraw_unseen_mAP.pass, false);
  assert.match(two.quickdraw_unseen_mAP.detail, /student:zero-shot/);
  assert.equal(two.full_build_reserved_trained_hit10_1k.pass, true);
});

test('perf targets: icons >= 80 per s (issue #15), both encoders <= 30 MB, an old perf record without a model size keeps its targets', async () => {
  const { modelsMb } = await import('../../bench/perf');
  const base = { query_ms: { '100000': { p50: 20 } }, index_images_per_s: { icons: 80, photos: 15 }, index_mb_per_100k: 60, rss_extra_mb_per_100k: 150, ready_ms_100k: 2000 };
  const t = perfTargets({ ...base, models_mb: 24.6 } as never);
  assert.equal(t.index_icons_per_s.pass, true);
  assert.equal(t.index_icons_per_s.target, '>= 80');
  assert.equal(perfTargets({ ...base, index_images_per_s: { icons: 79.9, photos: 15 }, models_mb: 24.6 } as never).index_icons_per_s.pass, false);
  assert.equal(t.models_mb.pass, true);
  assert.equal(perfTargets({ ...base, models_mb: 30.1 } as never).models_mb.pass, false);
  assert.equal('models_mb' in perfTargets(base as never), false);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-mb-'));
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ sketch: 's.onnx', image: 'i.onnx' }));
  fs.writeFileSync(path.join(dir, 's.onnx'), Buffer.alloc(1_500_000));
  fs.writeFileSync(path.join(dir, 'i.onnx'), Buffer.alloc(1_000_000));
  assert.equal(modelsMb(dir), 2.5);
  fs.rmSync(dir, { recursive: true });
});

test('perf brute force agrees with the product top-k', async () => {
  const { bruteForce } = await import('../../bench/perf');
  const { topKDot } = await import('../../src/core/vectorIndex');
  const dim = 8, rows = 500;
  const data = new Float32Array(rows * dim).map((_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
  const q = new Float32Array(dim).map((_, i) => Math.cos(i));
  const a = bruteForce(data, rows, dim, q, 10).map((h) => h.row);
  const b = topKDot(data, rows, dim, q, 10).map((h) => h.row);
  assert.deepEqual(a, b);
});

test('reserved drawings: int(key_id) % 11 == 0, exact for 16-digit ids', async () => {
  const { isReservedDrawing } = await import('../../bench/data/reserved');
  assert.equal(isReservedDrawing('0'), true);
  assert.equal(isReservedDrawing(String(6604951289593856n * 11n)), true); // beyond 2^53: needs BigInt
  assert.equal(isReservedDrawing(String(6604951289593856n * 11n + 1n)), false);
  assert.equal(isReservedDrawing('6604951289593856'), 6604951289593856n % 11n === 0n);
});

const SHARED = path.resolve(__dirname, '../../../shared');
const HAVE_RESERVED = fs.existsSync(path.join(__dirname, '../../bench/corpora/node_modules/@iconify-json/la/icons.json')) && fs.existsSync(path.join(SHARED, 'data', 'splits'));
test('reserved gallery: every reserved package, labelled by name, shapes and variants left out', { skip: !HAVE_RESERVED && 'needs bash scripts/fetch-corpora.sh and ../shared' }, async () => {
  const { reservedGallery, RESERVED_SETS } = await import('../../bench/data/reserved');
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-reserved-'));
  try {
    const g = reservedGallery(data, SHARED);
    assert.deepEqual([...new Set(g.items.map((i) => i.set))].sort(), [...RESERVED_SETS].sort());
    assert.ok(g.items.length > 8000, `${g.items.length} items`);
    const cls = (id: string) => g.items.find((i) => i.id === id)?.cls;
    assert.equal(cls('la:cat'), 'cat');
    assert.equal(cls('bi:house'), 'house');
    assert.equal(cls('bi:arrow-up-circle'), null); // abstract shapes are not classes here
    assert.ok(!g.items.some((i) => /skin-tone/.test(i.name)));
    // ...but words that merely contain "tone" stay
    assert.equal(cls('emojione-v1:black-touch-tone-telephone'), 'telephone');
    assert.ok(g.items.some((i) => i.id === 'noto-v1:gem-stone'));
    assert.ok(g.positives.size > 100, `${g.positives.size} classes with positives`);
    // the hand review (bench/labels/reserved-review.json): false friends stay in the gallery, as non-positives
    const item = (id: string) => g.items.find((i) => i.id === id);
    assert.equal(item('iconoir:git-fork')?.cls, null);
    assert.equal(item('iconoir:git-fork')?.role, 'negative');
    assert.equal(item('bi:arrow-up-short')?.cls, null); // not "shorts"
    assert.equal(cls('bi:mouse'), null); // a computer mouse...
    assert.equal(cls('noto-v1:mouse'), 'mouse'); // ...and the animal
    assert.equal(cls('iconoir:yoga'), 'yoga'); // unreviewed matches stay positives
    assert.ok(g.rejected > 50 && g.rejected < 300, `${g.rejected} rejected`);
    assert.deepEqual(g.unusedRejects, []); // every reject still matches an item
    assert.ok(fs.statSync(path.join(data, g.items[0].file)).size > 50); // the SVG is written for the benchmark to decode
  } finally { fs.rmSync(data, { recursive: true, force: true }); }
});

test('report: quality of a --skip-perf run over the speed of a full run, both runs named', async () => {
  const { withQualityOf } = await import('../../bench/report');
  const full = { commit: 'aaa', date: 'd1', command: 'npm run bench', quality: { x: 1 }, ablations: { old: 1 }, perf: { p: 1 }, storm: { s: 1 } };
  const q = { commit: 'bbb', date: 'd2', command: 'npm run bench -- --skip-perf', duration_s: 5, quality: { x: 2 }, bars: { b: 1 } };
  const out = withQualityOf(full, q);
  assert.deepEqual(out.quality, { x: 2 });
  assert.deepEqual(out.bars, { b: 1 });
  assert.equal(out.ablations, undefined); // the full run's ablations are not mixed into the newer quality
  assert.deepEqual(out.perf, { p: 1 });
  assert.match(out.provenance, /--skip-perf.*bbb.*npm run bench.*aaa/);
});

test('the results JSON keeps hit@10 in 1k (docs and history read it from there)', () => {
  const base = { 'mAP@all': 0.1, 'P@100': 0, 'mAP@200': 0, 'P@200': 0, queries: 1, gallery: 1, 'mAP@all_ci95': [0.1, 0.1] as [number, number] };
  assert.deepEqual(summaryForJson({ ...base, 'hit@10_1k': 0.6, 'hit@10_1k_ci95': [0.5, 0.7] }), { ...base, 'hit@10_1k': 0.6, 'hit@10_1k_ci95': [0.5, 0.7] });
  assert.equal('hit@10_1k' in summaryForJson(base), false);
});
