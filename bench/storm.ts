/**
 * Load: a storm of files created within seconds, then deleted, handled the way the extension host
 * handles it (watcher-sized batches into FolderIndex, encoding in the worker process). Measures
 * the host's event-loop delay while it happens (UI responsiveness: how late a 5 ms timer fires), RSS growth, time to settle,
 * and checks the index ends equal to a rebuild.
 *   npx tsx bench/storm.ts [--files N] [--model DIR]
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import { FolderIndex } from '../src/core/folderIndex';
import { PREPROCESS_VERSION } from '../src/core/preprocess';
import { CrashIsolatingFileEncoder, EncoderWorkerClient } from '../src/core/workerClient';

export interface StormResult {
  files: number; create_s: number; indexed_s: number; images_per_s: number; delete_s: number;
  event_loop_delay_ms: { p50: number; p99: number; max: number };
  rss_growth_mb: number; consistent: boolean;
}

const REPO = path.resolve(__dirname, '..');

export async function runStorm(opts: { files: number; modelDir: string; log: (s: string) => void }): Promise<StormResult> {
  const { execFileSync } = await import('child_process');
  execFileSync(process.execPath, [path.join(REPO, 'esbuild.mjs')], { cwd: REPO, stdio: 'ignore' });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sks-storm-'));
  const store = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sks-storm-idx-')), 'i.sksidx');
  const client = new EncoderWorkerClient({ workerScript: path.join(REPO, 'dist', 'encoderWorker.js'), modelDir: opts.modelDir, provider: 'cpu' });
  await client.start();
  const ix = new FolderIndex(root, store, new CrashIsolatingFileEncoder(client, () => ({})), { preprocessVersion: PREPROCESS_VERSION, batchSize: 16 });
  await ix.reconcile();
  const shapes = ['<circle cx="12" cy="12" r="8"/>', '<rect x="4" y="4" width="16" height="16"/>', '<path d="M12 3 L21 20 L3 20 Z"/>', '<path d="M3 12 H21 M12 3 V21"/>'];
  const rss0 = process.memoryUsage().rss;
  let rssPeak = rss0;
  const rssTimer = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 100);
  const RES_MS = 5;
  const h = monitorEventLoopDelay({ resolution: RES_MS });
  // Create: the files land within seconds; events arrive in watcher-sized bursts (as the host batches them).
  const t0 = performance.now();
  const files: string[] = [];
  for (let i = 0; i < opts.files; i++) {
    const dir = path.join(root, `d${i % 50}`);
    if (i < 50) fs.mkdirSync(dir, { recursive: true });
    const f = path.join(dir, `icon-${i}.svg`);
    // Distinct bytes (no deduplication shortcut), similar pictures.
    fs.writeFileSync(f, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="black" stroke-width="${1 + (i % 3)}"><!-- ${i} -->${shapes[i % shapes.length]}</svg>`);
    files.push(f);
  }
  const create_s = (performance.now() - t0) / 1000;
  // From here on the event loop is the host's: only the product's handling of the storm runs on it
  // (the files were written above by this process's synchronous loop, standing in for git or a build).
  h.enable();
  for (let i = 0; i < files.length; i += 500) await ix.updateFiles(files.slice(i, i + 500));
  const indexed_s = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  for (let i = 0; i < files.length; i += 1000) {
    const chunk = files.slice(i, i + 1000);
    await Promise.all(chunk.map((f) => fs.promises.rm(f)));
    await ix.removeFiles(chunk);
  }
  const delete_s = (performance.now() - t1) / 1000;
  h.disable();
  clearInterval(rssTimer);
  const sizeAfter = ix.size;
  const rebuilt = new FolderIndex(root, `${store}.fresh`, new CrashIsolatingFileEncoder(client, () => ({})), { preprocessVersion: PREPROCESS_VERSION });
  await rebuilt.reconcile();
  client.dispose();
  // The histogram includes its own sampling interval: report the delay beyond it.
  const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - RES_MS) * 100) / 100);
  const res: StormResult = {
    files: opts.files, create_s: +create_s.toFixed(2), indexed_s: +indexed_s.toFixed(1), images_per_s: +(opts.files / (indexed_s - create_s)).toFixed(1),
    delete_s: +delete_s.toFixed(2),
    event_loop_delay_ms: { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) },
    rss_growth_mb: Math.round((rssPeak - rss0) / 1e5) / 10, consistent: sizeAfter === 0 && rebuilt.size === 0,
  };
  opts.log(`  storm: ${res.files} files indexed in ${res.indexed_s} s (${res.images_per_s}/s), deleted in ${res.delete_s} s; host event-loop delay p50 ${res.event_loop_delay_ms.p50} ms, p99 ${res.event_loop_delay_ms.p99} ms, max ${res.event_loop_delay_ms.max} ms; RSS +${res.rss_growth_mb} MB; consistent with a rebuild: ${res.consistent}`);
  fs.rmSync(root, { recursive: true, force: true });
  return res;
}

if (require.main === module) {
  const arg = (k: string) => { const i = process.argv.indexOf(k); return i > 0 ? process.argv[i + 1] : undefined; };
  runStorm({ files: Number(arg('--files') ?? 10000), modelDir: arg('--model') ?? path.join(REPO, 'models'), log: console.log })
    .then((r) => { console.log(JSON.stringify(r)); if (!r.consistent) process.exit(1); })
    .catch((e) => { console.error(e); process.exit(1); });
}
