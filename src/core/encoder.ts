/**
 * ONNX encoders (sketch and image) on onnxruntime-node, with execution-provider selection.
 * onnxruntime-node throws on an unavailable provider instead of falling back, so the encoder walks
 * the order that providers.ts decides (GPU providers first, CPU last) and reports in one plain
 * line which one it got and why the others were not used.
 */
import * as path from 'path';
import type { InferenceSession as OrtSession } from 'onnxruntime-node';
import { ModelInfo } from './model';
import { loadOnnxRuntime, ortBinaryFiles } from './ort';
import { INPUT_SIZE, l2normalize } from './preprocess';
import { Availability, plainProviderError, Provider, providerOrder, providerSummary } from './providers';
import { cachedProbe, probeWebGpuInProcess } from './webgpuProbe';

export type ProviderSetting = 'auto' | 'cpu' | 'cuda' | 'dml' | 'coreml' | 'webgpu';
export type EncoderKind = 'sketch' | 'image';

/** The order providers.ts tries GPU providers in, for listing the ones not used in that order. */
const PREFERENCE: Provider[] = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'];
const defaultWebGpuProbe = cachedProbe(() => probeWebGpuInProcess());

export interface Encoder {
  readonly provider: string;
  /** One plain line: the provider in use and why the ones tried before it were not used. */
  readonly providerNote: string;
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
  /** WebGPU check before the model goes to WebGPU (default: in this process, cached). */
  probeWebGpu?: () => Promise<Availability>;
  /** For tests: the files beside onnxruntime's binding and the platform (default: this machine's). */
  binaryFiles?: readonly string[];
  platform?: NodeJS.Platform;
}

/**
 * The image session (indexing: batches, between sharp decodes) does not let its threads spin-wait for
 * work after a run: spinning threads take the cores the next batch's decodes need. Measured with v2
 * on 240 gallery icons, batches of 16: CPU per icon 16.5-17.3 ms with spinning, 9.8-10.3 ms without
 * (training/.work probe, loaded machine). The sketch session (one query at a time) keeps spinning.
 */
const IMAGE_SESSION_EXTRA = { extra: { session: { intra_op: { allow_spinning: '0' } } } } as const;

export async function createEncoder(model: ModelInfo, opts: EncoderOptions = {}): Promise<Encoder> {
  if (model.inputSize !== INPUT_SIZE) throw new Error(`model input size ${model.inputSize} != preprocessing size ${INPUT_SIZE}`);
  const ort = await loadOnnxRuntime();
  const setting = opts.provider ?? 'auto';
  const facts = { platform: opts.platform ?? process.platform, binaryFiles: opts.binaryFiles ?? ortBinaryFiles(), webgpu: undefined as Availability | undefined };
  const failed: { provider: Provider; reason: string }[] = [];
  const tried = new Set<Provider>();
  for (;;) {
    const plan = providerOrder(setting, facts);
    const provider = plan.order.find((p) => !tried.has(p));
    if (!provider) {
      const why = [...plan.skipped, ...failed].map((f) => `${f.provider}: ${f.reason}`).join('; ');
      throw new Error(`no execution provider could load the model (${why})`);
    }
    if (provider === 'webgpu' && !facts.webgpu) {
      facts.webgpu = await (opts.probeWebGpu ?? defaultWebGpuProbe)();
      continue;
    }
    tried.add(provider);
    let sketch: OrtSession | undefined;
    try {
      const so: OrtSession.SessionOptions = { executionProviders: [provider], graphOptimizationLevel: 'all' };
      if (opts.intraOpThreads) so.intraOpNumThreads = opts.intraOpThreads;
      sketch = await ort.InferenceSession.create(path.join(model.dir, model.sketch), so);
      const image = model.image === model.sketch ? sketch : await ort.InferenceSession.create(path.join(model.dir, model.image), { ...so, ...IMAGE_SESSION_EXTRA });
      const rank = (p: Provider) => PREFERENCE.indexOf(p);
      const note = providerSummary(provider, [...plan.skipped, ...failed].sort((a, b) => rank(a.provider) - rank(b.provider)));
      opts.log?.(`encoder: ${note} (model ${model.id})`);
      return new OrtEncoder(ort, model, provider, note, { sketch, image });
    } catch (e) {
      await sketch?.release().catch(() => undefined); // the image session failed after the sketch one loaded
      failed.push({ provider, reason: plainProviderError((e as Error).message) });
    }
  }
}

class OrtEncoder implements Encoder {
  readonly dim: number;
  constructor(
    private readonly ort: typeof import('onnxruntime-node'),
    readonly model: ModelInfo,
    readonly provider: string,
    readonly providerNote: string,
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
