/**
 * The recent queries of a workspace (the last 20 drawings and images), kept in the workspace's
 * Memento (`context.workspaceState`) so they survive a reload of the window. Drawings are kept as
 * stroke lists in pad-side units, images by their path, pasted bitmaps as a file in the
 * workspace's storage folder named by the hash of their bytes. Everything read back is validated:
 * a damaged entry is dropped, never trusted. No vscode import (unit-tested with a fake Memento).
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { PadStroke, RecentQueryView } from '../shared/protocol';

export const MAX_RECENT = 20;
export const STORAGE_KEY = 'sketchSearch.recentQueries';
/** Points kept per stored drawing (longer ones are thinned evenly: a recent entry, not an archive). */
export const MAX_STORED_POINTS = 8000;
/** Points in the small picture sent to the webview. */
export const MAX_PREVIEW_POINTS = 300;
const MAX_STROKES = 500;
const MAX_PATH = 4096;
const PASTED_NAME_RE = /^[0-9a-f]{40}\.(png|jpg|gif|webp)$/;
const IMAGE_PATH_RE = /\.(png|jpe?g|gif|webp|svg|bmp|tiff?|avif)$/i;

/** [u, v] in units of the pad side. */
export type UnitStroke = [number, number][];

export type RecentEntry =
  | { id: string; kind: 'sketch'; at: number; strokes: UnitStroke[] }
  | { id: string; kind: 'image'; at: number; path: string; label: string }
  | { id: string; kind: 'pasted'; at: number; file: string; label: string };

/** The part of vscode.Memento used here. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

/** An in-memory Memento (no workspace, tests). */
export function memoryMemento(): MementoLike {
  const m = new Map<string, unknown>();
  return { get: <T>(k: string) => m.get(k) as T | undefined, update: async (k, v) => { m.set(k, v); } };
}

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Untrusted strokes -> unit strokes (pressure dropped, rounded), or null when unusable. */
export function parseUnitStrokes(x: unknown): UnitStroke[] | null {
  if (!Array.isArray(x) || x.length === 0 || x.length > MAX_STROKES) return null;
  const out: UnitStroke[] = [];
  let total = 0;
  for (const s of x) {
    if (!Array.isArray(s) || s.length === 0) return null;
    total += s.length;
    if (total > 50_000) return null;
    const st: UnitStroke = [];
    for (const p of s) {
      if (!Array.isArray(p) || p.length < 2 || p.length > 3) return null;
      const [u, v] = p as unknown[];
      if (typeof u !== 'number' || typeof v !== 'number' || !Number.isFinite(u) || !Number.isFinite(v) || Math.abs(u) > 10 || Math.abs(v) > 10) return null;
      st.push([round4(u), round4(v)]);
    }
    out.push(st);
  }
  return out;
}

/** At most `max` points in all, each stroke thinned evenly (its first and last points kept). */
export function thinStrokes(strokes: UnitStroke[], max: number): UnitStroke[] {
  const total = strokes.reduce((n, s) => n + s.length, 0);
  if (total <= max) return strokes;
  const keep = max / total;
  return strokes.map((s) => {
    const n = Math.max(Math.min(2, s.length), Math.floor(s.length * keep));
    if (n >= s.length) return s;
    const out: UnitStroke = [];
    for (let i = 0; i < n; i++) out.push(s[Math.round((i * (s.length - 1)) / Math.max(1, n - 1))]);
    return out;
  });
}

function parseEntry(x: unknown): RecentEntry | null {
  if (!isObj(x) || typeof x.id !== 'string' || !/^r[0-9a-z]{1,40}$/.test(x.id)) return null;
  const at = typeof x.at === 'number' && Number.isFinite(x.at) && x.at >= 0 ? x.at : 0;
  switch (x.kind) {
    case 'sketch': {
      const strokes = parseUnitStrokes(x.strokes);
      return strokes ? { id: x.id, kind: 'sketch', at, strokes: thinStrokes(strokes, MAX_STORED_POINTS) } : null;
    }
    case 'image':
      if (typeof x.path !== 'string' || x.path.length > MAX_PATH || !path.isAbsolute(x.path) || !IMAGE_PATH_RE.test(x.path) || /[\u0000-\u001f]/.test(x.path)) return null;
      return { id: x.id, kind: 'image', at, path: x.path, label: labelOf(x.label, path.basename(x.path)) };
    case 'pasted':
      if (typeof x.file !== 'string' || !PASTED_NAME_RE.test(x.file)) return null;
      return { id: x.id, kind: 'pasted', at, file: x.file, label: labelOf(x.label, 'pasted image') };
    default:
      return null;
  }
}

function labelOf(x: unknown, fallback: string): string {
  return typeof x === 'string' && x.length > 0 && x.length <= 300 && !/[\u0000-\u001f]/.test(x) ? x : fallback;
}

/** Untrusted stored value -> valid entries, newest first, without duplicates, at most MAX_RECENT. */
export function parseStored(x: unknown): RecentEntry[] {
  if (!Array.isArray(x)) return [];
  const out: RecentEntry[] = [];
  const seen = new Set<string>();
  for (const e of x.slice(0, MAX_RECENT * 2)) {
    const p = parseEntry(e);
    if (!p) continue;
    const key = dedupKey(p);
    if (seen.has(key) || seen.has(`id:${p.id}`)) continue;
    seen.add(key);
    seen.add(`id:${p.id}`);
    out.push(p);
    if (out.length >= MAX_RECENT) break;
  }
  return out;
}

