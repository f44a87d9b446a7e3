/**
 * The Sketch Pad view as a test uses it: open it, wait for the index, clear it, draw and wait
 * for results, read the result rows. One object per page (the webview frame re-resolves itself
 * after a reload of the window).
 */
import type { FrameLocator, Locator, Page } from 'playwright-core';
import type { Pt } from '../drawings';
import { Fatal, drawStrokes, poll, resultNames, runCommand, text, webviewFrame } from './workbench';

export interface ResultRow { name: string; folder: string; type: string; selected: string }

/** Wait until the view's status line says the index is ready; its text. */
export async function waitReadyIn(frame: FrameLocator, timeoutMs = 120_000): Promise<string> {
  const status = frame.locator('[data-testid=status-line]');
  return poll('the status line to report the index ready', async () => {
    const state = await status.getAttribute('data-state', { timeout: 2000 }).catch(() => null);
    const t = await text(status);
    if (state === 'error') throw new Fatal(`status line reports an error: ${t}`);
    return state === 'ready' ? t || 'ready' : undefined;
  }, timeoutMs, 500);
}

/** The pad's clear button (also clears host-pushed image results); waits for the results to go. */
export async function clearPadIn(frame: FrameLocator): Promise<void> {
  const items = frame.locator('[data-testid=result-item]');
  const btn = frame.locator('[data-testid=clear-button]');
  if ((await items.count()) || (await btn.getAttribute('aria-disabled')) === 'false') await btn.click();
  await poll('results to clear', async () => (await items.count()) === 0, 10_000, 200);
}

/** Per result tile in the view's viewport: whether its thumbnail image has loaded. */
async function visibleThumbsIn(frame: FrameLocator): Promise<{ name: string; loaded: boolean }[]> {
  return frame.locator('[data-testid=result-item]').evaluateAll((els) => els
    .filter((e) => { const r = e.getBoundingClientRect(); return r.bottom > 0 && r.top < window.innerHeight && r.width > 0; })
    .map((e) => {
      const img = e.querySelector('.thumb img') as HTMLImageElement | null;
      return { name: e.getAttribute('data-name') ?? '', loaded: !!img && img.complete && img.naturalWidth > 0 };
    }));
}

/** Wait until every result tile in view (at least `min` of them) shows its thumbnail, not the placeholder. */
export async function waitThumbnailsIn(frame: FrameLocator, what: string, min = 3, timeoutMs = 20_000): Promise<void> {
  let last: { name: string; loaded: boolean }[] = [];
  try {
    await poll(what, async () => {
      last = await visibleThumbsIn(frame);
      return last.length >= min && last.every((t) => t.loaded);
    }, timeoutMs, 400);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nvisible tiles: ${last.map((t) => `${t.name}${t.loaded ? '' : '(placeholder)'}`).join(', ')}`);
  }
}

export function padView(page: Page) {
  const frame: FrameLocator = webviewFrame(page);
  const items = (): Locator => frame.locator('[data-testid=result-item]');
  const canvas = (): Locator => frame.locator('[data-testid=pad-canvas]');

  async function open(): Promise<void> {
    await runCommand(page, 'Sketch Search: Open Sketch Pad');
    await poll('the sketch pad canvas', async () => canvas().isVisible(), 30_000, 300);
  }

  const waitReady = (timeoutMs?: number): Promise<string> => waitReadyIn(frame, timeoutMs);
  const clear = (): Promise<void> => clearPadIn(frame);

  /** Clear, draw, and wait for results; their names. */
  async function search(strokes: Pt[][], timeoutMs = 30_000): Promise<string[]> {
    await clear();
    await drawStrokes(page, canvas(), strokes);
    return poll('search results', async () => {
      const names = await resultNames(frame);
      return names.length ? names : undefined;
    }, timeoutMs, 300);
  }

  async function rows(): Promise<ResultRow[]> {
    return items().evaluateAll((els) => els.map((e) => ({
      name: e.getAttribute('data-name') ?? '',
      folder: (e.querySelector('.folder')?.textContent ?? '').trim(),
      type: e.getAttribute('data-file-type') ?? '',
      selected: e.getAttribute('aria-selected') ?? '',
    })));
  }

  async function selectedIndex(): Promise<number> {
    return items().evaluateAll((els) => els.findIndex((e) => e.getAttribute('aria-selected') === 'true'));
  }

  /** Whether the element has focus in its frame and that frame has the browser's focus (keys go there). */
  async function hasKeyboardFocus(loc: Locator): Promise<boolean> {
    return loc.evaluate((el) => el.ownerDocument.activeElement === el && el.ownerDocument.hasFocus(), undefined, { timeout: 3000 }).catch(() => false);
  }

  return { frame, items, canvas, open, waitReady, clear, search, rows, selectedIndex, hasKeyboardFocus };
}
