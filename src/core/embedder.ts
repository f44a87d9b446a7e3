/**
 * Files and strokes -> embeddings, in this process: decode (sharp) + preprocess + encode (onnxruntime).
 * The extension runs this inside the encoder worker process (src/worker/); the CLI and the
 * benchmarks run it directly. Same code path everywhere.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import { plainImageReason } from './imageErrors';
import { imageToRgb, looksLikeSketch, MAX_INPUT_PIXELS, sketchImageToRgb } from './decode';
import { createEncoder, Encoder, EncoderOptions } from './encoder';
import { loadModelInfo } from './model';
import { rgbToTensor, sketchTensor, Stroke } from './preprocess';

export type EmbedResult =
  | { ok: true; vector: Float32Array; hash: string; size: number }
  /** `error`: plain words for people; `detail`: the decoder's own text, for the logs. */
  | { ok: false; error: string; detail?: string };

export interface ImageLimits {
  maxInputPixels?: number;
  maxFileBytes?: number;
}

export class Embedder {
  private constructor(readonly encoder: Encoder) {}

  static async create(modelDir: string, opts: EncoderOptions = {}): Promise<Embedder> {
    return new Embedder(await createEncoder(loadModelInfo(modelDir), opts));
  }

  get provider(): string { return this.encoder.provider; }
  get providerNote(): string { return this.encoder.providerNote; }
  get modelId(): string { return this.encoder.model.id; }
  get dim(): number { return this.encoder.dim; }

  async embedStrokes(strokes: Stroke[]): Promise<Float32Array> {
    const [v] = await this.encoder.embed('sketch', [sketchTensor(strokes)]);
    return v;
  }

  async embedSketchTensors(tensors: Float32Array[]): Promise<Float32Array[]> {
    return this.encoder.embed('sketch', tensors);
  }

  /**
   * Embed image files with the image encoder (or, with as='sketch', a raster sketch with the
   * sketch encoder). Each file fails on its own: a bad file never fails the batch.
   */
  async embedFiles(paths: string[], limits: ImageLimits = {}, as: 'image' | 'sketch' = 'image'): Promise<EmbedResult[]> {
    const results: EmbedResult[] = new Array(paths.length);
    const tensors: Float32Array[] = [];
    const slots: number[] = [];
    const meta: { hash: string; size: number }[] = [];
    await Promise.all(paths.map(async (p, i) => {
      try {
        const bytes = await readLimited(p, limits.maxFileBytes);
        const decode = as === 'sketch' ? sketchImageToRgb : imageToRgb;
        const rgb = await decode(bytes, { maxInputPixels: limits.maxInputPixels ?? MAX_INPUT_PIXELS });
        tensors.push(rgbToTensor(rgb));
        slots.push(i);
        meta.push({ hash: crypto.createHash('sha1').update(bytes).digest('hex'), size: bytes.length });
      } catch (e) {
        results[i] = { ok: false, error: describeError(e), detail: rawDetail(e) };
      }
    }));
    if (tensors.length > 0) {
      const vecs = await this.encoder.embed(as, tensors);
      vecs.forEach((v, j) => { results[slots[j]] = { ok: true, vector: v, ...meta[j] }; });
    }
    return results;
  }

  /**
   * A query image of unknown kind: a drawing (light paper, little dark ink) goes to the sketch
   * encoder, anything else (icon, photo) to the image encoder ("find similar").
   */
  async embedQueryFile(file: string, limits: ImageLimits = {}): Promise<{ vector: Float32Array; as: 'sketch' | 'image' }> {
    const bytes = await readLimited(file, limits.maxFileBytes);
    const opts = { maxInputPixels: limits.maxInputPixels ?? MAX_INPUT_PIXELS };
    const rgb = await imageToRgb(bytes, opts);
    if (looksLikeSketch(rgb)) {
      const [v] = await this.encoder.embed('sketch', [rgbToTensor(await sketchImageToRgb(bytes, opts))]);
      return { vector: v, as: 'sketch' };
    }
    const [v] = await this.encoder.embed('image', [rgbToTensor(rgb)]);
    return { vector: v, as: 'image' };
  }

  async dispose(): Promise<void> { await this.encoder.dispose(); }
}

async function readLimited(p: string, maxBytes?: number): Promise<Buffer> {
  const st = await fs.promises.stat(p);
  if (!st.isFile()) throw new Error('not a regular file');
  if (st.size === 0) throw new Error('empty file');
  if (maxBytes !== undefined && st.size > maxBytes) {
    throw new Error(`file is ${(st.size / 1e6).toFixed(1)} MB, over the ${(maxBytes / 1e6).toFixed(0)} MB limit`);
  }
  return fs.promises.readFile(p);
}

/** A one-line reason for a failed file, in plain words (the decoder's own text is not shown to users). */
export function describeError(e: unknown): string {
  return plainImageReason(e);
}

/** The first line of the raw error, for the Output channel. */
export function rawDetail(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 300);
}
