/** src/core/ is the vscode-free core that the CLI, worker, benchmarks and training import: nothing under it may import vscode or another layer. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CORE = path.join(__dirname, '..', '..', 'src', 'core');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : /\.(ts|js|mjs)$/.test(e.name) ? [path.join(dir, e.name)] : []);
}

/** Module specifiers of static imports, re-exports, dynamic imports and require calls. */
export function importsOf(code: string): string[] {
  const out: string[] = [];
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;
  for (let m; (m = re.exec(code)); ) out.push(m[1]);
  return out;
}

test('importsOf finds every import form (so the boundary check can fail)', () => {
  const code = `import * as vscode from 'vscode';\nimport 'side';\nexport { x } from "./x";\nconst a = await import('onnxruntime-node');\nconst b = require('vscode');`;
  assert.deepEqual(importsOf(code), ['vscode', 'side', './x', 'onnxruntime-node', 'vscode']);
});

test('nothing under src/core imports vscode or the extension, webview or CLI layers', () => {
  const files = sources(CORE);
  assert.ok(files.length >= 10, `expected the core's modules under ${CORE}`);
  const bad: string[] = [];
  for (const f of files) {
    for (const spec of importsOf(fs.readFileSync(f, 'utf8'))) {
      if (spec === 'vscode' || /(^|\/)(extension|webview|cli)(\/|$)/.test(spec)) bad.push(`${path.relative(CORE, f)}: ${spec}`);
    }
  }
  assert.deepEqual(bad, []);
});
