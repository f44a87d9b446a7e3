/**
 * Assembles the benchmark datasets into the ignored cache folder (default bench/.data):
 *   gallery/<set>/<name>.<ext>       asset and distractor files (SVG written from Iconify JSON, others copied)
 *   gallery-manifest.json            every gallery item with source, licence, class and role
 *   sketchy/{sketch,photo}/<class>/  extracted from ../shared/data/sketchy-seen/sketchy-seen-104.tar
 *   wallpapers/                      generated gradient "wallpapers" (seeded)
 * Deterministic for a given corpora install and seed; re-running skips work already done.
 */
import * as fs from 'fs';
import * as path from 'path';
import { execFileSync } from 'child_process';
import sharp from 'sharp';
import { allSourceItems, LABELLED_SETS, normClass, phraseIn, REPO, SourceItem, tokens } from './sources';
import { classPhrases, evaluatedClasses, loadReview, matchItem, rejectKey } from '../labels/make-labels';
import { mulberry32, sample } from '../lib/metrics';

export interface GalleryItem {
  id: string;
  /** Path relative to the data folder. */
  file: string;
  set: string;
  name: string;
  source: string;
  licence: string;
  /** Evaluated class (positives only). */
  cls: string | null;
  role: 'positive' | 'negative' | 'distractor';
  /** Distractor group for the report. */
  group?: string;
}

export interface Manifest {
  version: number;
  seed: number;
  distractors: number;
  items: GalleryItem[];
  classes: { cls: string; quickdraw: string; assets: number }[];
}

export const MANIFEST_VERSION = 4;
const GROUP: Record<string, string> = {
  carbon: 'ui-icons', 'fa6-solid': 'ui-icons', healthicons: 'ui-icons', 'icon-park-outline': 'ui-icons', lucide: 'ui-icons',
  'material-symbols': 'ui-icons', mdi: 'ui-icons', ph: 'ui-icons', tabler: 'ui-icons', 'simple-icons': 'logos', flag: 'flags',
  tuxpaint: 'sprites', openclipart: 'clipart', 'game-icons': 'game-icons',
  twemoji: 'emoji', noto: 'emoji', 'fluent-emoji-flat': 'emoji', emojione: 'emoji', openmoji: 'emoji',
};

export interface AssembleOptions {
  data: string;
  shared: string;
  seed: number;
  distractors: number;
  /** Sketchy photos (classes unrelated to any evaluated class) added as photo distractors, per class. */
  photosPerClass: number;
  wallpapers: number;
  log: (s: string) => void;
}

