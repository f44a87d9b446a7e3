/**
 * The typed message protocol between the sidebar webview and the extension host.
 * Both sides import this file; the host validates every incoming message with
 * `validateFromWebview` before acting (the webview is untrusted as far as the host is concerned).
 *
 * Shape (after microsoft/vscode-hexeditor's shared/protocol.ts): discriminated unions on `type`;
 * requests carry a `requestId` and are answered by a response with the same `requestId`.
 * The webview sends strokes (point lists), never bitmaps, and refers to results only by the
 * opaque `resultId` the host gave it, never by path.
 */

/** [x, y] in CSS pixels of the pad, or [x, y, pressure]. */
export type PadPoint = [number, number] | [number, number, number];
export type PadStroke = PadPoint[];

export const LIMITS = {
  maxStrokes: 500,
  maxPointsPerStroke: 5000,
  maxTotalPoints: 50000,
  maxTop: 500,
  maxCoordinate: 1e6,
  maxIdLength: 200,
} as const;

// ---------------------------------------------------------------- webview -> host

export type ResultAction =
  | 'open'
  | 'openToSide'
  | 'revealInExplorer'
  | 'copyPath'
  | 'copyRelativePath'
  | 'insertMarkdownLink'
  | 'insertHtmlImg'
  | 'insertImportPath'
  | 'findSimilar';

export interface ReadyMessage { type: 'ready' }
/** Strokes changed: search (debounced by the webview). Answered by SearchResponse. */
export interface SearchRequest { type: 'search'; requestId: number; strokes: PadStroke[]; top?: number }
/** The pad was cleared: drop results. */
export interface ClearMessage { type: 'clear' }
export interface ResultActionMessage { type: 'resultAction'; action: ResultAction; resultId: string }
/** The user is drawing: the host may pause background indexing. */
export interface DrawingMessage { type: 'drawing'; active: boolean }
export interface CommandMessage { type: 'command'; command: 'rebuildIndex' | 'showIndexStatus' | 'searchWithImageFile' | 'trustWorkspace' }

export type FromWebviewMessage =
  | ReadyMessage
  | SearchRequest
  | ClearMessage
  | ResultActionMessage
  | DrawingMessage
  | CommandMessage;

// ---------------------------------------------------------------- host -> webview

export interface SearchResult {
  /** Opaque id, valid until the next results message. */
  resultId: string;
  name: string;
  /** Folder relative to its workspace folder ('' at the root). */
  folder: string;
  /** Workspace folder name (multi-root). */
  workspaceFolder: string;
  /** Cosine similarity in [-1, 1]. */
  score: number;
  /** A webview URI of a cached thumbnail, or undefined while it is being made. */
  thumbnailUri?: string;
}

export interface SearchResponse {
  type: 'searchResponse';
  requestId: number;
  results: SearchResult[];
  /** Milliseconds from request to ranked list on the host (rasterise + encode + search). */
  elapsedMs: number;
  /** Set when the search could not run; results is then empty. */
  error?: string;
}

/** Results pushed by the host (e.g. "Search with Image File…" or "Find Similar"). */
export interface ResultsMessage {
  type: 'results';
  query: { kind: 'image'; label: string };
  results: SearchResult[];
  elapsedMs: number;
}

export type IndexState = 'idle' | 'indexing' | 'ready' | 'paused' | 'error' | 'restricted' | 'noWorkspace';

export interface IndexStatusMessage {
  type: 'indexStatus';
  state: IndexState;
  indexed: number;
  total: number;
  /** A one-line human message (errors, restricted mode, model failure). */
  message?: string;
  provider?: string;
}

export interface ThumbnailMessage { type: 'thumbnail'; resultId: string; thumbnailUri: string }
/** Ask the webview to clear the pad (command "Clear Sketch"). */
export interface ClearPadMessage { type: 'clearPad' }

export type ToWebviewMessage =
  | SearchResponse
  | ResultsMessage
  | IndexStatusMessage
  | ThumbnailMessage
  | ClearPadMessage;

// ---------------------------------------------------------------- validation

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

