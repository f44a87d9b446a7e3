/**
 * HNSW beam sweep at one size (graph parameters from ANN_M / ANN_EF_ADD, default 16 / 128), on vectors clustered around real embeddings (as bench/perf.ts makes
 * them): recall@50 against exact float search and query time, per beam width. The numbers behind
 * ANN_EXPANSION_SEARCH in src/core/annIndex.ts.
 *
 *   npx tsx bench/ann-sweep.ts [N=1000000] [BEAMS=160,400,800,1600] [random]
 *
 * Needs a finished `npm run bench` quality run of the shipped model (its vector cache in
 * bench/.data/cache holds the real gallery image embeddings that seed the vectors and the sketch
 * query embeddings). `random` uses i.i.d. random unit vectors instead (HNSW's worst case).
 */
import * as fs from 'fs';
import * as path from 'path';
import { annVectors } from '../src/core/annIndex';
import { quantizeMatrix } from '../src/core/quantize';
import { fileHash } from './lib/methods';
import { mulberry32 } from './lib/metrics';

async function main(): Promise<void> {
  const [nArg, beamsArg, mode] = process.argv.slice(2);
  const n = Number(nArg ?? 1_000_000), beams = (beamsArg ?? '160,400,800,1600').split(',').map(Number);
  const repo = path.resolve(__dirname, '..');
  const model = JSON.parse(fs.readFileSync(path.join(repo, 'models', 'model.json'), 'utf8'));
  const cacheDir = path.join(repo, 'bench', '.data', 'cache');
  const D: number = model.dim;
  // the quality run's caches, one per encoder (bench/lib/methods.ts studentMethod kindKeys)
  const cached = (kind: 'sketch' | 'image') => {
    const base = path.join(cacheDir, `vec-student-${kind}-${fileHash([path.join(repo, 'models', model[kind])])}-pp${model.preprocessVersion}`);
    if (!fs.existsSync(`${base}.bin`)) throw new Error(`no ${kind} vector cache for ${model.id} in ${cacheDir}: run npm run bench first`);
    const keys = fs.readFileSync(`${base}.keys`, 'utf8').split('\n').filter(Boolean);
    const bin = fs.readFileSync(`${base}.bin`);
    return { keys, vecs: new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + keys.length * D * 4)) };
  };
  const im = cached('image'), skc = cached('sketch');
  const all = new Float32Array((im.keys.length + skc.keys.length) * D);
  all.set(im.vecs); all.set(skc.vecs, im.keys.length * D);
  const img = im.keys.map((_, i) => i), sk = skc.keys.map((_, i) => im.keys.length + i);
  const rnd = mulberry32(12345);
  const gauss = () => Math.sqrt(-2 * Math.log(Math.max(1e-12, rnd()))) * Math.cos(2 * Math.PI * rnd());
  const data = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const v = data.subarray(i * D, (i + 1) * D);
    if (mode === 'random') for (let j = 0; j < D; j++) v[j] = gauss();
    else {
      const s = img[i < img.length ? i : Math.floor(rnd() * img.length)];
      for (let j = 0; j < D; j++) v[j] = all[s * D + j] + (i < img.length ? 0 : (0.5 * gauss()) / Math.sqrt(D));
    }
    let norm = 0;
    for (const x of v) norm += x * x;
    norm = Math.sqrt(norm);
    for (let j = 0; j < D; j++) v[j] /= norm;
  }
  const qv = Array.from({ length: 40 }, () => { const i = sk[Math.floor(rnd() * sk.length)]; return all.slice(i * D, (i + 1) * D); });
  const { codes } = quantizeMatrix(data, n, D);
  const usearch = await import('usearch');
  const index = new usearch.Index({ dimensions: D, metric: usearch.MetricKind.IP, quantization: usearch.ScalarKind.I8, connectivity: Number(process.env.ANN_M ?? 16), expansion_add: Number(process.env.ANN_EF_ADD ?? 128), expansion_search: 64, multi: false });
  const ids = new BigUint64Array(n);
  for (let i = 0; i < n; i++) ids[i] = BigInt(i);
  const t0 = Date.now();
  index.add(ids, annVectors(codes, n, D), 2);
  const dot = (row: number, q: Float32Array) => { let x = 0; for (let j = 0; j < D; j++) x += data[row * D + j] * q[j]; return x; };
  const exact = qv.map((q) => {
    const sc = new Float32Array(n);
    for (let i = 0; i < n; i++) sc[i] = dot(i, q);
    return Array.from(sc.keys()).sort((a, b) => sc[b] - sc[a]).slice(0, 50);
  });
  console.log(`${mode === 'random' ? 'random' : `clustered around ${img.length} real embeddings`}: n=${n}, build ${((Date.now() - t0) / 1000).toFixed(1)} s (2 threads, connectivity ${process.env.ANN_M ?? 16}, expansion_add ${process.env.ANN_EF_ADD ?? 128})`);
  for (const beam of beams) {
    let recall = 0;
    const times: number[] = [];
    qv.forEach((q, t) => {
      let mx = 0;
      for (const x of q) mx = Math.max(mx, Math.abs(x));
      const a = performance.now();
      const r = index.search(Int8Array.from(q, (x) => Math.round((x * 127) / mx)), beam, 1);
      const got = Array.from(r.keys, Number).map((row) => ({ row, s: dot(row, q) })).sort((x, y) => y.s - x.s).slice(0, 50);
      times.push(performance.now() - a);
      const set = new Set(got.map((g) => g.row));
      recall += exact[t].filter((o) => set.has(o)).length / 50;
    });
    times.sort((a, b) => a - b);
    console.log(`  beam/candidates ${beam}: recall@50 ${(recall / qv.length).toFixed(3)}, query p50 ${times[Math.floor(times.length / 2)].toFixed(2)} ms (graph + exact re-scoring)`);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
