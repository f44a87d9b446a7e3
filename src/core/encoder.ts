/**
 * ONNX encoders (sketch and image) on onnxruntime-node, with execution-provider selection.
 * onnxruntime-node throws on an unavailable provider instead of falling back, so "auto" tries the
 * platform's GPU provider first and then CPU, and reports which one it got.
 */
import * as path from 'path';
import type { InferenceSession as OrtSession } from 'onnxruntime-node';
import { ModelInfo } from './model';
import { INPUT_SIZE, l2normalize } from './preprocess';

export type ProviderSetting = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export type EncoderKind = 'sketch' | 'image';

/** Providers to try, in order, for a setting on this platform. */
export function providerCandidates(setting: ProviderSetting, platform: NodeJS.Platform = process.platform): string[] {
  if (setting !== 'auto') return setting === 'cpu' ? ['cpu'] : [setting, 'cpu'];
  if (platform === 'win32') return ['dml', 'cpu'];
  if (platform === 'darwin') return ['coreml', 'cpu'];
  return ['cuda', 'cpu'];
}

export interface Encoder {
  readonly provider: string;
  readonly dim: number;
  readonly model: ModelInfo;
  /** tensors: each 3*S*S float32 (see preprocess.ts). Returns L2-normalised embeddings. */
  embed(kind: EncoderKind, tensors: Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export interface EncoderOptions {
  provider?: ProviderSetting;
  /** Threads for CPU inference (0 = onnxruntime's default). */
  intraOpThreads?: number;
  log?: (line: string) => void;
}

export async function createEncoder(model: ModelInfo, opts: EncoderOptions = {}): Promise<Encoder> {
  if (model.inputSize !== INPUT_SIZE) throw new Error(`model input size ${model.inputSize} != preprocessing size ${INPUT_SIZE}`);
  const ort = await import('onnxruntime-node');
  const log = opts.log ?? (() => undefined);
  const errors: string[] = [];
  for (const provider of providerCandidates(opts.provider ?? 'auto')) {
    try {
      const so: OrtSession.SessionOptions = { executionProviders: [provider], graphOptimizationLevel: 'all' };
      if (opts.intraOpThreads) so.intraOpNumThreads = opts.intraOpThreads;
      const sketch = await ort.InferenceSession.create(path.join(model.dir, model.sketch), so);
      const image = model.image === model.sketch ? sketch : await ort.InferenceSession.create(path.join(model.dir, model.image), so);
      log(`encoder: model ${model.id} on execution provider "${provider}"`);
      return new OrtEncoder(ort, model, provider, { sketch, image });
    } catch (e) {
      const msg = `${provider}: ${(e as Error).message.split('\n')[0]}`;
      errors.push(msg);
      log(`encoder: provider ${msg}; trying the next one`);
    }
  }
  throw new Error(`no execution provider could load the model (${errors.join('; ')})`);
}

class OrtEncoder implements Encoder {
  readonly dim: number;
  constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    readonly model: ModelInfo,
    readonly provider: string,
    private readonly sessions: Record<EncoderKind, OrtSession>,
  ) {
    this.dim = model.dim;
  }

  async embed(kind: EncoderKind, tensors: Float32Array[]): Promise<Float32Array[]> {
    if (tensors.length === 0) return [];
    const S = this.model.inputSize;
    const per = 3 * S * S;
    const data = new Float32Array(per * tensors.length);
    tensors.forEach((t, i) => {
      if (t.length !== per) throw new Error(`tensor ${i} has ${t.length} values, expected ${per}`);
      data.set(t, i * per);
    });
    const input = new this.ort.Tensor('float32', data, [tensors.length, 3, S, S]);
    const out = await this.sessions[kind].run({ [this.model.inputName]: input });
    const emb = out[this.model.outputName];
    const values = emb.data as Float32Array;
    const dim = emb.dims[1];
    const result: Float32Array[] = [];
    for (let i = 0; i < tensors.length; i++) result.push(l2normalize(values.slice(i * dim, (i + 1) * dim)));
    return result;
  }

  async dispose(): Promise<void> {
    await this.sessions.sketch.release();
    if (this.sessions.image !== this.sessions.sketch) await this.sessions.image.release();
  }
}
