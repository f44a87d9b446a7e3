/**
 * Child process of bench/perf.ts: time from start to "ready" with an index already on disk.
 *   node --import tsx bench/perf-ready.ts MODEL_DIR INDEX_FILE PREPROCESS_VERSION
 *   (+ TOPK_ONNX: the host's search engine, models/topk.onnx)
 * Prints one JSON line: import_ms, model_ms, load_ms, search_ms, ready_ms, rss_extra_mb, peak_rss_mb.
 */
const t0 = performance.now();
(async () => {
  const [modelDir, indexFile, ppv, topkModel, expected] = process.argv.slice(2);
  const { Embedder } = await import('../src/core/embedder');
  const { FolderIndex } = await import('../src/core/folderIndex');
  const { OrtTopK, jsTopK } = await import('../src/core/topkEngine');
  const t1 = performance.now();
  const emb = await Embedder.create(modelDir, { provider: 'cpu' });
  const engine = await OrtTopK.create(topkModel).catch(() => jsTopK);
  const t2 = performance.now();
  if (global.gc) global.gc();
  const mem0 = process.memoryUsage();
  const rss0 = mem0.rss;
  const fi = new FolderIndex('/nonexistent-root', indexFile, emb, { preprocessVersion: Number(ppv), readOnly: true });
  const msg = await fi.load();
  if (msg) throw new Error(`index not loaded: ${msg}`);
  const t3 = performance.now();
  const q = await emb.embedStrokes([[[0, 0], [50, 80], [100, 0]]]);
  const hits = await fi.search(q, 60, engine);
  const t4 = performance.now();
  if (hits.length !== Math.min(60, fi.size) || fi.size !== Number(expected)) throw new Error(`unexpected search result: ${hits.length} hits from ${fi.size} entries`);
  if (global.gc) global.gc();
  const mem1 = process.memoryUsage();
  const rss1 = mem1.rss;
  const r = (x: number) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({
    import_ms: r(t1 - t0), model_ms: r(t2 - t1), load_ms: r(t3 - t2), search_ms: r(t4 - t3), ready_ms: r(t4 - t0),
    rss_extra_mb: r((rss1 - rss0) / 1e6),
    retained_js_mb: r((mem1.heapUsed + mem1.arrayBuffers - mem0.heapUsed - mem0.arrayBuffers) / 1e6), peak_rss_mb: r(process.resourceUsage().maxRSS / 1024),
  }));
  await emb.dispose();
})().catch((e) => { console.error(e); process.exit(1); });
