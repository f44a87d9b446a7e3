/**
 * The retrieval methods compared in one run, all fed the product's preprocessed 128 px tensors
 * (src/core/preprocess.ts + decode.ts):
 *   student      the shipped model (models/ or --model DIR) through the product's Embedder/Encoder
 *   teacher-raw  ImageNet MobileNetV2 pooled features (../shared/models/teacher), the 128 px tensor
 *                bilinearly resized to 224 px (same paper/ink convention, same [-1, 1] range)
 *   edge-hog     training-free HOG of edge map vs HOG of sketch raster (lib/hog.ts)
 *   random       seeded random unit vectors (chance level)
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { InferenceSession } from 'onnxruntime-node';
import { Embedder } from '../../src/core/embedder';
import { loadOnnxRuntime } from '../../src/core/ort';
import { INPUT_SIZE, l2normalize, Stroke } from '../../src/core/preprocess';
import { hogDescriptor, HOG_DIM, HOG_VERSION } from './hog';
import { mulberry32 } from './metrics';

export type Kind = 'sketch' | 'image';

export interface Method {
  /** Short name used in results ("student", "teacher-raw", ...). */
  name: string;
  /** Cache key: changes whenever the vectors would change. */
  key: string;
  /** Per-kind cache keys where sketches and images have encoders of their own: re-exporting one (other
   *  test-time views of the sketch encoder) keeps the other's cached vectors. */
  kindKeys?: Record<Kind, string>;
  dim: number;
  /** Items per encode call. */
  batch: number;
  /** Whether the vectors depend only on the input key (random) and need no pixels. */
  pixelFree?: boolean;
  embed(kind: Kind, tensors: Float32Array[], keys: string[]): Promise<Float32Array[]>;
  /** The product's own entry points (student only), used for the parity check. */
  product?: {
    embedFiles(paths: string[], kind: Kind): Promise<(Float32Array | null)[]>;
    embedStrokes(strokes: Stroke[]): Promise<Float32Array>;
  };
  dispose(): Promise<void>;
}

export function fileHash(files: string[]): string {
  const h = crypto.createHash('sha1');
  for (const f of files) h.update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

export async function studentMethod(modelDir: string, name = 'student', threads = 0): Promise<Method & { modelId: string; provider: string }> {
  const e = await Embedder.create(modelDir, { provider: 'cpu', intraOpThreads: threads });
  const m = e.encoder.model;
  const key = `${name}-${m.id}-${fileHash([...new Set([path.join(m.dir, m.sketch), path.join(m.dir, m.image)])])}-pp${m.preprocessVersion}`;
  // the vectors of a kind depend only on its encoder file and the preprocessing
  const kindKeys = {
    sketch: `student-sketch-${fileHash([path.join(m.dir, m.sketch)])}-pp${m.preprocessVersion}`,
    image: `student-image-${fileHash([path.join(m.dir, m.image)])}-pp${m.preprocessVersion}`,
  };
  return {
    name, key, kindKeys, dim: e.dim, batch: 32, modelId: m.id, provider: e.provider,
    embed: (kind, tensors) => e.encoder.embed(kind, tensors),
    product: {
      embedFiles: async (paths, kind) => (await e.embedFiles(paths, {}, kind)).map((r) => (r.ok ? r.vector : null)),
      embedStrokes: (strokes) => e.embedStrokes(strokes),
    },
    dispose: () => e.dispose(),
  };
}

export const TEACHER_SIZE = 224;

/** Bilinear resize of a 3xSxS tensor to 3xTxT (half-pixel centres, like align_corners=false). */
export function resizeTensor(t: Float32Array, S = INPUT_SIZE, T = TEACHER_SIZE): Float32Array {
  const out = new Float32Array(3 * T * T);
  const scale = S / T;
  for (let y = 0; y < T; y++) {
    const sy = Math.min(S - 1, Math.max(0, (y + 0.5) * scale - 0.5));
    const y0 = Math.floor(sy), y1 = Math.min(S - 1, y0 + 1), wy = sy - y0;
    for (let x = 0; x < T; x++) {
      const sx = Math.min(S - 1, Math.max(0, (x + 0.5) * scale - 0.5));
      const x0 = Math.floor(sx), x1 = Math.min(S - 1, x0 + 1), wx = sx - x0;
      for (let c = 0; c < 3; c++) {
        const b = c * S * S;
        const v = (1 - wy) * ((1 - wx) * t[b + y0 * S + x0] + wx * t[b + y0 * S + x1]) + wy * ((1 - wx) * t[b + y1 * S + x0] + wx * t[b + y1 * S + x1]);
        out[c * T * T + y * T + x] = v;
      }
    }
  }
  return out;
}

export async function teacherMethod(onnxFile: string, threads = 0): Promise<Method> {
  const ort = await loadOnnxRuntime();
  const so: InferenceSession.SessionOptions = { executionProviders: ['cpu'], graphOptimizationLevel: 'all' };
  if (threads) so.intraOpNumThreads = threads;
  const session = await ort.InferenceSession.create(onnxFile, so);
  const inputName = session.inputNames[0];
  const T = TEACHER_SIZE, per = 3 * T * T;
  return {
    name: 'teacher-raw', key: `teacher-raw-${fileHash([onnxFile])}-up${T}bilinear`, dim: 1280, batch: 16,
    async embed(_kind, tensors) {
      const data = new Float32Array(per * tensors.length);
      tensors.forEach((t, i) => data.set(resizeTensor(t), i * per));
      const out = await session.run({ [inputName]: new ort.Tensor('float32', data, [tensors.length, 3, T, T]) });
      const f = out.features;
      const dim = f.dims[1];
      const v = f.data as Float32Array;
      return tensors.map((_, i) => l2normalize(v.slice(i * dim, (i + 1) * dim)));
    },
    dispose: () => session.release(),
  };
}

export function hogMethod(): Method {
  return {
    name: 'edge-hog', key: HOG_VERSION, dim: HOG_DIM, batch: 64,
    embed: async (kind, tensors) => tensors.map((t) => hogDescriptor(kind, t)),
    dispose: async () => undefined,
  };
}

export function randomMethod(seed = 1, dim = 64): Method {
  return {
    name: 'random', key: `random-${seed}-${dim}`, dim, batch: 1024, pixelFree: true,
    embed: async (_kind, tensors, keys) => keys.map((k) => {
      const h = crypto.createHash('sha1').update(`${seed}:${k}`).digest();
      const rnd = mulberry32(h.readUInt32LE(0));
      const v = new Float32Array(dim);
      for (let i = 0; i < dim; i += 2) { // Box-Muller
        const u = Math.max(1e-12, rnd()), w = rnd();
        const r = Math.sqrt(-2 * Math.log(u));
        v[i] = r * Math.cos(2 * Math.PI * w);
        if (i + 1 < dim) v[i + 1] = r * Math.sin(2 * Math.PI * w);
      }
      return l2normalize(v);
    }),
    dispose: async () => undefined,
  };
}
