/**
 * The encoder worker: a child process that owns onnxruntime-node and sharp, so a native crash in
 * either takes down only this process; the host restarts it (src/core/workerClient.ts). Started
 * with SKETCH_SEARCH_PROBE=webgpu, the same script is the WebGPU probe's child (core/webgpuProbe.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { buildAnnFiles } from '../core/annIndex';
import { Embedder } from '../core/embedder';
import { cachedProbe, probeWebGpuInChild, runProbeIfAsked } from '../core/webgpuProbe';
import type { WorkerRequest, WorkerResponse } from './workerProtocol';

let embedder: Embedder | undefined;
const isProbe = runProbeIfAsked();
// This very script, in probe mode: a hanging GPU driver can be killed without killing the worker.
const probeWebGpu = cachedProbe(() => probeWebGpuInChild(process.argv[1]));

function reply(msg: WorkerResponse): void {
  process.send?.(msg);
}

// Test hook (hardening tests): exit hard when asked to encode a file whose name contains this marker,
// the way a native decoder crash would take the process down.
const CRASH_MARKER = process.env.SKETCH_SEARCH_TEST_CRASH_MARKER;

async function handle(req: WorkerRequest): Promise<WorkerResponse> {
  if (CRASH_MARKER && req.op === 'embedFiles' && req.paths.some((p) => path.basename(p).includes(CRASH_MARKER))) process.exit(70);
  switch (req.op) {
    case 'init':
      embedder = await Embedder.create(req.modelDir, { provider: req.provider, intraOpThreads: req.intraOpThreads, probeWebGpu });
      return { id: req.id, ok: true, provider: embedder.provider, note: embedder.providerNote, modelId: embedder.modelId, dim: embedder.dim };
    case 'embedFiles':
      if (!embedder) throw new Error('encoder not initialised');
      return { id: req.id, ok: true, results: await embedder.embedFiles(req.paths, req.limits, req.as) };
    case 'embedStrokes':
      if (!embedder) throw new Error('encoder not initialised');
      return { id: req.id, ok: true, vector: await embedder.embedStrokes(req.strokes) };
    case 'embedQueryFile': {
      if (!embedder) throw new Error('encoder not initialised');
      const r = await embedder.embedQueryFile(req.path, req.limits);
      return { id: req.id, ok: true, vector: r.vector, as: r.as };
    }
    case 'buildAnn':
      await buildAnnFiles(req.vectors, req.count, req.meta, req.file);
      return { id: req.id, ok: true };
    case 'thumbnail': {
      await fs.promises.mkdir(path.dirname(req.dest), { recursive: true });
      const tmp = `${req.dest}.${process.pid}.tmp`;
      // Bytes, not a path: librsvg then has no base location from which to resolve other files.
      const st = await fs.promises.stat(req.src);
      if (req.limits.maxFileBytes !== undefined && st.size > req.limits.maxFileBytes) throw new Error('file too large');
      const bytes = await fs.promises.readFile(req.src);
      const base = { limitInputPixels: req.limits.maxInputPixels ?? 100_000_000, animated: false, failOn: 'error' as const };
      const meta = await sharp(bytes, base).metadata();
      const density = meta.format === 'svg' ? Math.min(1200, Math.max(72, (72 * req.size * 2) / Math.max(meta.width ?? 1, meta.height ?? 1, 1))) : undefined;
      await sharp(bytes, { ...base, density })
        .rotate()
        .resize(req.size, req.size, { fit: 'inside', withoutEnlargement: meta.format !== 'svg' })
        .png({ compressionLevel: 6 })
        .toFile(tmp);
      await fs.promises.rename(tmp, req.dest);
      return { id: req.id, ok: true };
    }
  }
}

if (!isProbe) {
  process.on('message', (req: WorkerRequest) => {
    handle(req).then(reply, (e: unknown) => reply({ id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) }));
  });
  process.on('disconnect', () => process.exit(0));
}
