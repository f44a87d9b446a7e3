/** The shipped model's manifest (models/model.json), written by training/. */
import * as fs from 'fs';
import * as path from 'path';

export interface ModelInfo {
  id: string;
  dim: number;
  inputSize: number;
  preprocessVersion: number;
  sketch: string;
  image: string;
  inputName: string;
  outputName: string;
  /** Absolute folder of the manifest. */
  dir: string;
}

export function loadModelInfo(dir: string): ModelInfo {
  const file = path.join(dir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read model manifest ${file}: ${(e as Error).message}`);
  }
  const m = raw as Partial<ModelInfo>;
  for (const k of ['id', 'sketch', 'image', 'inputName', 'outputName'] as const) {
    if (typeof m[k] !== 'string') throw new Error(`model manifest ${file}: "${k}" must be a string`);
  }
  for (const k of ['dim', 'inputSize', 'preprocessVersion'] as const) {
    if (typeof m[k] !== 'number') throw new Error(`model manifest ${file}: "${k}" must be a number`);
  }
  return { ...(m as ModelInfo), dir: path.resolve(dir) };
}

/** Default model folder: <package root>/models (dist/ and src/core/ both resolve here). */
export function defaultModelDir(): string {
  // dist/ is one level below the package root, src/core/ two.
  const candidates = [path.join(__dirname, '..', 'models'), path.join(__dirname, '..', '..', 'models')];
  for (const c of candidates) if (fs.existsSync(path.join(c, 'model.json'))) return c;
  return candidates[0];
}
