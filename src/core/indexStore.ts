/**
 * On-disk index of one folder: a single versioned binary file, written atomically.
 *
 *   magic "SKSIDX\0\0" | u32 format | u32 headerBytes | u32 crc32(header + vectors) | header JSON | vectors
 *
 * Format 2 vectors: count x dim uint8 codes, then count float32 LE scales (quantize.ts).
 * Format 1 (float16 vectors) is still read, and quantised on load.
 *
 * The header holds the model id, preprocessing version, dim and per-file metadata. A file that is
 * truncated, fails its checksum, or has a newer format is rejected with IndexLoadError; the caller
 * sets it aside and rebuilds. Writes go to a temporary file, are fsynced, then renamed into place.
 */
import * as fs from 'fs';
import * as path from 'path';
import { decodeHalf } from './float16';
import { quantizeMatrix } from './quantize';

export const INDEX_FORMAT = 2;
const MAGIC = Buffer.from('SKSIDX\0\0', 'latin1');
const PREFIX = MAGIC.length + 12;

export interface EntryMeta {
  /** Path relative to the indexed root, '/'-separated. */
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

export interface SkippedFile { path: string; reason: string }

export interface StoredIndex {
  modelId: string;
  preprocessVersion: number;
  dim: number;
  entries: EntryMeta[];
  /** entries.length x dim uint8 codes and entries.length scales; row i belongs to entries[i]. */
  codes: Uint8Array;
  scales: Float32Array;
  skipped: SkippedFile[];
}

export class IndexLoadError extends Error {}

export function serializeIndex(ix: StoredIndex): Buffer {
  const n = ix.entries.length;
  if (ix.codes.length !== n * ix.dim || ix.scales.length !== n) throw new Error('vectors do not match entries x dim');
  const header = Buffer.from(JSON.stringify({
    modelId: ix.modelId, preprocessVersion: ix.preprocessVersion, dim: ix.dim,
    count: n, vectorEncoding: 'u8+scale', entries: ix.entries, skipped: ix.skipped,
  }), 'utf8');
  const vec = Buffer.concat([
    Buffer.from(ix.codes.buffer, ix.codes.byteOffset, n * ix.dim),
    Buffer.from(ix.scales.buffer, ix.scales.byteOffset, n * 4),
  ]);
  const pre = Buffer.alloc(PREFIX);
  MAGIC.copy(pre, 0);
  pre.writeUInt32LE(INDEX_FORMAT, 8);
  pre.writeUInt32LE(header.length, 12);
  pre.writeUInt32LE(crc32(vec, crc32(header)), 16);
  return Buffer.concat([pre, header, vec]);
}

export function deserializeIndex(buf: Buffer): StoredIndex {
  if (buf.length < PREFIX || !buf.subarray(0, 8).equals(MAGIC)) throw new IndexLoadError('not a Sketch Search index file');
  const format = buf.readUInt32LE(8);
  if (format > INDEX_FORMAT) throw new IndexLoadError(`index format ${format} is newer than this version (${INDEX_FORMAT})`);
  if (format !== 1 && format !== 2) throw new IndexLoadError(`unsupported index format ${format}`);
  const hlen = buf.readUInt32LE(12);
  if (PREFIX + hlen > buf.length) throw new IndexLoadError('index file is truncated');
  const header = buf.subarray(PREFIX, PREFIX + hlen);
  const vec = buf.subarray(PREFIX + hlen);
  if (crc32(vec, crc32(header)) !== buf.readUInt32LE(16)) throw new IndexLoadError('index checksum mismatch (corrupt or truncated)');
  let h: { modelId: string; preprocessVersion: number; dim: number; count: number; entries: EntryMeta[]; skipped?: SkippedFile[] };
  try {
    h = JSON.parse(header.toString('utf8'));
  } catch {
    throw new IndexLoadError('index header is not valid JSON');
  }
  const expected = format === 1 ? h.count * h.dim * 2 : h.count * (h.dim + 4);
  if (!Array.isArray(h.entries) || h.entries.length !== h.count || vec.length !== expected) {
    throw new IndexLoadError('index header does not match its vectors');
  }
  let codes: Uint8Array, scales: Float32Array;
  if (format === 1) {
    const aligned = new Uint16Array(h.count * h.dim);
    Buffer.from(aligned.buffer).set(vec);
    ({ codes, scales } = quantizeMatrix(decodeHalf(aligned), h.count, h.dim));
  } else {
    codes = new Uint8Array(h.count * h.dim);
    codes.set(vec.subarray(0, h.count * h.dim));
    scales = new Float32Array(h.count);
    Buffer.from(scales.buffer).set(vec.subarray(h.count * h.dim));
  }
  return {
    modelId: h.modelId, preprocessVersion: h.preprocessVersion, dim: h.dim,
    entries: h.entries, codes, scales, skipped: h.skipped ?? [],
  };
}

/** Atomic write: temp file in the same folder, fsync, rename, fsync the folder. */
export async function writeIndexFile(file: string, ix: StoredIndex): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fh = await fs.promises.open(tmp, 'w');
  try {
    await fh.writeFile(serializeIndex(ix));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fs.promises.rename(tmp, file);
  try {
    const dh = await fs.promises.open(path.dirname(file), 'r');
    try { await dh.sync(); } finally { await dh.close(); }
  } catch { /* directory fsync is not supported everywhere (Windows) */ }
}

/** Load an index; undefined if none. A bad file is renamed to *.corrupt-<time> and IndexLoadError thrown. */
export async function readIndexFile(file: string): Promise<StoredIndex | undefined> {
  let buf: Buffer;
  try {
    buf = await fs.promises.readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    return deserializeIndex(buf);
  } catch (e) {
    if (e instanceof IndexLoadError) {
      await fs.promises.rename(file, `${file}.corrupt-${Date.now()}`).catch(() => undefined);
    }
    throw e;
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(buf: Uint8Array, prev = 0): number {
  let c = ~prev >>> 0;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
