/**
 * The one definition of how an image file becomes the encoder's RGB input (before rgbToTensor).
 * Training prepares its images through this same function (training/prep_images.ts), so the
 * tensors match by construction.
 *
 * - EXIF orientation applied, first frame of animations, alpha flattened on white.
 * - SVG rendered at a density that makes its longer side about INPUT_SIZE * 2 px (crisp icons).
 * - Fitted (aspect preserved) into INPUT_SIZE x INPUT_SIZE, padded with white, sRGB, 3 channels.
 */
import sharp from 'sharp';
import { INPUT_SIZE } from './preprocess';

export const MAX_INPUT_PIXELS = 100_000_000; // decompression-bomb cap (sharp's limitInputPixels)

export interface DecodeOptions {
  size?: number;
  maxInputPixels?: number;
}

/** Decode any supported image (path or bytes) to S*S*3 RGB bytes. Throws with a readable message. */
export async function imageToRgb(input: string | Buffer, opts: DecodeOptions = {}): Promise<Buffer> {
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
