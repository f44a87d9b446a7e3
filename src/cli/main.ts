/**
 * sketch-search: the command-line face of the same core the extension uses.
 *   sketch-search index DIR [--db FILE]
 *   sketch-search query --db FILE --sketch PATH [--top N] [--json]
 *   sketch-search embed --as sketch|image [--out FILE] [--files-from FILE|-] [PATH... | -]
 * Common: --model DIR (default: the shipped models/), --provider auto|cpu|cuda|dml|coreml|webgpu, --verbose.
 *
 * The models run in the encoder worker process the extension uses (src/worker/), never in this
 * process: onnxruntime 1.30 segfaults in any process whose command line is over ~29,000
 * characters (docs/onnxruntime-long-cmdline-segfault.md), and a shell glob of an assets folder
 * easily makes this one longer. The worker starts with a short command line; paths go by IPC.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ProviderSetting } from '../core/encoder';
import { FolderIndex } from '../core/folderIndex';
import { defaultModelDir } from '../core/model';
import { PREPROCESS_VERSION } from '../core/preprocess';
import { readQueryFile } from '../core/queryInput';
import { DEFAULT_EXCLUDE, DEFAULT_INCLUDE } from '../core/scan';
import { jsTopK } from '../core/topkEngine';
import { CrashIsolatingFileEncoder, EncoderWorkerClient } from '../core/workerClient';

const USAGE = `usage:
  sketch-search index DIR [--db FILE]
  sketch-search query --db FILE --sketch PATH [--top N] [--json]
  sketch-search embed --as sketch|image [--out FILE] [--files-from FILE|-] [PATH... | -]
options: --model DIR  --provider auto|cpu|cuda|dml|coreml|webgpu  --verbose
embed: PATH may be a folder; "-" or "--files-from -" reads paths from standard input, one per
line (empty lines ignored; relative paths are relative to the current directory).`;

class UsageError extends Error {}

interface Args { positional: string[]; flags: Map<string, string | true> }

function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  const valued = new Set(['--db', '--sketch', '--top', '--as', '--out', '--model', '--provider', '--files-from']);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') { positional.push(...argv.slice(i + 1)); break; }
    if (a.startsWith('--')) {
      const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      if (valued.has(k)) {
        const val = v ?? argv[++i];
        if (val === undefined) throw new UsageError(`${k} needs a value`);
        flags.set(k, val);
      } else if (k === '--json' || k === '--help' || k === '--quiet' || k === '--verbose') flags.set(k, true);
      else throw new UsageError(`unknown option ${k}`);
    } else positional.push(a);
  }
  return { positional, flags };
}

function str(a: Args, k: string): string | undefined {
  const v = a.flags.get(k);
  return typeof v === 'string' ? v : undefined;
}

/** dist/encoderWorker.js beside this bundle (dist/cli.js), or the repository's dist/ from src/cli/. */
function workerScript(): string {
  const candidates = [path.join(__dirname, 'encoderWorker.js'), path.join(__dirname, '..', '..', 'dist', 'encoderWorker.js')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`the encoder worker ${candidates[0]} is missing: run "npm run build"`);
  return found;
}

/** The encoder worker, started and with its model loaded; says which provider runs it unless that is plain CPU as asked. */
async function openEncoder(a: Args): Promise<EncoderWorkerClient> {
  const provider = (str(a, '--provider') ?? 'cpu') as ProviderSetting;
  if (!['auto', 'cpu', 'cuda', 'dml', 'coreml', 'webgpu'].includes(provider)) throw new UsageError(`unknown provider ${provider}`);
  const verbose = a.flags.has('--verbose');
  const client = new EncoderWorkerClient({
    workerScript: workerScript(),
    modelDir: path.resolve(str(a, '--model') ?? defaultModelDir()),
    provider,
    log: (l) => { if (verbose || !l.startsWith('encoder: ')) process.stderr.write(`sketch-search: ${l}\n`); },
  });
  try {
    await client.start();
  } catch (e) {
    client.dispose();
    throw e;
  }
  if (!verbose && provider !== 'cpu') process.stderr.write(`sketch-search: ${client.providerNote}\n`);
  return client;
}

function expectPositionals(a: Args, n: number, what: string): void {
  if (a.positional.length - 1 > n) throw new UsageError(`${a.positional[0]} takes ${what}, got ${a.positional.length - 1} argument${a.positional.length === 2 ? '' : 's'}`);
}

