/**
 * End-to-end, the flow of working with results (issue 16, items 5, 6 and 13), in its own
 * code-server session with preview editors on (VS Code's default):
 *
 * 1. A single click on a result opens it in a preview tab and keeps focus in the results:
 *    ArrowRight then moves the selection and Ctrl+Enter inserts into the Markdown file that the
 *    preview hides. A double click opens it pinned and moves focus to the editor.
 * 2. With no text editor open, Ctrl+Enter announces that nothing was inserted.
 * 3. Two drawings and an image query are kept as recent queries; after Developer: Reload Window
 *    the first drawing is brought back from the Recent popup, searched (its image ranks in the
 *    top 3) and taken off the pad again with one undo.
 *
 *   node --import tsx --test --test-reporter=spec test/e2e/results-flow.test.ts
 *
 * Screenshots: test-results/e2e/flow-*.png. Same env as the other E2E files.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe } from 'node:test';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { CodeServer } from './helpers/codeServer';
import { padView } from './helpers/pad';
import { stepRunner, tearDown, type StepContext, e2eRun, startSession } from './helpers/steps';
import { DRAWINGS } from './drawings';
import { openWorkbench, pickQuickInput, poll, runCommand, screenshot, selectColorTheme, sleep, text } from './helpers/workbench';
import { makeE2eFolder } from '../../scripts/lib/image-folder.mjs';

const PREFIX = 'flow-';
const NOTES = 'notes.md';
const NOTES_TEXT = '# Notes\n\n';
const TOP = Number(process.env.E2E_TOP_K ?? 3);

let cs: CodeServer | undefined;
let browser: Browser | undefined;
let page: Page;
let view: ReturnType<typeof padView>;
let pad: FrameLocator;
let workspace: string;
let stateDir: string;
const consoleLines: string[] = [];

const ctx: StepContext = { page: () => page, pad: () => pad, codeServer: () => cs, consoleLines, prefix: PREFIX };
// The first step opens the pad; the others run whatever an earlier one did (each starts with its own search).
const e2e = stepRunner(ctx, { chained: false, defaultTimeoutMs: 150_000 });

function tab(name: string) {
  return page.locator('.tabs-container .tab', { hasText: name }).first();
}

async function activeTabIs(name: string, timeoutMs = 20_000): Promise<void> {
  await tab(name).waitFor({ state: 'visible', timeout: timeoutMs });
  await poll(`the ${name} tab to be active`, async () => (await tab(name).getAttribute('class'))?.includes('active'), 10_000, 200);
}

/** A preview tab's label is in italics (VS Code's mark of a preview editor). */
async function isPreviewTab(name: string): Promise<boolean> {
  return (await tab(name).locator('.monaco-icon-label.italic').count()) > 0;
}

async function editorText(): Promise<string> {
  const t = await page.locator('.editor-instance .monaco-editor .view-lines').first().innerText({ timeout: 5000 }).catch(() => '');
  return t.replace(/\s+/g, '');
}

async function announcement(): Promise<string> {
  return (await pad.locator('[data-testid=announcer]').textContent({ timeout: 3000 }).catch(() => '')) ?? '';
}

async function openNotesAtEnd(): Promise<void> {
  await runCommand(page, 'Go to File...', { waitClosed: false });
  await pickQuickInput(page, NOTES, NOTES, 20_000);
  await activeTabIs(NOTES);
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+End');
}

