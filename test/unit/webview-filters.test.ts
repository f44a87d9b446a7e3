import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FilterState, firstImageUri } from '../../src/webview/filters';
import { makeT } from '../../src/webview/l10n';

test('filter state: chips toggle, all chips = no filter, scope travels with the filter', () => {
  const f = new FilterState(['png', 'bogus', 'svg']);
  assert.deepEqual(f.toFilter(), { types: ['png', 'svg'] });
  f.toggle('png');
  assert.deepEqual(f.toFilter(), { types: ['svg'] });
  for (const t of ['png', 'jpg', 'gif', 'webp', 'other'] as const) f.toggle(t);
  assert.deepEqual(f.toFilter(), {}, 'every type selected is no filter');
  assert.equal(f.active, false);
  f.setScope('s3', 'icons');
  assert.deepEqual(f.toFilter(), { scopeId: 's3' });
  assert.equal(f.active, true);
  f.setScope(null, 'ignored');
  assert.equal(f.scopeLabel, '');
});

test('first image URI of a drop', () => {
  const dt = (m: Record<string, string>) => (t: string) => m[t] ?? '';
  assert.equal(firstImageUri(dt({ 'application/vnd.code.uri-list': JSON.stringify(['file:///ws/readme.md', 'file:///ws/a%20b.PNG']) })), 'file:///ws/a%20b.PNG');
  assert.equal(firstImageUri(dt({ 'text/uri-list': '# comment\r\nfile:///ws/x.svg\r\nfile:///ws/y.png' })), 'file:///ws/x.svg');
  assert.equal(firstImageUri(dt({ 'text/uri-list': 'https://example.com/a.png' })), undefined);
  assert.equal(firstImageUri(dt({})), undefined);
});

test('l10n: bundle lookups with {n} placeholders, English fallback', () => {
  const t = makeT({ 'Hello {0}': 'Hallo {0}', Obj: { message: 'Objekt' } });
  assert.equal(t('Hello {0}', 'Welt'), 'Hallo Welt');
  assert.equal(t('Obj'), 'Objekt');
  assert.equal(t('Missing {0} {1}', 1), 'Missing 1 {1}');
  assert.equal(makeT(null)('constructor'), 'constructor');
  assert.equal(makeT(undefined)('toString'), 'toString');
});
