/**
 * End-to-end, features beyond the basic search (sketchPad.test.ts): keyboard navigation of the
 * results, "Find Similar Images" from the Explorer, the file-type chips and the folder scope,
 * inserting a reference at the cursor, and screenshots in the light, dark and high-contrast themes
 * (test-results/e2e/features-*.png).
 *
 *   node --import tsx --test --test-reporter=spec test/e2e/features.test.ts
 *
 * Same needs and env as sketchPad.test.ts (SKETCH_SEARCH_VSIX, E2E_KEEP, E2E_CODE_SERVER_DIR, E2E_CHROMIUM).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import type { CodeServer } from './helpers/codeServer';
import { stepRunner, tearDown, type StepContext, e2eRun, startSession } from './helpers/steps';
import { DRAWINGS, type Pt } from './drawings';
import { Fatal, drawStrokes, openWorkbench, pickQuickInput, poll, resultNames, runCommand, screenshot, selectColorTheme, sleep, text, webviewFrame } from './helpers/workbench';
import { makeE2eFolder, writeIcon } from '../../scripts/lib/image-folder.mjs';
import { waitReadyIn, clearPadIn } from './helpers/pad';
import { showExplorerItem as showExplorerItemIn } from './helpers/sidebar';

const STAR = DRAWINGS.star;
/** Extra files: other renderings of the star under other folders/names (for "Find Similar"), and a Markdown file. */
const STAR_COPY = 'assets/similar/star-copy.png';
const STAR_SVG = 'assets/similar/star-twemoji.svg';
const NOTES = 'notes.md';
const NOTES_TEXT = '# Notes\n\n';
/** A Markdown file in a subfolder: the inserted path goes up a level. */
const BESIDE = 'docs/beside.md';
/** The folder chosen in the scope quick pick. */
const SCOPE = 'images';
const PREFIX = 'features-';

let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let pad: FrameLocator;
let workspace: string;
let stateDir: string;
const consoleLines: string[] = [];

const ctx: StepContext = { page: () => page, pad: () => pad, codeServer: () => cs, consoleLines, prefix: PREFIX };
/** The first step opens the pad; every later step is independent of the others' outcome (each starts from a cleared pad). */
const e2e = stepRunner(ctx, { chained: false, defaultTimeoutMs: 120_000 });

const items = (): Locator => pad.locator('[data-testid=result-item]');
const canvas = (): Locator => pad.locator('[data-testid=pad-canvas]');
const waitReady = (timeoutMs?: number): Promise<string> => waitReadyIn(pad, timeoutMs);
/** Escape-free reset: the pad's clear button (also clears host-pushed image results). */
const clearPad = (): Promise<void> => clearPadIn(pad);
const showExplorerItem = (relPath: string): Promise<Locator> => showExplorerItemIn(page, relPath);

async function search(strokes: Pt[][] = STAR.strokes, timeoutMs = 30_000): Promise<string[]> {
  await clearPad();
  await drawStrokes(page, canvas(), strokes);
  return poll('search results', async () => {
    const names = await resultNames(pad);
    return names.length ? names : undefined;
  }, timeoutMs, 300);
}

interface Row { name: string; folder: string; type: string; selected: string }
async function rows(): Promise<Row[]> {
  return items().evaluateAll((els) => els.map((e) => ({
    name: e.getAttribute('data-name') ?? '',
    folder: (e.querySelector('.folder')?.textContent ?? '').trim(),
    type: e.getAttribute('data-file-type') ?? '',
    selected: e.getAttribute('aria-selected') ?? '',
  })));
}

