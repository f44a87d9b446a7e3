/**
 * Append-only keyed record caches in bench/.data/cache (ignored): decoded 128 px RGB per file,
 * and vectors per encoder (keyed by the encoder file's hash: bench/lib/vectorStore.ts).
 * A record file plus a key file (one key per line); a torn tail is ignored on load.
 * One writer per cache: a second process that opens a cache another live process holds (the quick
 * benchmark of `npm test` beside a full run) reads what is on disk and keeps its new records in
 * memory. Two appenders used to interleave records and keys and corrupt both.
 */
import * as fs from 'fs';
import * as path from 'path';

export class RecordCache {
  private index = new Map<string, number>();
  private fd: number;
  private count = 0;
  readonly failed = new Map<string, string>();

  constructor(dir: string, readonly name: string, readonly recordBytes: number) {
    fs.mkdirSync(dir, { recursive: true });
    const bin = path.join(dir, `${name}.bin`), keys = path.join(dir, `${name}.keys`), failed = path.join(dir, `${name}.failed`);
    const lines = fs.existsSync(keys) ? fs.readFileSync(keys, 'utf8').split('\n') : [];
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    const size = fs.existsSync(bin) ? fs.statSync(bin).size : 0;
    this.count = Math.min(lines.length, Math.floor(size / recordBytes));
    if (this.count !== lines.length || this.count * recordBytes !== size) {
      fs.writeFileSync(keys, lines.slice(0, this.count).map((l) => l + '\n').join(''));
      if (size) fs.truncateSync(bin, this.count * recordBytes);
    }
    for (let i = 0; i < this.count; i++) this.index.set(lines[i], i);
    if (fs.existsSync(failed)) {
      for (const l of fs.readFileSync(failed, 'utf8').split('\n')) {
        const t = l.indexOf('\t');
        if (t > 0) this.failed.set(l.slice(0, t), l.slice(t + 1));
      }
    }
    this.fd = fs.openSync(bin, 'a+');
    this.keysFile = keys;
    this.failedFile = failed;
    this.lockFile = path.join(dir, `${name}.lock`);
    this.owner = takeLock(this.lockFile);
  }

  private keysFile: string;
  private failedFile: string;
  private lockFile: string;
  /** false: another live process writes this cache; new records stay in `mem`. */
  readonly owner: boolean;
  private mem = new Map<string, Buffer>();

  has(key: string): boolean { return this.index.has(key) || this.mem.has(key) || this.failed.has(key); }

  get(key: string): Buffer | undefined {
    const m = this.mem.get(key);
    if (m) return m;
    const i = this.index.get(key);
    if (i === undefined) return undefined;
    const b = Buffer.allocUnsafe(this.recordBytes);
    fs.readSync(this.fd, b, 0, this.recordBytes, i * this.recordBytes);
    return b;
  }

  put(entries: { key: string; data: Uint8Array }[]): void {
    const fresh = entries.filter((e) => !this.index.has(e.key) && !this.mem.has(e.key));
    if (!fresh.length) return;
    if (!this.owner) {
      for (const e of fresh) this.mem.set(e.key, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength));
      return;
    }
    const buf = Buffer.concat(fresh.map((e) => {
      if (e.data.byteLength !== this.recordBytes) throw new Error(`record is ${e.data.byteLength} bytes, expected ${this.recordBytes}`);
      return Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength);
    }));
    fs.writeSync(this.fd, buf, 0, buf.length, this.count * this.recordBytes);
    fs.appendFileSync(this.keysFile, fresh.map((e) => e.key + '\n').join(''));
    for (const e of fresh) this.index.set(e.key, this.count++);
  }

  fail(key: string, reason: string): void {
    this.failed.set(key, reason);
    if (this.owner) fs.appendFileSync(this.failedFile, `${key}\t${reason.replace(/\s+/g, ' ')}\n`);
  }

  close(): void {
    fs.closeSync(this.fd);
    if (this.owner) fs.rmSync(this.lockFile, { force: true });
  }
}

/** Create `file` holding this pid; true if this process now holds it (a dead holder's lock is taken over). */
function takeLock(file: string): boolean {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid === process.pid) return false; // this process has it open already (another instance)
      if (pid > 0 && alive(pid)) return false;
      fs.rmSync(file, { force: true });
    }
  }
  return false;
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export function vectorOf(b: Buffer): Float32Array {
  const v = new Float32Array(b.length / 4);
  Buffer.from(v.buffer).set(b);
  return v;
}
