/**
 * The one definition of how an image file becomes the encoder's RGB input (before rgbToTensor).
 * Training prepares its images through this same function (training/prep_images.ts), so the
 * tensors match by construction.
 *
 * - EXIF orientation applied, first frame of animations, alpha flattened on white.
 * - SVG rendered at a density that makes its longer side about INPUT_SIZE * 2 px (crisp icons).
 * - Fitted (aspect preserved) into INPUT_SIZE x INPUT_SIZE, padded with white, sRGB, 3 channels.
 */
import * as fs from 'fs';
import sharp from 'sharp';
import { INPUT_SIZE, SKETCH_MARGIN } from './preprocess';
import { imageCompleteness } from './truncatedImage';

export const MAX_INPUT_PIXELS = 100_000_000; // decompression-bomb cap (sharp's limitInputPixels)

export interface DecodeOptions {
  size?: number;
  maxInputPixels?: number;
}

/** Decode any supported image (path or bytes) to S*S*3 RGB bytes. Throws with a readable message. */
export async function imageToRgb(input: string | Buffer, opts: DecodeOptions = {}): Promise<Buffer> {
  // Always decode from bytes: given a path, librsvg would resolve <image href="relative.png">
  // against the SVG's folder and read other files (test/unit/svg-safety.test.ts).
  if (typeof input === 'string') input = await fs.promises.readFile(input);
  const bytes = input;
  return decodeRgb(bytes, opts).catch((e: unknown) => { throw withTruncation(bytes, e); });
}

/**
 * A failed decode of a PNG, JPEG, GIF or WebP is called truncated or damaged from the file's own
 * structure, whatever text the decoder gave (libvips' error text is shared between threads and is
 * generic for libpng: "read error" for both).
 */
function withTruncation(bytes: Buffer, e: unknown): unknown {
  const said = e instanceof Error ? e.message.split('\n')[0] : String(e);
  if (/pixel limit/i.test(said)) return e; // a bomb stays a bomb
  const c = imageCompleteness(bytes);
  if (!c) return e;
  return new Error(`${c.format} file is ${c.complete ? 'damaged' : 'truncated'} (decoder: ${said})`);
}

async function decodeRgb(input: Buffer, opts: DecodeOptions): Promise<Buffer> {
  const size = opts.size ?? INPUT_SIZE;
  const limitInputPixels = opts.maxInputPixels ?? MAX_INPUT_PIXELS;
  const base = { limitInputPixels, failOn: 'error' as const, animated: false };
  let img = sharp(input, base);
  const meta = await img.metadata();
  if (meta.format === 'svg') {
    const w = meta.width ?? size, h = meta.height ?? size;
    const longer = Math.max(w, h, 1);
    // librsvg renders at 72 dpi by default; scale so small-viewBox icons are not upscaled blurs.
    const density = Math.min(2400, Math.max(1, (72 * size * 2) / longer));
    img = sharp(input, { ...base, density });
  }
  return img
    .rotate()
    .flatten({ background: '#ffffff' })
    .resize(size, size, { fit: 'contain', background: '#ffffff', kernel: 'lanczos3' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
}

/**
 * A raster sketch (dark strokes on light paper, any framing) -> RGB framed like rasterizeStrokes:
 * trimmed to the ink, fitted into INPUT_SIZE - 2 * SKETCH_MARGIN, centred on white.
 */
export async function sketchImageToRgb(input: string | Buffer, opts: DecodeOptions = {}): Promise<Buffer> {
  const size = opts.size ?? INPUT_SIZE;
  const inner = size - 2 * SKETCH_MARGIN;
  const rgb = await imageToRgb(input, { ...opts, size: 512 });
  let img = sharp(rgb, { raw: { width: 512, height: 512, channels: 3 } });
  try {
    const trimmed = await img.trim({ background: '#ffffff', threshold: 40 }).png().toBuffer();
    img = sharp(trimmed);
  } catch {
    // blank page: nothing to trim
    img = sharp(rgb, { raw: { width: 512, height: 512, channels: 3 } });
  }
  return img
    .resize(inner, inner, { fit: 'contain', background: '#ffffff', kernel: 'lanczos3' })
    .extend({ top: SKETCH_MARGIN, bottom: SKETCH_MARGIN, left: SKETCH_MARGIN, right: SKETCH_MARGIN, background: '#ffffff' })
    .removeAlpha()
    .raw()
    .toBuffer();
}

/** Heuristic: mostly light paper with a little dark, unsaturated ink = a sketch, not a picture. */
export function looksLikeSketch(rgb: Uint8Array): boolean {
  let ink = 0, colourful = 0;
  const n = rgb.length / 3;
  for (let i = 0; i < n; i++) {
    const r = rgb[3 * i], g = rgb[3 * i + 1], b = rgb[3 * i + 2];
    const max = Math.max(r, g, b), min = Math.min(r, g, b);
    if (max - min > 60) colourful++;
    if (max < 160) ink++;
  }
  return colourful / n < 0.02 && ink / n > 0.0005 && ink / n < 0.3;
}
