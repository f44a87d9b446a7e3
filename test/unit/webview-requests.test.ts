import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Debouncer, SearchTracker, type TimerApi } from '../../src/webview/requests';

test('only the latest request is accepted', () => {
  const t = new SearchTracker();
  const a = t.next();
  const b = t.next();
  assert.ok(b > a);
  assert.equal(t.accept(a), false, 'older response is stale');
  assert.equal(t.isPending, true);
  assert.equal(t.accept(b), true);
  assert.equal(t.accept(b), false, 'a duplicate is ignored');
  assert.equal(t.accept(b + 1), false, 'an id never sent is ignored');
});

test('invalidate makes an in-flight request stale (pad cleared)', () => {
  const t = new SearchTracker();
  const a = t.next();
  t.invalidate();
  assert.equal(t.accept(a), false);
  assert.equal(t.isPending, false);
  const b = t.next();
  assert.ok(b > a + 1);
  assert.equal(t.accept(b), true);
});

test('ids continue after a persisted last id', () => {
  const t = new SearchTracker(41);
  assert.equal(t.next(), 42);
  assert.equal(new SearchTracker(-5).next(), 1);
});

function fakeTimers() {
  let now = 0;
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  const api: TimerApi = {
    set: (fn, ms) => { const id = ++seq; pending.set(id, { at: now + ms, fn }); return id; },
    clear: (h) => { pending.delete(h as number); },
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...pending]) if (t.at <= now) { pending.delete(id); t.fn(); }
  };
  return { api, advance };
}

test('debouncer fires once, after the last schedule', () => {
  const { api, advance } = fakeTimers();
  let calls = 0;
  const d = new Debouncer(() => calls++, 250, api);
  d.schedule();
  advance(200);
  d.schedule();
  advance(200);
  assert.equal(calls, 0);
  advance(60);
  assert.equal(calls, 1);
  assert.equal(d.scheduled, false);
});

test('debouncer cancel and flush', () => {
  const { api, advance } = fakeTimers();
  let calls = 0;
  const d = new Debouncer(() => calls++, 250, api);
  d.schedule();
  d.cancel();
  advance(1000);
  assert.equal(calls, 0);
  d.schedule();
  d.flush();
  assert.equal(calls, 1);
  d.flush();
  assert.equal(calls, 1);
});
