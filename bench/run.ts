/**
 * Sketch Search benchmark: quality (ZS-SBIR metrics) and speed/scale, through the product code.
 *
 *   npm run bench                       full run (bounded: ~15 min cold, a few minutes with caches)
 *   npm run bench -- --quick            sub-minute smoke run (used by npm test)
 *   npm run bench -- --model DIR        benchmark another model folder (default: models/)
 *   npm run bench -- --models A,B,C     several models in one run (ablations); the first is "student"
 *
 *   npm run bench -- --providers cuda,webgpu,cpu [--skip-quality --skip-perf]
 *                                       encode throughput per execution provider (bench/providers.ts);
 *                                       alone, it needs no benchmark data and only updates that
 *                                       section of docs/BENCHMARKS.md
 *
 * Options: --shared DIR (../shared) --data DIR (bench/.data) --out FILE --seed N --skip-quality
 *          --skip-perf --teacher FILE --val-classes FILE --no-docs --qd-per-class N --sizes a,b,c
 * Writes bench/results/latest.json (full runs) or bench/.data/quick-results.json (--quick), and for
 * full runs docs/BENCHMARKS.md and bench/results/latency.png. Definitions: bench/README.md.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { runQuality, DatasetResult } from './quality';
import { runStorm } from './storm';
import { runPerf, PerfResult } from './perf';
import { parseProviders, providersSection, runProviders, writeProvidersSection } from './providers';
import type { ProviderSetting } from '../src/core/encoder';
import { hogMethod, Method, randomMethod, studentMethod, teacherMethod } from './lib/methods';
import { Summary } from './lib/metrics';
import { appendHistory, writeAll } from './report';

const REPO = path.resolve(__dirname, '..');

export interface Args {
  quick: boolean;
  models: string[];
  shared: string;
  data: string;
  out: string;
  seed: number;
  skipQuality: boolean;
  skipPerf: boolean;
  teacher: string;
  valClasses: string;
  docs: boolean;
  qdPerClass?: number;
  sizes?: number[];
  providers?: ProviderSetting[];
  /** teacher-raw, edge-hog and random beside the models (not with --no-baselines). */
  baselines: boolean;
}