function defaultDb(dir: string): string {
  return path.join(dir, '.sketch-search', 'index.sksidx');
}

async function cmdIndex(a: Args): Promise<number> {
  const dir = a.positional[1];
  if (!dir) throw new UsageError('index needs a DIR');
  expectPositionals(a, 1, 'one DIR');
  const st = await fs.promises.stat(dir).catch(() => undefined);
  if (!st?.isDirectory()) throw new Error(`${dir}: not a directory`);
  const db = str(a, '--db') ?? defaultDb(dir);
  const client = await openEncoder(a);
  try {
    const encoder = new CrashIsolatingFileEncoder(client, () => ({}), (l) => process.stderr.write(`sketch-search: ${l}\n`));
    const ix = new FolderIndex(path.resolve(dir), path.resolve(db), encoder, {
      preprocessVersion: PREPROCESS_VERSION, include: DEFAULT_INCLUDE, exclude: [...DEFAULT_EXCLUDE, '**/.sketch-search/**'], batchSize: 16,
    });
    const note = await ix.load();
    if (note) process.stderr.write(`note: ${note}\n`);
    const t0 = Date.now();
    let lastPrint = 0;
    const res = await ix.reconcile((p) => {
      if (process.stderr.isTTY && Date.now() - lastPrint > 200) { lastPrint = Date.now(); process.stderr.write(`\rindexing ${p.done}/${p.total}`); }
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    for (const s of ix.skippedFiles) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
    process.stdout.write(`${ix.size} images indexed in ${db} (+${res.added} -${res.removed}, ${res.failed} skipped, ${((Date.now() - t0) / 1000).toFixed(1)} s, provider ${client.provider})\n`);
    return 0;
  } finally {
    client.dispose();
  }
}

async function cmdQuery(a: Args): Promise<number> {
  const db = str(a, '--db');
  const sketch = str(a, '--sketch');
  if (!db || !sketch) throw new UsageError('query needs --db FILE and --sketch PATH');
  expectPositionals(a, 0, 'no PATH arguments (use --sketch PATH)');
  const topRaw = str(a, '--top') ?? '10';
  const top = Number(topRaw);
  if (!Number.isInteger(top) || top < 1) throw new UsageError(`--top must be a positive integer, got ${topRaw}`);
  if (!fs.existsSync(db)) throw new Error(`${db}: no such index (run "sketch-search index DIR --db ${db}" first)`);
  const client = await openEncoder(a);
  try {
    const q = await readQueryFile(sketch);
    let vec: Float32Array;
    if (q.kind === 'strokes') vec = await client.embedStrokes(q.strokes);
    else {
      const [r] = await client.embedFiles([path.resolve(q.path)], {}, 'sketch');
      if (!r.ok) throw new Error(`${sketch}: ${r.error}`);
      vec = r.vector;
    }
    const { readIndexFile } = await import('../core/indexStore');
    const stored = await readIndexFile(db);
    if (!stored) throw new Error(`${db}: no such index`);
    if (stored.modelId !== client.modelId) throw new Error(`${db} was built with model ${stored.modelId}, not ${client.modelId}: re-run "sketch-search index"`);
    // The JavaScript engine ranks exactly like models/topk.onnx (same integer arithmetic) and keeps
    // onnxruntime out of this process (see the header).
    const hits = (await jsTopK.topK({ codes: stored.codes, scales: stored.scales, rows: stored.entries.length, dim: stored.dim }, vec, top)).map((h) => ({ path: stored.entries[h.row].path, score: h.score }));
    if (a.flags.has('--json')) process.stdout.write(JSON.stringify({ query: sketch, results: hits }) + '\n');
    else for (const h of hits) process.stdout.write(`${h.score.toFixed(4)}  ${h.path}\n`);
    return 0;
  } finally {
    client.dispose();
  }
}

async function expand(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const st = await fs.promises.lstat(p).catch(() => undefined);
    if (st?.isDirectory()) {
      const entries = (await fs.promises.readdir(p)).sort();
      out.push(...(await expand(entries.map((e) => path.join(p, e)))));
    } else out.push(p);
  }
  return out;
}

/** Standard input, whole (for "-" and "--files-from -"). */
async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One path per line; empty lines ignored; CRLF tolerated. Relative paths stay relative to the cwd. */
export function parsePathList(text: string): string[] {
  return text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim().length > 0);
}

