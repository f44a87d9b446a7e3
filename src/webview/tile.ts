/**
 * The light checkerboard tile behind images (as VS Code's image preview has): black monochrome
 * icons with transparency stay visible on dark themes. The tile must cover only the image, not
 * the letterbox around a photo, so the <img> box is given the image's own aspect ratio.
 */

/** CSS width/height (percentages of a square cell) of an image of this natural size, fitted inside. */
export function tileBox(naturalWidth: number, naturalHeight: number): { width: string; height: string } {
  if (!(naturalWidth > 0) || !(naturalHeight > 0)) return { width: '100%', height: '100%' };
  const ar = naturalWidth / naturalHeight;
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return ar >= 1 ? { width: '100%', height: pct(1 / ar) } : { width: pct(ar), height: '100%' };
}

/** Size a loaded <img> (centred in its cell by CSS) to its own aspect ratio. */
export function fitTile(img: HTMLImageElement): void {
  const b = tileBox(img.naturalWidth, img.naturalHeight);
  img.style.width = b.width;
  img.style.height = b.height;
}
