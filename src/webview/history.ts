/**
 * The pad's document: the list of strokes plus undo/redo stacks of operations (no DOM).
 * Operations, not snapshots, so the persisted state stays small.
 */
import { LIMITS } from '../shared/protocol';
import { parseStroke, type Stroke } from './strokes';

export type Op =
  | { kind: 'add'; stroke: Stroke }
  /** Removed strokes with the indices they had, ascending. */
  | { kind: 'erase'; removed: { index: number; stroke: Stroke }[] }
  | { kind: 'clear'; strokes: Stroke[] }
  /** Every stroke replaced (a recent drawing brought back). */
  | { kind: 'replace'; before: Stroke[]; after: Stroke[] };

export const MAX_UNDO = 100;

export interface HistoryJSON {
  strokes: Stroke[];
  undo: Op[];
  redo: Op[];
}

export class StrokeHistory {
  private _strokes: Stroke[] = [];
  private undoStack: Op[] = [];
  private redoStack: Op[] = [];

  get strokes(): readonly Stroke[] { return this._strokes; }
  get canUndo(): boolean { return this.undoStack.length > 0; }
  get canRedo(): boolean { return this.redoStack.length > 0; }
  get isEmpty(): boolean { return this._strokes.length === 0; }

  add(stroke: Stroke): void {
    if (stroke.points.length === 0 || this._strokes.length >= LIMITS.maxStrokes) return;
    this.push({ kind: 'add', stroke });
  }

  /** Remove the strokes at these indices (one undo step). Returns false when nothing was removed. */
  erase(indices: Iterable<number>): boolean {
    const set = [...new Set(indices)].filter((i) => i >= 0 && i < this._strokes.length).sort((a, b) => a - b);
    if (set.length === 0) return false;
    this.push({ kind: 'erase', removed: set.map((index) => ({ index, stroke: this._strokes[index] })) });
    return true;
  }

  /** Remove every stroke (undoable). Returns false when the pad was already empty. */
  clear(): boolean {
    if (this._strokes.length === 0) return false;
    this.push({ kind: 'clear', strokes: this._strokes.slice() });
    return true;
  }

  /** Put these strokes on the pad in place of the current ones (one undo step). */
  replace(strokes: readonly Stroke[]): boolean {
    const after = strokes.filter((s) => s.points.length > 0).slice(0, LIMITS.maxStrokes);
    if (after.length === 0) return false;
    this.push({ kind: 'replace', before: this._strokes.slice(), after });
    return true;
  }

  undo(): boolean {
    const op = this.undoStack.pop();
    if (!op) return false;
    this.revert(op);
    this.redoStack.push(op);
    return true;
  }

  redo(): boolean {
    const op = this.redoStack.pop();
    if (!op) return false;
    this.apply(op);
    this.undoStack.push(op);
    return true;
  }

  private push(op: Op): void {
    this.apply(op);
    this.undoStack.push(op);
    if (this.undoStack.length > MAX_UNDO) this.undoStack.splice(0, this.undoStack.length - MAX_UNDO);
    this.redoStack = [];
  }

  private apply(op: Op): void {
    switch (op.kind) {
      case 'add':
        this._strokes.push(op.stroke);
        break;
      case 'erase':
        for (let k = op.removed.length - 1; k >= 0; k--) this._strokes.splice(op.removed[k].index, 1);
        break;
      case 'clear':
        this._strokes = [];
        break;
      case 'replace':
        this._strokes = op.after.slice();
        break;
    }
  }

  private revert(op: Op): void {
    switch (op.kind) {
      case 'add':
        this._strokes.pop();
        break;
      case 'erase':
        for (const { index, stroke } of op.removed) this._strokes.splice(index, 0, stroke);
        break;
      case 'clear':
        this._strokes = op.strokes.slice();
        break;
      case 'replace':
        this._strokes = op.before.slice();
        break;
    }
  }

