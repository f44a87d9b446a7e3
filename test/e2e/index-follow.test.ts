/**
 * End-to-end: what is shown follows the index and the host's state (its own code-server session).
 *
 *   node --import tsx --test --test-reporter=spec test/e2e/index-follow.test.ts
 *
 * 1. "Find Similar Images" while the Sketch Pad (with a drawing on it) is hidden (Explorer context
 *    menu), and again with the side bar closed (the image editor's title button): the results are
 *    the image query's and their tiles get thumbnails.
 * 2. A plain message (no libvips text) for a truncated PNG as the query, once; the status line counts
 *    the skipped files and its link lists them.
 * 3. Deleting files that are in the results removes them without a new stroke (focus stays on the
 *    selected result); a new file appears.
 * 4. 300 files copied in: the progress counts up (view and status bar), not "0/300" until done.
 * 5. The cancel button beside the progress pauses indexing; "Resume" indexes only what is missing.
 *
 * Same needs and env as sketchPad.test.ts (SKETCH_SEARCH_VSIX, E2E_KEEP, E2E_CODE_SERVER_DIR, E2E_CHROMIUM).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer } from './helpers/codeServer';
import { stepRunner, tearDown, type StepContext, e2eRun, startSession } from './helpers/steps';
import { DRAWINGS } from './drawings';
import { Fatal, drawStrokes, openWorkbench, poll, resultNames, runCommand, screenshot, sleep, text, webviewFrame } from './helpers/workbench';
import { E2E_SET, iconNames, iconSvg, makeE2eFolder } from '../../scripts/lib/image-folder.mjs';
import { clearPadIn, waitThumbnailsIn } from './helpers/pad';
import { showExplorerItem as showExplorerItemIn } from './helpers/sidebar';

const PREFIX = 'follow-';
const TRUNCATED = 'bad/truncated.png';
const FAKE = 'bad/fake.png';
/** Distinct monochrome icons written as SVG (instant to write, each one encoded). */
const BULK1 = 300;
const BULK2 = 400;

let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let pad: FrameLocator;
let workspace: string;
let stateDir: string;
let staging: string;
const consoleLines: string[] = [];

const ctx: StepContext = { page: () => page, pad: () => pad, codeServer: () => cs, consoleLines, prefix: PREFIX };
const e2e = stepRunner(ctx, { chained: false, defaultTimeoutMs: 150_000 });

const items = (): Locator => pad.locator('[data-testid=result-item]');
const canvas = (): Locator => pad.locator('[data-testid=pad-canvas]');
/** Escape-free reset: the pad's clear button (also clears host-pushed image results). */
const clearPad = (): Promise<void> => clearPadIn(pad);
const showExplorerItem = (relPath: string): Promise<Locator> => showExplorerItemIn(page, relPath);
const statusText = async (): Promise<string> => text(pad.locator('[data-testid=status-line] .status-text'));
const statusBarItem = (): Locator => page.locator('.part.statusbar .statusbar-item', { hasText: 'Sketch Search' }).first();
const nums = (s: string): number[] => (s.match(/\d[\d,]*/g) ?? []).map((x) => Number(x.replace(/,/g, '')));

async function statusState(): Promise<string> {
  return (await pad.locator('[data-testid=status-line]').getAttribute('data-state', { timeout: 2000 }).catch(() => null)) ?? '';
}

/** The status bar reads "Sketch Search: N" once the index is ready (works without the view). */
async function waitStatusBarReady(n: number, timeoutMs = 120_000): Promise<void> {
  await poll(`the status bar to read "Sketch Search: ${n}"`, async () => (await text(statusBarItem())) === `Sketch Search: ${n}`, timeoutMs, 500);
}

async function waitViewReady(timeoutMs = 120_000): Promise<string> {
  return poll('the status line to report the index ready', async () => {
    const st = await statusState();
    if (st === 'error') throw new Fatal(`status line reports an error: ${await statusText()}`);
    return st === 'ready' ? statusText() : undefined;
  }, timeoutMs, 400);
}

let workbenchOpen = false;
/** Every step can run on its own (--test-name-pattern): the first one to run opens the workbench. */
async function ensureWorkbench(): Promise<void> {
  if (workbenchOpen) return;
  await openWorkbench(page, cs!.url);
  workbenchOpen = true;
}

async function openSketchPad(): Promise<void> {
  await ensureWorkbench();
  if (await canvas().isVisible().catch(() => false)) return;
  // F1 typed while a control inside the webview has focus may not reach the workbench: focus the editor area first.
  if (await page.evaluate(() => document.activeElement?.tagName === 'IFRAME')) {
    await page.locator('.part.editor').click({ position: { x: 300, y: 300 } }).catch(() => undefined);
  }
  await runCommand(page, 'Sketch Search: Open Sketch Pad');
  await poll('the sketch pad canvas', async () => canvas().isVisible(), 30_000, 300);
}

