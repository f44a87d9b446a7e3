/**
 * Read a query file: the pad's stroke JSON, a QuickDraw ndjson file (first drawing), or a raster /
 * SVG sketch image. Strokes go through rasterizeStrokes; raster sketches through sketchImageToRgb.
 */
import * as fs from 'fs';
import * as path from 'path';
import { quickDrawToStrokes, Stroke } from './preprocess';

export type QueryInput = { kind: 'strokes'; strokes: Stroke[] } | { kind: 'raster'; path: string };

const STROKE_EXT = new Set(['.json', '.ndjson', '.jsonl']);

export async function readQueryFile(file: string): Promise<QueryInput> {
  const ext = path.extname(file).toLowerCase();
  if (!STROKE_EXT.has(ext)) {
    await fs.promises.access(file, fs.constants.R_OK);
    return { kind: 'raster', path: file };
  }
  const text = await fs.promises.readFile(file, 'utf8');
  const firstLine = text.split('\n').find((l) => l.trim().length > 0) ?? '';
  let json: unknown;
  try {
    json = ext === '.json' ? JSON.parse(text) : JSON.parse(firstLine);
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
  }
  return { kind: 'strokes', strokes: parseStrokesJson(json, file) };
}

/** Accepts {drawing: QuickDraw}, {strokes: [[[x,y],...],...]} or a bare stroke array. */
export function parseStrokesJson(json: unknown, label = 'input'): Stroke[] {
  const obj = json as { drawing?: unknown; strokes?: unknown };
  if (obj && typeof obj === 'object' && Array.isArray(obj.drawing)) return quickDrawToStrokes(obj.drawing as number[][][]);
  const arr = obj && typeof obj === 'object' && Array.isArray(obj.strokes) ? obj.strokes : json;
  if (!Array.isArray(arr)) throw new Error(`${label}: expected strokes (an array of point lists) or a QuickDraw drawing`);
  const strokes: Stroke[] = [];
  for (const s of arr) {
    if (!Array.isArray(s)) throw new Error(`${label}: each stroke must be an array`);
    // QuickDraw-style stroke [[xs],[ys]] or point list [[x,y],...]
    if (s.length >= 2 && Array.isArray(s[0]) && Array.isArray(s[1]) && s[0].length > 2 && (s[0] as unknown[]).every((v) => typeof v === 'number') && s[0].length === s[1].length) {
      strokes.push(...quickDrawToStrokes([s as number[][]]));
      continue;
    }
    const pts: Stroke = [];
    for (const p of s) {
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') throw new Error(`${label}: a point must be [x, y]`);
      pts.push([p[0], p[1]]);
    }
    strokes.push(pts);
  }
  if (strokes.every((s) => s.length === 0)) throw new Error(`${label}: the drawing has no points`);
  return strokes;
}
