/**
 * Drives the VS Code workbench (code-server in Debian's Chromium) with playwright-core.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Browser, type FrameLocator, type Locator, type Page } from 'playwright-core';
import { REPO } from './codeServer';
import type { Pt } from '../drawings';

export const RESULTS_DIR = path.join(REPO, 'test-results/e2e');
export const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium (or set E2E_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-dev-shm-usage', '--no-first-run', '--password-store=basic'],
  });
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

/** Thrown inside a poll() callback to stop polling at once (a state that will not get better). */
export class Fatal extends Error {}

/** Polls fn until it returns a truthy value; throws with `what` (and the last error) on timeout. */
export async function poll<T>(what: string, fn: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e instanceof Fatal) throw e;
      lastErr = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** Loads the workbench and waits until it is usable (explorer shows the folder). */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
  // The status bar appears once the workbench is restored; the remote connection indicator once the server answered.
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 90_000 });
  await dismissNotifications(page);
}

export async function dismissNotifications(page: Page): Promise<void> {
  const clear = page.locator('.notifications-toasts .codicon-notifications-clear-all, .notification-toast .codicon-close');
  for (let i = 0; i < 5 && await clear.count(); i++) {
    await clear.first().click({ timeout: 2000 }).catch(() => undefined);
  }
}

const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

/** Types into the open quick input (as a person would: keystrokes, so the list filters). */
async function typeQuickInput(page: Page, value: string): Promise<void> {
  const input = page.locator(QUICK_INPUT);
  await input.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(value, { delay: 10 });
}

/** Picks the quick-input row whose label contains `label` (retyping `filter` until it shows). */
export async function pickQuickInput(page: Page, filter: string, label: string, timeoutMs = 60_000): Promise<void> {
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await poll(`"${label}" in the quick input`, async () => {
    if (await row.isVisible().catch(() => false)) return true;
    await typeQuickInput(page, filter);
    await sleep(700);
    return row.isVisible().catch(() => false);
  }, timeoutMs, 300);
  await row.click();
}

/** Runs a command through the command palette (F1), matching its full label. */
export async function runCommand(page: Page, label: string, opts: { waitClosed?: boolean } = {}): Promise<void> {
  const input = page.locator(QUICK_INPUT);
  await poll(`the command palette to open`, async () => {
    if (await input.isVisible()) return true;
    await page.keyboard.press('F1');
    await sleep(500);
    return input.isVisible();
  }, 20_000, 200);
  await pickQuickInput(page, `>${label}`, label);
  if (opts.waitClosed !== false) await input.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** Switches the color theme with "Preferences: Color Theme" (VS Code writes it to the user settings). */
export async function selectColorTheme(page: Page, themeLabel: string): Promise<void> {
  await runCommand(page, 'Preferences: Color Theme', { waitClosed: false }); // the theme list opens in its place
  await pickQuickInput(page, themeLabel, themeLabel, 20_000);
  await page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
}

/** The inner frame of the extension's webview view (VS Code nests two iframes). */
export function webviewFrame(page: Page, extensionId = 'sketch-search.sketch-search'): FrameLocator {
  return page
    .frameLocator(`iframe.webview[src*="extensionId=${extensionId}"]`)
    .frameLocator('iframe#active-frame');
}

/** Draws strokes (unit coordinates) with the real mouse on the canvas. */
export async function drawStrokes(page: Page, canvas: Locator, strokes: Pt[][]): Promise<void> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await poll('the pad canvas to have a size', async () => {
    const b = await canvas.boundingBox();
    return b && b.width > 20 && b.height > 20 ? b : undefined;
  }, 15_000, 250);
  const m = 0.06; // keep clear of the edges
  const at = (p: Pt) => ({ x: box.x + box.width * (m + p.x * (1 - 2 * m)), y: box.y + box.height * (m + p.y * (1 - 2 * m)) });
  for (const stroke of strokes) {
    const first = at(stroke[0]);
    await page.mouse.move(first.x, first.y);
    await page.mouse.down();
    for (const p of stroke.slice(1)) {
      const q = at(p);
      await page.mouse.move(q.x, q.y, { steps: 3 });
    }
    await page.mouse.up();
    await sleep(50);
  }
}

/** data-name of each result item, in order. */
export async function resultNames(frame: FrameLocator): Promise<string[]> {
  const items = frame.locator('[data-testid=result-item]');
  return items.evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? (e.textContent ?? '').trim()));
}

export async function text(locator: Locator): Promise<string> {
  return ((await locator.innerText({ timeout: 5000 }).catch(() => '')) ?? '').trim();
}
