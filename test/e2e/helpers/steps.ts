/**
 * E2E steps with diagnostics: on failure, a screenshot, the webview's text, the browser console
 * and code-server's log tails are printed, then the error is rethrown. Shared by the E2E files.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { codeServerInstalled, findVsix, startCodeServer, type CodeServer, type StartOptions } from './codeServer';
import { launchBrowser, RESULTS_DIR, screenshot } from './workbench';

export interface StepContext {
  page(): Page | undefined;
  pad(): FrameLocator | undefined;
  codeServer(): CodeServer | undefined;
  consoleLines: string[];
  /** Screenshot name prefix (e.g. "features-"). */
  prefix?: string;
}

export async function diagnose(ctx: StepContext, label: string, err: unknown): Promise<never> {
  const safe = label.replace(/[^a-z0-9-]+/gi, '-').toLowerCase().slice(0, 60);
  const page = ctx.page(), pad = ctx.pad(), cs = ctx.codeServer();
  const shot = page ? await screenshot(page, `FAILED-${ctx.prefix ?? ''}${safe}`).catch((e) => `(screenshot failed: ${e})`) : '';
  const padText = pad ? await pad.locator('body').innerText({ timeout: 3000 }).catch(() => '(webview not reachable)') : '';
  console.error(`\n=== E2E failure in "${label}" ===\n${String((err as Error)?.stack ?? err)}`);
  console.error(`screenshot: ${shot}`);
  console.error(`webview text:\n${padText.slice(0, 2000)}`);
  console.error(`browser console (errors and warnings, last ${ctx.consoleLines.length}):\n${ctx.consoleLines.join('\n')}`);
  if (cs) console.error(`code-server logs:\n${cs.logTail(40)}`);
  throw err;
}

/**
 * Returns a `step(name, fn, timeoutMs)` that registers a test with diagnostics. After a failed step
 * that `blocks` (all of them when `chained`), later steps are skipped instead of timing out.
 */
export function stepRunner(ctx: StepContext, opts: { chained: boolean; defaultTimeoutMs: number }) {
  let blocker = '';
  const step = (name: string, fn: () => Promise<void>, timeoutMs = opts.defaultTimeoutMs, blocks = opts.chained): void => {
    test(name, { timeout: timeoutMs }, async (t) => {
      if (blocker) return t.skip(`skipped: "${blocker}" failed`);
      try {
        await fn();
      } catch (err) {
        if (blocks) blocker = name;
        await diagnose(ctx, name, err);
      }
    });
  };
  return step;
}

/** A page of the workbench whose errors and warnings (minus offline noise) go to `consoleLines`. */
export async function newWorkbenchPage(browser: import('playwright-core').Browser, consoleLines: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('pageerror', (e) => console.log(`# page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const t = m.text();
    if (/open-vsx\.org|ERR_NAME_NOT_RESOLVED|allow-scripts and allow-same-origin|web worker extension host|authentication provider 'github'/.test(t)) return; // offline noise
    consoleLines.push(`[${m.type()}] ${t.slice(0, 600)}`);
    if (consoleLines.length > 30) consoleLines.shift();
  });
  return page;
}

/** Close the browser, stop code-server and remove its state (kept with E2E_KEEP=1). */
export async function tearDown(browser: import('playwright-core').Browser | undefined, cs: CodeServer | undefined, stateDir: string | undefined): Promise<void> {
  await browser?.close().catch(() => undefined);
  await cs?.stop().catch(() => undefined);
  if (stateDir && !process.env.E2E_KEEP) (await import('node:fs')).rmSync(stateDir, { recursive: true, force: true });
}

/**
 * The start of an E2E file: the VSIX under test (checked), a fresh state folder named after the
 * file, and the file's own earlier screenshots (`prefix*.png`, `FAILED-prefix*.png`) removed.
 */
export function e2eRun(name: string, prefix: string): { vsix: string; stateDir: string } {
  const vsix = findVsix();
  assert.ok(codeServerInstalled(), 'code-server missing: run bash scripts/lib/code-server.sh install');
  assert.ok(vsix && fs.existsSync(vsix), 'no VSIX: run bash scripts/package.sh (or set SKETCH_SEARCH_VSIX)');
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), `sketch-e2e-${name}-`));
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  for (const f of fs.readdirSync(RESULTS_DIR)) {
    if (f.startsWith(prefix) || f.startsWith(`FAILED-${prefix}`)) fs.rmSync(path.join(RESULTS_DIR, f));
  }
  return { vsix, stateDir };
}

/** code-server with the VSIX installed, Chromium, and a workbench page (its console to `consoleLines`). */
export async function startSession(opts: StartOptions, consoleLines: string[]): Promise<{ cs: CodeServer; browser: Browser; page: Page }> {
  const cs = await startCodeServer(opts);
  const browser = await launchBrowser();
  const page = await newWorkbenchPage(browser, consoleLines);
  return { cs, browser, page };
}
