// One esbuild config for every bundle: extension host, encoder worker process, CLI, webview.
// Native modules (onnxruntime-node, sharp, usearch) stay external and ship in node_modules.
// The webview bundle goes to media/ so the webview's localResourceRoots need only media/ and thumbnails.
import * as esbuild from 'esbuild';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const external = ['vscode', 'onnxruntime-node', 'sharp', 'usearch'];
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'info' };

const builds = [
  { ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', target: 'node18', external },
  { ...common, entryPoints: ['src/worker/encoderWorker.ts'], outfile: 'dist/encoderWorker.js', platform: 'node', format: 'cjs', target: 'node18', external },
  { ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', target: 'node18', external },
  { ...common, entryPoints: ['src/webview/main.ts'], outfile: 'media/webview.js', platform: 'browser', format: 'iife', target: 'es2022' },
];

if (watch) {
  for (const b of builds) (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
