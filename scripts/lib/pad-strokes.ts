import type { Pt } from '../../test/e2e/drawings';

/** A drawing in unit coordinates as the pad sends it: like test/e2e/helpers/workbench.ts drawStrokes, a 6% margin
 *  on a pad of `pad` px and 3 mouse-move steps per segment. */
export function toPad(stroke: Pt[], pad: number): [number, number][] {
  const m = 0.06;
  const at = (p: Pt): [number, number] => [pad * (m + p.x * (1 - 2 * m)), pad * (m + p.y * (1 - 2 * m))];
  const out: [number, number][] = [at(stroke[0])];
  for (let i = 1; i < stroke.length; i++) {
    const [x0, y0] = at(stroke[i - 1]); const [x1, y1] = at(stroke[i]);
    for (let s = 1; s <= 3; s++) out.push([x0 + ((x1 - x0) * s) / 3, y0 + ((y1 - y0) * s) / 3]);
  }
  return out;
}
