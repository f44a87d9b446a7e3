/**
 * Tests that exercise the index and worker plumbing (not model quality) use the shipped model if
 * present; model quality is tested separately in test/integration against the shipped model.
 */
import * as fs from 'fs';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..');
export const MODEL_DIR = path.join(REPO, 'models');

export function hasModel(): boolean {
  return fs.existsSync(path.join(MODEL_DIR, 'model.json'));
}

/** Write a small PNG/SVG test image: a shape on white. */
export function svgShape(shape: 'circle' | 'square' | 'triangle' | 'line', colour = 'black'): string {
  const body = {
    circle: `<circle cx="50" cy="50" r="35" fill="none" stroke="${colour}" stroke-width="6"/>`,
    square: `<rect x="15" y="15" width="70" height="70" fill="none" stroke="${colour}" stroke-width="6"/>`,
    triangle: `<path d="M50 10 L90 85 L10 85 Z" fill="none" stroke="${colour}" stroke-width="6"/>`,
    line: `<path d="M10 90 L90 10" stroke="${colour}" stroke-width="6"/>`,
  }[shape];
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">${body}</svg>`;
}