/** Polls until the result list is non-empty and every row satisfies `ok`. */
async function waitRows(what: string, ok: (r: Row) => boolean, timeoutMs = 20_000): Promise<Row[]> {
  let last: Row[] = [];
  try {
    return await poll(what, async () => {
      last = await rows();
      return last.length > 0 && last.every(ok) ? last : undefined;
    }, timeoutMs, 300);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast results: ${last.map((r) => `${r.folder}/${r.name}[${r.type}]`).join(', ')}`);
  }
}

async function selectedIndex(): Promise<number> {
  return items().evaluateAll((els) => els.findIndex((e) => e.getAttribute('aria-selected') === 'true'));
}

/** Whether the element has keyboard focus inside its frame. */
async function isFocused(loc: Locator): Promise<boolean> {
  return loc.evaluate((el) => el.ownerDocument.activeElement === el, undefined, { timeout: 3000 }).catch(() => false);
}

async function activeTabIs(name: string, timeoutMs = 20_000): Promise<void> {
  const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
  await tab.waitFor({ state: 'visible', timeout: timeoutMs });
  await poll(`the ${name} tab to be active`, async () => (await tab.getAttribute('class'))?.includes('active'), 10_000, 200);
}

async function openSketchPad(): Promise<void> {
  await runCommand(page, 'Sketch Search: Open Sketch Pad');
  // While the results are for an image, the query image is shown in place of the canvas.
  await poll('the sketch pad canvas', async () => (await canvas().isVisible()) || pad.locator('[data-testid=query-image]').isVisible(), 30_000, 300);
}

/** Text of the (first) visible text editor, without whitespace: Monaco renders spaces as U+00A0 and Markdown soft-wraps. */
async function editorText(): Promise<string> {
  const t = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText({ timeout: 5000 }).catch(() => '');
  return t.replace(/\s+/g, '');
}

type ThemeName = 'light' | 'dark' | 'hc';
const THEME_LABEL: Record<ThemeName, { pick: string; cls: string; body: string }> = {
  light: { pick: 'Light Modern', cls: 'vs', body: 'vscode-light' },
  dark: { pick: 'Dark Modern', cls: 'vs-dark', body: 'vscode-dark' },
  // "Default High Contrast" in settings.json is labelled "Dark High Contrast" in the picker.
  hc: { pick: 'Dark High Contrast', cls: 'hc-black', body: 'vscode-high-contrast' },
};

async function setTheme(theme: ThemeName): Promise<void> {
  const { pick, cls, body } = THEME_LABEL[theme];
  await selectColorTheme(page, pick);
  await poll(`the workbench to switch to ${pick}`, async () => {
    const classes = (await page.locator('.monaco-workbench').getAttribute('class')) ?? '';
    return classes.split(/\s+/).includes(cls);
  }, 30_000, 300);
  await poll(`the webview to follow ${pick}`, async () => {
    const c = (await pad.locator('body').getAttribute('class', { timeout: 3000 })) ?? '';
    return c.split(/\s+/).includes(body);
  }, 15_000, 300);
  await sleep(400);
}

async function chooseScope(folder: string): Promise<void> {
  await pad.locator('[data-testid=scope-button]').click();
  // The quick pick is VS Code's, in the workbench page (not in the webview).
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: 10_000 });
  const title = await text(page.locator('.quick-input-widget .quick-input-title'));
  assert.match(title, /Search in Folder/, `quick pick title: ${title}`);
  const labels = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
  assert.ok(labels.some((l) => l.includes(folder)), `"${folder}" not in the folder quick pick: ${labels.join(' | ')}`);
  for (const f of ['All workspace folders', 'assets', 'icons']) {
    assert.ok(labels.some((l) => l.includes(f)), `"${f}" not in the folder quick pick: ${labels.join(' | ')}`);
  }
  await pickQuickInput(page, folder, folder, 15_000);
  await poll('the scope chip to show the folder', async () => (await text(pad.locator('[data-testid=scope-button]'))) === folder, 10_000, 200);
}

async function clearScope(): Promise<void> {
  const x = pad.locator('[data-testid=scope-clear]');
  if (await x.isVisible().catch(() => false)) await x.click();
  await poll('the scope to reset', async () => /all folders/i.test(await text(pad.locator('[data-testid=scope-button]'))), 10_000, 200);
}

async function setChip(type: string, on: boolean): Promise<void> {
  const chip = pad.locator(`[data-testid=type-chip-${type}]`);
  if ((await chip.getAttribute('aria-pressed')) !== String(on)) await chip.click();
  await poll(`the ${type} chip to be ${on ? 'pressed' : 'released'}`, async () => (await chip.getAttribute('aria-pressed')) === String(on), 5000, 100);
}

async function openResultMenu(item: Locator): Promise<Locator> {
  await item.click({ button: 'right' });
  const menu = pad.locator('[data-testid=result-menu]');
  await menu.waitFor({ state: 'visible', timeout: 5000 });
  return menu;
}

/** Filters + context menu screenshots in the current theme. Leaves filters reset and the menu closed. */
async function themedScreenshots(theme: ThemeName): Promise<void> {
  await search();
  await chooseScope(SCOPE);
  await setChip('png', true);
  await waitRows('png results in the scope', (r) => r.type === 'png' && r.folder === SCOPE);
  await sleep(600); // thumbnails
  await screenshot(page, `${PREFIX}${theme}-filters`);
  const menu = await openResultMenu(items().first());
  await sleep(200);
  await screenshot(page, `${PREFIX}${theme}-menu`);
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached', timeout: 5000 });
  await setChip('png', false);
  await clearScope();
}

describe('Sketch Search features in VS Code (code-server + Chromium)', { timeout: 600_000 }, () => {
  before(async () => {
    let vsix: string;
    ({ vsix, stateDir } = e2eRun('features', PREFIX));
    workspace = path.join(stateDir, 'workspace');
    await makeE2eFolder(workspace);
    fs.mkdirSync(path.join(workspace, path.dirname(STAR_COPY)), { recursive: true });
    fs.copyFileSync(path.join(workspace, 'images/star.png'), path.join(workspace, STAR_COPY));
    await writeIcon(path.join(workspace, STAR_SVG), 'twemoji', 'star');
    fs.writeFileSync(path.join(workspace, NOTES), NOTES_TEXT);
    fs.mkdirSync(path.join(workspace, path.dirname(BESIDE)), { recursive: true });
    fs.writeFileSync(path.join(workspace, BESIDE), '# Beside\n\n');
    // Only this file's artefacts: sketchPad.test.ts owns the others in the same folder.
    console.log(`# VSIX ${vsix}\n# workspace ${workspace}`);
    ({ cs, browser, page } = await startSession({ workspace, vsix, theme: 'light', stateDir }, consoleLines));
    pad = webviewFrame(page);
  });

  after(() => tearDown(browser, cs, stateDir));

  e2e('opens the Sketch Pad and indexes the workspace', async () => {
    await openWorkbench(page, cs!.url);
    await openSketchPad();
    console.log(`# status: ${await waitReady()}`);
  }, 180_000, true);

  e2e('keyboard: arrows move the selection, Enter opens, Escape clears and focuses the pad', async () => {
    const names = await search();
    assert.ok(names.length >= 3, `too few results: ${names.join(', ')}`);
    await items().first().focus();
    assert.ok(await isFocused(items().first()), 'the first result did not take focus');
    assert.equal(await selectedIndex(), 0);

    await page.keyboard.press('ArrowRight');
    await poll('ArrowRight to select the second result', async () => (await selectedIndex()) === 1, 5000, 100);
    assert.ok(await isFocused(items().nth(1)), 'focus did not follow the selection to the second result');
    const selected = (await rows()).filter((r) => r.selected === 'true');
    assert.equal(selected.length, 1, 'exactly one result is aria-selected');

    const cols = await items().evaluateAll((els) => els.filter((e) => (e as HTMLElement).offsetTop === (els[0] as HTMLElement).offsetTop).length);
    await page.keyboard.press('ArrowDown');
    const expected = 1 + cols < names.length ? 1 + cols : 1;
    await poll(`ArrowDown to select result ${expected} (${cols} columns)`, async () => (await selectedIndex()) === expected, 5000, 100);
    console.log(`# ${cols} columns; ArrowDown went 1 -> ${expected}`);

    // Shift+F10 opens the result menu from the keyboard; Escape closes it and gives focus back.
    await page.keyboard.press('Shift+F10');
    const menu = pad.locator('[data-testid=result-menu]');
    await menu.waitFor({ state: 'visible', timeout: 5000 });
    await poll('the first menu item to take focus', () => isFocused(menu.locator('[role=menuitem]').first()), 5000, 100);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached', timeout: 5000 });
    await poll('focus to return to the result', () => isFocused(items().nth(expected)), 5000, 100);
    assert.ok((await items().count()) > 0, 'Escape in the menu must not clear the results');

    const target = names[expected];
    await page.keyboard.press('Enter');
    await activeTabIs(target);

    // Back to the results (the editor took focus: the webview document has none, so focus the view first), then Escape.
    await openSketchPad();
    await items().nth(expected).focus();
    if (!(await isFocused(items().nth(expected)))) {
      const dbg = await pad.locator('body').evaluate(() => `${document.activeElement?.outerHTML.slice(0, 100)} hasFocus=${document.hasFocus()}`);
      console.log(`# after focus(): ${dbg}`);
    }
    assert.ok(await isFocused(items().nth(expected)), 'could not focus the result again');
    await page.keyboard.press('Escape');
    await poll('Escape to clear the results', async () => (await items().count()) === 0, 10_000, 200);
    await poll('focus to return to the pad canvas', () => isFocused(canvas()), 5000, 200);
    const hint = pad.locator('.pad-hint');
    assert.ok(await hint.isVisible(), 'the pad was not cleared (the "Draw here" hint is hidden)');
  });

  e2e('filters: the SVG chip, the folder scope quick pick, and resetting both', async () => {
    const all = await search();
    const before = await rows();
    assert.ok(before.some((r) => r.type !== 'svg'), `expected some non-SVG results first: ${all.join(', ')}`);
    assert.ok(before.some((r) => r.folder !== SCOPE), 'expected results outside the scope folder first');

    const chip = pad.locator('[data-testid=type-chip-svg]');
    await chip.click();
    assert.equal(await chip.getAttribute('aria-pressed'), 'true');
    const svg = await waitRows('only SVG results', (r) => r.type === 'svg' && r.name.endsWith('.svg'));
    console.log(`# svg: ${svg.map((r) => r.name).join(', ')}`);
    await chip.click();
    assert.equal(await chip.getAttribute('aria-pressed'), 'false');
    await poll('non-SVG results to come back', async () => (await rows()).some((r) => r.type !== 'svg'), 15_000, 300);

    await chooseScope(SCOPE);
    assert.ok(await pad.locator('[data-testid=scope-clear]').isVisible(), 'no scope reset button');
    const scoped = await waitRows(`only results in ${SCOPE}`, (r) => r.folder === SCOPE);
    console.log(`# scope ${SCOPE}: ${scoped.map((r) => r.name).join(', ')}`);

    // Both filters together: the light-theme screenshots.
    await setChip('png', true);
    await waitRows('png results in the scope', (r) => r.type === 'png' && r.folder === SCOPE);
    await sleep(600);
    await screenshot(page, `${PREFIX}light-filters`);
    const menu = await openResultMenu(items().first());
    await sleep(200);
    await screenshot(page, `${PREFIX}light-menu`);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached', timeout: 5000 });
    await setChip('png', false);

    await pad.locator('[data-testid=scope-clear]').click();
    await poll('the scope to reset', async () => /all folders/i.test(await text(pad.locator('[data-testid=scope-button]'))), 10_000, 200);
    assert.equal(await pad.locator('[data-testid=scope-clear]').isVisible(), false, 'scope reset button still shown');
    await poll('results outside the scope to come back', async () => (await rows()).some((r) => r.folder !== SCOPE), 15_000, 300);
  });

  e2e('Find Similar Images from the Explorer context menu', async () => {
    await clearPad();
    const nls = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.nls.json'), 'utf8')) as Record<string, string>;
    const label = nls['command.findSimilar.title'];
    assert.equal(label, 'Find Similar Images');
    const row = await showExplorerItem('images/star.png');
    await row.click({ button: 'right' });
    const entry = page.locator('.monaco-menu .action-item .action-label', { hasText: label }).first();
    await entry.waitFor({ state: 'visible', timeout: 10_000 });
    await sleep(400); // the menu fades in
    await screenshot(page, `${PREFIX}light-explorer-menu`);
    await entry.click();

    await poll('the Sketch Pad to show the image query', async () => (await text(pad.locator('[data-testid=query-label]'))) === 'Similar to star.png', 30_000, 300);
    const res = await waitRows('similar results', () => true);
    console.log(`# similar to star.png: ${res.slice(0, 6).map((r) => `${r.folder}/${r.name}`).join(', ')}`);
    assert.ok(!res.some((r) => r.name === 'star.png' && r.folder === 'images'), 'the query file itself is in the results');
    const copyRank = res.findIndex((r) => `${r.folder}/${r.name}` === STAR_COPY) + 1;
    const svgRank = res.findIndex((r) => `${r.folder}/${r.name}` === STAR_SVG) + 1;
    assert.equal(copyRank, 1, `${STAR_COPY} (same pixels) should rank first, got ${copyRank || '-'}`);
    assert.ok(svgRank >= 1 && svgRank <= 3, `${STAR_SVG} (same emoji as SVG) should be in the top 3, got ${svgRank || '-'}`);
    await sleep(500);
    await screenshot(page, `${PREFIX}light-similar`);

    // The type chips filter an image query too (the host re-runs it); the label stays.
    await setChip('svg', true);
    const svg = await waitRows('only SVG results for the image query', (r) => r.type === 'svg');
    assert.equal(await text(pad.locator('[data-testid=query-label]')), 'Similar to star.png');
    assert.equal(`${svg[0].folder}/${svg[0].name}`, STAR_SVG, `first SVG result: ${svg.map((r) => r.name).join(', ')}`);
    await setChip('svg', false);
    await poll('non-SVG results to come back', async () => (await rows()).some((r) => r.type !== 'svg'), 15_000, 300);

    // Escape in the results clears an image query as well.
    await openSketchPad();
    await items().first().focus();
    await page.keyboard.press('Escape');
    await poll('Escape to clear the image query', async () => (await items().count()) === 0, 10_000, 200);
    assert.equal(await pad.locator('[data-testid=query-label]').isVisible(), false, 'the "Similar to" label is still shown');
  });

  e2e('filters survive hiding and showing the Sketch Pad (the webview is re-created)', async () => {
    await search();
    await chooseScope(SCOPE);
    await setChip('png', true);
    const before = await waitRows('png results in the scope', (r) => r.type === 'png' && r.folder === SCOPE);
    await runCommand(page, 'View: Show Explorer');
    await poll('the pad to be hidden', async () => !(await canvas().isVisible().catch(() => false)), 10_000, 200);
    await openSketchPad();
    await poll('the png chip to be pressed again', async () => (await pad.locator('[data-testid=type-chip-png]').getAttribute('aria-pressed')) === 'true', 10_000, 200);
    await poll('the scope to be restored', async () => (await text(pad.locator('[data-testid=scope-button]'))) === SCOPE, 10_000, 200);
    const after = await waitRows('the restored search to stay filtered', (r) => r.type === 'png' && r.folder === SCOPE);
    assert.deepEqual(after.map((r) => r.name), before.map((r) => r.name), 'the restored search differs');
    await setChip('png', false);
    await clearScope();
    await clearPad();
  });

  e2e('insert at the cursor: the result menu and Ctrl+Enter insert Markdown image links into notes.md', async () => {
    const row = await showExplorerItem(NOTES);
    await row.click();
    await activeTabIs(NOTES);
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await openSketchPad();

    const names = await search();
    const first = (await rows())[0];
    // This time through the "…" button of the result (right-click is used for the screenshots).
    await items().first().hover();
    await items().first().locator('[data-testid=result-more]').click();
    const menu = pad.locator('[data-testid=result-menu]');
    await menu.waitFor({ state: 'visible', timeout: 5000 });
    const insert = menu.locator('[data-action=insertMarkdownLink]');
    assert.equal(await text(insert.locator('.menu-label')), 'Insert Markdown Image Link');
    await insert.click();
    const link1 = `![${path.parse(first.name).name}](./${first.folder}/${first.name})`;
    let seen = '';
    await poll(`the editor to contain ${link1}`, async () => (seen = await editorText()).includes(link1), 10_000, 200)
      .catch((e) => { throw new Error(`${(e as Error).message}\neditor text: ${JSON.stringify(seen)}\nresults: ${names.join(', ')}`); });

    const second = (await rows())[1];
    await items().nth(1).focus();
    await page.keyboard.press('Control+Enter');
    const link2 = `![${path.parse(second.name).name}](./${second.folder}/${second.name})`;
    await poll(`the editor to contain ${link2}`, async () => (seen = await editorText()).includes(link2), 10_000, 200)
      .catch((e) => { throw new Error(`${(e as Error).message}\neditor text: ${JSON.stringify(seen)}`); });
    assert.equal(await items().count() > 0, true, 'Ctrl+Enter should not clear the results');

    // Save and read it back from disk.
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    const file = path.join(workspace, NOTES);
    const saved = await poll('notes.md to be saved', async () => {
      const s = fs.readFileSync(file, 'utf8');
      return s.includes(link1) && s.includes(link2) ? s : undefined;
    }, 10_000, 200);
    console.log(`# notes.md: ${JSON.stringify(saved)}`);
    assert.ok(saved.startsWith(NOTES_TEXT), 'text was inserted at the cursor (end of file), not elsewhere');
    // Both links went in at the cursor, one after the other (no separator is added).
    assert.ok(saved.endsWith(link1 + link2), `unexpected notes.md: ${JSON.stringify(saved)}`);
    await clearPad();
  });

  e2e('insert at the cursor after opening a result to the side (image preview active, the Markdown file still visible)', async () => {
    const row = await showExplorerItem(BESIDE);
    await row.click();
    await activeTabIs(path.basename(BESIDE));
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await openSketchPad();
    await search();
    const [first, second] = await rows();
    await items().first().focus();
    await page.keyboard.press('Alt+Enter'); // Open to the Side: an image preview in a second editor group
    await poll('a second editor group', async () => (await page.locator('.editor-group-container').count()) >= 2, 10_000, 200);
    await activeTabIs(first.name);
    await openSketchPad();
    await items().nth(1).focus();
    await page.keyboard.press('Control+Enter');
    const link = `![${path.parse(second.name).name}](../${second.folder}/${second.name})`;
    const warning = page.locator('.notifications-toasts .notification-toast', { hasText: 'open a text editor' });
    let warned = false;
    let seen = '';
    const ok = await poll(`notes.md to contain ${link}`, async () => {
      warned ||= await warning.isVisible().catch(() => false);
      seen = await editorText();
      return seen.includes(link) || warned;
    }, 10_000, 200).catch(() => false);
    await screenshot(page, `${PREFIX}light-insert-beside`);
    console.log(`# insert with the image preview active: warned=${warned} text=${JSON.stringify(seen)}`);
    assert.ok(ok && !warned, `Ctrl+Enter did not insert into the visible ${BESIDE} (warning shown: ${warned}); editor text: ${JSON.stringify(seen)}`);
    await clearPad();
  });

  e2e('dark theme: filters and the result menu (screenshots)', async () => {
    await openSketchPad();
    await setTheme('dark');
    await themedScreenshots('dark');
  });

  e2e('high-contrast theme: filters and the result menu (screenshots)', async () => {
    await setTheme('hc');
    await themedScreenshots('hc');
  });
});
