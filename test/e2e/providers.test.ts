/**
 * End-to-end, execution providers on a machine without CUDA or a GPU (issue 16, items 8 and 16):
 * starting the extension must not pop the Output panel open, and the Sketch Search channel says in
 * one plain line that CUDA and WebGPU are not available and CPU is used: no red "FAIL: Failed to
 * load library …providers_shared.so", no ANSI colour codes. Screenshots
 * test-results/e2e/providers-startup.png and providers-output.png.
 *
 *   node --import tsx --test --test-reporter=spec test/e2e/providers.test.ts
 *
 * Same needs and env as sketchPad.test.ts (SKETCH_SEARCH_VSIX, E2E_KEEP, E2E_CODE_SERVER_DIR, E2E_CHROMIUM).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { CodeServer } from './helpers/codeServer';
import { stepRunner, tearDown, type StepContext, e2eRun, startSession } from './helpers/steps';
import { openWorkbench, poll, runCommand, screenshot, sleep, text } from './helpers/workbench';
import { makeE2eFolder } from '../../scripts/lib/image-folder.mjs';

const PREFIX = 'providers-';

let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let stateDir: string;
const consoleLines: string[] = [];

const ctx: StepContext = { page: () => page, pad: () => undefined, codeServer: () => cs, consoleLines, prefix: PREFIX };
const e2e = stepRunner(ctx, { chained: true, defaultTimeoutMs: 180_000 });

/** The Sketch Search Output channel as VS Code logs it to disk (every line, not only the visible ones). */
function outputChannelText(): string {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Sketch Search\.log$/.test(e.name)) found.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(cs!.userDataDir, 'logs'));
  return found.join('\n');
}

/** Whether the workbench shows the Output view (in the panel, or wherever it was moved). */
async function outputViewVisible(): Promise<boolean> {
  return page.locator('[id="workbench.panel.output"]').first().isVisible().catch(() => false);
}

describe('Execution providers in VS Code without a GPU (code-server + Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    let vsix: string;
    ({ vsix, stateDir } = e2eRun('providers', PREFIX));
    const workspace = path.join(stateDir, 'workspace');
    await makeE2eFolder(workspace);
    console.log(`# VSIX ${vsix}\n# workspace ${workspace}`);
    ({ cs, browser, page } = await startSession({ workspace, vsix, theme: 'light', stateDir }, consoleLines));
  });

  after(() => tearDown(browser, cs, stateDir));

  e2e('start-up: the index gets ready on CPU and the Output panel stays closed', async () => {
    await openWorkbench(page, cs!.url);
    const item = page.locator('.statusbar-item', { hasText: 'Sketch Search' }).first();
    const status = await poll('the status bar item to report the index ready', async () => {
      const t = await text(item);
      return /Sketch Search: \d+/.test(t) ? t : undefined;
    }, 150_000, 500);
    console.log(`# status bar: ${status}`);
    await sleep(1500); // anything that would reveal the channel has run by now
    await screenshot(page, `${PREFIX}startup`);
    assert.equal(await outputViewVisible(), false, 'the Output view was opened at start-up');
  });

  e2e('the Output channel says in one plain line why CUDA and WebGPU are not used', async () => {
    const log = await poll('the provider line in the Output channel', async () => {
      const t = outputChannelText();
      return /encoder: .*using CPU/.test(t) ? t : undefined;
    }, 30_000, 500).catch((e: Error) => { throw new Error(`${e.message}; the channel has:\n${JSON.stringify(outputChannelText())}`); });
    console.log(`# output channel:\n${log.split('\n').map((l) => `#   ${l}`).join('\n')}`);
    const lines = log.split('\n').filter((l) => /encoder: /.test(l));
    assert.equal(lines.length, 1, `one provider line, got:\n${lines.join('\n')}`);
    assert.match(lines[0], /encoder: CUDA not available \(its provider libraries are not installed\), WebGPU not available \(.+\), using CPU$/);
    assert.doesNotMatch(log, /\x1b|\[1;31m|FAIL|Failed to load library/, 'raw onnxruntime output reached the Output channel');
    assert.match(log, /on execution provider "cpu"/);

    await runCommand(page, 'Sketch Search: Show Output');
    await poll('the Output view to show', outputViewVisible, 15_000, 300);
    const shown = page.locator('[id="workbench.panel.output"] .view-lines').first();
    // Monaco renders spaces as U+00A0.
    await poll('the provider line on screen', async () => /CUDA not available/.test((await shown.innerText().catch(() => '')).replace(/\s+/g, ' ')), 15_000, 300);
    await sleep(300);
    await screenshot(page, `${PREFIX}output`);
  });
});