/** The embed inputs: PATH arguments, "-" (stdin) and --files-from FILE|-, in that order. */
async function embedInputs(a: Args): Promise<string[]> {
  const args = a.positional.slice(1);
  const listFile = str(a, '--files-from');
  const wantsStdin = args.includes('-') || listFile === '-';
  let stdinPaths: string[] = [];
  if (wantsStdin) {
    if (process.stdin.isTTY) process.stderr.write('sketch-search: reading paths from standard input (one per line, Ctrl+D to end)\n');
    stdinPaths = parsePathList(await readStdin());
  }
  const out: string[] = [];
  for (const p of args) out.push(...(p === '-' ? stdinPaths : [p]));
  if (listFile !== undefined && listFile !== '-') {
    let text: string;
    try {
      text = await fs.promises.readFile(listFile, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a list of paths' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
      throw new Error(`--files-from ${listFile}: ${why}`);
    }
    out.push(...parsePathList(text));
  } else if (listFile === '-' && !args.includes('-')) out.push(...stdinPaths);
  if (out.length === 0) {
    throw new UsageError(listFile !== undefined || wantsStdin ? `embed got an empty list of paths${listFile && listFile !== '-' ? ` from ${listFile}` : ' on standard input'}` : 'embed needs at least one PATH (or --files-from FILE, or - for standard input)');
  }
  return out;
}

async function cmdEmbed(a: Args): Promise<number> {
  const as = str(a, '--as');
  if (as !== 'sketch' && as !== 'image') throw new UsageError('embed needs --as sketch or --as image');
  const files = await expand(await embedInputs(a));
  const out = str(a, '--out');
  const client = await openEncoder(a);
  const encoder = new CrashIsolatingFileEncoder(client, () => ({}), (l) => process.stderr.write(`sketch-search: ${l}\n`));
  const sink = out ? fs.createWriteStream(out) : process.stdout;
  let failures = 0;
  try {
    const write = (p: string, v: Float32Array) => sink.write(JSON.stringify({ path: p, embedding: Array.from(v) }) + '\n');
    const rasters: string[] = [];
    for (const f of files) {
      if (!fs.existsSync(f)) { process.stderr.write(`skipped ${f}: no such file\n`); failures++; continue; }
      if (as === 'sketch' && /\.(json|ndjson|jsonl)$/i.test(f)) {
        try {
          const q = await readQueryFile(f);
          if (q.kind === 'strokes') write(f, await client.embedStrokes(q.strokes));
        } catch (e) { process.stderr.write(`skipped ${f}: ${(e as Error).message}\n`); failures++; }
      } else rasters.push(f);
    }
    for (let i = 0; i < rasters.length; i += 16) {
      const chunk = rasters.slice(i, i + 16);
      const res = await encoder.embedFiles(chunk.map((f) => path.resolve(f)), as);
      res.forEach((r, j) => {
        if (r.ok) write(chunk[j], r.vector);
        else { process.stderr.write(`skipped ${chunk[j]}: ${r.error}\n`); failures++; }
      });
    }
  } finally {
    client.dispose();
    if (out) await new Promise((r) => (sink as fs.WriteStream).end(r));
  }
  return failures > 0 ? 1 : 0;
}

export async function main(argv: string[]): Promise<number> {
  let a: Args;
  try {
    a = parseArgs(argv);
    if (a.flags.has('--help') || a.positional.length === 0) {
      process.stdout.write(USAGE + '\n');
      return a.flags.has('--help') ? 0 : 2;
    }
    switch (a.positional[0]) {
      case 'index': return await cmdIndex(a);
      case 'query': return await cmdQuery(a);
      case 'embed': return await cmdEmbed(a);
      default: throw new UsageError(`unknown command ${a.positional[0]}`);
    }
  } catch (e) {
    if (e instanceof UsageError) { process.stderr.write(`sketch-search: ${e.message}\n${USAGE}\n`); return 2; }
    process.stderr.write(`sketch-search: ${(e as Error).message}\n`);
    return 1;
  }
}

if (require.main === module || process.argv[1]?.endsWith('sketch-search.js') || process.argv[1]?.endsWith('cli.js')) {
  main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
