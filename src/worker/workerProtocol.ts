/** Messages between the extension host and the encoder worker process (IPC, 'advanced' serialization). */
import type { AnnMeta } from '../core/annIndex';
import type { ProviderSetting } from '../core/encoder';
import type { EmbedResult, ImageLimits } from '../core/embedder';
import type { Stroke } from '../core/preprocess';

export type WorkerRequest =
  | { id: number; op: 'init'; modelDir: string; provider: ProviderSetting; intraOpThreads?: number }
  | { id: number; op: 'embedFiles'; paths: string[]; limits: ImageLimits; as: 'image' | 'sketch' }
  | { id: number; op: 'embedStrokes'; strokes: Stroke[] }
  | { id: number; op: 'embedQueryFile'; path: string; limits: ImageLimits }
  | { id: number; op: 'buildAnn'; vectors: Int8Array; count: number; meta: AnnMeta; file: string }
  | { id: number; op: 'thumbnail'; src: string; dest: string; size: number; limits: ImageLimits };

export type WorkerResponse =
  | { id: number; ok: true; provider?: string; note?: string; modelId?: string; dim?: number; results?: EmbedResult[]; vector?: Float32Array; as?: 'sketch' | 'image' }
  | { id: number; ok: false; error: string };