export function parseArgs(argv: string[]): Args {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${name} needs a value`);
    return v;
  };
  const known = new Set(['--quick', '--model', '--models', '--shared', '--data', '--out', '--seed', '--skip-quality', '--skip-perf', '--teacher', '--val-classes', '--no-docs', '--qd-per-class', '--sizes', '--providers', '--no-baselines']);
  for (const a of argv) if (a.startsWith('--') && !known.has(a)) throw new Error(`unknown option ${a}`);
  const quick = argv.includes('--quick');
  const shared = path.resolve(REPO, get('--shared') ?? '../shared');
  const data = path.resolve(REPO, get('--data') ?? 'bench/.data');
  // Both builds by default in a full run: models/ (full build, ships) and models/zero-shot/ (every zero-shot claim).
  const both = !quick && fs.existsSync(path.join(REPO, 'models', 'zero-shot', 'model.json')) ? 'models,models/zero-shot' : 'models';
  const models = (get('--models') ?? get('--model') ?? both).split(',').filter(Boolean).map((m) => path.resolve(REPO, m));
  return {
    quick, models, shared, data,
    out: path.resolve(REPO, get('--out') ?? (quick ? path.join(path.relative(REPO, data), 'quick-results.json') : 'bench/results/latest.json')),
    seed: Number(get('--seed') ?? 1),
    skipQuality: argv.includes('--skip-quality'),
    skipPerf: argv.includes('--skip-perf'),
    teacher: path.resolve(REPO, get('--teacher') ?? path.join(path.relative(REPO, shared), 'models/teacher/mobilenet_v2_1.0_224_quant.onnx')),
    valClasses: path.resolve(REPO, get('--val-classes') ?? 'training/splits/sketchy-val-classes.txt'),
    // docs/BENCHMARKS.md compares with the baselines: a run without them leaves the docs as they are
    docs: !quick && !argv.includes('--no-docs') && !argv.includes('--no-baselines'),
    qdPerClass: get('--qd-per-class') ? Number(get('--qd-per-class')) : undefined,
    sizes: get('--sizes') ? get('--sizes')!.split(',').map(Number) : undefined,
    providers: get('--providers') ? parseProviders(get('--providers')!) : undefined,
    // the models alone, without teacher-raw, edge-hog and random (the teacher at 224 px is most of a cold run's time)
    baselines: !argv.includes('--no-baselines'),
  };
}

/** The NVIDIA GPU(s) of this machine, if nvidia-smi answers (for the per-provider table). */
function gpuName(): string | undefined {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name,driver_version', '--format=csv,noheader'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').join('; ') || undefined;
  } catch { return undefined; }
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  let ort = 'unknown';
  try { ort = JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules', 'onnxruntime-node', 'package.json'), 'utf8')).version; } catch { /* */ }
  const gpu = gpuName(); // nvidia-smi once (it may take seconds)
  return {
    cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memory_gb: Math.round(os.totalmem() / 2 ** 30), os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version, onnxruntime_node: ort, provider: 'cpu', gpu: gpu ?? 'none found (no nvidia-smi)', gpu_name: gpu,
    load_average_at_start: os.loadavg().map((x) => Math.round(x * 10) / 10),
  };
}

function commit(): string {
  try {
    const c = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: REPO, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'models'], { cwd: REPO, encoding: 'utf8' }).trim();
    return dirty ? `${c}+uncommitted(src/models)` : c;
  } catch { return 'unknown'; }
}

const fmt = (x: number | undefined, d = 3) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function qualityTable(quality: Record<string, Record<string, Summary>>): string {
  const rows = [`${pad('dataset', 26)} ${pad('method', 22)} ${pad('mAP@all', 8)} ${pad('95% CI', 15)} ${pad('P@100', 7)} ${pad('mAP@200', 8)} ${pad('P@200', 7)} ${pad('hit@10/1k', 10)} queries gallery`];
  for (const [ds, byM] of Object.entries(quality)) {
    for (const [m, s] of Object.entries(byM)) {
      rows.push(`${pad(ds, 26)} ${pad(m, 22)} ${pad(fmt(s['mAP@all']), 8)} ${pad(`${fmt(s['mAP@all_ci95'][0])}-${fmt(s['mAP@all_ci95'][1])}`, 15)} ${pad(fmt(s['P@100']), 7)} ${pad(fmt(s['mAP@200']), 8)} ${pad(fmt(s['P@200']), 7)} ${pad(fmt(s['hit@10_1k']), 10)} ${pad(String(s.queries), 7)} ${s.gallery}`);
    }
  }
  return rows.join('\n');
}

/** One model goal: a measured value against an absolute target (issue "A model that finds what people draw"). */
export interface Bar { value: number | null; target: number; pass: boolean | null; detail: string }

/**
 * The model goals, measured on the model under test (the zero-shot build unless named).
 * Absolute targets: the mAP ratios to baselines of earlier issues are still in the quality table.
 */
export function bars(byDataset: Record<string, Record<string, Summary>>, builds: { zeroShot?: string; full?: string } | string = {}): Record<string, Bar> {
  const b = typeof builds === 'string' ? { zeroShot: builds, full: builds } : builds;
  const zs = b.zeroShot ?? 'student', full = b.full ?? 'student';
  const bar = (ds: string, metric: 'mAP@all' | 'hit@10_1k', target: number, method = zs): Bar => {
    const x = byDataset[ds]?.[method]?.[metric];
    const value = x === undefined ? null : x;
    return { value, target, pass: value === null ? null : value >= target, detail: value === null ? `${ds} ${metric} not measured` : `${ds}: ${method} ${metric} ${fmt(x)}` };
  };
  return {
    quickdraw_unseen_mAP: bar('quickdraw-unseen-assets', 'mAP@all', 0.06),
    quickdraw_unseen_hit10_1k: bar('quickdraw-unseen-assets', 'hit@10_1k', 0.70),
    sketchy_val_mAP: bar('sketchy-val', 'mAP@all', 0.33),
    similar_emoji_mAP: bar('similar-emoji', 'mAP@all', 0.30),
    full_build_reserved_trained_hit10_1k: bar('quickdraw-reserved-trained-assets', 'hit@10_1k', 0.85, full),
  };
}

/** A dataset summary as written to the results JSON (every metric the docs and history read). */
export function summaryForJson(s: Summary): Summary {
  return {
    'mAP@all': s['mAP@all'], 'P@100': s['P@100'], 'mAP@200': s['mAP@200'], 'P@200': s['P@200'], queries: s.queries, gallery: s.gallery, 'mAP@all_ci95': s['mAP@all_ci95'],
    ...(s['hit@10_1k'] === undefined ? {} : { 'hit@10_1k': s['hit@10_1k'], 'hit@10_1k_ci95': s['hit@10_1k_ci95'] }),
  };
}

export function perfTargets(p: PerfResult): Record<string, { value: number; target: string; pass: boolean }> {
  const q = p.query_ms['100000'];
  const t = (value: number, target: string, pass: boolean) => ({ value, target, pass });
  return {
    query_p50_ms_at_100k: q ? t(q.p50, '<= 25 ms', q.p50 <= 25) : t(NaN, '<= 25 ms (not measured)', false),
    // 80, not 150: a same-size (MobileNetV2 1.0) image encoder costs ~7.7 ms per icon on 2 cores (bench/README.md)
    index_icons_per_s: t(p.index_images_per_s.icons, '>= 80', p.index_images_per_s.icons >= 80),
    index_photos_per_s: t(p.index_images_per_s.photos, '>= 15', p.index_images_per_s.photos >= 15),
    index_mb_per_100k: t(p.index_mb_per_100k, '<= 60 MB', p.index_mb_per_100k <= 60),
    rss_extra_mb_per_100k: t(p.rss_extra_mb_per_100k, '<= 150 MB', p.rss_extra_mb_per_100k <= 150),
    ready_ms_100k: t(p.ready_ms_100k, '<= 2000 ms', p.ready_ms_100k <= 2000),
    ...(p.models_mb === undefined ? {} : { models_mb: t(p.models_mb, '<= 30 MB', p.models_mb <= 30) }),
  };
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const started = new Date();
  const t0 = Date.now();
  const log = (s: string) => console.error(`[bench ${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${s}`);
  for (const m of a.models) {
    if (!fs.existsSync(path.join(m, 'model.json'))) throw new Error(`no model at ${m} (model.json missing): pass --model DIR`);
  }
  const providersOnly = a.skipQuality && a.skipPerf && !!a.providers;
  if (!providersOnly && !fs.existsSync(a.shared)) throw new Error(`shared data not found at ${a.shared}: pass --shared DIR`);
  fs.mkdirSync(a.data, { recursive: true });
  const command = `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`;
  log(`${a.quick ? 'quick' : 'full'} run; models ${a.models.map((m) => path.relative(REPO, m) || '.').join(', ')}; shared ${a.shared}`);

  const result: Record<string, unknown> = { commit: commit(), machine: machine(), date: started.toISOString(), command, quick: a.quick, seed: a.seed };
  if (a.providers) {
    log(`providers: ${a.providers.join(', ')}`);
    result.providers = await runProviders({ modelDir: a.models[0], providers: a.providers, seed: a.seed, log });
  }
  if (providersOnly) {
    const out = path.join(REPO, 'bench', 'results', 'providers.json');
    fs.writeFileSync(out, JSON.stringify(result, null, 1) + '\n');
    log(`wrote ${path.relative(REPO, out)}`);
    if (a.docs) {
      const m = result.machine as { cpu: string; os: string; gpu_name?: string };
      writeProvidersSection(path.join(REPO, 'docs', 'BENCHMARKS.md'), providersSection(result.providers as never, [m.gpu_name, m.cpu, m.os].filter(Boolean).join(', '), started.toISOString().slice(0, 10)));
      log('updated the per-provider section of docs/BENCHMARKS.md');
    }
    return;
  }
  const students: (Method & { modelId: string })[] = [];
  for (const [i, m] of a.models.entries()) students.push(await studentMethod(m, i === 0 ? 'student' : `student:${path.basename(m)}`, 0));
  result.model = { dir: path.relative(REPO, a.models[0]) || '.', id: students[0].modelId, dim: students[0].dim };

  let seedVectors: Float32Array[] | undefined;
  if (!a.skipQuality) {
    const methods: Method[] = [...students, ...(a.baselines ? [await teacherMethod(a.teacher), hogMethod(), randomMethod(a.seed)] : [])];
    const q = await runQuality({
      data: a.data, shared: a.shared, quick: a.quick, seed: a.seed,
      distractors: a.quick ? 40 : 20000,
      qdPerClass: a.qdPerClass ?? (a.quick ? 4 : 50), qdClasses: a.quick ? 4 : undefined,
      sketchyPerClass: a.quick ? 3 : 25, sketchyClasses: a.quick ? 4 : undefined, sketchyPhotosPerClass: a.quick ? 5 : undefined,
      similarNames: a.quick ? 4 : 300, reservedPerClass: a.quick ? 2 : 10, valClassesFile: a.valClasses, log,
    }, methods);
    const byDataset: Record<string, Record<string, Summary>> = {};
    for (const [ds, r] of Object.entries(q.datasets)) byDataset[ds] = r.summary;
    const shape = summaryForJson;
    const per = (name: string) => Object.fromEntries(Object.entries(q.datasets).map(([ds, r]) => [ds, shape(r.summary[name])]));
    result.quality = per('student');
    if (a.baselines) result.baselines = Object.fromEntries(['teacher-raw', 'edge-hog', 'random'].map((b) => [b, per(b)]));
    if (students.length > 1) result.ablations = Object.fromEntries(students.slice(1).map((s) => [s.name, { model: s.modelId, ...per(s.name) }]));
    // Zero-shot bars on the zero-shot build (models/zero-shot when benchmarked), the full build's on models/.
    const zeroShot = students.find((st, i) => i > 0 && path.basename(a.models[i]) === 'zero-shot')?.name;
    result.bars = bars(byDataset, { zeroShot, full: 'student' });
    result.per_class = Object.fromEntries(Object.entries(q.datasets).map(([ds, r]) => [ds, r.perClass]));
    result.dataset_notes = Object.fromEntries(Object.entries(q.datasets).map(([ds, r]) => [ds, r.notes]));
    result.gallery_decode_failures = q.failed;
    result.index_checks = q.indexChecks;
    seedVectors = q.galleryVectors;
    console.log('\nQUALITY (mAP@all with 95% bootstrap interval over queries)\n' + qualityTable(byDataset));
    console.log('\nMODEL BARS (model under test)');
    for (const [k, v] of Object.entries(result.bars as ReturnType<typeof bars>)) console.log(`  ${pad(k, 38)} ${v.value === null ? 'n/a' : fmt(v.value)} (target >= ${v.target}) ${v.pass === null ? 'NOT MEASURED' : v.pass ? 'PASS' : 'FAIL'}  ${v.detail}`);
  }
  for (const s of students) await s.dispose();

  if (!a.skipPerf) {
    log('perf');
    const p = await runPerf({
      modelDir: a.models[0], data: a.data, shared: a.shared, quick: a.quick, seed: a.seed,
      sizes: a.sizes ?? (a.quick ? [1000, 10000] : [1000, 10000, 100000, 1000000]),
      icons: a.quick ? 32 : 600, photos: a.quick ? 2 : 30, readyEntries: a.quick ? 20_000 : 100_000, seedVectors, log,
    });
    result.perf = p;
    result.perf_targets = perfTargets(p);
    console.log('\nSPEED (CPU provider)');
    console.log(`  search engine: ${p.search_engine}; times in ms (p50 unless marked)`);
    console.log(`  ${pad('indexed', 10)} ${pad('total p50', 10)} ${pad('total p95', 10)} ${pad('encode', 8)} ${pad('search', 8)} ${pad('JS topK', 8)} ${pad('brute', 8)} shipped vs brute / vs JS`);
    for (const [n, q] of Object.entries(p.query_ms)) console.log(`  ${pad(n, 10)} ${pad(String(q.p50), 10)} ${pad(String(q.p95), 10)} ${pad(String(q.encode_p50), 8)} ${pad(String(q.search_p50), 8)} ${pad(String(q.js_topk_search_p50), 8)} ${pad(String(q.bruteforce_search_p50), 8)} ${q.search_speedup_vs_bruteforce}x / ${q.search_speedup_vs_js_topk}x`);
    for (const [k, v] of Object.entries(result.perf_targets as ReturnType<typeof perfTargets>)) console.log(`  ${pad(k, 24)} ${pad(String(v.value), 10)} target ${pad(v.target, 12)} ${a.quick ? '(quick run: smaller sizes, indicative only)' : v.pass ? 'PASS' : 'FAIL'}`);
    console.log(`  GPU provider: ${p.gpu}`);
    log('storm');
    const storm = await runStorm({ files: a.quick ? 200 : 10_000, modelDir: a.models[0], log });
    result.storm = storm;
    if (!storm.consistent) throw new Error('storm: the index did not end equal to a rebuild');
  }
  result.duration_s = Math.round((Date.now() - t0) / 1000);
  fs.mkdirSync(path.dirname(a.out), { recursive: true });
  fs.writeFileSync(a.out, JSON.stringify(result, null, 1) + '\n');
  log(`wrote ${path.relative(REPO, a.out)}`);
  if (!a.quick && result.quality) {
    appendHistory(result);
    log('appended to bench/results/history.md');
  }
  if (a.docs && result.perf && result.quality) {
    await writeAll(result);
    log('wrote docs/BENCHMARKS.md and bench/results/latency.png');
  }
}

if (require.main === module) main().catch((e) => { console.error(`bench failed: ${e instanceof Error ? e.stack : e}`); process.exit(1); });
