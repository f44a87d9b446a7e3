import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LIMITS, validateFromWebview } from '../../src/shared/protocol';

test('valid messages pass and unknown fields are dropped', () => {
  const r = validateFromWebview({ type: 'search', requestId: 3, strokes: [[[1, 2], [3, 4, 0.5]]], evil: '../../etc/passwd' });
  assert.deepEqual(r, { ok: true, value: { type: 'search', requestId: 3, strokes: [[[1, 2], [3, 4, 0.5]]], top: undefined } });
  assert.deepEqual(validateFromWebview({ type: 'resultAction', requestId: 4, action: 'open', resultId: '1:0' }), { ok: true, value: { type: 'resultAction', requestId: 4, action: 'open', resultId: '1:0' } });
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
    { type: 'resultAction', requestId: 1, action: 'deleteFile', resultId: '1' },
    { type: 'resultAction', requestId: 1, action: 'open', resultId: '' },
    { type: 'resultAction', requestId: 1, action: 'open', resultId: 'x'.repeat(LIMITS.maxIdLength + 1) },
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

test('filters, thumbnails, image queries and scope messages validate strictly', async () => {
  const { fileTypeOf } = await import('../../src/shared/protocol');
  const ok = (m: unknown) => { const r = validateFromWebview(m); assert.equal(r.ok, true, `rejected ${JSON.stringify(m).slice(0, 200)}`); return r.ok ? r.value : undefined; };
  const bad = (m: unknown) => assert.equal(validateFromWebview(m).ok, false, `accepted ${JSON.stringify(m).slice(0, 200)}`);

  assert.deepEqual(ok({ type: 'search', requestId: 1, strokes: [], filter: { types: ['png', 'png', 'svg'], scopeId: 's1', x: 1 } }),
    { type: 'search', requestId: 1, strokes: [], top: undefined, filter: { types: ['png', 'svg'], scopeId: 's1' } });
  bad({ type: 'search', requestId: 1, strokes: [], filter: { types: ['exe'] } });
  bad({ type: 'search', requestId: 1, strokes: [], filter: { types: 'png' } });
  bad({ type: 'search', requestId: 1, strokes: [], filter: { scopeId: '' } });
  bad({ type: 'search', requestId: 1, strokes: [], filter: { scopeId: 'x'.repeat(LIMITS.maxIdLength + 1) } });
  bad({ type: 'search', requestId: 1, strokes: [], filter: [] });

  assert.deepEqual(ok({ type: 'needThumbnails', resultIds: ['1:0', '1:0', '1:2'] }), { type: 'needThumbnails', resultIds: ['1:0', '1:2'] });
  assert.deepEqual(ok({ type: 'needThumbnails', resultIds: ['1:0'], preview: true }), { type: 'needThumbnails', resultIds: ['1:0'], preview: true });
  bad({ type: 'needThumbnails', resultIds: [] });
  bad({ type: 'needThumbnails', resultIds: Array.from({ length: LIMITS.maxThumbnailIds + 1 }, (_, i) => `1:${i}`) });
  bad({ type: 'needThumbnails', resultIds: [1] });
  bad({ type: 'needThumbnails', resultIds: ['1:0'], preview: 'yes' });

  assert.deepEqual(ok({ type: 'imageQuery', uri: 'file:///ws/a.png' }), { type: 'imageQuery', uri: 'file:///ws/a.png' });
  bad({ type: 'imageQuery', uri: 'https://example.com/a.png' });
  bad({ type: 'imageQuery', uri: 'vscode-remote://x/a.png' });
  bad({ type: 'imageQuery', uri: 'file:///a\n.png' });
  bad({ type: 'imageQuery', uri: 'file:///' + 'a'.repeat(LIMITS.maxUriLength) });
  bad({ type: 'imageQuery' });

  assert.equal(ok({ type: 'imageQueryBytes', mime: 'image/png', base64: 'iVBORw0KGgo=' })?.type, 'imageQueryBytes');
  bad({ type: 'imageQueryBytes', mime: 'image/svg+xml', base64: 'iVBORw0KGgo=' });
  bad({ type: 'imageQueryBytes', mime: 'image/png', base64: 'not base64!' });
  bad({ type: 'imageQueryBytes', mime: 'image/png', base64: 'abc' });
  bad({ type: 'imageQueryBytes', mime: 'image/png', base64: 'A'.repeat(Math.ceil(LIMITS.maxImageBytes / 3) * 4 + 4) });

  assert.deepEqual(ok({ type: 'pickScope' }), { type: 'pickScope' });
  assert.deepEqual(ok({ type: 'pickScope', clear: true }), { type: 'pickScope', clear: true });
  bad({ type: 'pickScope', clear: 1 });
  assert.deepEqual(ok({ type: 'filter', filter: { types: ['gif'] } }), { type: 'filter', filter: { types: ['gif'] } });
  bad({ type: 'filter' });
  assert.equal(ok({ type: 'command', command: 'showOutput' })?.type, 'command');

  assert.equal(fileTypeOf('a.PNG'), 'png');
  assert.equal(fileTypeOf('a.jpeg'), 'jpg');
  assert.equal(fileTypeOf('a.tiff'), 'other');
  assert.equal(fileTypeOf('other'), 'other');
  assert.equal(fileTypeOf('x.other'), 'other');
});

test('result actions are requests: a requestId is required, and "preview" is an action', () => {
  assert.deepEqual(validateFromWebview({ type: 'resultAction', requestId: 9, action: 'preview', resultId: '2:1', extra: 1 }),
    { ok: true, value: { type: 'resultAction', requestId: 9, action: 'preview', resultId: '2:1' } });
  for (const requestId of [undefined, -1, 1.5, '3', null, Number.MAX_SAFE_INTEGER + 1]) {
    assert.equal(validateFromWebview({ type: 'resultAction', requestId, action: 'open', resultId: '1:0' }).ok, false, `requestId ${String(requestId)} accepted`);
  }
});

test('recent-query messages: rememberSketch, useRecent, forgetRecent validate strictly', () => {
  assert.deepEqual(validateFromWebview({ type: 'rememberSketch', strokes: [[[0.1, 0.2], [0.3, 0.4, 0.5]]], x: 1 }),
    { ok: true, value: { type: 'rememberSketch', strokes: [[[0.1, 0.2], [0.3, 0.4, 0.5]]] } });
  for (const strokes of [[], [[]], 'x', [[[0.1, NaN]]], [[[11, 0]]], [[[0, -10.5]]], Array.from({ length: LIMITS.maxStrokes + 1 }, () => [[0, 0]])]) {
    assert.equal(validateFromWebview({ type: 'rememberSketch', strokes }).ok, false, `rememberSketch ${JSON.stringify(strokes).slice(0, 40)} accepted`);
  }
  assert.deepEqual(validateFromWebview({ type: 'useRecent', recentId: 'rabc' }), { ok: true, value: { type: 'useRecent', recentId: 'rabc' } });
  for (const recentId of ['', 'x'.repeat(LIMITS.maxIdLength + 1), 3, undefined]) {
    assert.equal(validateFromWebview({ type: 'useRecent', recentId }).ok, false);
  }
  assert.deepEqual(validateFromWebview({ type: 'forgetRecent', recentId: 'r1' }), { ok: true, value: { type: 'forgetRecent', recentId: 'r1' } });
  assert.deepEqual(validateFromWebview({ type: 'forgetRecent', all: true, recentId: 'r1' }), { ok: true, value: { type: 'forgetRecent', all: true } });
  assert.equal(validateFromWebview({ type: 'forgetRecent' }).ok, false);
  assert.equal(validateFromWebview({ type: 'forgetRecent', all: 'yes' }).ok, false);
});

test('restore flag on searches and the indexing commands of the status line validate strictly', () => {
  const r = validateFromWebview({ type: 'search', requestId: 2, strokes: [], restore: true });
  assert.deepEqual(r, { ok: true, value: { type: 'search', requestId: 2, strokes: [], top: undefined, restore: true } });
  const plain = validateFromWebview({ type: 'search', requestId: 2, strokes: [], restore: false });
  assert.ok(plain.ok && !('restore' in plain.value), 'restore: false is dropped');
  assert.equal(validateFromWebview({ type: 'search', requestId: 2, strokes: [], restore: 'yes' }).ok, false);
  for (const command of ['cancelIndexing', 'resumeIndexing', 'showSkippedFiles']) {
    assert.deepEqual(validateFromWebview({ type: 'command', command }), { ok: true, value: { type: 'command', command } });
  }
  assert.equal(validateFromWebview({ type: 'command', command: 'sketchSearch.resumeIndexing' }).ok, false);
});
