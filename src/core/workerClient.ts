/**
 * Host side of the encoder worker process. Requests are matched to responses by id. If the worker
 * dies, every pending request fails with WorkerCrashedError and the next request starts a new
 * worker (after init is replayed). No vscode import: the extension host and the CLI both use it.
 *
 * The worker's command line is always short (workerForkOptions): file paths travel by IPC, never
 * argv, and the parent's execArgv is not inherited, because onnxruntime 1.30 crashes any process
 * whose command line is over ~29,000 characters (docs/onnxruntime-long-cmdline-segfault.md).
 */
import { ChildProcess, fork, ForkOptions } from 'child_process';
import type { AnnMeta } from './annIndex';
import type { EmbedResult, ImageLimits } from './embedder';
import type { ProviderSetting } from './encoder';
import { LineBuffer, stripAnsi } from './logLines';
import type { Stroke } from './preprocess';
import type { WorkerRequest, WorkerResponse } from '../worker/workerProtocol';

export class WorkerCrashedError extends Error {}

type Pending = { resolve: (r: WorkerResponse & { ok: true }) => void; reject: (e: Error) => void };
type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;

export interface WorkerClientOptions {
  workerScript: string;
  modelDir: string;
  provider: ProviderSetting;
  intraOpThreads?: number;
  log?: (line: string) => void;
  /** Extra args/env for tests (e.g. to simulate crashes). */
  env?: NodeJS.ProcessEnv;
}

/**
 * How the worker is started: no arguments and an empty execArgv (a parent started with a huge
 * --require/--conditions/… list must not pass it on), telemetry of onnxruntime off unless the user
 * chose otherwise (see ort.ts), stdout/stderr piped to the log.
 */
export function workerForkOptions(env: NodeJS.ProcessEnv, extraEnv: NodeJS.ProcessEnv = {}): { args: string[]; options: ForkOptions } {
  return {
    args: [],
    options: {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...env, ORT_DISABLE_TELEMETRY: env.ORT_DISABLE_TELEMETRY ?? '1', ...extraEnv },
    },
  };
}

export class EncoderWorkerClient {
  private child: ChildProcess | undefined;
  private starting: Promise<void> | undefined;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private disposed = false;
  provider = '';
  /** One plain line from the worker: the provider in use and why the ones before it were not. */
  providerNote = '';
  modelId = '';
  dim = 0;
  restarts = 0;

  constructor(private readonly opts: WorkerClientOptions) {}

  /** Start (or restart) the worker and load the model; resolves when ready. */
  start(): Promise<void> {
    if (this.disposed) return Promise.reject(new Error('encoder worker disposed'));
    if (this.child && this.starting) return this.starting;
    const { args, options } = workerForkOptions(process.env, this.opts.env);
    const child = fork(this.opts.workerScript, args, options);
    this.child = child;
    // Native libraries write to these directly (colour codes, partial lines): log plain, whole lines.
    for (const stream of [child.stdout, child.stderr]) {
      const lines = new LineBuffer((l) => this.opts.log?.(`worker: ${l}`));
      stream?.on('data', (d) => lines.push(d));
      stream?.on('end', () => lines.flush());
    }
    child.on('message', (m: WorkerResponse) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m); else p.reject(new Error(stripAnsi(m.error)));
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.starting = undefined;
      const err = new WorkerCrashedError(`encoder process exited (${signal ?? `code ${code}`})`);
      if (!this.disposed) this.opts.log?.(err.message);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    });
    child.on('error', (e) => this.opts.log?.(`worker error: ${e.message}`));
    this.starting = this.send({ op: 'init', modelDir: this.opts.modelDir, provider: this.opts.provider, intraOpThreads: this.opts.intraOpThreads }, false)
      .then((r) => {
        this.provider = r.provider ?? '';
        this.providerNote = r.note ?? '';
        if (r.note) this.opts.log?.(`encoder: ${r.note}`);
        this.modelId = r.modelId ?? '';
        this.dim = r.dim ?? 0;
      })
      .catch((e) => {
        this.starting = undefined;
        child.kill();
        throw e;
      });
    return this.starting;
  }

  private async ensure(): Promise<void> {
    if (!this.child || !this.starting) {
      if (this.provider) this.restarts++;
      await this.start();
    } else {
      await this.starting;
    }
  }

  private send(req: DistributiveOmit<WorkerRequest, 'id'>, ensure = true): Promise<WorkerResponse & { ok: true }> {
    const run = (): Promise<WorkerResponse & { ok: true }> => new Promise((resolve, reject) => {
      const child = this.child;
      if (!child || !child.connected) return reject(new WorkerCrashedError('encoder process is not running'));
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      child.send({ ...req, id } as WorkerRequest, (err) => {
        if (err && this.pending.delete(id)) reject(new WorkerCrashedError(err.message));
      });
    });
    return ensure ? this.ensure().then(run) : run();
  }

  async embedFiles(paths: string[], limits: ImageLimits = {}, as: 'image' | 'sketch' = 'image'): Promise<EmbedResult[]> {
    return (await this.send({ op: 'embedFiles', paths, limits, as })).results ?? [];
  }

  async embedStrokes(strokes: Stroke[]): Promise<Float32Array> {
    const v = (await this.send({ op: 'embedStrokes', strokes })).vector;
    if (!v) throw new Error('encoder returned no vector');
    return v;
  }

  async embedQueryFile(file: string, limits: ImageLimits = {}): Promise<{ vector: Float32Array; as: 'sketch' | 'image' }> {
    const r = await this.send({ op: 'embedQueryFile', path: file, limits });
    if (!r.vector) throw new Error('encoder returned no vector');
    return { vector: r.vector, as: r.as ?? 'image' };
  }

  /** Build an approximate-search snapshot file in the worker (native code, minutes for millions). */
  async buildAnn(vectors: Int8Array, count: number, meta: AnnMeta, file: string): Promise<void> {
    await this.send({ op: 'buildAnn', vectors, count, meta, file });
  }

  async thumbnail(src: string, dest: string, size: number, limits: ImageLimits = {}): Promise<void> {
    await this.send({ op: 'thumbnail', src, dest, size, limits });
  }

  dispose(): void {
    this.disposed = true;
    this.child?.kill();
    this.child = undefined;
  }
}

/**
 * A FileEncoder for FolderIndex over the worker: if a batch crashes the worker, the files are
 * retried one at a time so only the culprit is quarantined.
 */
export class CrashIsolatingFileEncoder {
  constructor(private readonly client: EncoderWorkerClient, private readonly limits: () => ImageLimits, private readonly log?: (l: string) => void) {}
  get modelId(): string { return this.client.modelId; }
  get dim(): number { return this.client.dim; }

  async embedFiles(absPaths: string[], as: 'image' | 'sketch' = 'image'): Promise<EmbedResult[]> {
    try {
      return await this.client.embedFiles(absPaths, this.limits(), as);
    } catch (e) {
      if (!(e instanceof WorkerCrashedError)) throw e;
      if (absPaths.length === 1) {
        this.log?.(`quarantined ${absPaths[0]}: the encoder process crashed on it`);
        return [{ ok: false, error: 'quarantined: the decoder/encoder process crashed on this file' }];
      }
      const out: EmbedResult[] = [];
      for (const p of absPaths) out.push(...(await this.embedFiles([p], as)));
      return out;
    }
  }
}