function dedupKey(e: RecentEntry): string {
  switch (e.kind) {
    case 'sketch': return `s:${JSON.stringify(e.strokes)}`;
    case 'image': return `i:${e.path}`;
    case 'pasted': return `p:${e.file}`;
  }
}

export class RecentQueries {
  private entries: RecentEntry[];
  private listeners: (() => void)[] = [];
  private seq = 0;

  /** `pastedDir`: where pasted bitmaps are kept (the workspace's storage); undefined: they are not kept. */
  constructor(private readonly memento: MementoLike, readonly pastedDir: string | undefined, private readonly now: () => number = Date.now) {
    let stored: unknown;
    try { stored = memento.get<unknown>(STORAGE_KEY); } catch { stored = undefined; }
    this.entries = parseStored(stored);
  }

  onDidChange(l: () => void): void { this.listeners.push(l); }

  list(): readonly RecentEntry[] { return this.entries; }

  get(id: string): RecentEntry | undefined { return this.entries.find((e) => e.id === id); }

  /**
   * Remember a drawing. Identical strokes move that entry to the front. `replaceId`: the entry of
   * the drawing in progress (its earlier state), replaced instead of kept beside it.
   * Returns the entry's id.
   */
  async addSketch(strokes: PadStroke[], replaceId?: string): Promise<string | undefined> {
    const parsed = parseUnitStrokes(strokes);
    if (!parsed) return undefined;
    const entry: RecentEntry = { id: this.newId(), kind: 'sketch', at: this.now(), strokes: thinStrokes(parsed, MAX_STORED_POINTS) };
    if (replaceId) this.entries = this.entries.filter((e) => e.id !== replaceId || dedupKey(e) === dedupKey(entry));
    return this.add(entry);
  }

  async addImage(abs: string, label: string): Promise<string | undefined> {
    const e = parseEntry({ id: this.newId(), kind: 'image', at: this.now(), path: abs, label });
    return e ? this.add(e) : undefined;
  }

  /** Keep a pasted bitmap in the workspace storage (named by its hash) and remember it. Returns its file. */
  async addPasted(bytes: Buffer, ext: 'png' | 'jpg' | 'gif' | 'webp', label: string): Promise<{ id: string; file: string } | undefined> {
    if (!this.pastedDir) return undefined;
    const name = `${crypto.createHash('sha1').update(bytes).digest('hex')}.${ext}`;
    const file = path.join(this.pastedDir, name);
    try {
      await fs.promises.mkdir(this.pastedDir, { recursive: true });
      await fs.promises.writeFile(file, bytes, { mode: 0o600 });
    } catch {
      return undefined;
    }
    const id = await this.add({ id: this.newId(), kind: 'pasted', at: this.now(), file: name, label });
    return id ? { id, file } : undefined;
  }

  /** Absolute path of a pasted entry's file. */
  pastedFile(e: RecentEntry & { kind: 'pasted' }): string | undefined {
    return this.pastedDir ? path.join(this.pastedDir, e.file) : undefined;
  }

  /** Move an entry to the front (it was used again). */
  async touch(id: string): Promise<void> {
    const e = this.get(id);
    if (!e || this.entries[0] === e) return;
    const before = this.entries;
    this.entries = [{ ...e, at: this.now() }, ...this.entries.filter((x) => x !== e)];
    await this.save(before);
  }

  async forget(id: string | 'all'): Promise<void> {
    const before = this.entries;
    this.entries = id === 'all' ? [] : this.entries.filter((e) => e.id !== id);
    if (this.entries.length !== before.length) await this.save(before);
  }

  /** Entries as the webview shows them (image thumbnails filled in by the caller). */
  views(): RecentQueryView[] {
    return this.entries.map((e): RecentQueryView => e.kind === 'sketch'
      ? { recentId: e.id, kind: 'sketch', at: e.at, strokeCount: e.strokes.length, preview: thinStrokes(e.strokes, MAX_PREVIEW_POINTS) }
      : { recentId: e.id, kind: 'image', at: e.at, label: e.label });
  }

  private async add(entry: RecentEntry): Promise<string> {
    const key = dedupKey(entry);
    const existing = this.entries.find((e) => dedupKey(e) === key);
    const kept = existing ? { ...entry, id: existing.id } : entry;
    const before = this.entries;
    this.entries = [kept, ...this.entries.filter((e) => e !== existing)].slice(0, MAX_RECENT);
    await this.save(before);
    return kept.id;
  }

  private async save(before: readonly RecentEntry[]): Promise<void> {
    try { await this.memento.update(STORAGE_KEY, this.entries); } catch { /* storage unavailable: keep it in memory */ }
    // Pasted bitmaps that fell off the list are deleted.
    const still = new Set(this.entries.filter((e) => e.kind === 'pasted').map((e) => (e as { file: string }).file));
    for (const e of before) {
      if (e.kind === 'pasted' && !still.has(e.file) && this.pastedDir) await fs.promises.rm(path.join(this.pastedDir, e.file), { force: true }).catch(() => undefined);
    }
    for (const l of this.listeners) { try { l(); } catch { /* a listener's problem */ } }
  }

  private newId(): string {
    return `r${this.now().toString(36)}${(this.seq++).toString(36)}${crypto.randomBytes(3).toString('hex')}`;
  }
}
