/**
 * An unreadable file is skipped with "permission denied" and the rest of its batch is encoded.
 * Root reads everything, so as root the check runs in a child process that drops to "nobody".
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { MODEL_DIR, REPO, svgShape } from '../helpers/standinModel';

const CHILD = `
  const [dir, modelDir, drop] = process.argv.slice(-3);
  if (drop === '1') { process.setgid('nogroup'); process.setuid('nobody'); }
  const { Embedder } = require(${JSON.stringify(path.join(REPO, 'src/core/embedder'))});
  Embedder.create(modelDir, { provider: 'cpu' }).then(async (e) => {
    const r = await e.embedFiles([dir + '/locked.png', dir + '/open.svg']);
    console.log(JSON.stringify(r.map((x) => (x.ok ? 'ok' : x.error))));
    await e.dispose();
  });`;

test('an unreadable file is reported as "permission denied"; its batch mates are encoded', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-perm-'));
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(path.join(dir, 'open.svg'), svgShape('circle'));
  fs.chmodSync(path.join(dir, 'open.svg'), 0o644);
  fs.writeFileSync(path.join(dir, 'locked.png'), 'not for you');
  fs.chmodSync(path.join(dir, 'locked.png'), 0o000);
  const asRoot = process.getuid?.() === 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', CHILD, dir, process.env.SKETCH_SEARCH_MODEL_DIR ?? MODEL_DIR, asRoot ? '1' : '0'], { cwd: REPO, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), ['permission denied', 'ok']);
});
