/**
 * Localisation coverage: every %key% of package.json is in package.nls.json, and every string passed
 * to vscode.l10n.t / the webview's t() is in l10n/bundle.l10n.json (the English bundle translators
 * copy to bundle.l10n.<lang>.json). Regenerate the bundle with `UPDATE_L10N=1 node --import tsx --test test/unit/l10n.test.ts`.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';

const root = path.join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'core' ? [] : sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function localisedStrings(): string[] {
  const out = new Set<string>();
  const re = /(?:\bl10n\.t|\bt)\(\s*'((?:[^'\\]|\\.)*)'/g;
  for (const f of [...sourceFiles(path.join(root, 'src', 'extension')), ...sourceFiles(path.join(root, 'src', 'webview'))]) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(re)) out.add(m[1].replace(/\\(.)/g, '$1'));
  }
  return [...out].sort();
}

test('package.json %keys% all have an English string in package.nls.json', () => {
  const pkg = fs.readFileSync(path.join(root, 'package.json'), 'utf8');
  const nls = JSON.parse(fs.readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
  const keys = [...pkg.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]);
  assert.ok(keys.length > 30);
  for (const k of keys) assert.equal(typeof nls[k], 'string', `missing ${k} in package.nls.json`);
  const contributes = JSON.parse(pkg).contributes;
  for (const c of contributes.commands) assert.match(c.title, /^%.+%$/, `command ${c.command} title not localised`);
  for (const [id, p] of Object.entries(contributes.configuration.properties) as [string, Record<string, unknown>][]) {
    assert.ok(typeof p.description === 'string' || typeof p.markdownDescription === 'string', `${id} has no description`);
    assert.match(String(p.description ?? p.markdownDescription), /^%.+%$/, `${id} description not localised`);
  }
  assert.equal(JSON.parse(pkg).l10n, './l10n');
});

test('every l10n.t / t() string is in l10n/bundle.l10n.json', () => {
  const file = path.join(root, 'l10n', 'bundle.l10n.json');
  const strings = localisedStrings();
  if (process.env.UPDATE_L10N) {
    fs.writeFileSync(file, JSON.stringify(Object.fromEntries(strings.map((s) => [s, s])), null, 2) + '\n');
  }
  const bundle = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>;
  const missing = strings.filter((s) => !(s in bundle));
  assert.deepEqual(missing, [], 'run with UPDATE_L10N=1 to regenerate the bundle');
  assert.ok(strings.length > 60);
});