export async function assemble(o: AssembleOptions): Promise<Manifest> {
  const mf = path.join(o.data, 'gallery-manifest.json');
  if (fs.existsSync(mf)) {
    const m: Manifest = JSON.parse(fs.readFileSync(mf, 'utf8'));
    const labelsMtime = fs.statSync(path.join(REPO, 'bench', 'labels', 'review.json')).mtimeMs;
    if (m.version === MANIFEST_VERSION && m.seed === o.seed && m.distractors === o.distractors && fs.statSync(mf).mtimeMs > labelsMtime) return m;
  }
  const t0 = Date.now();
  await extractSketchy(o);
  const review = loadReview();
  const classes = evaluatedClasses(o.shared);
  const phrases = classPhrases(classes.map((c) => c.cls), review);
  const all = allSourceItems();
  const items: GalleryItem[] = [];
  const pool: SourceItem[] = [];
  const assets = new Map<string, number>();
  for (const it of all) {
    const m = matchItem(it.text, phrases);
    if (review.assign?.[it.id]) m.cls = review.assign[it.id];
    if (m.all.length === 0) { pool.push(it); continue; }
    if (!LABELLED_SETS.includes(it.set)) continue; // unreviewed name match in a UI set: neither positive nor distractor
    const rejected = rejectKey(review, it.id) !== undefined || m.cls === undefined;
    items.push(toItem(it, rejected ? null : m.cls!, rejected ? 'negative' : 'positive'));
    if (!rejected) assets.set(m.cls!, (assets.get(m.cls!) ?? 0) + 1);
  }
  const rnd = mulberry32(o.seed);
  const picked = sample(pool, o.distractors, rnd).sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const it of picked) items.push(toItem(it, null, 'distractor'));
  // photo distractors: Sketchy photos of classes unrelated to any evaluated class
  const photoDir = path.join(o.data, 'sketchy', 'photo');
  for (const c of fs.readdirSync(photoDir).sort()) {
    if (matchItem(normClass(c), phrases).all.length > 0 || phrases.some((p) => phraseIn(tokens(normClass(c)), p.phrase))) continue;
    const files = fs.readdirSync(path.join(photoDir, c)).sort();
    for (const f of sample(files, o.photosPerClass, rnd).sort()) {
      items.push({ id: `sketchy-photo:${c}/${f}`, file: path.join('sketchy', 'photo', c, f), set: 'sketchy-photo', name: `${c}/${f}`,
        source: 'Sketchy (Sangkloy et al. 2016) via ../shared/data/sketchy-seen', licence: 'research use only (ImageNet photo)', cls: null, role: 'distractor', group: 'photos' });
    }
  }
  makeWallpapers(o, items);
  const manifest: Manifest = {
    version: MANIFEST_VERSION, seed: o.seed, distractors: o.distractors, items,
    classes: classes.map((c) => ({ ...c, assets: assets.get(c.cls) ?? 0 })),
  };
  fs.writeFileSync(mf, JSON.stringify(manifest));
  o.log(`assembled gallery manifest: ${items.length} items in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return manifest;

  function toItem(it: SourceItem, cls: string | null, role: GalleryItem['role']): GalleryItem {
    const safe = it.id.slice(it.set.length + 1).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120);
    return { id: it.id, file: path.join('gallery', it.set, `${safe}.${it.ext}`), set: it.set, name: it.name, source: it.source, licence: it.licence, cls, role, group: role === 'distractor' ? GROUP[it.set] : undefined };
  }
}

let sourceIndex: Map<string, SourceItem> | undefined;

/** Write the files of these gallery items that are not in the data folder yet (SVG from Iconify JSON, a copy, or a rendered wallpaper). */
export async function materialize(data: string, items: GalleryItem[]): Promise<number> {
  let written = 0;
  for (const g of items) {
    if (g.set === 'sketchy-photo') continue;
    const dst = path.join(data, g.file);
    if (fs.existsSync(dst)) continue;
    if (g.set === 'wallpaper') {
      const [, seed, i] = g.id.split(':').map(Number);
      fs.mkdirSync(path.dirname(dst), { recursive: true });
      await sharp(Buffer.from(wallpaperSvg(seed, i))).jpeg({ quality: 85 }).toFile(dst);
      written++;
      continue;
    }
    sourceIndex ??= new Map(allSourceItems().map((s) => [s.id, s]));
    const src = sourceIndex.get(g.id);
    if (!src) throw new Error(`gallery item ${g.id} is no longer in the installed corpora: re-run bash scripts/fetch-corpora.sh or delete ${path.join(data, 'gallery-manifest.json')}`);
    fs.mkdirSync(path.dirname(dst), { recursive: true });
    if (src.svg) fs.writeFileSync(dst, src.svg());
    else fs.copyFileSync(src.file!, dst);
    written++;
  }
  return written;
}

export async function extractSketchy(o: { data: string; shared: string }): Promise<string> {
  const dir = path.join(o.data, 'sketchy');
  if (fs.existsSync(path.join(dir, '.done'))) return dir;
  fs.mkdirSync(dir, { recursive: true });
  execFileSync('tar', ['-xf', path.join(o.shared, 'data', 'sketchy-seen', 'sketchy-seen-104.tar'), '-C', dir]);
  fs.writeFileSync(path.join(dir, '.done'), '');
  return dir;
}

/**
 * Generated "wallpapers": a linear gradient with soft radial-gradient blobs, 1600x1000 JPEG, seeded
 * per wallpaper; rendered lazily by materialize().
 */
function makeWallpapers(o: AssembleOptions, items: GalleryItem[]): void {
  for (let i = 0; i < o.wallpapers; i++) {
    const rel = path.join('wallpapers', `wallpaper-${o.seed}-${String(i).padStart(3, '0')}.jpg`);
    items.push({ id: `wallpaper:${o.seed}:${i}`, file: rel, set: 'wallpaper', name: path.basename(rel), source: 'generated by bench/data/assemble.ts (seeded)', licence: 'generated', cls: null, role: 'distractor', group: 'wallpapers' });
  }
}

export function wallpaperSvg(seed: number, i: number): string {
  const rnd = mulberry32(seed * 100003 + i);
  const c = () => `hsl(${Math.floor(rnd() * 360)},${30 + Math.floor(rnd() * 60)}%,${25 + Math.floor(rnd() * 55)}%)`;
  const defs: string[] = [], blobs: string[] = [];
  for (let b = 0; b < 6; b++) {
    defs.push(`<radialGradient id="r${b}"><stop offset="0" stop-color="${c()}" stop-opacity="0.7"/><stop offset="1" stop-color="${c()}" stop-opacity="0"/></radialGradient>`);
    blobs.push(`<circle cx="${Math.floor(rnd() * 1600)}" cy="${Math.floor(rnd() * 1000)}" r="${150 + Math.floor(rnd() * 450)}" fill="url(#r${b})"/>`);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="1000"><defs><linearGradient id="g" x1="0" y1="0" x2="${rnd().toFixed(2)}" y2="1"><stop offset="0" stop-color="${c()}"/><stop offset="1" stop-color="${c()}"/></linearGradient>${defs.join('')}</defs><rect width="1600" height="1000" fill="url(#g)"/>${blobs.join('')}</svg>`;
}

/** Sketchy validation classes from training (if the file exists), normalised. */
export function sketchyValClasses(file = path.join(REPO, 'training', 'splits', 'sketchy-val-classes.txt')): string[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  return fs.readFileSync(file, 'utf8').split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean).map(normClass);
}

if (require.main === module) {
  const shared = path.resolve(REPO, '../shared');
  assemble({ data: path.join(REPO, 'bench', '.data'), shared, seed: 1, distractors: 20000, photosPerClass: 10, wallpapers: 100, log: console.log })
    .then(async (m) => {
      await materialize(path.join(REPO, 'bench', '.data'), m.items);
      const c: Record<string, number> = {};
      for (const it of m.items) { const k = `${it.role}:${it.group ?? it.set}`; c[k] = (c[k] ?? 0) + 1; }
      console.log(c);
    });
}
