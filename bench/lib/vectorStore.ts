/**
 * The benchmark's vectors: one append-only cache (bench/lib/cache.ts) per encoder, so models that share
 * an encoder file (re-exports of one student with other test-time views of its sketch encoder share
 * the image encoder) encode each gallery image once between them.
 */
import { RecordCache, vectorOf } from './cache';
import { Kind, Method } from './methods';

/** An input to encode: a cache key, its kind, and how to make its tensor. */
export interface Entry { key: string; kind: Kind; tensor: () => Promise<Float32Array | null> }

export class VectorStore {
  private readonly caches = new Map<string, RecordCache>();

  constructor(private readonly dir: string, private readonly methods: Method[], private readonly log: (s: string) => void = () => undefined) {}

  /** The vector cache of a method for one kind of input (one file per encoder where it has two). */
  cacheOf(m: Method, kind: Kind): RecordCache {
    const name = `vec-${m.kindKeys?.[kind] ?? m.key}`;
    if (!this.caches.has(name)) this.caches.set(name, new RecordCache(this.dir, name, m.dim * 4));
    return this.caches.get(name)!;
  }

  /** Vectors of entries for every method (cache, else encode). null where the input failed to decode. */
  async encode(label: string, entries: Entry[]): Promise<Map<string, (Float32Array | null)[]>> {
    const t0 = Date.now();
    const ms = new Map<string, number>([['decode', 0], ...this.methods.map((m) => [m.name, 0] as [string, number])]);
    let done = 0, encoded = 0;
    const CH = 64;
    for (let i = 0; i < entries.length; i += CH) {
      const chunk = entries.slice(i, i + CH);
      const need = this.methods.map((m) => chunk.filter((e) => !this.cacheOf(m, e.kind).has(e.key)));
      if (need.some((n) => n.length)) {
        const anyPixels = this.methods.some((m, k) => !m.pixelFree && need[k].length);
        const tensors = new Map<string, Float32Array>();
        if (anyPixels) {
          const todo = [...new Set(this.methods.flatMap((m, k) => (m.pixelFree ? [] : need[k])))];
          const td = performance.now();
          const ts = await mapLimit(todo, 4, (e) => e.tensor());
          ms.set('decode', ms.get('decode')! + performance.now() - td);
          todo.forEach((e, k) => { if (ts[k]) tensors.set(e.key, ts[k]!); });
        }
        for (let k = 0; k < this.methods.length; k++) {
          const m = this.methods[k];
          // again now: an earlier method may have filled a cache this one shares (the same image encoder)
          const todo = need[k].filter((e) => !this.cacheOf(m, e.kind).has(e.key));
          const list = todo.filter((e) => m.pixelFree || tensors.has(e.key));
          for (const e of todo) if (!m.pixelFree && !tensors.has(e.key)) this.cacheOf(m, e.kind).fail(e.key, 'input failed to decode');
          for (let j = 0; j < list.length; j += m.batch) {
            const part = list.slice(j, j + m.batch);
            // a batch holds one kind (the model has two encoders)
            for (const kind of ['sketch', 'image'] as Kind[]) {
              const sub = part.filter((e) => e.kind === kind);
              if (!sub.length) continue;
              const te = performance.now();
              const out = await m.embed(kind, sub.map((e) => tensors.get(e.key) ?? new Float32Array(0)), sub.map((e) => e.key));
              ms.set(m.name, ms.get(m.name)! + performance.now() - te);
              this.cacheOf(m, kind).put(sub.map((e, q) => ({ key: e.key, data: new Uint8Array(out[q].buffer, out[q].byteOffset, out[q].byteLength) })));
              encoded += sub.length;
            }
          }
        }
      }
      done += chunk.length;
      if (Date.now() - t0 > 15000 && (i / CH) % 20 === 0) this.log(`  ${label}: ${done}/${entries.length} inputs (${encoded} encodings) ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
    const out = new Map<string, (Float32Array | null)[]>();
    for (const m of this.methods) {
      out.set(m.name, entries.map((e) => { const b = this.cacheOf(m, e.kind).get(e.key); return b ? vectorOf(b) : null; }));
    }
    if (encoded) this.log(`  ${label}: ${entries.length} inputs, ${encoded} new encodings in ${((Date.now() - t0) / 1000).toFixed(1)} s (${[...ms].map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')})`);
    return out;
  }

  close(): void {
    for (const c of this.caches.values()) c.close();
  }
}

async function mapLimit<T, R>(xs: T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(xs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, xs.length) }, async () => {
    while (next < xs.length) { const i = next++; out[i] = await f(xs[i]); }
  }));
  return out;
}
