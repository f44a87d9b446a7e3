/**
 * Webview strings: `t("English text {0}", arg)` like vscode.l10n.t. The host embeds
 * vscode.l10n.bundle (the translations of l10n/bundle.l10n.<lang>.json, keyed by the English text)
 * in the page as <script type="application/json" id="l10n-bundle">; without it, English.
 */

export type Bundle = Record<string, string | { message: string }>;

export function format(message: string, args: readonly unknown[]): string {
  return message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] === undefined ? m : String(args[Number(i)])));
}

export function makeT(bundle: unknown): (message: string, ...args: unknown[]) => string {
  const b = (typeof bundle === 'object' && bundle !== null && !Array.isArray(bundle) ? bundle : {}) as Bundle;
  return (message, ...args) => {
    const e = Object.prototype.hasOwnProperty.call(b, message) ? b[message] : undefined;
    const text = typeof e === 'string' ? e : typeof e === 'object' && e && typeof e.message === 'string' ? e.message : message;
    return format(text, args);
  };
}

function readBundle(): unknown {
  try {
    const el = typeof document !== 'undefined' ? document.getElementById('l10n-bundle') : null;
    return el?.textContent ? JSON.parse(el.textContent) : undefined;
  } catch {
    return undefined;
  }
}

/** The webview's translate function (English when no bundle was embedded). */
export const t = makeT(readBundle());
