/**
 * How big the sketch pad is (pure: no DOM). The pad is square (strokes are normalised by its
 * side), pinned above the results, and never takes so much of the view that the results vanish.
 */

/** The smallest pad that is still usable for drawing, in CSS pixels. */
export const MIN_PAD = 120;
/** A pad the user did not size takes at most this share of the view's height. */
export const DEFAULT_HEIGHT_SHARE = 0.45;
/** A pad the user sized takes at most this share of the view's height: results always keep room. */
export const MAX_HEIGHT_SHARE = 0.6;
/** Keyboard resize step of the drag handle (Shift: a big step). */
export const PAD_STEP = 16;
export const PAD_BIG_STEP = 64;

export interface PadBounds {
  /** Width available to the pad (the view's content width). */
  width: number;
  /** Height of the whole view. */
  height: number;
}

/** The largest side the pad may have in these bounds. */
export function maxPadSide(b: PadBounds): number {
  const w = Math.max(0, Math.floor(b.width));
  const cap = Math.floor(Math.max(0, b.height) * MAX_HEIGHT_SHARE);
  // In a view too small for MIN_PAD the width still wins: a pad wider than the view is useless.
  return Math.min(w, Math.max(MIN_PAD, cap));
}

/**
 * The pad's side in CSS pixels: the user's size (null: not sized, follow the view) clamped to
 * [MIN_PAD, maxPadSide]. Invalid sizes count as not sized.
 */
export function padSide(requested: number | null | undefined, b: PadBounds): number {
  const max = maxPadSide(b);
  const min = Math.min(MIN_PAD, max);
  const want = typeof requested === 'number' && Number.isFinite(requested) && requested > 0
    ? requested
    : Math.min(b.width, Math.max(0, b.height) * DEFAULT_HEIGHT_SHARE);
  return Math.round(Math.max(min, Math.min(max, want)));
}

/** A stored pad size from untrusted state: a positive finite number within reason, else null. */
export function decodePadSize(x: unknown): number | null {
  return typeof x === 'number' && Number.isFinite(x) && x >= MIN_PAD && x <= 4096 ? Math.round(x) : null;
}

/** The side after a keyboard command on the drag handle, or undefined if the key does nothing. */
export function padSideForKey(key: string, shift: boolean, current: number, b: PadBounds): number | null | undefined {
  const step = shift ? PAD_BIG_STEP : PAD_STEP;
  switch (key) {
    case 'ArrowUp': return padSide(current - step, b);
    case 'ArrowDown': return padSide(current + step, b);
    case 'Home': return padSide(MIN_PAD, b);
    case 'End': return maxPadSide(b);
    case 'Enter': return null; // back to the automatic size
    default: return undefined;
  }
}
