/**
 * The icon packages reserved for evaluation in every build (../shared/README.md): never trained on,
 * never used to tune anything, so they are the one gallery that is new to *both* builds. Labelled by
 * the same whole-word name matching as bench/labels (longest class phrase wins, review synonyms); a
 * class's positives are every reserved icon whose name matches it, less the false friends rejected in
 * bench/labels/reserved-review.json (and review.json's rejects: one policy), which stay as distractors.
 */
import * as fs from 'fs';
import * as path from 'path';
import { iconifyItems, normClass, readLines } from './sources';
import type { GalleryItem } from './assemble';
import { classPhrases, loadReview, matchItem, rejectKey } from '../labels/make-labels';

export const RESERVED_REVIEW_FILE = path.join(__dirname, '..', 'labels', 'reserved-review.json');

export const RESERVED_SETS = ['fxemoji', 'noto-v1', 'emojione-v1', 'streamline-emojis', 'fluent-emoji-high-contrast', 'iconoir', 'bi', 'la'];
/** QuickDraw's abstract shapes: every UI icon has a circle or a line in its name, none depicts one. */
export const SHAPE_CLASSES = new Set(['circle', 'square', 'triangle', 'hexagon', 'octagon', 'line', 'zigzag', 'squiggle']);
/** Skin-tone and gender variants repeat one emoji many times over (not "gem-stone" or "touch-tone-telephone"). */
const VARIANT = /skin-tone|-tone\d(-|$)|-(man|woman|men|women|male|female)(-|$)|^(man|woman|men|women)-/;

/** QuickDraw drawings reserved for evaluation in every build (training/sketchsearch/prepare.py). */
export function isReservedDrawing(keyId: string): boolean {
  return BigInt(keyId) % 11n === 0n;
}

export interface ReservedGallery {
  items: GalleryItem[];
  /** Positives per QuickDraw class (normalised name). */
  positives: Map<string, number>;
  /** Items left out because their name matches two classes equally. */
  ambiguous: number;
  /** Name matches rejected by the hand review (kept as distractors), and the reject keys that matched none. */
  rejected: number;
  unusedRejects: string[];
}

/** Every reserved icon (written under DATA/gallery-reserved/), labelled with the QuickDraw class its name matches. */
export function reservedGallery(data: string, shared: string): ReservedGallery {
  const classes = readLines(path.join(shared, 'data', 'splits', 'quickdraw-345-classes.txt')).map(normClass).filter((c) => !SHAPE_CLASSES.has(c));
  const review = loadReview();
  const phrases = classPhrases(classes, review);
  const own: Record<string, string> = JSON.parse(fs.readFileSync(RESERVED_REVIEW_FILE, 'utf8')).reject;
  const rejects = { ...review, reject: { ...own, ...review.reject } }; // one policy: both files' rejects, this one first
  const used = new Set<string>();
  const items: GalleryItem[] = [];
  const positives = new Map<string, number>();
  let ambiguous = 0, rejected = 0;
  for (const set of RESERVED_SETS) {
    for (const it of iconifyItems(set)) {
      if (VARIANT.test(it.name)) continue;
      const m = matchItem(it.text, phrases);
      if (m.all.length > 0 && m.cls === undefined) { ambiguous++; continue; }
      const file = path.join('gallery-reserved', set, `${it.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120)}.svg`);
      const abs = path.join(data, file);
      if (!fs.existsSync(abs)) { fs.mkdirSync(path.dirname(abs), { recursive: true }); fs.writeFileSync(abs, it.svg!()); }
      const key = m.cls ? rejectKey(rejects, it.id) : undefined;
      if (key) { used.add(key); rejected++; }
      const cls = key ? null : m.cls ?? null;
      if (cls) positives.set(cls, (positives.get(cls) ?? 0) + 1);
      items.push({ id: it.id, file, set, name: it.name, source: it.source, licence: it.licence, cls, role: cls ? 'positive' : key ? 'negative' : 'distractor', group: 'reserved' });
    }
  }
  return { items, positives, ambiguous, rejected, unusedRejects: Object.keys(own).filter((k) => !used.has(k)) };
}