const RESULT_ACTIONS: ReadonlySet<string> = new Set<ResultAction>([
  'open', 'openToSide', 'revealInExplorer', 'copyPath', 'copyRelativePath',
  'insertMarkdownLink', 'insertHtmlImg', 'insertImportPath', 'findSimilar',
]);
const COMMANDS: ReadonlySet<string> = new Set(['rebuildIndex', 'showIndexStatus', 'searchWithImageFile', 'trustWorkspace']);

function isObj(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function validateStrokes(x: unknown): Validated<PadStroke[]> {
  if (!Array.isArray(x)) return { ok: false, error: 'strokes must be an array' };
  if (x.length > LIMITS.maxStrokes) return { ok: false, error: `too many strokes (max ${LIMITS.maxStrokes})` };
  let total = 0;
  const out: PadStroke[] = [];
  for (const s of x) {
    if (!Array.isArray(s)) return { ok: false, error: 'a stroke must be an array of points' };
    if (s.length > LIMITS.maxPointsPerStroke) return { ok: false, error: `too many points in a stroke (max ${LIMITS.maxPointsPerStroke})` };
    total += s.length;
    if (total > LIMITS.maxTotalPoints) return { ok: false, error: `too many points (max ${LIMITS.maxTotalPoints})` };
    const stroke: PadStroke = [];
    for (const p of s) {
      if (!Array.isArray(p) || p.length < 2 || p.length > 3) return { ok: false, error: 'a point must be [x, y] or [x, y, pressure]' };
      for (const c of p) {
        if (typeof c !== 'number' || !Number.isFinite(c) || Math.abs(c) > LIMITS.maxCoordinate) {
          return { ok: false, error: 'point coordinates must be finite numbers' };
        }
      }
      stroke.push(p.length === 3 ? [p[0], p[1], p[2]] : [p[0], p[1]]);
    }
    out.push(stroke);
  }
  return { ok: true, value: out };
}

function isRequestId(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

/** Validate an untrusted message from the webview; copies only known fields. */
export function validateFromWebview(msg: unknown): Validated<FromWebviewMessage> {
  if (!isObj(msg) || typeof msg.type !== 'string') return { ok: false, error: 'message without a type' };
  switch (msg.type) {
    case 'ready':
      return { ok: true, value: { type: 'ready' } };
    case 'clear':
      return { ok: true, value: { type: 'clear' } };
    case 'drawing':
      if (typeof msg.active !== 'boolean') return { ok: false, error: 'drawing.active must be boolean' };
      return { ok: true, value: { type: 'drawing', active: msg.active } };
    case 'search': {
      if (!isRequestId(msg.requestId)) return { ok: false, error: 'search.requestId must be a non-negative integer' };
      const strokes = validateStrokes(msg.strokes);
      if (!strokes.ok) return strokes;
      let top: number | undefined;
      if (msg.top !== undefined) {
        if (typeof msg.top !== 'number' || !Number.isInteger(msg.top) || msg.top < 1 || msg.top > LIMITS.maxTop) {
          return { ok: false, error: `search.top must be an integer in 1..${LIMITS.maxTop}` };
        }
        top = msg.top;
      }
      return { ok: true, value: { type: 'search', requestId: msg.requestId, strokes: strokes.value, top } };
    }
    case 'resultAction':
      if (typeof msg.action !== 'string' || !RESULT_ACTIONS.has(msg.action)) return { ok: false, error: 'unknown result action' };
      if (typeof msg.resultId !== 'string' || msg.resultId.length === 0 || msg.resultId.length > LIMITS.maxIdLength) {
        return { ok: false, error: 'resultId must be a short string' };
      }
      return { ok: true, value: { type: 'resultAction', action: msg.action as ResultAction, resultId: msg.resultId } };
    case 'command':
      if (typeof msg.command !== 'string' || !COMMANDS.has(msg.command)) return { ok: false, error: 'unknown command' };
      return { ok: true, value: { type: 'command', command: msg.command as CommandMessage['command'] } };
    default:
      return { ok: false, error: `unknown message type` };
  }
}

/** Pad strokes -> the preprocessing's [x, y] strokes (pressure dropped). */
export function padStrokesToPoints(strokes: PadStroke[]): [number, number][][] {
  return strokes.map((s) => s.map((p) => [p[0], p[1]] as [number, number]));
}
