/**
 * Enumerates every candidate gallery item from the corpora installed by name
 * (bench/corpora: npm packages; Debian: openclipart-svg, tuxpaint-stamps-default), with its
 * source, licence and the words used to match it to a class. Nothing here is committed data:
 * the corpora are installed by `bash scripts/fetch-corpora.sh`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';

export const REPO = path.resolve(__dirname, '..', '..');
export const CORPORA = path.join(REPO, 'bench', 'corpora', 'node_modules');

/** Sets whose items may be labelled with a class (the gallery "assets"). */
export const LABELLED_SETS = ['twemoji', 'noto', 'fluent-emoji-flat', 'emojione', 'openmoji', 'game-icons', 'openclipart', 'tuxpaint'];
/** Sets used only as distractors (UI icons, logos, flags). */
export const DISTRACTOR_SETS = ['carbon', 'fa6-solid', 'flag', 'healthicons', 'icon-park-outline', 'lucide', 'material-symbols', 'mdi', 'ph', 'simple-icons', 'tabler'];
export const EMOJI_SETS = ['twemoji', 'noto', 'fluent-emoji-flat', 'emojione', 'openmoji'];

export interface SourceItem {
  /** Unique id "<set>:<name>". */
  id: string;
  set: string;
  name: string;
  /** Words used for class matching (name, plus annotation/description where the source has one). */
  text: string;
  /** Extra words (openmoji tags): shown to the reviewer, never matched automatically. */
  tags?: string;
  source: string;
  licence: string;
  /** How to get the file: an SVG string to write, or an existing file to copy. */
  svg?: () => string;
  file?: string;
  ext: 'svg' | 'png' | 'jpg';
}

interface IconifyJson {
  prefix: string;
  icons: Record<string, { body: string; width?: number; height?: number; hidden?: boolean }>;
  width?: number;
  height?: number;
}

export function iconifySvg(body: string, w: number, h: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">${body}</svg>`;
}

export function iconifyItems(set: string): SourceItem[] {
  const dir = path.join(CORPORA, '@iconify-json', set);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const j: IconifyJson = JSON.parse(fs.readFileSync(path.join(dir, 'icons.json'), 'utf8'));
  const lic = pkg.license?.spdx ?? pkg.license?.title ?? (typeof pkg.license === 'string' ? pkg.license : 'see package');
  const out: SourceItem[] = [];
  const emoji = EMOJI_SETS.includes(set);
  for (const [name, ic] of Object.entries(j.icons)) {
    if (ic.hidden) continue;
    // one rendering per emoji: skip skin-tone variants whose base emoji is in the set
    const base = name.replace(/-(light|medium-light|medium|medium-dark|dark)(-skin-tone)?$/, '');
    if (emoji && base !== name && j.icons[base]) continue;
    const w = ic.width ?? j.width ?? 16, h = ic.height ?? j.height ?? 16;
    out.push({
      id: `${set}:${name}`, set, name, text: name.replace(/-/g, ' '),
      source: `npm:@iconify-json/${set}@${pkg.version}`, licence: lic,
      svg: () => iconifySvg(ic.body, w, h), ext: 'svg',
    });
  }
  return out;
}

export function openmojiItems(): SourceItem[] {
  const dir = path.join(CORPORA, 'openmoji');
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const data: { hexcode: string; annotation: string; tags: string; openmoji_tags: string; skintone: string; group: string }[] =
    JSON.parse(fs.readFileSync(path.join(dir, 'data', 'openmoji.json'), 'utf8'));
  const out: SourceItem[] = [];
  for (const e of data) {
    if (e.skintone) continue; // skin-tone variants: one rendering per emoji
    const file = path.join(dir, 'color', 'svg', `${e.hexcode}.svg`);
    if (!fs.existsSync(file)) continue;
    const name = slug(e.annotation) || e.hexcode;
    out.push({
      id: `openmoji:${name}`, set: 'openmoji', name, text: e.annotation,
      tags: [e.tags, e.openmoji_tags].filter(Boolean).join(', '),
      source: `npm:openmoji@${pkg.version} (${e.hexcode})`, licence: 'CC-BY-SA-4.0', file, ext: 'svg',
    });
  }
  return dedupe(out);
}