async function findSimilarFromExplorer(relPath: string): Promise<void> {
  const row = await showExplorerItem(relPath);
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item .action-label', { hasText: 'Find Similar Images' }).first();
  await entry.waitFor({ state: 'visible', timeout: 10_000 });
  await sleep(300);
  await entry.click();
}

const waitThumbnails = (what: string): Promise<void> => waitThumbnailsIn(pad, what);

/** Writes `n` distinct icons as SVG into the staging folder `name` (outside the workspace). */
function stageIcons(name: string, start: number, n: number): string[] {
  const dir = path.join(staging, name);
  fs.mkdirSync(dir, { recursive: true });
  const names = iconNames('game-icons').slice(start, start + n);
  assert.equal(names.length, n, 'not enough game-icons');
  for (const icon of names) fs.writeFileSync(path.join(dir, `${icon}.svg`), iconSvg('game-icons', icon));
  return names.map((icon) => `${icon}.svg`);
}

/** Copies staged files one by one into an existing workspace folder (the watcher sees each file). */
function copyIn(name: string, files: string[], dest: string): void {
  for (const f of files) fs.copyFileSync(path.join(staging, name, f), path.join(workspace, dest, f));
}

/** Image files in the workspace now. */
function countImages(): number {
  let n = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (/\.(png|jpe?g|gif|webp|svg|bmp|tiff?|avif)$/i.test(e.name)) n++;
    }
  };
  walk(workspace);
  return n;
}

/** Samples the view's status text and the status bar until `until` holds; returns what was seen. */
async function sampleProgress(until: () => Promise<boolean>, timeoutMs: number): Promise<{ view: string[]; bar: string[] }> {
  const view: string[] = [], bar: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await statusText(), b = await text(statusBarItem());
    if (view.at(-1) !== v) view.push(v);
    if (bar.at(-1) !== b) bar.push(b);
    if (await until()) return { view, bar };
    await sleep(150);
  }
  throw new Error(`timed out sampling the progress; view: ${view.join(' | ')}; status bar: ${bar.join(' | ')}`);
}

