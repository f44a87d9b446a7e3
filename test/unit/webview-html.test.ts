import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderWebviewHtml } from '../../src/webview/html';

const base = {
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/webview.css',
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'a1B2c3D4e5F6g7H8',
};

function csp(html: string): string {
  const m = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html);
  assert.ok(m, 'CSP meta present');
  return m[1].replace(/&#39;/g, "'");
}

test('the page carries the required CSP and a nonce on its only script', () => {
  const html = renderWebviewHtml(base);
  assert.equal(
    csp(html),
    "default-src 'none'; img-src https://*.vscode-cdn.net data:; style-src https://*.vscode-cdn.net 'unsafe-inline'; script-src 'nonce-a1B2c3D4e5F6g7H8'; font-src https://*.vscode-cdn.net",
  );
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(scripts.length, 1);
  assert.match(scripts[0], /nonce="a1B2c3D4e5F6g7H8"/);
  assert.match(scripts[0], /src="https:\/\/file\+\.vscode-resource\.vscode-cdn\.net\/ext\/media\/webview\.js"/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/file\+[^"]*webview\.css">/);
  assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
  assert.doesNotMatch(html, /vscode-codicon-stylesheet/);
});

test('codicons are linked with the id @vscode-elements looks for', () => {
  const html = renderWebviewHtml({ ...base, codiconsUri: 'https://x.vscode-cdn.net/codicon.css' });
  assert.match(html, /<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https:\/\/x\.vscode-cdn\.net\/codicon\.css"/);
});

test('URIs are attribute-escaped and bad nonces / CSP sources are refused', () => {
  const html = renderWebviewHtml({ ...base, scriptUri: 'https://x/a"><script>alert(1)</script>' });
  assert.doesNotMatch(html, /<script>alert/);
  assert.throws(() => renderWebviewHtml({ ...base, nonce: "x'; script-src *" }));
  assert.throws(() => renderWebviewHtml({ ...base, nonce: '' }));
  assert.throws(() => renderWebviewHtml({ ...base, cspSource: "https://x; script-src 'unsafe-eval'" }));
});

test('accepts the cspSource that VS Code in the browser (code-server) uses', () => {
  const html = renderWebviewHtml({ ...base, cspSource: "'self' https://*.vscode-cdn.net" });
  assert.match(html, /img-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net data:/);
});
