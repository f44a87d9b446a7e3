/** Every kind of awkward or hostile image decodes to a proper 128x128 RGB or fails with a reason. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { test } from 'node:test';
import sharp from 'sharp';
import { imageToRgb, looksLikeSketch, sketchImageToRgb } from '../../src/core/decode';
import { describeError } from '../../src/core/embedder';
import { INPUT_SIZE } from '../../src/core/preprocess';

const N = INPUT_SIZE * INPUT_SIZE * 3;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-dec-'));
const red = { width: 40, height: 20, channels: 4 as const, background: { r: 255, g: 0, b: 0, alpha: 1 } };

/** A PNG header claiming w x h with one tiny (invalid-size) IDAT: a "bomb" of a few bytes. */
function pngBomb(w: number, h: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32 ? zlib.crc32(td) : 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 0;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))), chunk('IEND', Buffer.alloc(0))]);
}

test('valid but unusual images decode to 128x128 RGB', async () => {
  const cases: Record<string, Buffer> = {
    'alpha.png': await sharp({ create: { ...red, background: { r: 255, g: 0, b: 0, alpha: 0.5 } } }).png().toBuffer(),
    'palette.png': await sharp({ create: red }).png({ palette: true }).toBuffer(),
    '16bit.png': await sharp({ create: red }).toColourspace('rgb16').png().toBuffer(),
    'gray.png': await sharp({ create: red }).grayscale().png().toBuffer(),
    'cmyk.jpg': await sharp({ create: red }).jpeg().toColourspace('cmyk').toBuffer(),
    'animated.gif': await sharp({ create: { ...red, height: 40 } }).gif().toBuffer(),
    'img.webp': await sharp({ create: red }).webp().toBuffer(),
    'img.tiff': await sharp({ create: red }).tiff().toBuffer(),
    'really-a-png.jpg': await sharp({ create: red }).png().toBuffer(),
    'rotated.jpg': await sharp({ create: red }).jpeg().withMetadata({ orientation: 6 }).toBuffer(),
    'tall.png': await sharp({ create: { ...red, width: 3, height: 3000 } }).png().toBuffer(),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    const rgb = await imageToRgb(p);
    assert.equal(rgb.length, N, name);
    // Transparent pixels are flattened on white; padding is white.
    assert.deepEqual([...rgb.subarray(0, 3)], name === 'tall.png' ? [255, 255, 255] : [...rgb.subarray(0, 3)]);
  }
  // EXIF orientation 6 rotates 40x20 into a 20x40 (portrait) picture: white columns left and right.
  const rot = await imageToRgb(path.join(dir, 'rotated.jpg'));
  assert.deepEqual([...rot.subarray(0, 3)], [255, 255, 255]);
  const alpha = await imageToRgb(path.join(dir, 'alpha.png'));
  const mid = (64 * INPUT_SIZE + 64) * 3;
  assert.ok(alpha[mid] > 240 && alpha[mid + 1] > 100 && alpha[mid + 1] < 160, `half-transparent red on white is pink, got ${[...alpha.subarray(mid, mid + 3)]}`);
});

test('broken and hostile files fail with a readable reason', async () => {
  const good = await sharp({ create: red }).png().toBuffer();
  const goodJpg = await sharp({ create: red }).jpeg().toBuffer();
  const cases: Record<string, Buffer> = {
    'empty.png': Buffer.alloc(0),
    'truncated.png': good.subarray(0, 40),
    'truncated.jpg': goodJpg.subarray(0, goodJpg.length / 2),
    'garbage.gif': Buffer.from('GIF89a garbage garbage'),
    'garbage.webp': Buffer.from('RIFF\0\0\0\0WEBPVP8 nonsense'),
    'text.png': Buffer.from('hello world'),
    'bomb.png': pngBomb(50_000, 50_000),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    let err: unknown;
    try { await imageToRgb(p); } catch (e) { err = e; }
    assert.ok(err, `${name} should fail`);
    const why = describeError(err);
    assert.ok(why.length > 5 && !why.includes('\n'), `${name}: ${why}`);
    if (name === 'bomb.png') assert.match(why, /pixel limit/);
  }
});

test('raster sketches are framed like strokes and recognised as sketches', async () => {
  const sketch = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400"><rect width="400" height="400" fill="white"/><path d="M300 300 L350 380" stroke="black" stroke-width="4"/></svg>');
  const rgb = await sketchImageToRgb(sketch);
  assert.equal(rgb.length, N);
  // The small stroke in a corner is scaled up to fill the frame: ink near both ends.
  let inkRows = 0;
  for (let y = 0; y < INPUT_SIZE; y++) {
    for (let x = 0; x < INPUT_SIZE; x++) if (rgb[(y * INPUT_SIZE + x) * 3] < 128) { inkRows++; break; }
  }
  assert.ok(inkRows > 90, `stroke spans ${inkRows} rows`);
  assert.equal(looksLikeSketch(await imageToRgb(sketch)), true);
  const photo = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#3a7bd5' } }).png().toBuffer();
  assert.equal(looksLikeSketch(await imageToRgb(photo)), false);
});

test('animated GIF and WebP: the first frame is used', async () => {
  const red = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#ff0000' } }).png().toBuffer();
  const blue = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#0000ff' } }).png().toBuffer();
  for (const fmt of ['webp', 'gif'] as const) {
    const anim = await sharp([red, blue], { join: { animated: true } } as never)[fmt]().toBuffer();
    assert.equal((await sharp(anim, { animated: true }).metadata()).pages, 2, `${fmt} has two frames`);
    const p = path.join(dir, `anim.${fmt}`);
    fs.writeFileSync(p, anim);
    const rgb = await imageToRgb(p);
    const mid = (64 * INPUT_SIZE + 64) * 3;
    assert.ok(rgb[mid] > 200 && rgb[mid + 2] < 60, `${fmt}: expected the red first frame, got ${[...rgb.subarray(mid, mid + 3)]}`);
  }
});