  toJSON(): HistoryJSON {
    return { strokes: this._strokes.slice(), undo: this.undoStack.slice(), redo: this.redoStack.slice() };
  }

  /**
   * Rebuild from persisted (untrusted) data. Invalid strokes make the whole thing fall back to
   * an empty pad; invalid undo/redo stacks are dropped but the strokes kept.
   */
  static fromJSON(x: unknown): StrokeHistory {
    const h = new StrokeHistory();
    if (typeof x !== 'object' || x === null) return h;
    const o = x as Partial<Record<keyof HistoryJSON, unknown>>;
    if (!Array.isArray(o.strokes) || o.strokes.length > LIMITS.maxStrokes) return h;
    const strokes: Stroke[] = [];
    for (const s of o.strokes) {
      const p = parseStroke(s);
      if (!p) return h;
      strokes.push(p);
    }
    h._strokes = strokes;
    const undo = parseOps(o.undo), redo = parseOps(o.redo);
    if (undo && redo && h.stacksConsistent(undo, redo)) {
      h.undoStack = undo;
      h.redoStack = redo;
    }
    return h;
  }

  /** Replaying the stacks must not hit impossible states (e.g. erase past the end). */
  private stacksConsistent(undo: Op[], redo: Op[]): boolean {
    const probe = new StrokeHistory();
    probe._strokes = this._strokes.slice();
    probe.undoStack = undo.slice();
    probe.redoStack = redo.slice();
    try {
      let n = 0;
      while (probe.canUndo && n++ <= MAX_UNDO + 1) {
        const op = probe.undoStack[probe.undoStack.length - 1];
        if (!opFits(op, probe._strokes, 'revert')) return false;
        probe.undo();
      }
      return true;
    } catch {
      return false;
    }
  }
}

function opFits(op: Op, strokes: Stroke[], dir: 'revert'): boolean {
  if (dir !== 'revert') return true;
  switch (op.kind) {
    case 'add': return strokes.length > 0;
    case 'clear': return strokes.length === 0;
    case 'replace': return strokes.length === op.after.length;
    case 'erase': {
      let n = strokes.length;
      for (const r of op.removed) {
        if (r.index > n) return false;
        n++;
      }
      return true;
    }
  }
}

function parseOps(x: unknown): Op[] | null {
  if (!Array.isArray(x) || x.length > MAX_UNDO) return null;
  const out: Op[] = [];
  for (const o of x) {
    if (typeof o !== 'object' || o === null) return null;
    const op = o as Record<string, unknown>;
    if (op.kind === 'add') {
      const s = parseStroke(op.stroke);
      if (!s) return null;
      out.push({ kind: 'add', stroke: s });
    } else if (op.kind === 'clear') {
      if (!Array.isArray(op.strokes)) return null;
      const ss = op.strokes.map(parseStroke);
      if (ss.some((s) => !s)) return null;
      out.push({ kind: 'clear', strokes: ss as Stroke[] });
    } else if (op.kind === 'replace') {
      if (!Array.isArray(op.before) || !Array.isArray(op.after)) return null;
      const before = op.before.map(parseStroke), after = op.after.map(parseStroke);
      if (before.some((s) => !s) || after.some((s) => !s)) return null;
      out.push({ kind: 'replace', before: before as Stroke[], after: after as Stroke[] });
    } else if (op.kind === 'erase') {
      if (!Array.isArray(op.removed)) return null;
      const removed: { index: number; stroke: Stroke }[] = [];
      for (const r of op.removed) {
        const rr = r as { index?: unknown; stroke?: unknown } | null;
        if (!rr || typeof rr.index !== 'number' || !Number.isInteger(rr.index) || rr.index < 0) return null;
        const s = parseStroke(rr.stroke);
        if (!s) return null;
        removed.push({ index: rr.index, stroke: s });
      }
      out.push({ kind: 'erase', removed });
    } else {
      return null;
    }
  }
  return out;
}
