import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_UNDO, StrokeHistory } from '../../src/webview/history';
import type { Stroke } from '../../src/webview/strokes';

const s = (id: number): Stroke => ({ points: [[id / 10, 0.1], [id / 10, 0.2]], width: 0.01 });
const ids = (h: StrokeHistory) => h.strokes.map((x) => Math.round(x.points[0][0] * 10));

test('add, undo, redo', () => {
  const h = new StrokeHistory();
  assert.equal(h.canUndo, false);
  h.add(s(1)); h.add(s(2)); h.add(s(3));
  assert.deepEqual(ids(h), [1, 2, 3]);
  assert.equal(h.undo(), true);
  assert.deepEqual(ids(h), [1, 2]);
  assert.equal(h.canRedo, true);
  assert.equal(h.redo(), true);
  assert.deepEqual(ids(h), [1, 2, 3]);
  assert.equal(h.redo(), false);
});

test('a new stroke drops the redo stack', () => {
  const h = new StrokeHistory();
  h.add(s(1)); h.add(s(2));
  h.undo();
  h.add(s(5));
  assert.equal(h.canRedo, false);
  assert.deepEqual(ids(h), [1, 5]);
});

test('erase removes several strokes in one step and undo restores their order', () => {
  const h = new StrokeHistory();
  for (let i = 1; i <= 5; i++) h.add(s(i));
  assert.equal(h.erase([3, 0, 3]), true);
  assert.deepEqual(ids(h), [2, 3, 5]);
  h.undo();
  assert.deepEqual(ids(h), [1, 2, 3, 4, 5]);
  h.redo();
  assert.deepEqual(ids(h), [2, 3, 5]);
  assert.equal(h.erase([]), false);
  assert.equal(h.erase([99]), false);
});

test('clear is undoable; clearing an empty pad is a no-op', () => {
  const h = new StrokeHistory();
  assert.equal(h.clear(), false);
  h.add(s(1)); h.add(s(2));
  assert.equal(h.clear(), true);
  assert.equal(h.isEmpty, true);
  h.undo();
  assert.deepEqual(ids(h), [1, 2]);
});

test('undo depth is capped', () => {
  const h = new StrokeHistory();
  for (let i = 0; i < MAX_UNDO + 20; i++) h.add(s(1));
  let n = 0;
  while (h.undo()) n++;
  assert.equal(n, MAX_UNDO);
  assert.equal(h.strokes.length, 20);
});

test('JSON round trip keeps strokes and both stacks', () => {
  const h = new StrokeHistory();
  for (let i = 1; i <= 4; i++) h.add(s(i));
  h.erase([1]);
  h.clear();
  h.undo(); // back to [1,3,4], redo = [clear]
  const back = StrokeHistory.fromJSON(JSON.parse(JSON.stringify(h.toJSON())));
  assert.deepEqual(ids(back), [1, 3, 4]);
  back.undo();
  assert.deepEqual(ids(back), [1, 2, 3, 4]);
  back.redo(); back.redo();
  assert.deepEqual(ids(back), []);
  back.undo();
  assert.deepEqual(ids(back), [1, 3, 4]);
});

test('fromJSON rejects garbage', () => {
  assert.equal(StrokeHistory.fromJSON(null).isEmpty, true);
  assert.equal(StrokeHistory.fromJSON({ strokes: 'x' }).isEmpty, true);
  assert.equal(StrokeHistory.fromJSON({ strokes: [{ points: [[NaN, 0]], width: 0.01 }] }).isEmpty, true);
  // Valid strokes, broken undo stack: strokes kept, stacks dropped.
  const h = StrokeHistory.fromJSON({ strokes: [s(1)], undo: [{ kind: 'bogus' }], redo: [] });
  assert.deepEqual(ids(h), [1]);
  assert.equal(h.canUndo, false);
  // Inconsistent stacks (undoing "add" on an empty pad) are dropped.
  const h2 = StrokeHistory.fromJSON({ strokes: [], undo: [{ kind: 'add', stroke: s(1) }], redo: [] });
  assert.equal(h2.canUndo, false);
});

test('replace (a recent drawing brought back) is one undo step and survives a JSON round trip', () => {
  const h = new StrokeHistory();
  const s = (x: number) => ({ points: [[x, x], [x + 0.1, x]] as [number, number][], width: 0.01 });
  h.add(s(0.1));
  assert.equal(h.replace([s(0.5), s(0.6)]), true);
  assert.equal(h.strokes.length, 2);
  const back = StrokeHistory.fromJSON(JSON.parse(JSON.stringify(h.toJSON())));
  assert.equal(back.canUndo, true);
  back.undo();
  assert.deepEqual(back.strokes.map((x) => x.points[0][0]), [0.1]);
  back.redo();
  assert.equal(back.strokes.length, 2);
  assert.equal(h.replace([]), false, 'nothing to put on the pad');
});
