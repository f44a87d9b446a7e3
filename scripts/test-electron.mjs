#!/usr/bin/env node
// Smoke test in VS Code desktop (Electron) with @vscode/test-electron, for developers who have a
// display (or xvfb-run) and internet access: it downloads VS Code into .cache/vscode-test/. CI does not
// run it (CI runs the code-server E2E tests instead: test/e2e/*.test.ts).
//
//   node esbuild.mjs && node scripts/test-electron.mjs [--version stable|insiders|1.95.0]
//   xvfb-run -a node scripts/test-electron.mjs        # headless Linux
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { makeE2eFolder } from './lib/image-folder.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vi = process.argv.indexOf('--version');
const version = vi > 0 ? process.argv[vi + 1] : 'stable';

if (!fs.existsSync(path.join(repo, 'dist/extension.js'))) {
  console.error('dist/extension.js missing: run node esbuild.mjs first');
  process.exit(1);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sketch-electron-'));
const workspace = path.join(tmp, 'workspace');
await makeE2eFolder(workspace);
try {
  await runTests({
    version,
    cachePath: path.join(repo, '.cache/vscode-test'),
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'test/e2e/electron/suite.cjs'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
      '--user-data-dir', path.join(tmp, 'user-data')],
  });
  console.log('VS Code desktop smoke test passed');
} catch (e) {
  console.error(`VS Code desktop smoke test failed: ${e}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
