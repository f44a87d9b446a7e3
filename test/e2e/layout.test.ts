/**
 * End-to-end, the view's layout (issue 16, items 9, 10, 11, 14) in a 900 px tall window, with the
 * sidebar dragged to 300, 750 and 184 px: the pad stays put while the results scroll under it,
 * its height is capped by the view's height, the drag handle resizes it (remembered across hiding
 * the view) and it collapses; the result menu lies inside the view and no item wraps; "Find
 * Similar" shows the query image in place of the pad and "Back to Drawing" brings the strokes
 * back; chips only for the types the index has; no action both in the view title and the pad
 * toolbar; Clear has the trash icon; a black transparent icon sits on a light tile on the dark
 * theme. Screenshots test-results/e2e/layout-*.png.
 *
 *   node --import tsx --test --test-reporter=spec test/e2e/layout.test.ts
 *
 * Same needs and env as sketchPad.test.ts (SKETCH_SEARCH_VSIX, E2E_KEEP, E2E_CODE_SERVER_DIR, E2E_CHROMIUM),
 * and E2E_NO_CHAIN=1 (later steps run after a failed one).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import type { CodeServer } from './helpers/codeServer';
import { stepRunner, tearDown, type StepContext, e2eRun, startSession } from './helpers/steps';
import { explorerContextCommand, openSketchPad, setSidebarWidth, switchTheme, viewIframe, waitReady } from './helpers/sidebar';
import { DRAWINGS } from './drawings';
import { drawStrokes, openWorkbench, poll, resultNames, runCommand, screenshot, sleep, text, webviewFrame } from './helpers/workbench';
import { makeE2eFolder, writeIcon } from '../../scripts/lib/image-folder.mjs';
import { ICONS } from '../../src/webview/icons';
import { clearPadIn } from './helpers/pad';

const PREFIX = 'layout-';
/** Black monochrome icons with transparency (Material Design Icons render in black). */
const BLACK_HEART = 'mono/black-heart.png';
const BLACK_STAR = 'mono/black-star.png';
const WINDOW = { width: 1400, height: 900 };

let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let pad: FrameLocator;
let workspace: string;
let stateDir: string;
const consoleLines: string[] = [];
const ctx: StepContext = { page: () => page, pad: () => pad, codeServer: () => cs, consoleLines, prefix: PREFIX };
// E2E_NO_CHAIN=1: run every step even after one failed (to see each fail against an older VSIX).
const step = stepRunner(ctx, { chained: !process.env.E2E_NO_CHAIN, defaultTimeoutMs: 120_000 });

const items = (): Locator => pad.locator('[data-testid=result-item]');
const canvas = (): Locator => pad.locator('[data-testid=pad-canvas]');
/** Escape-free reset: the pad's clear button (also clears host-pushed image results). */
const clearPad = (): Promise<void> => clearPadIn(pad);
const resultsSection = (): Locator => pad.locator('.results-section');

type Box = { x: number; y: number; width: number; height: number };
async function box(l: Locator): Promise<Box> {
  const b = await l.boundingBox({ timeout: 5000 });
  if (!b) throw new Error('element has no box (hidden?)');
  return b;
}
const near = (a: number, b: number, tol = 1.5) => Math.abs(a - b) <= tol;

async function drawStar(): Promise<string[]> {
  await clearPad();
  await drawStrokes(page, canvas(), DRAWINGS.star.strokes);
  return poll('search results', async () => {
    const names = await resultNames(pad);
    return names.length >= 8 ? names : undefined;
  }, 30_000, 300);
}

/** Normalised action label: "Search with Image File…" and "Search with image file…" are the same action. */
const actionKey = (s: string) => s.toLowerCase().replace(/^sketch search:\s*/, '').replace(/\(.*?\)/g, '').replace(/[….]+/g, '').replace(/\s+/g, ' ').trim();

