/**
 * The one place that loads onnxruntime-node in a process. Every in-process user (encoder, top-k
 * engine, benchmarks) goes through loadOnnxRuntime(), so the two process-wide settings below are
 * made before onnxruntime creates its environment:
 *
 * - ORT_DISABLE_TELEMETRY=1 (unless the user set it): onnxruntime 1.29+ on Linux/macOS starts a
 *   telemetry client that, among other things, matches a std::regex against /proc/self/cmdline.
 *   libstdc++'s regex recurses once per character, so a command line over ~29,000 characters
 *   overflows the 8 MB main-thread stack and the process dies with SIGSEGV
 *   (docs/onnxruntime-long-cmdline-segfault.md). The switch is read once, when the first session is
 *   created; set later it does nothing.
 * - native log level "fatal": provider load failures are thrown to us as errors, which we report
 *   in one plain line; onnxruntime would otherwise also print them in red with ANSI codes on stderr.
 *   SKETCH_SEARCH_ORT_LOG=verbose|info|warning|error brings its own log back for debugging.
 */
import * as fs from 'fs';
import * as path from 'path';

type Ort = typeof import('onnxruntime-node');
let loaded: Promise<Ort> | undefined;

const LOG_LEVELS = ['verbose', 'info', 'warning', 'error', 'fatal'] as const;

export function loadOnnxRuntime(): Promise<Ort> {
  process.env.ORT_DISABLE_TELEMETRY ??= '1';
  loaded ??= import('onnxruntime-node').then((ort) => {
    const wanted = process.env.SKETCH_SEARCH_ORT_LOG as (typeof LOG_LEVELS)[number] | undefined;
    ort.env.logLevel = wanted && LOG_LEVELS.includes(wanted) ? wanted : 'fatal';
    return ort;
  });
  return loaded;
}

/** Folder of onnxruntime-node's native binding for this platform (where provider libraries go). */
export function ortBinaryDir(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | undefined {
  try {
    const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
    return path.join(pkg, 'bin', 'napi-v6', platform, arch);
  } catch {
    return undefined;
  }
}

/** File names in the binding folder (empty when it cannot be read). */
export function ortBinaryFiles(dir: string | undefined = ortBinaryDir()): string[] {
  if (!dir) return [];
  try { return fs.readdirSync(dir); } catch { return []; }
}
