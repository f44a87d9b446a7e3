/**
 * The workbench's sidebar as a user handles it: its width (dragging the sash, as a person does),
 * the Sketch Pad view's frame, the Explorer, and the colour theme.
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { poll, runCommand, selectColorTheme, sleep } from './workbench';

/** The outer iframe of the extension's webview view: its box is the view's content area. */
export function viewIframe(page: Page, extensionId = 'sketch-search.sketch-search'): Locator {
  return page.locator(`iframe.webview[src*="extensionId=${extensionId}"]`).first();
}

/** Drags the sash between the sidebar and the editor until the sidebar is `width` px wide (±2). */
export async function setSidebarWidth(page: Page, width: number): Promise<number> {
  const sidebar = page.locator('.part.sidebar').first();
  let got = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    const box = await sidebar.boundingBox();
    if (!box) throw new Error('no sidebar');
    got = box.width;
    if (Math.abs(got - width) <= 2) return got;
    const right = box.x + box.width;
    const sash = await page.evaluate((x) => {
      const all = [...document.querySelectorAll('.monaco-sash.vertical')].map((e) => e.getBoundingClientRect());
      const r = all.filter((b) => b.height > 200 && Math.abs(b.left + b.width / 2 - x) < 8)[0];
      return r ? { x: r.left + r.width / 2, y: r.top + r.height / 2 } : null;
    }, right);
    if (!sash) throw new Error(`no sash at the sidebar's right edge (x=${right})`);
    await page.mouse.move(sash.x, sash.y);
    await page.mouse.down();
    await page.mouse.move(sash.x + (width - got) / 2, sash.y, { steps: 4 });
    await page.mouse.move(sash.x + (width - got), sash.y, { steps: 4 });
    await page.mouse.up();
    await sleep(300);
  }
  const box = await sidebar.boundingBox();
  got = box?.width ?? 0;
  if (Math.abs(got - width) > 2) throw new Error(`the sidebar is ${got} px wide, not ${width}`);
  return got;
}

/** (Shared with the other E2E files: helpers/pad.ts.) */
export { waitReadyIn as waitReady } from './pad';

export async function openSketchPad(page: Page, pad: FrameLocator): Promise<void> {
  await runCommand(page, 'Sketch Search: Open Sketch Pad');
  await poll('the sketch pad to show', async () => (await pad.locator('[data-testid=pad-canvas]').count()) > 0
    && (await pad.locator('[data-testid=toolbar], .toolbar').first().isVisible()), 30_000, 300);
}

/** A row of the Explorer tree by its exact label. */
export function explorerRow(page: Page, name: string): Locator {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return page.locator('.explorer-folders-view .monaco-list-row').filter({ hasText: new RegExp(`^\\s*${esc}\\s*$`) }).first();
}

export async function showExplorerItem(page: Page, relPath: string): Promise<Locator> {
  await runCommand(page, 'View: Show Explorer');
  const parts = relPath.split('/');
  for (const folder of parts.slice(0, -1)) {
    const row = explorerRow(page, folder);
    await row.waitFor({ state: 'visible', timeout: 20_000 });
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
  }
  const row = explorerRow(page, parts[parts.length - 1]);
  await row.waitFor({ state: 'visible', timeout: 20_000 });
  return row;
}

/** Explorer → right-click `relPath` → the context-menu entry `label`. */
export async function explorerContextCommand(page: Page, relPath: string, label: string): Promise<void> {
  const row = await showExplorerItem(page, relPath);
  await row.click({ button: 'right' });
  const entry = page.locator('.monaco-menu .action-item .action-label', { hasText: label }).first();
  await entry.waitFor({ state: 'visible', timeout: 10_000 });
  await sleep(300); // the menu fades in
  await entry.click();
}

export const THEME_PICK = { light: { pick: 'Light Modern', cls: 'vs', body: 'vscode-light' }, dark: { pick: 'Dark Modern', cls: 'vs-dark', body: 'vscode-dark' } } as const;

export async function switchTheme(page: Page, pad: FrameLocator, theme: keyof typeof THEME_PICK): Promise<void> {
  const { pick, cls, body } = THEME_PICK[theme];
  await selectColorTheme(page, pick);
  await poll(`the workbench to switch to ${pick}`, async () => ((await page.locator('.monaco-workbench').getAttribute('class')) ?? '').split(/\s+/).includes(cls), 30_000, 300);
  await poll(`the webview to follow ${pick}`, async () => ((await pad.locator('body').getAttribute('class', { timeout: 3000 })) ?? '').split(/\s+/).includes(body), 15_000, 300);
  await sleep(400);
}