/** Mean luminance (0..255) of a region of an element's screenshot (fractions of its box). */
async function luminance(l: Locator, region: { x: number; y: number; w: number; h: number }): Promise<number> {
  const png = await l.screenshot({ timeout: 5000 });
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const x0 = Math.floor(info.width * region.x), y0 = Math.floor(info.height * region.y);
  const x1 = Math.max(x0 + 1, Math.floor(info.width * (region.x + region.w))), y1 = Math.max(y0 + 1, Math.floor(info.height * (region.y + region.h)));
  let sum = 0, n = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) {
    const i = (y * info.width + x) * info.channels;
    sum += 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
    n++;
  }
  return sum / n;
}

/** Opens the result menu with the "…" button of the first result and checks it lies inside the view, one line per item. */
async function checkMenu(width: number): Promise<void> {
  // The last result of the first row: its "…" button is nearest the right edge.
  const first = await items().evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetTop === (els[0] as HTMLElement).offsetTop).length)
    .then((cols) => items().nth(cols - 1));
  await first.scrollIntoViewIfNeeded();
  await first.hover();
  await first.locator('[data-testid=result-more]').click();
  const menu = pad.locator('[data-testid=result-menu]');
  await menu.waitFor({ state: 'visible', timeout: 5000 });
  await sleep(150);
  const view = await box(viewIframe(page));
  const m = await box(menu);
  console.log(`# ${width} px: view x=${view.x} w=${view.width} h=${view.height}; menu x=${m.x} y=${m.y} w=${m.width} h=${m.height}`);
  assert.ok(m.x >= view.x - 0.5 && m.y >= view.y - 0.5 && m.x + m.width <= view.x + view.width + 0.5 && m.y + m.height <= view.y + view.height + 0.5,
    `the menu (${JSON.stringify(m)}) is not inside the view (${JSON.stringify(view)})`);
  // Every item is one line high: its label is no taller than one line of the same font.
  const lines = await menu.evaluate((el) => {
    const probe = document.createElement('span');
    probe.textContent = 'Xg';
    const label = el.querySelector('.menu-label') as HTMLElement;
    const cs = getComputedStyle(label);
    probe.style.font = cs.font;
    probe.style.lineHeight = cs.lineHeight;
    probe.style.whiteSpace = 'nowrap';
    probe.style.display = 'inline-block';
    el.append(probe);
    const one = probe.getBoundingClientRect().height;
    probe.remove();
    return [...el.querySelectorAll('.menu-label')].map((l) => ({ text: l.textContent ?? '', h: l.getBoundingClientRect().height, rects: l.getClientRects().length, one }));
  });
  for (const l of lines) assert.ok(l.h <= l.one + 0.5, `menu item "${l.text}" wraps at ${width} px: ${l.h} px high, one line is ${l.one} px`);
  const openToSide = lines.find((l) => l.text === 'Open to the Side');
  assert.ok(openToSide, 'no "Open to the Side" item');
}

async function closeMenu(): Promise<void> {
  await page.keyboard.press('Escape');
  await pad.locator('[data-testid=result-menu]').waitFor({ state: 'detached', timeout: 5000 });
}

async function hideAndShowView(): Promise<void> {
  await runCommand(page, 'View: Show Explorer');
  await poll('the pad to be hidden', async () => (await viewIframe(page).count()) === 0 || !(await viewIframe(page).isVisible()), 10_000, 200);
  await openSketchPad(page, pad);
}

