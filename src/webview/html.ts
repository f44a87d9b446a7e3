/**
 * The sidebar webview's HTML page (pure: no vscode import, so the host's view provider and tests
 * can both call it). The UI itself is built at runtime by media/webview.js (src/webview/main.ts).
 */

export interface WebviewHtmlOptions {
  /** webview.asWebviewUri(media/webview.js) */
  scriptUri: string;
  /** webview.asWebviewUri(media/webview.css) */
  styleUri: string;
  /**
   * Optional webview URI of @vscode/codicons' codicon.css (its codicon.ttf next to it), linked with
   * the id @vscode-elements' <vscode-icon> looks for. Not needed today: the webview draws its few
   * icons as inline SVG (src/webview/icons.ts).
   */
  codiconsUri?: string;
  /** webview.cspSource */
  cspSource: string;
  /** A fresh random nonce per render (e.g. 32 base64/hex characters). */
  nonce: string;
  /** vscode.l10n.bundle: translations of the webview's English strings (undefined in English). */
  l10n?: Record<string, string | { message: string; comment?: string[] }>;
  /** vscode.env.language, for <html lang>. */
  lang?: string;
}

/** JSON safe to embed in a <script type="application/json"> element. */
export function jsonForScript(x: unknown): string {
  return JSON.stringify(x ?? {}).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Escape a value for use inside a double-quoted HTML attribute. */
export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&#39;');
}

export function renderWebviewHtml(o: WebviewHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]{8,}$/.test(o.nonce)) throw new Error('renderWebviewHtml: nonce must be 8+ base64/hex characters');
  if (!o.cspSource || /[;"\r\n<>,]/.test(o.cspSource)) throw new Error('renderWebviewHtml: invalid cspSource');
  const csp = [
    `default-src 'none'`,
    `img-src ${o.cspSource} data:`,
    `style-src ${o.cspSource} 'unsafe-inline'`,
    `script-src 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  const a = escapeAttr;
  const codicons = o.codiconsUri
    ? `\n    <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${a(o.codiconsUri)}" nonce="${a(o.nonce)}">`
    : '';
  const lang = o.lang && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(o.lang) ? o.lang : 'en';
  const bundle = o.l10n && Object.keys(o.l10n).length > 0
    ? `\n    <script type="application/json" id="l10n-bundle" nonce="${a(o.nonce)}">${jsonForScript(o.l10n)}</script>`
    : '';
  return `<!DOCTYPE html>
<html lang="${a(lang)}">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${a(csp)}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    <link rel="stylesheet" href="${a(o.styleUri)}">${codicons}
    <title>Sketch Search</title>
  </head>
  <body>
    <main id="app" aria-label="Sketch Search"></main>${bundle}
    <script nonce="${a(o.nonce)}" src="${a(o.scriptUri)}"></script>
  </body>
</html>
`;
}