function debVersion(pkg: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' });
  } catch {
    return 'unknown';
  }
}

function walk(dir: string, ext: string, out: string[] = []): string[] {
  let ents: fs.Dirent[];
  try { ents = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const d of ents.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) walk(p, ext, out);
    else if (d.isFile() && d.name.toLowerCase().endsWith(ext)) out.push(p);
  }
  return out;
}

export function openclipartItems(root = '/usr/share/openclipart/svg'): SourceItem[] {
  const v = debVersion('openclipart-svg');
  return dedupe(walk(root, '.svg').map((file) => {
    const rel = path.relative(root, file);
    const name = path.basename(file, '.svg').replace(/_\d+$/, '');
    return {
      id: `openclipart:${slug(rel.replace(/\.svg$/, ''))}`, set: 'openclipart', name,
      text: name.replace(/[_-]/g, ' '), tags: path.dirname(rel),
      source: `deb:openclipart-svg ${v} (${rel})`, licence: 'public-domain', file, ext: 'svg' as const,
    };
  }));
}

export function tuxpaintItems(root = '/usr/share/tuxpaint/stamps'): SourceItem[] {
  const v = debVersion('tuxpaint-stamps-default');
  const files = [...walk(root, '.png'), ...walk(root, '.svg')];
  return dedupe(files.map((file) => {
    const rel = path.relative(root, file);
    const base = path.basename(file).replace(/\.(png|svg)$/i, '');
    let desc = '';
    try { desc = fs.readFileSync(path.join(path.dirname(file), `${base}.txt`), 'utf8').split('\n')[0].trim(); } catch { /* none */ }
    return {
      id: `tuxpaint:${slug(rel.replace(/\.(png|svg)$/i, ''))}`, set: 'tuxpaint', name: base,
      text: base.replace(/[_-]/g, ' '), tags: `${desc} | ${path.dirname(rel)}`,
      source: `deb:tuxpaint-stamps-default ${v} (${rel})`, licence: 'GPL-2.0', file,
      ext: (file.toLowerCase().endsWith('.svg') ? 'svg' : 'png') as 'svg' | 'png',
    };
  }));
}

export function allSourceItems(): SourceItem[] {
  const out: SourceItem[] = [];
  for (const s of [...LABELLED_SETS, ...DISTRACTOR_SETS]) {
    if (s === 'openmoji') out.push(...openmojiItems());
    else if (s === 'openclipart') out.push(...openclipartItems());
    else if (s === 'tuxpaint') out.push(...tuxpaintItems());
    else out.push(...iconifyItems(s));
  }
  return out;
}

export function slug(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

function dedupe(items: SourceItem[]): SourceItem[] {
  const seen = new Map<string, number>();
  return items.map((it) => {
    const n = seen.get(it.id) ?? 0;
    seen.set(it.id, n + 1);
    return n === 0 ? it : { ...it, id: `${it.id}-${n + 1}` };
  });
}

// ---------- class names and matching ----------

/** Normalise a class name: case, '_', '-' and spaces. */
export function normClass(s: string): string {
  return s.toLowerCase().replace(/[_\-\s]+/g, ' ').trim();
}

/** Tokens for matching: lowercase alphanumeric words, a plural 's' stripped from words over 3 letters. */
export function tokens(s: string): string[] {
  return s.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean).map(stem);
}

function stem(w: string): string {
  if (w.length > 3 && w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}

/** True if phrase tokens occur contiguously in text tokens. */
export function phraseIn(phrase: string[], text: string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= text.length; i++) {
    for (let k = 0; k < phrase.length; k++) if (text[i + k] !== phrase[k]) continue outer;
    return true;
  }
  return false;
}

export function readLines(file: string): string[] {
  return fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
}