describe('Sketch Search follows the index (code-server + Chromium)', { timeout: 900_000 }, () => {
  before(async () => {
    let vsix: string;
    ({ vsix, stateDir } = e2eRun('follow', PREFIX));
    workspace = path.join(stateDir, 'workspace');
    staging = path.join(stateDir, 'staging');
    await makeE2eFolder(workspace);
    // Two copies of the star elsewhere (deleted later while they are shown), a truncated and a fake PNG.
    fs.mkdirSync(path.join(workspace, 'similar'), { recursive: true });
    for (const n of ['star-a.png', 'star-b.png']) fs.copyFileSync(path.join(workspace, 'images/star.png'), path.join(workspace, 'similar', n));
    fs.mkdirSync(path.join(workspace, 'bad'), { recursive: true });
    const star = fs.readFileSync(path.join(workspace, 'images/star.png'));
    fs.writeFileSync(path.join(workspace, TRUNCATED), star.subarray(0, Math.floor(star.length / 2)));
    fs.writeFileSync(path.join(workspace, FAKE), 'this is not an image\n');
    for (const d of ['bulk', 'bulk2', 'added']) fs.mkdirSync(path.join(workspace, d), { recursive: true });
    console.log(`# VSIX ${vsix}\n# workspace ${workspace}`);
    ({ cs, browser, page } = await startSession({ workspace, vsix, theme: 'light', stateDir }, consoleLines));
    pad = webviewFrame(page);
  });

  after(() => tearDown(browser, cs, stateDir));

  const INDEXED = E2E_SET.length + 2; // + the two star copies; the bad files are skipped

  e2e('Find Similar from the Explorer while the Sketch Pad (with a drawing on it) is hidden: thumbnails load', async () => {
    await ensureWorkbench();
    await waitStatusBarReady(INDEXED);
    // A drawing on the pad, then another view in front: the pad's webview is gone and, when shown
    // again, restores the drawing (and would search it) while the image query arrives.
    await openSketchPad();
    await drawStrokes(page, canvas(), DRAWINGS.house.strokes);
    await poll('sketch results', async () => (await items().count()) >= 3, 30_000, 300);
    await findSimilarFromExplorer('images/star.png');
    await poll('the image query label', async () => (await text(pad.locator('[data-testid=query-label]'))) === 'Similar to star.png', 30_000, 300);
    await poll('similar results', async () => (await items().count()) >= 3, 20_000, 300);
    await waitThumbnails('the thumbnails of the visible results');
    await screenshot(page, `${PREFIX}similar-first-open`);
  }, 240_000);

  e2e('Find Similar from the image editor title with the side bar closed: thumbnails load', async () => {
    await ensureWorkbench();
    const row = await showExplorerItem('images/cat.png');
    await row.dblclick();
    await page.locator('.tabs-container .tab.active', { hasText: 'cat.png' }).waitFor({ state: 'visible', timeout: 20_000 });
    await runCommand(page, 'View: Close Primary Side Bar');
    await poll('the side bar to close', async () => !(await page.locator('.part.sidebar').isVisible()), 10_000, 200);
    const button = page.locator('.editor-actions .action-label[aria-label*="Find Similar Images"]').first();
    await button.click({ timeout: 10_000 });
    await poll('the image query label', async () => (await text(pad.locator('[data-testid=query-label]'))) === 'Similar to cat.png', 30_000, 300);
    await poll('similar results', async () => (await items().count()) >= 3, 20_000, 300);
    await waitThumbnails('the thumbnails of the visible results');
    await screenshot(page, `${PREFIX}similar-sidebar-closed`);
  });

  e2e('a truncated PNG as the query: one plain message, no libvips text; skipped files counted and listed', async () => {
    await ensureWorkbench();
    const toastsBefore = await page.locator('.notifications-toasts .notification-toast').count();
    await findSimilarFromExplorer(TRUNCATED);
    const empty = pad.locator('[data-testid=empty-state]');
    const msg = await poll('a message about the unreadable query image', async () => {
      const t = await text(empty);
      return /truncated\.png/.test(t) ? t : undefined;
    }, 30_000, 300);
    console.log(`# view says: ${msg}`);
    assert.match(msg, /truncated\.png is not a readable image: the file is truncated/);
    const body = await text(pad.locator('body'));
    assert.doesNotMatch(body, /vips|libpng|Input buffer|unsupported image format/i, `raw decoder text in the view: ${body}`);
    const visible = await pad.locator('body').evaluate((b) => {
      const c = b.cloneNode(true) as HTMLElement;
      c.querySelector('[data-testid=announcer]')?.remove();
      return c.textContent ?? '';
    });
    assert.equal(visible.split('is not a readable image').length - 1, 1, `the message is not shown exactly once: ${visible}`);
    await sleep(1500);
    const toasts = await page.locator('.notifications-toasts .notification-toast').allInnerTexts();
    const ours = toasts.slice(toastsBefore).filter((t) => /truncated|Sketch Search|vips/i.test(t));
    assert.deepEqual(ours, [], `the message is said again as a toast: ${ours.join(' | ')}`);
    await screenshot(page, `${PREFIX}bad-query`);

    const status = await statusText();
    assert.match(status, /Ready — \d+ images, 2 skipped/, `status: ${status}`);
    await pad.locator('[data-testid=show-skipped]').click();
    await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10_000 });
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    assert.ok(rows.some((r) => r.includes('truncated.png')) && rows.some((r) => r.includes('fake.png')), `skipped list: ${rows.join(' | ')}`);
    await screenshot(page, `${PREFIX}skipped-list`);
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 5000 });
  });

  e2e('results follow the index: deleted files disappear, focus stays, new files appear (no new stroke)', async () => {
    await openSketchPad();
    await clearPad();
    await drawStrokes(page, canvas(), DRAWINGS.star.strokes);
    const names = await poll('search results', async () => { const n = await resultNames(pad); return n.length >= 4 ? n : undefined; }, 30_000, 300);
    assert.ok(names.includes('star-a.png') && names.includes('star-b.png'), `the star copies are not in the results: ${names.join(', ')}`);
    // Focus a result that stays (the last one that is not deleted).
    const keep = [...names].reverse().find((n) => !n.startsWith('star-'))!;
    const kept = items().filter({ has: pad.locator(`.name:text-is("${keep}")`) }).first();
    await kept.focus();
    // Scroll whatever scrolls the results a little: the position must survive the update.
    const scrolled = await kept.evaluate((el) => {
      const chain: HTMLElement[] = [];
      for (let s = el.parentElement; s; s = s.parentElement) chain.push(s);
      if (document.scrollingElement) chain.push(document.scrollingElement as HTMLElement);
      for (const sc of chain) {
        // Near the top, so that the shorter list after the deletions does not clamp it.
        const before = sc.scrollTop;
        sc.scrollTop = before === 40 ? 41 : 40;
        if (sc.scrollTop !== before) { sc.setAttribute('data-e2e-scroller', ''); return sc.scrollTop; }
      }
      return -1;
    });
    assert.ok(scrolled >= 0, 'nothing scrolls in the view (the scroll check would prove nothing)');
    fs.rmSync(path.join(workspace, 'similar/star-a.png'));
    fs.rmSync(path.join(workspace, 'similar/star-b.png'));
    const t0 = Date.now();
    await poll('the deleted files to leave the results', async () => {
      const n = await resultNames(pad);
      return n.length > 0 && !n.includes('star-a.png') && !n.includes('star-b.png');
    }, 8_000, 200);
    console.log(`# deleted results gone after ${Date.now() - t0} ms`);
    const focused = await pad.locator('body').evaluate(() => document.activeElement?.getAttribute('data-name') ?? document.activeElement?.tagName ?? '');
    assert.equal(focused, keep, 'focus did not stay on the selected result');
    const [after, max] = await pad.locator('[data-e2e-scroller]').evaluate((el) => [el.scrollTop, el.scrollHeight - el.clientHeight]).catch(() => [-1, -1]);
    console.log(`# scroll position ${scrolled} -> ${after} (max now ${max})`);
    assert.ok(Math.abs(after - Math.min(scrolled, max)) <= 2, `the scroll position moved from ${scrolled} to ${after} (max ${max})`);

    fs.copyFileSync(path.join(workspace, 'images/star.png'), path.join(workspace, 'added/star-new.png'));
    await poll('the new file to appear in the results', async () => (await resultNames(pad)).includes('star-new.png'), 15_000, 300);
    await screenshot(page, `${PREFIX}followed`);
  });

  e2e(`watcher indexing of ${BULK1} copied files counts up in the view and the status bar`, async () => {
    await openSketchPad();
    await waitViewReady();
    const files = stageIcons('bulk', 0, BULK1);
    copyIn('bulk', files, 'bulk');
    const seen = await sampleProgress(async () => (await statusState()) === 'ready' && /Ready/.test(await statusText()) && nums(await statusText())[0] >= countImages() - 2, 240_000);
    console.log(`# view: ${seen.view.join(' | ')}\n# status bar: ${seen.bar.join(' | ')}`);
    const midView = seen.view.filter((s) => /Indexing/.test(s)).map(nums).filter(([d, t]) => d > 0 && d < t);
    const midBar = seen.bar.map(nums).filter((n) => n.length === 2 && n[0] > 0 && n[0] < n[1]);
    assert.ok(midView.length > 0, `the view never showed a partial count: ${seen.view.join(' | ')}`);
    assert.ok(midBar.length > 0, `the status bar never showed a partial count: ${seen.bar.join(' | ')}`);
  }, 300_000);

  e2e('the cancel button pauses indexing; Resume indexes only what is missing', async () => {
    await waitViewReady();
    const files = stageIcons('bulk2', BULK1, BULK2);
    copyIn('bulk2', files, 'bulk2');
    const cancel = pad.locator('[data-testid=cancel-indexing]');
    await poll('indexing with a partial count and a cancel button', async () => {
      const [d] = nums(await statusText());
      return (await statusState()) === 'indexing' && d > 0 && await cancel.isVisible();
    }, 60_000, 150);
    await screenshot(page, `${PREFIX}indexing-cancel`);
    await cancel.click();
    const resume = pad.locator('[data-testid=resume-indexing]');
    await poll('the paused state with a Resume button', async () => (await statusState()) === 'paused' && resume.isVisible(), 20_000, 200);
    await sleep(1500); // nothing more is indexed while paused
    const paused = await statusText();
    console.log(`# paused: ${paused}`);
    await screenshot(page, `${PREFIX}paused`);
    const indexedAtPause = nums(paused)[0];
    const all = countImages() - 2; // every image on disk but the two bad files
    const missing = all - indexedAtPause;
    assert.ok(missing > 0 && missing < BULK2, `paused with ${indexedAtPause} of ${all} indexed`);

    await resume.click();
    const seen = await sampleProgress(async () => (await statusState()) === 'ready' && nums(await statusText())[0] === all, 240_000);
    console.log(`# after Resume: ${seen.view.join(' | ')}`);
    const totals = new Set(seen.view.filter((s) => /Indexing \d/.test(s)).map((s) => nums(s)[1]));
    assert.ok(totals.size > 0, `no progress shown after Resume: ${seen.view.join(' | ')}`);
    // A reconcile also retries the files skipped before (the two bad ones): cheap, and they may be fixed.
    for (const t of totals) assert.ok(t <= missing + 2, `Resume indexed ${t} files, but only ${missing} were missing (+2 skipped retried)`);
  }, 300_000);
});