describe('Sketch Search layout in VS Code (code-server + Chromium)', { timeout: 900_000 }, () => {
  before(async () => {
    let vsix: string;
    ({ vsix, stateDir } = e2eRun('layout', PREFIX));
    workspace = path.join(stateDir, 'workspace');
    await makeE2eFolder(workspace); // PNG and SVG files only
    await writeIcon(path.join(workspace, BLACK_HEART), 'mdi', 'heart');
    await writeIcon(path.join(workspace, BLACK_STAR), 'mdi', 'star');
    console.log(`# VSIX ${vsix}\n# workspace ${workspace}`);
    // Every image is a result of every query (the black icons must be in the grid).
    ({ cs, browser, page } = await startSession({ workspace, vsix, theme: 'light', stateDir, settings: { 'sketchSearch.minScore': -1 } }, consoleLines));
    await page.setViewportSize(WINDOW);
    pad = webviewFrame(page);
  });

  after(() => tearDown(browser, cs, stateDir));

  step('opens the Sketch Pad in a 900 px tall window with a 300 px sidebar', async () => {
    await openWorkbench(page, cs!.url);
    await openSketchPad(page, pad);
    console.log(`# status: ${await waitReady(pad)}`);
    console.log(`# sidebar ${await setSidebarWidth(page, 300)} px`);
  }, 180_000);

  step('chips only for the file types the index has (PNG, SVG)', async () => {
    await poll('the PNG and SVG chips', async () => (await pad.locator('[data-testid=type-chip-png]').isVisible()) && (await pad.locator('[data-testid=type-chip-svg]').isVisible()), 15_000, 300);
    for (const t of ['jpg', 'gif', 'webp', 'other']) {
      assert.equal(await pad.locator(`[data-testid=type-chip-${t}]`).isVisible(), false, `a ${t} chip is shown, but the index has no ${t} file`);
    }
  });

  step('no action is both in the view title and in the pad toolbar; Clear has the trash icon', async () => {
    await page.locator('.part.sidebar .composite.title').first().hover();
    await sleep(300);
    const title = await page.locator('.part.sidebar .composite.title .action-label, .part.sidebar .pane-header .actions .action-label')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.getAttribute('title') || '').filter(Boolean));
    const tools = await pad.locator('.toolbar vscode-toolbar-button').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    console.log(`# view title actions: ${title.join(' | ')}\n# pad toolbar: ${tools.join(' | ')}`);
    assert.ok(tools.length >= 5, 'pad toolbar buttons not found');
    const toolKeys = new Set(tools.map(actionKey));
    const both = title.filter((l) => toolKeys.has(actionKey(l)));
    assert.deepEqual(both, [], `actions both in the view title and the pad toolbar: ${both.join(', ')}`);
    const d = await pad.locator('[data-testid=clear-button] svg path').first().getAttribute('d');
    assert.equal(d, ICONS.trash[0], 'the Clear button does not use the trash icon');
  });

  step('300 px sidebar: the pad stays in place while the results scroll under it', async () => {
    const names = await drawStar();
    await sleep(500);
    const view = await box(viewIframe(page));
    const pad0 = await box(canvas());
    const sec = await box(resultsSection());
    console.log(`# view ${view.width}x${view.height}; pad ${pad0.width}x${pad0.height} at y=${pad0.y - view.y}; results area ${sec.height} px for ${names.length} results`);
    assert.ok(sec.y + sec.height <= view.y + view.height + 1, 'the results area runs past the bottom of the view');
    assert.ok(sec.height >= view.height * 0.4, `the results get only ${sec.height} of ${view.height} px`);
    const item0 = await box(items().first());
    await screenshot(page, `${PREFIX}light-300`);
    // Scroll with the mouse wheel over the results, as a user does.
    await page.mouse.move(sec.x + sec.width / 2, sec.y + Math.min(sec.height / 2, 200));
    await page.mouse.wheel(0, 400);
    await poll('the results to scroll', async () => (await resultsSection().evaluate((e) => e.scrollTop)) > 100, 5000, 100);
    await sleep(200);
    const pad1 = await box(canvas());
    const item1 = await box(items().first());
    assert.ok(near(pad1.y, pad0.y) && near(pad1.height, pad0.height), `the pad moved while the results scrolled: y ${pad0.y} -> ${pad1.y}`);
    assert.ok(item1.y < item0.y - 100, `the results did not scroll under the pad: first result y ${item0.y} -> ${item1.y}`);
    const docScroll = await pad.locator('body').evaluate(() => document.scrollingElement?.scrollTop ?? 0);
    assert.equal(docScroll, 0, 'the whole view scrolled');
    await screenshot(page, `${PREFIX}light-300-scrolled`);
    // Another stroke is a new query: its best matches show from the top again.
    const n = (await resultsSection().evaluate((e) => e.scrollTop));
    await drawStrokes(page, canvas(), [[{ x: 0.9, y: 0.9 }, { x: 0.95, y: 0.95 }]]);
    await poll('the results to scroll back to the top for the new query', async () => (await resultsSection().evaluate((e) => e.scrollTop)) === 0, 10_000, 100)
      .catch((e) => { throw new Error(`${(e as Error).message} (was ${n})`); });
    await poll('the new results', async () => !((await pad.locator('[data-testid=latency]').getAttribute('class')) ?? '').includes('busy') && (await items().count()) > 0, 20_000, 200);
    await sleep(300);
    assert.equal(await resultsSection().evaluate((e) => e.scrollTop), 0, 'the new results are not shown from the top');
  });

  step('300 px sidebar: the result menu lies inside the view and no item wraps', async () => {
    await checkMenu(300);
    await screenshot(page, `${PREFIX}light-menu-300`);
    await closeMenu();
  });

  step('750 px sidebar: the pad height is capped by the view height; the drag handle resizes it; the size survives hiding the view', async () => {
    await setSidebarWidth(page, 750);
    await sleep(400);
    const view = await box(viewIframe(page));
    const p = await box(canvas());
    console.log(`# 750 px: view ${view.width}x${view.height}; pad ${p.width}x${p.height}`);
    assert.ok(p.height <= view.height * 0.45 + 1, `the pad is ${p.height} px tall in a ${view.height} px view`);
    assert.ok(near(p.width, p.height), 'the pad is not square');
    const sec = await box(resultsSection());
    assert.ok(sec.height >= view.height * 0.35, `the results get only ${sec.height} px`);
    await screenshot(page, `${PREFIX}light-750`);

    // Drag the handle 80 px down: the pad grows by 80 px.
    const handle = pad.locator('[data-testid=pad-resizer]');
    const h = await box(handle);
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
    await page.mouse.down();
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2 + 40, { steps: 4 });
    await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2 + 80, { steps: 4 });
    await page.mouse.up();
    await sleep(300);
    const bigger = await box(canvas());
    console.log(`# dragged: pad ${p.height} -> ${bigger.height}`);
    assert.ok(near(bigger.height, p.height + 80, 3), `dragging the handle 80 px made the pad ${bigger.height} px (was ${p.height})`);
    // Far down: capped by the view's height, the results keep room.
    const h2 = await box(handle);
    await page.mouse.move(h2.x + h2.width / 2, h2.y + h2.height / 2);
    await page.mouse.down();
    await page.mouse.move(h2.x + h2.width / 2, view.y + view.height - 5, { steps: 6 });
    await page.mouse.up();
    await sleep(300);
    const capped = await box(canvas());
    console.log(`# dragged to the bottom: pad ${capped.height} px of ${view.height}`);
    assert.ok(capped.height <= view.height * 0.6 + 1, `the pad grew to ${capped.height} px in a ${view.height} px view`);
    assert.ok((await box(resultsSection())).height >= 120, 'no room left for the results');
    // Back up to the first dragged size.
    const h3 = await box(handle);
    await page.mouse.move(h3.x + h3.width / 2, h3.y + h3.height / 2);
    await page.mouse.down();
    await page.mouse.move(h3.x + h3.width / 2, h3.y + h3.height / 2 - (capped.height - bigger.height), { steps: 6 });
    await page.mouse.up();
    await sleep(300);
    const chosen = (await box(canvas())).height;
    assert.ok(near(chosen, bigger.height, 3), `could not drag back to ${bigger.height} (got ${chosen})`);

    await hideAndShowView();
    await poll('the pad to keep its dragged size after re-showing the view', async () => near((await box(canvas())).height, chosen, 1.5), 10_000, 200)
      .catch(async (e) => { throw new Error(`${(e as Error).message}: now ${(await box(canvas())).height}, was ${chosen}`); });
  });

  step('collapse hides the pad (the results move up) and expanding brings it back', async () => {
    const before = await box(canvas());
    const sec0 = await box(resultsSection());
    const toggle = pad.locator('[data-testid=collapse-button]');
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await toggle.click();
    await poll('the pad to collapse', async () => !(await canvas().isVisible()), 5000, 100);
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    const sec1 = await box(resultsSection());
    assert.ok(sec1.y < sec0.y - before.height + 20, `the results did not move up: ${sec0.y} -> ${sec1.y}`);
    await screenshot(page, `${PREFIX}light-collapsed`);
    await hideAndShowView();
    await poll('the pad to stay collapsed after re-showing the view', async () => (await pad.locator('[data-testid=collapse-button]').getAttribute('aria-expanded')) === 'false', 10_000, 200);
    assert.equal(await canvas().isVisible(), false);
    await pad.locator('[data-testid=collapse-button]').click();
    await poll('the pad to come back', () => canvas().isVisible(), 5000, 100);
    const after = await box(canvas());
    assert.ok(near(after.height, before.height), `the pad came back ${after.height} px tall, was ${before.height}`);
  });

  step('184 px sidebar: the result menu lies inside the view and no item wraps', async () => {
    await setSidebarWidth(page, 184);
    await sleep(400);
    if ((await items().count()) === 0) await drawStar();
    await checkMenu(184);
    await screenshot(page, `${PREFIX}light-menu-184`);
    await closeMenu();
  });

  step('Find Similar shows the query image in place of the pad; Back to Drawing restores the strokes and the sketch search', async () => {
    await setSidebarWidth(page, 300);
    await drawStar();
    const sketchNames = await resultNames(pad);
    await openSketchPad(page, pad);
    const padBox = await box(canvas());
    await findSimilarBlackHeart();
    const q = await box(pad.locator('[data-testid=query-image]'));
    assert.ok(near(q.y, padBox.y, 2) && near(q.height, padBox.height, 2) && near(q.width, padBox.width, 2), `the query image (${JSON.stringify(q)}) is not where the pad was (${JSON.stringify(padBox)})`);
    assert.equal(await canvas().isVisible(), false, 'the old doodle is still visible');
    await sleep(500);
    await screenshot(page, `${PREFIX}light-similar`);

    await pad.locator('[data-testid=back-to-drawing]').click();
    await poll('the pad to come back', () => canvas().isVisible(), 5000, 100);
    assert.equal(await pad.locator('[data-testid=query-image]').isVisible(), false);
    assert.equal(await pad.locator('.pad-hint').isVisible(), false, 'the strokes were lost (the empty-pad hint shows)');
    await poll('the sketch search to run again', async () => (await text(pad.locator('[data-testid=query-label]'))) === ''
      && JSON.stringify(await resultNames(pad)) === JSON.stringify(sketchNames), 20_000, 300);
    assert.ok(await canvas().evaluate((c) => c.ownerDocument.activeElement === c), 'the pad does not have focus');
  });

  step('a pasted image is shown in place of the pad (from the webview\'s own bytes); Back to Drawing', async () => {
    const base64 = fs.readFileSync(path.join(workspace, BLACK_STAR)).toString('base64');
    await canvas().focus();
    // A paste event with a PNG file on the clipboard, as Ctrl+V of a copied bitmap delivers it.
    await pad.locator('body').evaluate((_b, b64) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'pasted.png', { type: 'image/png' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, base64);
    await poll('the pasted image in place of the pad', async () => (await text(pad.locator('[data-testid=query-label]'))) === 'Similar to the pasted image'
      && (await pad.locator('[data-testid=query-image]').isVisible()), 30_000, 300);
    const src = await pad.locator('[data-testid=query-image-img]').getAttribute('src');
    assert.ok(src?.startsWith('data:image/png;base64,'), `the pasted image is not shown from its bytes: ${src?.slice(0, 40)}`);
    assert.equal(await canvas().isVisible(), false);
    await sleep(300);
    await screenshot(page, `${PREFIX}light-pasted`);
    await pad.locator('[data-testid=back-to-drawing]').click();
    await poll('the pad to come back', () => canvas().isVisible(), 5000, 100);
    await poll('the sketch results to come back', async () => (await text(pad.locator('[data-testid=query-label]'))) === '' && (await items().count()) > 0, 20_000, 300);
  });

  step('dark theme: black transparent icons and the query image sit on a light tile (screenshots)', async () => {
    await switchTheme(page, pad, 'dark');
    // A sketch search lists every image (minScore -1), the black star among them.
    await drawStar();
    const starItem = pad.locator('[data-testid=result-item][data-name="black-star.png"]');
    await starItem.waitFor({ state: 'attached', timeout: 20_000 });
    await starItem.scrollIntoViewIfNeeded();
    const thumbImg = starItem.locator('.thumb img');
    await poll('the black star thumbnail to load', async () => thumbImg.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0), 15_000, 200);
    await sleep(300);
    // The corners of the icons are transparent: what shows there is the tile.
    const tLum = await luminance(thumbImg, { x: 0.02, y: 0.02, w: 0.1, h: 0.1 });
    const around = await luminance(starItem, { x: 0, y: 0.95, w: 1, h: 0.05 });
    console.log(`# dark: luminance of the black star's transparent corner ${tLum.toFixed(0)} (the view around it ${around.toFixed(0)})`);
    await screenshot(page, `${PREFIX}dark-tile`);
    assert.ok(around < 100, `not a dark theme around the results (${around.toFixed(0)}/255)`);
    assert.ok(tLum > 180, `the black icon's thumbnail has a dark background (${tLum.toFixed(0)}/255): the icon is hard to see`);
    await resultsSection().evaluate((e) => { e.scrollTop = 0; });
    await checkMenu(300);
    await screenshot(page, `${PREFIX}dark-menu-300`);
    await closeMenu();

    await findSimilarBlackHeart();
    const qLum = await luminance(pad.locator('[data-testid=query-image-img]'), { x: 0.02, y: 0.02, w: 0.1, h: 0.1 });
    console.log(`# dark: luminance of the query image's transparent corner ${qLum.toFixed(0)}`);
    await sleep(500);
    await screenshot(page, `${PREFIX}dark-similar`);
    assert.ok(qLum > 180, `the query image's transparent corner is dark (${qLum.toFixed(0)}/255): a black icon is invisible`);
    await pad.locator('[data-testid=back-to-drawing]').click();
    await poll('the pad to come back', () => canvas().isVisible(), 5000, 100);
    await sleep(600);
    await screenshot(page, `${PREFIX}dark-300`);
  });
});

async function findSimilarBlackHeart(): Promise<void> {
  await explorerContextCommand(page, BLACK_HEART, 'Find Similar Images');
  await poll('the Sketch Pad to show the image query', async () => (await text(pad.locator('[data-testid=query-label]'))) === 'Similar to black-heart.png', 30_000, 300);
  const img = pad.locator('[data-testid=query-image-img]');
  await poll('the query image in place of the pad', async () => (await pad.locator('[data-testid=query-image]').isVisible())
    && await img.evaluate((i) => (i as HTMLImageElement).complete && (i as HTMLImageElement).naturalWidth > 0), 15_000, 200);
}
