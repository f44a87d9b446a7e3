// Runs inside VS Code desktop (scripts/test-electron.mjs, @vscode/test-electron). Plain CommonJS,
// no test framework: run() resolves when every check passed and rejects on the first failure.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const checks = [
  ['the extension is installed', async () => {
    const ext = vscode.extensions.getExtension('sketch-search.sketch-search');
    assert.ok(ext, 'extension sketch-search.sketch-search not found');
    await ext.activate();
    assert.ok(ext.isActive, 'extension did not activate');
  }],
  ['its commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    for (const c of ['sketchSearch.openPad', 'sketchSearch.searchWithImageFile', 'sketchSearch.rebuildIndex', 'sketchSearch.showIndexStatus']) {
      assert.ok(all.includes(c), `command ${c} missing`);
    }
  }],
  ['"Open Sketch Pad" runs', async () => {
    await vscode.commands.executeCommand('sketchSearch.openPad');
  }],
  ['"Rebuild Index" runs', async () => {
    await vscode.commands.executeCommand('sketchSearch.rebuildIndex');
  }],
];

exports.run = async function run() {
  let failed = 0;
  for (const [name, fn] of checks) {
    try {
      await fn();
      console.log(`ok - ${name}`);
    } catch (e) {
      failed++;
      console.error(`not ok - ${name}\n${e && e.stack ? e.stack : e}`);
    }
  }
  console.log(`${checks.length - failed} passed, ${failed} failed`);
  if (failed) throw new Error(`${failed} check(s) failed`);
};
