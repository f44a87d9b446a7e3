import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { bestRankInFolder, bootstrapCI, metricsFromRanks, mulberry32, quantile, queryMetrics, relevantRanks, sample, sampleIndices, summarize } from '../../bench/lib/metrics';

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) < eps, `${a} != ${b}`);

test('relevantRanks: ranks of relevant items in descending score order', () => {
  // gallery: scores and relevance; sorted: 0.9(R) 0.8(N) 0.7(R) 0.5(N) 0.3(R)
  const scores = [0.5, 0.9, 0.3, 0.8, 0.7];
  const rel = [false, true, true, false, true];
  assert.deepEqual(relevantRanks(scores, (j) => rel[j]), [1, 3, 5]);
});

test('AP@all hand-computed: (1/1 + 2/3 + 3/5) / 3', () => {
  const m = queryMetrics([0.5, 0.9, 0.3, 0.8, 0.7], (j) => [false, true, true, false, true][j]);
  close(m.apAll, (1 + 2 / 3 + 3 / 5) / 3);
  close(m.p100, 3 / 100);
  close(m.p200, 3 / 200);
  close(m.ap200, (1 + 2 / 3 + 3 / 5) / 3);
  assert.equal(m.relevant, 3);
});

test('ties are pessimistic: an equal-scoring irrelevant item ranks first', () => {
  assert.deepEqual(relevantRanks([1, 1], (j) => j === 0), [2]);
  assert.deepEqual(relevantRanks([0, 0, 0, 0], (j) => j === 3 || j === 0), [3, 4]);
});

test('exclude removes the query item from the gallery', () => {
  const scores = [1.0, 0.9, 0.8];
  // item 0 is the query itself (relevant by class) and must not count
  assert.deepEqual(relevantRanks(scores, () => true, 0), [1, 2]);
  assert.deepEqual(relevantRanks(scores, (j) => j === 2, 0), [2]);
});

test('P@100, mAP@200 with relevant items beyond the cut-offs', () => {
  // relevant at ranks 1, 50, 150, 300
  const m = metricsFromRanks([1, 50, 150, 300]);
  close(m.p100, 2 / 100);
  close(m.p200, 3 / 200);
  close(m.ap200, (1 / 1 + 2 / 50 + 3 / 150) / 3);
  close(m.apAll, (1 / 1 + 2 / 50 + 3 / 150 + 4 / 300) / 4);
  const none = metricsFromRanks([250]);
  assert.equal(none.ap200, 0);
  assert.equal(none.p100, 0);
  close(none.apAll, 1 / 250);
  assert.equal(metricsFromRanks([]).apAll, 0);
});

test('fast ranks equal a full sort on random data', () => {
  const rnd = mulberry32(7);
  for (let t = 0; t < 50; t++) {
    const n = 1 + Math.floor(rnd() * 300);
    const scores = Array.from({ length: n }, () => Math.round(rnd() * 20) / 20); // many ties
    const rel = scores.map(() => rnd() < 0.2);
    const order = scores.map((s, j) => j).sort((a, b) => scores[b] - scores[a] || Number(rel[a]) - Number(rel[b]));
    const expect: number[] = [];
    order.forEach((j, i) => { if (rel[j]) expect.push(i + 1); });
    assert.deepEqual(relevantRanks(scores, (j) => rel[j]), expect);
  }
});

test('bootstrap is deterministic for a seed and brackets the mean', () => {
  const xs = Array.from({ length: 200 }, (_, i) => (i % 10) / 10);
  const a = bootstrapCI(xs, 42, 500), b = bootstrapCI(xs, 42, 500), c = bootstrapCI(xs, 43, 500);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a[0] < 0.45 && a[1] > 0.45 && a[0] > 0.35 && a[1] < 0.55, String(a));
  assert.deepEqual(bootstrapCI([0.3], 1, 10), [0.3, 0.3]);
});

test('summarize averages per query', () => {
  const s = summarize([metricsFromRanks([1]), metricsFromRanks([2])], 10, 1, 100);
  close(s['mAP@all'], 0.75);
  assert.equal(s.queries, 2);
  assert.equal(s.gallery, 10);
});

test('sample and quantile are deterministic', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i);
  assert.deepEqual(sample(xs, 5, mulberry32(3)), sample(xs, 5, mulberry32(3)));
  assert.equal(new Set(sample(xs, 50, mulberry32(3))).size, 50);
  assert.equal(quantile([5, 1, 3, 2, 4], 0.5), 3);
  assert.equal(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95), 10);
});

test('sampleIndices: k distinct indices in range, deterministic per seed, all when k >= n', () => {
  const a = sampleIndices(1000, 100, mulberry32(7));
  assert.equal(new Set(a).size, 100);
  assert.ok(a.every((i) => Number.isInteger(i) && i >= 0 && i < 1000));
  assert.deepEqual(sampleIndices(1000, 100, mulberry32(7)), a);
  assert.notDeepEqual(sampleIndices(1000, 100, mulberry32(8)), a);
  assert.deepEqual(sampleIndices(5, 9, mulberry32(1)).sort(), [0, 1, 2, 3, 4]);
});

test('sampleIndices is uniform enough: each index drawn about k/n of the time', () => {
  const counts = new Array(20).fill(0);
  const rnd = mulberry32(3);
  for (let r = 0; r < 5000; r++) for (const i of sampleIndices(20, 5, rnd)) counts[i]++;
  for (const c of counts) assert.ok(Math.abs(c - 1250) < 150, `count ${c} far from 1250`);
});

test('bestRankInFolder: rank of the best positive among the sampled distractors, ties pessimistic', () => {
  // gallery of 6: positives 0 (0.5) and 1 (0.9); negatives 2..5 with 0.95, 0.9, 0.2, 0.1
  const scores = [0.5, 0.9, 0.95, 0.9, 0.2, 0.1];
  const pos = [0, 1], neg = [2, 3, 4, 5];
  // folder holds everything: 0.95 and the tie at 0.9 rank above the best positive
  assert.equal(bestRankInFolder(scores, pos, neg, 6, mulberry32(1)), 3);
  // a folder of only the positives
  assert.equal(bestRankInFolder(scores, pos, neg, 2, mulberry32(1)), 1);
  // no relevant item: not a query of this metric
  assert.equal(bestRankInFolder(scores, [], neg, 6, mulberry32(1)), 0);
});

test('bestRankInFolder: with random scores, hit@10 in a 1,000-item folder is about 10 / 1,000 per positive', () => {
  const rnd = mulberry32(11);
  const n = 20000;
  const scores = Float32Array.from({ length: n }, () => rnd());
  const neg = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
  let hits = 0;
  const Q = 4000;
  for (let q = 0; q < Q; q++) { scores[0] = rnd(); if (bestRankInFolder(scores, [0], neg, 1000, rnd) <= 10) hits++; }
  const rate = hits / Q;
  assert.ok(rate > 0.006 && rate < 0.015, `hit@10 of a random ranker ${rate}`);
});
