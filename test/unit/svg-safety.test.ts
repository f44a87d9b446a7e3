/**
 * SVG is untrusted input: rendering (sharp/librsvg, from bytes) must never touch the network or
 * read another file, and entity tricks must not hang or leak. See core/decode.ts.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import sharp from 'sharp';
import { imageToRgb } from '../../src/core/decode';

const svg = (inner: string, pre = '') =>
  `<?xml version="1.0"?>${pre}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 100" width="100" height="100">${inner}</svg>`;

function redPixels(rgb: Buffer): number {
  let n = 0;
  for (let i = 0; i < rgb.length; i += 3) if (rgb[i] > 200 && rgb[i + 1] < 60 && rgb[i + 2] < 60) n++;
  return n;
}

test('external references are neither fetched nor read', async () => {
  const hits: string[] = [];
  const server = net.createServer((s) => { hits.push('connection'); s.destroy(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-svg-'));
  const secretPng = path.join(dir, 'secret.png');
  await sharp({ create: { width: 50, height: 50, channels: 3, background: '#ff0000' } }).png().toFile(secretPng);
  const secretTxt = path.join(dir, 'secret.txt');
  fs.writeFileSync(secretTxt, 'TOP-SECRET');
  try {
    const cases = [
      svg(`<image href="http://127.0.0.1:${port}/x.png" width="100" height="100"/>`),
      svg(`<image xlink:href="http://127.0.0.1:${port}/y.png" width="100" height="100"/>`),
      svg(`<image href="file://${secretPng}" width="100" height="100"/>`),
      svg(`<image xlink:href="${secretPng}" width="100" height="100"/>`),
      svg(`<image href="secret.png" width="100" height="100"/>`),
      svg(`<use href="file://${dir}/other.svg#a"/>`),
      svg(`<style>@import url(http://127.0.0.1:${port}/a.css);</style><rect width="10" height="10"/>`),
      svg(`<rect width="100" height="100" fill="url(http://127.0.0.1:${port}/p#g)"/>`),
      svg(`<text x="5" y="50">&xxe;</text>`, `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "file://${secretTxt}">]>`),
      svg(`<text x="5" y="50">&xxe;</text>`, `<!DOCTYPE svg [<!ENTITY xxe SYSTEM "http://127.0.0.1:${port}/e">]>`),
      svg(`<script>fetch('http://127.0.0.1:${port}/s')</script><rect width="10" height="10"/>`),
    ];
    for (const c of cases) {
      // In the secret's folder, passed by path as the indexer does.
      const file = path.join(dir, `case-${cases.indexOf(c)}.svg`);
      fs.writeFileSync(file, c);
      try {
        const rgb = await imageToRgb(file);
        assert.equal(redPixels(rgb), 0, `secret image content leaked into the render of case ${cases.indexOf(c)}`);
      } catch {
        // refusing to render is fine too
      }
    }
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(hits, [], 'the renderer connected to the network');
  } finally {
    server.close();
  }
});

test('billion laughs and enormous viewBoxes finish quickly', async () => {
  let ents = '<!ENTITY lol "lol">';
  for (let i = 1; i < 10; i++) ents += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`;
  const bomb = svg('<text x="0" y="20">&lol9;</text>', `<!DOCTYPE svg [${ents}]>`);
  const huge = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1000000000 1000000000" width="1000000000" height="1000000000"><circle cx="5e8" cy="5e8" r="4e8"/></svg>`;
  for (const c of [bomb, huge]) {
    const t0 = Date.now();
    try { await imageToRgb(Buffer.from(c)); } catch { /* rejecting is fine */ }
    assert.ok(Date.now() - t0 < 10_000, 'took too long');
  }
});
