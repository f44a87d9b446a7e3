/**
 * A file cut short is called truncated from its own structure, also when libvips' shared error
 * buffer hands a failed decode "Unknown error" or another operation's text (two failing decodes at
 * once: a query image and its thumbnail). CI saw exactly that: "could not be decoded" for a half PNG.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { imageToRgb } from '../../src/core/decode';
import { plainImageReason } from '../../src/core/imageErrors';
import { imageCompleteness } from '../../src/core/truncatedImage';

/** A 96x96 picture with enough detail that each format needs several kB. */
async function picture(format: 'png' | 'jpeg' | 'gif' | 'webp'): Promise<Buffer> {
  const raw = Buffer.alloc(96 * 96 * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (i * 7919 + ((i / 288) | 0) * 104729) % 251;
  return sharp(raw, { raw: { width: 96, height: 96, channels: 3 } })[format]().toBuffer();
}

const reason = async (b: Buffer): Promise<string> => {
  try { await imageToRgb(b); return 'decoded'; } catch (e) { return plainImageReason(e); }
};

const FORMATS = [['png', 'PNG', 8], ['jpeg', 'JPEG', 3], ['gif', 'GIF', 6], ['webp', 'WebP', 12]] as const;

test('whole files are not truncated; every cut after the signature is, in each format', async () => {
  for (const [fmt, name, sig] of FORMATS) {
    const full = await picture(fmt);
    assert.deepEqual(imageCompleteness(full), { format: name, complete: true }, `${fmt} whole`);
    assert.equal(await reason(full), 'decoded', `${fmt} whole decodes`);
    const cuts = new Set([sig, sig + 1, 20, 40, Math.floor(full.length / 3), Math.floor(full.length / 2), full.length - 2, full.length - 1]);
    for (const n of cuts) assert.deepEqual(imageCompleteness(full.subarray(0, n)), { format: name, complete: false }, `${fmt} cut at ${n} of ${full.length}`);
  }
  assert.equal(imageCompleteness(Buffer.from('hello world, not an image')), undefined);
  assert.equal(imageCompleteness(Buffer.from([0x89, 0x50, 0x4e])), undefined, 'too short to say what it is');
});

test('a failed decode of a cut file says "the file is truncated"; a whole but damaged file does not', async () => {
  for (const [fmt] of FORMATS) {
    const full = await picture(fmt);
    for (const f of [0.25, 0.5, 0.9]) {
      assert.equal(await reason(full.subarray(0, Math.floor(full.length * f))), 'the file is truncated', `${fmt} at ${f}`);
    }
  }
  // Whole PNG, its image data scrambled (chunk framing intact): damaged or undecodable, not truncated.
  const png = await picture('png');
  const bad = Buffer.from(png);
  const idat = bad.indexOf('IDAT', 8, 'latin1');
  for (let i = idat + 10; i < idat + 200; i++) bad[i] ^= 0x5a;
  assert.deepEqual(imageCompleteness(bad), { format: 'PNG', complete: true });
  assert.notEqual(await reason(bad), 'the file is truncated');
  // A decompression bomb keeps its own reason.
  assert.match(await (async () => { try { await imageToRgb(png, { maxInputPixels: 100 }); return ''; } catch (e) { return plainImageReason(e); } })(), /pixel limit/);
});

test('failing decodes at the same time (query + thumbnail + indexer) all still say truncated', async () => {
  const png = await picture('png');
  const half = png.subarray(0, Math.floor(png.length / 2));
  const thumbnail = () => sharp(half, { failOn: 'error' }).resize(64, 64, { fit: 'inside' }).png().toBuffer().catch(() => undefined);
  const reasons = new Set<string>();
  for (let round = 0; round < 40; round++) {
    const rs = await Promise.all([reason(half), thumbnail(), reason(half), thumbnail(), reason(half)]);
    for (const r of rs) if (typeof r === 'string') reasons.add(r);
  }
  assert.deepEqual([...reasons], ['the file is truncated']);
});
