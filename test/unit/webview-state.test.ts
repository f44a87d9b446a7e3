import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StrokeHistory } from '../../src/webview/history';
import { decodeState, encodeState, loadState, saveState } from '../../src/webview/state';

test('state survives a getState/setState round trip (structured clone / JSON)', () => {
  const history = new StrokeHistory();
  history.add({ points: [[0.1, 0.1], [0.2, 0.3, 0.5]], width: 0.01 });
  history.add({ points: [[0.5, 0.5]], width: 0.02 });
  history.undo();
  let stored: unknown;
  const api = { getState: () => stored, setState: (s: unknown) => { stored = JSON.parse(JSON.stringify(s)); } };
  saveState(api, { history, pen: 'thick', eraser: true, lastRequestId: 17 });
  const back = loadState(api);
  assert.equal(back.pen, 'thick');
  assert.equal(back.eraser, true);
  assert.equal(back.lastRequestId, 17);
  assert.deepEqual(back.history.strokes, history.strokes);
  assert.equal(back.history.canRedo, true);
  back.history.redo();
  assert.equal(back.history.strokes.length, 2);
});

test('missing or foreign state gives defaults', () => {
  for (const x of [undefined, null, 42, 'x', { v: 2, pen: 'thick' }, { v: 1, pen: 'huge', lastRequestId: -3 }]) {
    const s = decodeState(x);
    assert.equal(s.pen, 'medium');
    assert.equal(s.eraser, false);
    assert.equal(s.lastRequestId, 0);
    assert.equal(s.history.isEmpty, true);
  }
});

test('encodeState is plain data', () => {
  const e = encodeState({ history: new StrokeHistory(), pen: 'thin', eraser: false, lastRequestId: 0 });
  assert.deepEqual(JSON.parse(JSON.stringify(e)), e);
  assert.equal(e.v, 1);
});

test('a throwing getState does not break loading', () => {
  const s = loadState({ getState: () => { throw new Error('boom'); }, setState: () => {} });
  assert.equal(s.history.isEmpty, true);
});

test('file-type chips persist; unknown types are dropped', () => {
  let stored: unknown;
  const api = { getState: () => stored, setState: (s: unknown) => { stored = JSON.parse(JSON.stringify(s)); } };
  saveState(api, { history: new StrokeHistory(), pen: 'thin', eraser: false, lastRequestId: 0, types: ['svg', 'png'] });
  assert.deepEqual(loadState(api).types, ['svg', 'png']);
  assert.deepEqual(decodeState({ v: 1, types: ['exe', 'gif', 'gif', 3] }).types, ['gif']);
  assert.deepEqual(decodeState({ v: 1 }).types, []);
});
