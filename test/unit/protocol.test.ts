import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS, validateFromWebview } from '../../src/shared/protocol';

test('valid messages pass and unknown fields are dropped', () => {
  const r = validateFromWebview({ type: 'search', requestId: 3, strokes: [[[1, 2], [3, 4, 0.5]]], evil: '../../etc/passwd' });
  assert.deepEqual(r, { ok: true, value: { type: 'search', requestId: 3, strokes: [[[1, 2], [3, 4, 0.5]]], top: undefined } });
  assert.deepEqual(validateFromWebview({ type: 'resultAction', action: 'open', resultId: '1:0' }), { ok: true, value: { type: 'resultAction', action: 'open', resultId: '1:0' } });
  assert.equal(validateFromWebview({ type: 'drawing', active: true }).ok, true);
  assert.equal(validateFromWebview({ type: 'command', command: 'rebuildIndex' }).ok, true);
});

test('malformed messages are rejected with a reason', () => {
  const bad: unknown[] = [
    null, 42, 'search', [], {}, { type: 'nope' },
    { type: 'search', requestId: -1, strokes: [] },
    { type: 'search', requestId: 1.5, strokes: [] },
    { type: 'search', requestId: 1, strokes: 'x' },
    { type: 'search', requestId: 1, strokes: [[[1]]] },
    { type: 'search', requestId: 1, strokes: [[[1, NaN]]] },
    { type: 'search', requestId: 1, strokes: [[['1', 2]]] },
    { type: 'search', requestId: 1, strokes: [[[1, 2, 3, 4]]] },
    { type: 'search', requestId: 1, strokes: [], top: 0 },
    { type: 'search', requestId: 1, strokes: [], top: LIMITS.maxTop + 1 },
    { type: 'resultAction', action: 'deleteFile', resultId: '1' },
    { type: 'resultAction', action: 'open', resultId: '' },
    { type: 'resultAction', action: 'open', resultId: 'x'.repeat(LIMITS.maxIdLength + 1) },
    { type: 'command', command: 'workbench.action.terminal.new' },
    { type: 'drawing', active: 'yes' },
  ];
  for (const m of bad) {
    const r = validateFromWebview(m);
    assert.equal(r.ok, false, `accepted ${JSON.stringify(m)}`);
    if (!r.ok) assert.ok(r.error.length > 0);
  }
});

test('stroke and point caps are enforced', () => {
  const tooManyStrokes = Array.from({ length: LIMITS.maxStrokes + 1 }, () => [[0, 0]]);
  assert.equal(validateFromWebview({ type: 'search', requestId: 1, strokes: tooManyStrokes }).ok, false);
  const longStroke = [Array.from({ length: LIMITS.maxPointsPerStroke + 1 }, (_, i) => [i, i])];
  assert.equal(validateFromWebview({ type: 'search', requestId: 1, strokes: longStroke }).ok, false);
  const total = Array.from({ length: 11 }, () => Array.from({ length: LIMITS.maxTotalPoints / 10 }, () => [1, 1]));
  assert.equal(validateFromWebview({ type: 'search', requestId: 1, strokes: total }).ok, false);
});

test('random fuzz never throws', () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const gen = (d: number): unknown => {
    const k = Math.floor(rnd() * 8);
    if (d > 4) return rnd();
    switch (k) {
      case 0: return null;
      case 1: return rnd() * 1e9 - 5e8;
      case 2: return ['search', 'resultAction', 'command', 'ready', 'drawing', '__proto__'][Math.floor(rnd() * 6)];
      case 3: return Array.from({ length: Math.floor(rnd() * 4) }, () => gen(d + 1));
      case 4: return { type: gen(d + 1), requestId: gen(d + 1), strokes: gen(d + 1), action: gen(d + 1), resultId: gen(d + 1) };
      case 5: return true;
      case 6: return undefined;
      default: return { type: 'search', requestId: 1, strokes: [[[rnd(), rnd()]], gen(d + 1)] };
    }
  };
  for (let i = 0; i < 5000; i++) assert.doesNotThrow(() => validateFromWebview(gen(0)));
});
