/**
 * Proposes and applies the class mapping QuickDraw-unseen class -> gallery assets.
 *
 *   npx tsx bench/labels/make-labels.ts [--shared ../shared] [--candidates]
 *
 * Reads the union of the four standard unseen lists (../shared/data/splits), keeps the classes
 * QuickDraw has, matches names (bench/data/sources.ts: LABELLED_SETS) and applies the hand review
 * in bench/labels/review.json. Writes bench/labels/quickdraw-unseen-assets.json (committed).
 * --candidates prints every match with its tags for the reviewer.
 */
import * as fs from 'fs';
import * as path from 'path';
import { allSourceItems, LABELLED_SETS, normClass, phraseIn, readLines, REPO, SourceItem, tokens } from '../data/sources';

export const UNSEEN_LISTS = ['unseen-sketchy21.txt', 'unseen-sketchy25.txt', 'unseen-tuberlin30.txt', 'unseen-quickdraw30.txt'];
export const LABEL_FILE = path.join(REPO, 'bench', 'labels', 'quickdraw-unseen-assets.json');
const REVIEW_FILE = path.join(REPO, 'bench', 'labels', 'review.json');

export interface Review {
  synonyms: Record<string, string[]>;
  reject: Record<string, string>;
  /** Item id -> class, for names that match two classes equally (e.g. 'beach with umbrella'). */
  assign?: Record<string, string>;
  notes: string[];
}

export function unseenUnion(shared: string): string[] {
  const u = new Set<string>();
  for (const f of UNSEEN_LISTS) for (const l of readLines(path.join(shared, 'data', 'splits', f))) u.add(normClass(l));
  return [...u].sort();
}

/** Unseen classes QuickDraw has, each with its QuickDraw spelling. */
export function evaluatedClasses(shared: string): { cls: string; quickdraw: string }[] {
  const qd = new Map(readLines(path.join(shared, 'data', 'splits', 'quickdraw-345-classes.txt')).map((c) => [normClass(c), c]));
  return unseenUnion(shared).filter((c) => qd.has(c)).map((c) => ({ cls: c, quickdraw: qd.get(c)! }));
}

/** Phrases per class (name + synonyms), tokenised. */
export function classPhrases(classes: string[], review: Review): { cls: string; phrase: string[] }[] {
  const out: { cls: string; phrase: string[] }[] = [];
  for (const c of classes) for (const p of [c, ...(review.synonyms[c] ?? [])]) out.push({ cls: c, phrase: tokens(p) });
  return out;
}

/** The class an item's name matches (the longest phrase wins; equal-length matches of two classes: ambiguous). */
export function matchItem(text: string, phrases: { cls: string; phrase: string[] }[]): { cls?: string; all: string[] } {
  const t = tokens(text);
  let best: string | undefined, bestLen = 0, tie = false;
  const all = new Set<string>();
  for (const p of phrases) {
    if (!phraseIn(p.phrase, t)) continue;
    all.add(p.cls);
    if (p.phrase.length > bestLen) { best = p.cls; bestLen = p.phrase.length; tie = false; }
    else if (p.phrase.length === bestLen && p.cls !== best) tie = true;
  }
  return { cls: tie ? undefined : best, all: [...all] };
}

/** The review.json reject key (an exact id, or a /regex/ on the id) that applies to an item id. */
export function rejectKey(review: Review, id: string): string | undefined {
  if (review.reject[id]) return id;
  for (const k of Object.keys(review.reject)) {
    if (k.length > 2 && k.startsWith('/') && k.endsWith('/') && new RegExp(k.slice(1, -1)).test(id)) return k;
  }
  return undefined;
}

export function loadReview(): Review {
  return JSON.parse(fs.readFileSync(REVIEW_FILE, 'utf8'));
}

function main(): void {
  const args = process.argv.slice(2);
  const shared = path.resolve(REPO, args.includes('--shared') ? args[args.indexOf('--shared') + 1] : '../shared');
  const review = loadReview();
  const classes = evaluatedClasses(shared);
  const phrases = classPhrases(classes.map((c) => c.cls), review);
  const items = allSourceItems().filter((it) => LABELLED_SETS.includes(it.set));
  const byClass = new Map<string, { accepted: Record<string, string[]>; rejected: Record<string, string> }>();
  for (const c of classes) byClass.set(c.cls, { accepted: {}, rejected: {} });
  const show: string[] = [];
  const usedRejects = new Set<string>();
  for (const it of items) {
    const m = matchItem(it.text, phrases);
    if (m.all.length === 0) continue;
    const assigned = review.assign?.[it.id];
    if (assigned) m.cls = assigned;
    const cls = m.cls ?? m.all[0];
    const entry = byClass.get(cls)!;
    const key = rejectKey(review, it.id);
    const rej = key ? review.reject[key] : m.cls === undefined ? `ambiguous: ${m.all.join(' / ')}` : undefined;
    if (key) usedRejects.add(key);
    if (rej) entry.rejected[it.id] = rej;
    else (entry.accepted[it.set] ??= []).push(it.name);
    show.push(`${rej ? 'REJ' : 'ok '} ${cls.padEnd(16)} ${it.id.padEnd(50)} ${it.text.slice(0, 40).padEnd(40)} ${(it.tags ?? '').slice(0, 60)}${rej ? ` [${rej}]` : ''}`);
  }
  for (const id of Object.keys(review.reject)) if (!usedRejects.has(id)) console.error(`review.json rejects ${id}, which no longer matches`);
  const out = {
    about: 'QuickDraw-unseen class -> gallery assets (item names per set). Generated by bench/labels/make-labels.ts from name matching plus the hand review in bench/labels/review.json; do not edit by hand.',
    classes: Object.fromEntries(classes.map((c) => {
      const e = byClass.get(c.cls)!;
      const n = Object.values(e.accepted).reduce((s, a) => s + a.length, 0);
      return [c.cls, { quickdraw: c.quickdraw, assets: n, accepted: e.accepted, rejected: e.rejected }];
    })),
    notes: review.notes,
  };
  fs.writeFileSync(LABEL_FILE, JSON.stringify(out, null, 1) + '\n');
  if (args.includes('--candidates')) console.log(show.sort().join('\n'));
  const counts = classes.map((c) => `${c.cls}:${out.classes[c.cls].assets}`);
  console.error(`wrote ${path.relative(REPO, LABEL_FILE)}: ${classes.length} classes; ${counts.join(' ')}`);
}

if (require.main === module) main();
