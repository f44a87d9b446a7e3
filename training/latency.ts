/**
 * Encoder latency via onnxruntime-node (what the extension uses): ms per input at batch 16 (indexing), or
 * at batch 1 (a query: the sketch encoder runs once per search, all its test-time views inside the graph).
 * Usage: npx tsx training/latency.ts [MODELS_DIR=models] [REPEATS=20] [BATCH=16]
 */
import * as ort from 'onnxruntime-node';
import * as fs from 'node:fs';
import * as path from 'node:path';

async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'models';
  const reps = Number(process.argv[3] ?? 20);
  const mj = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const B = Number(process.argv[4] ?? 16);
  const x = new ort.Tensor('float32', new Float32Array(B * 3 * 128 * 128).map(() => Math.random() * 2 - 1), [B, 3, 128, 128]);
  for (const kind of ['sketch', 'image']) {
    const s = await ort.InferenceSession.create(path.join(dir, mj[kind]));
    for (let i = 0; i < 3; i++) await s.run({ input: x });
    const times: number[] = [];
    for (let i = 0; i < reps; i++) {
      const t = process.hrtime.bigint();
      await s.run({ input: x });
      times.push(Number(process.hrtime.bigint() - t) / 1e6 / B);
    }
    times.sort((a, b) => a - b);
    console.log(`${kind}: median ${times[Math.floor(reps / 2)].toFixed(2)} ms/input, min ${times[0].toFixed(2)} ms/input (batch ${B}, ${reps} runs)`);
  }
}
main().catch((e) => { console.error(e); process.exit(1); });