describe('Sketch Search results flow in VS Code (code-server + Chromium)', { timeout: 900_000 }, () => {
  before(async () => {
    let vsix: string;
    ({ vsix, stateDir } = e2eRun('flow', PREFIX));
    workspace = path.join(stateDir, 'workspace');
    await makeE2eFolder(workspace);
    fs.writeFileSync(path.join(workspace, NOTES), NOTES_TEXT);
    console.log(`# VSIX ${vsix}\n# workspace ${workspace}`);
    // Preview editors on, as VS Code ships (the shared E2E settings turn them off).
    ({ cs, browser, page } = await startSession({ workspace, vsix, theme: 'light', stateDir, settings: { 'workbench.editor.enablePreview': true } }, consoleLines));
    view = padView(page);
    pad = view.frame;
  });

  after(() => tearDown(browser, cs, stateDir));

  e2e('opens the Sketch Pad and indexes the workspace', async () => {
    await openWorkbench(page, cs!.url);
    await view.open();
    console.log(`# status: ${await view.waitReady()}`);
  }, 180_000, true);

  e2e('a single click previews and keeps focus in the results; ArrowRight and Ctrl+Enter act on them', async () => {
    await openNotesAtEnd();
    await view.open();
    const names = await view.search(DRAWINGS.house.strokes);
    assert.ok(names.length >= 3, `too few results: ${names.join(', ')}`);
    const [first, second] = await view.rows();

    await view.items().first().click();
    await activeTabIs(first.name);
    await poll(`${first.name} to open in a preview tab`, () => isPreviewTab(first.name), 10_000, 200)
      .catch(async (e) => { throw new Error(`${(e as Error).message}\ntab: ${await tab(first.name).evaluate((el) => el.outerHTML.slice(0, 600))}`); });
    await sleep(500); // let any focus change settle
    assert.ok(await view.hasKeyboardFocus(view.items().first()), 'after a single click the clicked result must keep keyboard focus (not the image editor)');
    await screenshot(page, `${PREFIX}single-click-preview`);

    await page.keyboard.press('ArrowRight');
    await poll('ArrowRight to select the second result', async () => (await view.selectedIndex()) === 1, 5000, 100);
    assert.ok(await view.hasKeyboardFocus(view.items().nth(1)), 'focus follows the selection');

    await page.keyboard.press('Control+Enter');
    const link = `![${path.parse(second.name).name}](./${second.folder}/${second.name})`;
    await poll('the announcement of the insertion', async () => /Inserted a reference to .* into notes\.md/.test(await announcement()), 10_000, 200)
      .catch(async (e) => { throw new Error(`${(e as Error).message}; announcer: ${JSON.stringify(await announcement())}`); });
    assert.ok(await view.hasKeyboardFocus(view.items().nth(1)), 'Ctrl+Enter leaves focus in the results');
    // The preview only hid notes.md: the link went in at its cursor.
    await tab(NOTES).click();
    await activeTabIs(NOTES);
    let seen = '';
    await poll(`notes.md to contain ${link}`, async () => (seen = await editorText()).includes(link), 10_000, 200)
      .catch((e) => { throw new Error(`${(e as Error).message}\neditor text: ${JSON.stringify(seen)}`); });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+S');
    const saved = await poll('notes.md to be saved', async () => {
      const s = fs.readFileSync(path.join(workspace, NOTES), 'utf8');
      return s.includes(link) ? s : undefined;
    }, 10_000, 200);
    assert.equal(saved, NOTES_TEXT + link, 'inserted once, at the end where the cursor was');
  });

  e2e('a double click opens the result pinned and moves focus to the editor', async () => {
    await view.open();
    if ((await view.items().count()) < 3) await view.search(DRAWINGS.house.strokes);
    const third = (await view.rows())[2];
    await view.items().nth(2).dblclick();
    await activeTabIs(third.name);
    await poll(`${third.name} to be pinned (not a preview)`, async () => !(await isPreviewTab(third.name)), 10_000, 200);
    await poll('focus to leave the results for the editor', async () => !(await view.items().nth(2).evaluate((el) => el.ownerDocument.hasFocus()).catch(() => false)), 10_000, 200);
    await sleep(300);
    await screenshot(page, `${PREFIX}double-click-open`);
  });

  e2e('with no text editor open, Ctrl+Enter announces that nothing was inserted', async () => {
    await runCommand(page, 'View: Close All Editors');
    await poll('all editors to close', async () => (await page.locator('.tabs-container .tab').count()) === 0, 10_000, 200);
    await view.open();
    if ((await view.items().count()) === 0) await view.search(DRAWINGS.house.strokes);
    await view.items().first().focus();
    assert.ok(await view.hasKeyboardFocus(view.items().first()), 'could not focus the first result');
    await page.keyboard.press('Control+Enter');
    let said = '';
    // Whatever it says about inserting (the announcer also speaks for the status line and the results).
    await poll('an announcement about inserting', async () => /insert/i.test(said = await announcement()), 10_000, 200).catch(() => undefined);
    console.log(`# announced: ${JSON.stringify(said)}`);
    await screenshot(page, `${PREFIX}no-editor`);
    assert.doesNotMatch(said, /Inserted a reference/i, 'nothing was inserted, so it must not say so');
    assert.match(said, /Nothing inserted/i);
    assert.equal(fs.readFileSync(path.join(workspace, NOTES), 'utf8').length > NOTES_TEXT.length, true);
  });

  e2e('two drawings and an image query are kept; after a window reload the first drawing comes back with its results', async () => {
    await view.open();
    await view.search(DRAWINGS.house.strokes); // first drawing (3 strokes)
    await sleep(600); // the host stores it after the answered search
    await view.search(DRAWINGS.star.strokes); // second drawing (1 stroke)
    await sleep(600);
    // An image query: "Find Similar" from a result's menu.
    const target = (await view.rows())[0];
    await view.items().first().click({ button: 'right' });
    const menu = pad.locator('[data-testid=result-menu]');
    await menu.waitFor({ state: 'visible', timeout: 5000 });
    await menu.locator('[data-action=findSimilar]').click();
    await poll('the image query label', async () => (await text(pad.locator('[data-testid=query-label]'))) === `Similar to ${target.name}`, 30_000, 300);
    await poll('image query results', async () => (await view.items().count()) > 0, 30_000, 300);
    await sleep(600);
    await view.clear();
    await runCommand(page, 'View: Close All Editors');

    // Before the reload: the list as the user sees it.
    await pad.locator('[data-testid=recent-button]').click();
    const recentItems = pad.locator('[data-testid=recent-item]');
    await poll('three recent queries', async () => (await recentItems.count()) >= 3, 10_000, 200);
    await page.keyboard.press('Escape');

    await page.evaluate(() => { (window as unknown as { beforeReload?: boolean }).beforeReload = true; });
    await runCommand(page, 'Developer: Reload Window', { waitClosed: false });
    await poll('the window to reload', async () => !(await page.evaluate(() => (window as unknown as { beforeReload?: boolean }).beforeReload).catch(() => true)), 60_000, 300);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
    await view.open();
    await view.waitReady();

    await pad.locator('[data-testid=recent-button]').click();
    const list = pad.locator('[data-testid=recent-list]');
    await list.waitFor({ state: 'visible', timeout: 10_000 });
    await poll('the recent queries after the reload', async () => (await recentItems.count()) >= 3, 15_000, 200);
    const entries = await recentItems.evaluateAll((els) => els.map((e) => ({ kind: e.getAttribute('data-kind'), label: e.getAttribute('aria-label') ?? '' })));
    console.log(`# recent: ${entries.map((e) => `${e.kind}: ${e.label}`).join(' | ')}`);
    assert.deepEqual(entries.map((e) => e.kind), ['image', 'sketch', 'sketch'], 'newest first: the image query, then the star, then the house');
    assert.match(entries[0].label, new RegExp(`Similar to ${target.name.replace('.', '\\.')}`));
    assert.match(entries[1].label, /Drawing, 1 stroke\b/);
    assert.match(entries[2].label, /Drawing, 3 strokes/);
    await sleep(400); // thumbnails
    await screenshot(page, `${PREFIX}recent-list`);

    await recentItems.nth(2).click();
    await list.waitFor({ state: 'detached', timeout: 5000 });
    const names = await poll('results of the brought-back drawing', async () => {
      const n = (await view.rows()).map((r) => r.name);
      return n.length ? n : undefined;
    }, 30_000, 300);
    const rank = names.indexOf(path.basename(DRAWINGS.house.target)) + 1;
    console.log(`# brought back the house: ${names.slice(0, 5).join(', ')}`);
    assert.ok(rank >= 1 && rank <= TOP, `${DRAWINGS.house.target} should rank in the top ${TOP}, got ${rank || '-'}`);
    assert.equal(await pad.locator('.pad-hint').isVisible(), false, 'the drawing is on the pad');
    await sleep(500);
    await screenshot(page, `${PREFIX}recent-restored`);

    // Bringing it back is one undoable step.
    await view.canvas().focus();
    await page.keyboard.press('Control+Z');
    await poll('undo to take the drawing off the pad', async () => pad.locator('.pad-hint').isVisible(), 5000, 200);

    // The image entry re-runs its image query.
    await pad.locator('[data-testid=recent-button]').click();
    await poll('the recent list', async () => (await recentItems.count()) >= 3, 10_000, 200);
    await recentItems.filter({ has: pad.locator('.recent-pic.image') }).first().click();
    await poll('the image query again', async () => (await text(pad.locator('[data-testid=query-label]'))) === `Similar to ${target.name}`, 30_000, 300);

    // The popup in a dark theme (screenshot).
    await selectColorTheme(page, 'Dark Modern');
    await poll('the webview to follow the dark theme', async () => ((await pad.locator('body').getAttribute('class')) ?? '').includes('vscode-dark'), 15_000, 300);
    await pad.locator('[data-testid=recent-button]').click();
    await poll('the recent list', async () => (await recentItems.count()) >= 3, 10_000, 200);
    await sleep(400);
    await screenshot(page, `${PREFIX}recent-list-dark`);
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached', timeout: 5000 });
  }, 300_000);
});
