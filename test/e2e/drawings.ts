/**
 * Query drawings for the E2E tests, in unit coordinates of the pad ([0, 1] x [0, 1]), with the
 * image of the E2E set (scripts/lib/image-folder.mjs E2E_SET) each should retrieve.
 * `npx tsx scripts/check-e2e-drawings.ts` ranks every pair with the shipped model through the CLI:
 * run it when the model changes and keep the E2E query to a pair it ranks first.
 */
export interface Pt { x: number; y: number }
export interface Drawing { name: string; target: string; strokes: Pt[][] }

export function circle(cx: number, cy: number, r: number, n = 32, ry = r): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i <= n; i++) {
    const a = (i / n) * 2 * Math.PI;
    pts.push({ x: cx + r * Math.cos(a), y: cy + ry * Math.sin(a) });
  }
  return pts;
}

export function star(cx: number, cy: number, r: number, points = 5): Pt[] {
  const pts: Pt[] = [];
  for (let i = 0; i <= points * 2; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / points;
    const rr = i % 2 === 0 ? r : r * 0.4;
    pts.push({ x: cx + rr * Math.cos(a), y: cy + rr * Math.sin(a) });
  }
  return pts;
}

export function polyline(...pts: [number, number][]): Pt[] {
  return pts.map(([x, y]) => ({ x, y }));
}

export const DRAWINGS: Record<string, Drawing> = {
  star: { name: 'five-pointed star', target: 'star.png', strokes: [star(0.5, 0.52, 0.42)] },
  house: {
    name: 'house', target: 'house.png',
    strokes: [
      polyline([0.2, 0.45], [0.5, 0.15], [0.8, 0.45]),
      polyline([0.27, 0.4], [0.27, 0.85], [0.73, 0.85], [0.73, 0.4]),
      polyline([0.44, 0.85], [0.44, 0.62], [0.56, 0.62], [0.56, 0.85]),
    ],
  },
  sun: {
    name: 'sun', target: 'sun.svg',
    strokes: [
      circle(0.5, 0.5, 0.2),
      ...Array.from({ length: 8 }, (_, i) => {
        const a = (i / 8) * 2 * Math.PI;
        return polyline([0.5 + 0.27 * Math.cos(a), 0.5 + 0.27 * Math.sin(a)], [0.5 + 0.42 * Math.cos(a), 0.5 + 0.42 * Math.sin(a)]);
      }),
    ],
  },
  tree: {
    name: 'tree', target: 'tree.svg',
    strokes: [circle(0.5, 0.38, 0.3, 32, 0.26), polyline([0.45, 0.62], [0.45, 0.92], [0.55, 0.92], [0.55, 0.62])],
  },
  umbrella: {
    name: 'umbrella', target: 'umbrella.svg',
    strokes: [
      [...circle(0.5, 0.45, 0.38, 32).slice(16, 33)].map((p) => ({ x: p.x, y: p.y })),
      polyline([0.12, 0.45], [0.88, 0.45]),
      polyline([0.5, 0.45], [0.5, 0.85], [0.42, 0.88], [0.38, 0.82]),
    ],
  },
  fish: {
    name: 'fish', target: 'fish.png',
    strokes: [circle(0.45, 0.5, 0.3, 32, 0.18), polyline([0.74, 0.5], [0.92, 0.32], [0.92, 0.68], [0.74, 0.5])],
  },
  key: {
    name: 'key', target: 'key.png',
    strokes: [circle(0.25, 0.5, 0.14), polyline([0.39, 0.5], [0.9, 0.5], [0.9, 0.62]), polyline([0.78, 0.5], [0.78, 0.6])],
  },
};
