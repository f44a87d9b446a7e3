/**
 * The pad's size (pinned above the results: capped by the view's height, user-sized within
 * bounds, remembered), the menu's placement (always inside the view) and the image tile's box.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { placeMenu } from '../../src/webview/menuPlacement';
import { DEFAULT_HEIGHT_SHARE, MAX_HEIGHT_SHARE, MIN_PAD, decodePadSize, maxPadSide, padSide, padSideForKey } from '../../src/webview/padSize';
import { decodeState, encodeState } from '../../src/webview/state';
import { StrokeHistory } from '../../src/webview/history';
import { tileBox } from '../../src/webview/tile';

test('pad side: follows the width in a narrow view, is capped by the height in a wide one', () => {
  // 300 px sidebar of a 900 px window (view about 800 px tall): the width limits the pad.
  assert.equal(padSide(null, { width: 276, height: 800 }), 276);
  // 750 px wide: no longer 556 px tall; at most DEFAULT_HEIGHT_SHARE of the view's height.
  const wide = padSide(null, { width: 726, height: 800 });
  assert.equal(wide, Math.round(800 * DEFAULT_HEIGHT_SHARE));
  assert.ok(wide < 400);
});

test('pad side: a user size is kept within [MIN_PAD, MAX_HEIGHT_SHARE of the height] and the width', () => {
  const b = { width: 726, height: 800 };
  assert.equal(padSide(300, b), 300);
  assert.equal(padSide(5000, b), Math.floor(800 * MAX_HEIGHT_SHARE));
  assert.equal(padSide(10, b), MIN_PAD);
  assert.equal(padSide(500, { width: 276, height: 800 }), 276, 'never wider than the view');
  assert.equal(maxPadSide({ width: 276, height: 800 }), 276);
  // A tiny view: the pad may not be smaller than MIN_PAD unless the view is narrower than that.
  assert.equal(padSide(null, { width: 400, height: 100 }), MIN_PAD);
  assert.equal(padSide(null, { width: 90, height: 800 }), 90);
  for (const bad of [NaN, -5, 0, Infinity, undefined, null]) assert.equal(padSide(bad as never, b), padSide(null, b));
});

test('pad side: keyboard on the drag handle', () => {
  const b = { width: 726, height: 800 };
  assert.equal(padSideForKey('ArrowDown', false, 300, b), 316);
  assert.equal(padSideForKey('ArrowUp', true, 300, b), 236);
  assert.equal(padSideForKey('Home', false, 300, b), MIN_PAD);
  assert.equal(padSideForKey('End', false, 300, b), maxPadSide(b));
  assert.equal(padSideForKey('Enter', false, 300, b), null, 'Enter: back to the automatic size');
  assert.equal(padSideForKey('a', false, 300, b), undefined);
});

test('pad size and collapsed state survive getState/setState; junk is ignored', () => {
  const e = JSON.parse(JSON.stringify(encodeState({ history: new StrokeHistory(), pen: 'thin', eraser: false, lastRequestId: 1, padSize: 333, padCollapsed: true })));
  const back = decodeState(e);
  assert.equal(back.padSize, 333);
  assert.equal(back.padCollapsed, true);
  const plain = decodeState(encodeState({ history: new StrokeHistory(), pen: 'thin', eraser: false, lastRequestId: 1, padSize: null }));
  assert.equal(plain.padSize, null);
  assert.equal(plain.padCollapsed, false);
  for (const x of ['300', -1, 1e9, NaN, {}, 50]) assert.equal(decodePadSize(x), null, String(x));
  assert.equal(decodeState({ v: 1, padSize: 'big', padCollapsed: 'yes' }).padCollapsed, false);
});

const inside = (p: { x: number; y: number; width?: number; maxHeight?: number }, m: { width: number; height: number }, v: { width: number; height: number }, margin = 4) => {
  const w = p.width ?? m.width, h = p.maxHeight ?? m.height;
  return p.x >= margin && p.y >= margin && p.x + w <= v.width - margin && p.y + h <= v.height - margin;
};

test('menu placement: the whole menu stays inside the view', () => {
  const menu = { width: 230, height: 300 };
  // Opened near the right edge of a 184 px view: shrunk to the view and moved left, not clipped.
  const narrow = { width: 184, height: 800 };
  const p = placeMenu({ x: 150, y: 100 }, menu, narrow);
  assert.equal(p.width, 176);
  assert.equal(p.x, 4);
  assert.ok(inside(p, menu, narrow));
  // Fits: at the point.
  const wide = { width: 300, height: 800 };
  assert.deepEqual(placeMenu({ x: 20, y: 50 }, menu, wide), { x: 20, y: 50 });
  // Near the right edge: shifted left.
  const q = placeMenu({ x: 250, y: 50 }, menu, wide);
  assert.equal(q.x, 300 - 4 - 230);
  // Near the bottom: above the point; no room above either: pinned inside.
  assert.equal(placeMenu({ x: 20, y: 700 }, menu, wide).y, 400);
  const short = { width: 300, height: 350 };
  const r = placeMenu({ x: 20, y: 200 }, menu, short);
  assert.ok(inside(r, menu, short), JSON.stringify(r));
  // Taller than the view: scrolls.
  const tiny = { width: 300, height: 200 };
  const s = placeMenu({ x: 20, y: 100 }, menu, tiny);
  assert.equal(s.maxHeight, 192);
  assert.ok(inside(s, menu, tiny));
  // Any point, any size: inside.
  for (let i = 0; i < 500; i++) {
    const v = { width: 120 + ((i * 37) % 700), height: 150 + ((i * 53) % 900) };
    const m = { width: 60 + ((i * 29) % 400), height: 40 + ((i * 71) % 600) };
    const at = { x: (i * 97) % (v.width + 50) - 20, y: (i * 61) % (v.height + 50) - 20 };
    assert.ok(inside(placeMenu(at, m, v), m, v), JSON.stringify({ at, m, v, p: placeMenu(at, m, v) }));
  }
});

test('image tile: the box has the image aspect ratio inside a square cell', () => {
  assert.deepEqual(tileBox(96, 96), { width: '100%', height: '100%' });
  assert.deepEqual(tileBox(96, 48), { width: '100%', height: '50%' });
  assert.deepEqual(tileBox(32, 96), { width: '33.3%', height: '100%' });
  assert.deepEqual(tileBox(0, 0), { width: '100%', height: '100%' });
});
