/** What survives hiding and re-showing the view, via vscode.getState()/setState(). */
import { FILE_TYPES, type FileType } from '../shared/protocol';
import { StrokeHistory, type HistoryJSON } from './history';
import { decodePadSize } from './padSize';

export const PEN_WIDTHS = { thin: 2, medium: 4, thick: 8 } as const;
export type PenWidth = keyof typeof PEN_WIDTHS;

export interface PersistedState {
  v: 1;
  history: HistoryJSON;
  pen: PenWidth;
  eraser: boolean;
  lastRequestId: number;
  /** File-type chips that are on (optional: older states lack it). */
  types?: FileType[];
  /** Pad side the user dragged it to, in CSS px (absent: automatic). */
  padSize?: number;
  /** The pad is collapsed (only the toolbar and the results show). */
  padCollapsed?: boolean;
}

export interface LoadedState {
  history: StrokeHistory;
  pen: PenWidth;
  eraser: boolean;
  lastRequestId: number;
  types?: FileType[];
  padSize?: number | null;
  padCollapsed?: boolean;
}

export function encodeState(s: LoadedState): PersistedState {
  const e: PersistedState = { v: 1, history: s.history.toJSON(), pen: s.pen, eraser: s.eraser, lastRequestId: s.lastRequestId };
  if (s.types?.length) e.types = [...s.types];
  if (typeof s.padSize === 'number') e.padSize = s.padSize;
  if (s.padCollapsed) e.padCollapsed = true;
  return e;
}

/** Untrusted persisted value -> usable state, with defaults for anything missing or invalid. */
export function decodeState(x: unknown): LoadedState {
  const o = (typeof x === 'object' && x !== null ? x : {}) as Partial<Record<keyof PersistedState, unknown>>;
  const ok = o.v === 1;
  const pen = ok && typeof o.pen === 'string' && Object.prototype.hasOwnProperty.call(PEN_WIDTHS, o.pen) ? (o.pen as PenWidth) : 'medium';
  const lastRequestId =
    ok && typeof o.lastRequestId === 'number' && Number.isSafeInteger(o.lastRequestId) && o.lastRequestId >= 0 ? o.lastRequestId : 0;
  return {
    history: ok ? StrokeHistory.fromJSON(o.history) : new StrokeHistory(),
    pen,
    eraser: ok && o.eraser === true,
    lastRequestId,
    types: ok && Array.isArray(o.types) ? [...new Set(o.types.filter((x): x is FileType => (FILE_TYPES as readonly unknown[]).includes(x)))] : [],
    padSize: ok ? decodePadSize(o.padSize) : null,
    padCollapsed: ok && o.padCollapsed === true,
  };
}

export interface StateApi {
  getState(): unknown;
  setState(s: unknown): void;
}

export function loadState(api: StateApi): LoadedState {
  try {
    return decodeState(api.getState());
  } catch {
    return decodeState(undefined);
  }
}

export function saveState(api: StateApi, s: LoadedState): void {
  api.setState(encodeState(s));
}
