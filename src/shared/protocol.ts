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
  /** Result ids per needThumbnails message. */
  maxThumbnailIds: 100,
  /** Length of a URI string in an imageQuery message. */
  maxUriLength: 4096,
  /** Decoded bytes of a pasted/dropped bitmap (imageQueryBytes). */
  maxImageBytes: 8 * 1024 * 1024,
} as const;

/** File-type chips of the results filter; 'other' is every indexed type not listed. */
export type FileType = 'png' | 'jpg' | 'svg' | 'gif' | 'webp' | 'other';
export const FILE_TYPES: readonly FileType[] = ['png', 'jpg', 'svg', 'gif', 'webp', 'other'];

/**
 * What a search is restricted to. `types`: only these file types (absent or empty: all).
 * `scopeId`: an opaque id of a folder scope the host issued in a `scope` message (absent: everything).
 */
export interface SearchFilter { types?: FileType[]; scopeId?: string }

/** MIME types accepted in imageQueryBytes. */
export type ImageMime = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
const IMAGE_MIMES: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

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
  /** The reference that suits the active editor's language (Markdown link, <img>, url(), import…). */
  | 'insertReference'
  | 'findSimilar'
  /** Single click: open in a preview editor and keep focus in the results (as the Search view does). */
  | 'preview';

export interface ReadyMessage { type: 'ready' }
/**
 * Strokes changed: search (debounced by the webview). Answered by SearchResponse. `restore`: the
 * webview was re-created and re-runs its saved sketch; the host ignores it while an image query
 * is the current query (its results are sent again instead).
 */
export interface SearchRequest { type: 'search'; requestId: number; strokes: PadStroke[]; top?: number; filter?: SearchFilter; restore?: boolean }
/** The pad was cleared: drop results. */
export interface ClearMessage { type: 'clear' }
/** Answered by ResultActionResponse (same requestId) with what really happened. */
export interface ResultActionMessage { type: 'resultAction'; requestId: number; action: ResultAction; resultId: string }
/** The user is drawing: the host may pause background indexing. */
export interface DrawingMessage { type: 'drawing'; active: boolean }
export interface CommandMessage {
  type: 'command';
  command: 'rebuildIndex' | 'showIndexStatus' | 'searchWithImageFile' | 'trustWorkspace' | 'showOutput' | 'openSettings'
    /** Status line: the button beside the progress, "Resume" when paused, the "N skipped" link. */
    | 'cancelIndexing' | 'resumeIndexing' | 'showSkippedFiles';
}
/** Thumbnails for these results are (about to be) visible: make them. `preview`: the large hover/focus preview. */
export interface NeedThumbnailsMessage { type: 'needThumbnails'; resultIds: string[]; preview?: boolean }
/** An image dropped on the pad (a URI from the Explorer or the OS): use it as the query. */
export interface ImageQueryMessage { type: 'imageQuery'; uri: string; filter?: SearchFilter }
/** A pasted or dropped bitmap as base64 (at most LIMITS.maxImageBytes decoded): use it as the query. */
export interface ImageQueryBytesMessage { type: 'imageQueryBytes'; mime: ImageMime; base64: string; filter?: SearchFilter }
/** Open the folder-scope quick pick (answered by a `scope` message). `clear` drops the scope. */
export interface PickScopeMessage { type: 'pickScope'; clear?: boolean }
/** The filter chips changed: the host re-runs a host-pushed image query with it (sketch searches carry it themselves). */
export interface FilterMessage { type: 'filter'; filter: SearchFilter }
/**
 * The sketch that produced the results now shown, in pad-side units (u = x / side), for the host's
 * list of recent queries. Sent after each answered sketch search.
 */
export interface RememberSketchMessage { type: 'rememberSketch'; strokes: PadStroke[] }
/** Bring back a recent query (a drawing goes back on the pad, an image is searched again). */
export interface UseRecentMessage { type: 'useRecent'; recentId: string }
/** Remove one recent query, or all of them. */
export interface ForgetRecentMessage { type: 'forgetRecent'; recentId?: string; all?: boolean }

export type FromWebviewMessage =
  | ReadyMessage
  | SearchRequest
  | ClearMessage
  | ResultActionMessage
  | DrawingMessage
  | CommandMessage
  | NeedThumbnailsMessage
  | ImageQueryMessage
  | ImageQueryBytesMessage
  | PickScopeMessage
  | FilterMessage
  | RememberSketchMessage
  | UseRecentMessage
  | ForgetRecentMessage;

// ---------------------------------------------------------------- host -> webview

export interface SearchResult {
  /**
   * Opaque id, valid while the result is shown: a `resultsRefresh` keeps the id of every result
   * that stays (so the webview keeps its tile, thumbnail and focus); a new query issues new ids.
   */
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
  /**
   * The file's URI (file:///…), only so the result can be dragged into an editor (text/uri-list).
   * The host never acts on a URI from the webview except imageQuery, which it checks on its own.
   */
  uri?: string;
  /** File type for the type chips. */
  fileType?: FileType;
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
  /**
   * `imageUri`: a webview URI of a thumbnail of the query file, shown in place of the pad.
   * `pasted`: the query is the bitmap the webview itself pasted or dropped (it shows its own copy).
   */
  query: { kind: 'image'; label: string; imageUri?: string; pasted?: boolean };
  results: SearchResult[];
  elapsedMs: number;
  /** Set when the query image could not be read or encoded; results is then empty. */
  error?: string;
}

/**
 * The index changed (files added, changed or deleted): the host re-ran the current query. Applies
 * only to the query it names (a sketch search by its requestId, or the shown image query); the
 * webview updates the grid in place, keeping scroll position and focus.
 */
export interface ResultsRefreshMessage {
  type: 'resultsRefresh';
  query: { kind: 'sketch'; requestId: number } | { kind: 'image'; label: string };
  results: SearchResult[];
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
  /** Files that could not be indexed (unreadable, too large); listed by the showSkippedFiles command. */
  skipped?: number;
}

export interface ThumbnailMessage { type: 'thumbnail'; resultId: string; thumbnailUri: string; preview?: boolean }

export type GridSize = 'small' | 'medium' | 'large';
export type ShowScores = 'always' | 'onHover';

/** Settings the webview needs; sent on ready and whenever they change. */
export interface ConfigMessage {
  type: 'config';
  gridSize: GridSize;
  showScores: ShowScores;
  /** Results below this score are hidden (the host filters; the webview shows it in the empty state). */
  minScore: number;
}

/** The folder scope chosen in the quick pick (scopeId null: whole workspace). */
export interface ScopeMessage { type: 'scope'; scopeId: string | null; label: string }

/** The host started an image query (drop/paste/Find Similar); the webview shows "Searching…". */
export interface QueryStartedMessage { type: 'queryStarted'; label: string }
/** The file types the index holds (the webview offers chips only for these); sent on ready and when they change. */
export interface FileTypesMessage { type: 'fileTypes'; types: FileType[] }
/** Ask the webview to clear the pad (command "Clear Sketch"). */
export interface ClearPadMessage { type: 'clearPad' }

/**
 * What a result action really did. `inserted`: detail is the document it went into; `noEditor`:
 * nothing was inserted because no text editor is open; `notInserted`: the editor refused the edit
 * (e.g. read-only); `gone`: the result id is no longer valid; `failed`: detail is the error.
 */
export type ActionOutcome = 'done' | 'opened' | 'copied' | 'inserted' | 'noEditor' | 'notInserted' | 'gone' | 'failed';
export interface ResultActionResponse { type: 'resultActionResponse'; requestId: number; outcome: ActionOutcome; detail?: string }

/** A recent query as the webview shows it (the host keeps the full data). */
export type RecentQueryView =
  /** preview: a simplified copy of the strokes in pad-side units, for a small picture. */
  | { recentId: string; kind: 'sketch'; at: number; strokeCount: number; preview: PadStroke[] }
  | { recentId: string; kind: 'image'; at: number; label: string; thumbnailUri?: string };
/** The recent queries, newest first (sent on ready and whenever they change). */
export interface RecentQueriesMessage { type: 'recentQueries'; entries: RecentQueryView[] }
/** Put these strokes (pad-side units) on the pad, as one undoable step, and search with them. */
export interface RestoreSketchMessage { type: 'restoreSketch'; strokes: PadStroke[] }

export type ToWebviewMessage =
  | ResultActionResponse
  | RecentQueriesMessage
  | RestoreSketchMessage
  | SearchResponse
  | ResultsMessage
  | ResultsRefreshMessage
  | IndexStatusMessage
  | ThumbnailMessage
  | ClearPadMessage
  | ConfigMessage
  | ScopeMessage
  | QueryStartedMessage
  | FileTypesMessage;

// ---------------------------------------------------------------- validation

export type Validated<T> = { ok: true; value: T } | { ok: false; error: string };

const RESULT_ACTIONS: ReadonlySet<string> = new Set<ResultAction>([
  'open', 'openToSide', 'revealInExplorer', 'copyPath', 'copyRelativePath',
  'insertMarkdownLink', 'insertHtmlImg', 'insertImportPath', 'insertReference', 'findSimilar', 'preview',
]);
const COMMANDS: ReadonlySet<string> = new Set(['rebuildIndex', 'showIndexStatus', 'searchWithImageFile', 'trustWorkspace', 'showOutput', 'openSettings', 'cancelIndexing', 'resumeIndexing', 'showSkippedFiles']);
const FILE_TYPE_SET: ReadonlySet<string> = new Set(FILE_TYPES);

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

function isShortId(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= LIMITS.maxIdLength;
}

function validateFilter(x: unknown): Validated<SearchFilter | undefined> {
  if (x === undefined) return { ok: true, value: undefined };
  if (!isObj(x)) return { ok: false, error: 'filter must be an object' };
  const out: SearchFilter = {};
  if (x.types !== undefined) {
    if (!Array.isArray(x.types) || x.types.length > FILE_TYPES.length || !x.types.every((t) => typeof t === 'string' && FILE_TYPE_SET.has(t))) {
      return { ok: false, error: 'filter.types must be a list of known file types' };
    }
    out.types = [...new Set(x.types as FileType[])];
  }
  if (x.scopeId !== undefined) {
    if (!isShortId(x.scopeId)) return { ok: false, error: 'filter.scopeId must be a short string' };
    out.scopeId = x.scopeId;
  }
  return { ok: true, value: out };
}

/** Max base64 characters for LIMITS.maxImageBytes. */
const MAX_BASE64 = Math.ceil(LIMITS.maxImageBytes / 3) * 4;

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
      const filter = validateFilter(msg.filter);
      if (!filter.ok) return filter;
      if (msg.restore !== undefined && typeof msg.restore !== 'boolean') return { ok: false, error: 'search.restore must be boolean' };
      const value: SearchRequest = { type: 'search', requestId: msg.requestId, strokes: strokes.value, top };
      if (filter.value) value.filter = filter.value;
      if (msg.restore) value.restore = true;
      return { ok: true, value };
    }
    case 'resultAction':
      if (!isRequestId(msg.requestId)) return { ok: false, error: 'resultAction.requestId must be a non-negative integer' };
      if (typeof msg.action !== 'string' || !RESULT_ACTIONS.has(msg.action)) return { ok: false, error: 'unknown result action' };
      if (typeof msg.resultId !== 'string' || msg.resultId.length === 0 || msg.resultId.length > LIMITS.maxIdLength) {
        return { ok: false, error: 'resultId must be a short string' };
      }
      return { ok: true, value: { type: 'resultAction', requestId: msg.requestId, action: msg.action as ResultAction, resultId: msg.resultId } };
    case 'command':
      if (typeof msg.command !== 'string' || !COMMANDS.has(msg.command)) return { ok: false, error: 'unknown command' };
      return { ok: true, value: { type: 'command', command: msg.command as CommandMessage['command'] } };
    case 'needThumbnails': {
      const ids = msg.resultIds;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > LIMITS.maxThumbnailIds || !ids.every(isShortId)) {
        return { ok: false, error: `needThumbnails.resultIds must be 1..${LIMITS.maxThumbnailIds} short strings` };
      }
      if (msg.preview !== undefined && typeof msg.preview !== 'boolean') return { ok: false, error: 'needThumbnails.preview must be boolean' };
      const value: NeedThumbnailsMessage = { type: 'needThumbnails', resultIds: [...new Set(ids as string[])] };
      if (msg.preview) value.preview = true;
      return { ok: true, value };
    }
    case 'imageQuery': {
      if (typeof msg.uri !== 'string' || msg.uri.length === 0 || msg.uri.length > LIMITS.maxUriLength) return { ok: false, error: 'imageQuery.uri must be a URI string' };
      if (!/^file:\/\//i.test(msg.uri) || /[\u0000-\u001f]/.test(msg.uri)) return { ok: false, error: 'imageQuery.uri must be a file: URI' };
      const filter = validateFilter(msg.filter);
      if (!filter.ok) return filter;
      const value: ImageQueryMessage = { type: 'imageQuery', uri: msg.uri };
      if (filter.value) value.filter = filter.value;
      return { ok: true, value };
    }
    case 'imageQueryBytes': {
      if (typeof msg.mime !== 'string' || !IMAGE_MIMES.has(msg.mime)) return { ok: false, error: 'imageQueryBytes.mime must be a PNG, JPEG, GIF or WebP type' };
      const b = msg.base64;
      if (typeof b !== 'string' || b.length < 8 || b.length > MAX_BASE64 || b.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b)) {
        return { ok: false, error: `imageQueryBytes.base64 must be base64 of at most ${LIMITS.maxImageBytes} bytes` };
      }
      const filter = validateFilter(msg.filter);
      if (!filter.ok) return filter;
      const value: ImageQueryBytesMessage = { type: 'imageQueryBytes', mime: msg.mime as ImageMime, base64: b };
      if (filter.value) value.filter = filter.value;
      return { ok: true, value };
    }
    case 'pickScope':
      if (msg.clear !== undefined && typeof msg.clear !== 'boolean') return { ok: false, error: 'pickScope.clear must be boolean' };
      return { ok: true, value: msg.clear ? { type: 'pickScope', clear: true } : { type: 'pickScope' } };
    case 'filter': {
      if (msg.filter === undefined) return { ok: false, error: 'filter.filter is required' };
      const filter = validateFilter(msg.filter);
      if (!filter.ok) return filter;
      return { ok: true, value: { type: 'filter', filter: filter.value ?? {} } };
    }
    case 'rememberSketch': {
      const strokes = validateStrokes(msg.strokes);
      if (!strokes.ok) return strokes;
      if (strokes.value.length === 0 || strokes.value.some((st) => st.length === 0 || st.some((p) => Math.abs(p[0]) > 10 || Math.abs(p[1]) > 10))) {
        return { ok: false, error: 'rememberSketch.strokes must be non-empty strokes in pad-side units' };
      }
      return { ok: true, value: { type: 'rememberSketch', strokes: strokes.value } };
    }
    case 'useRecent':
      if (!isShortId(msg.recentId)) return { ok: false, error: 'useRecent.recentId must be a short string' };
      return { ok: true, value: { type: 'useRecent', recentId: msg.recentId } };
    case 'forgetRecent':
      if (msg.all === true) return { ok: true, value: { type: 'forgetRecent', all: true } };
      if (!isShortId(msg.recentId)) return { ok: false, error: 'forgetRecent needs a recentId or all: true' };
      return { ok: true, value: { type: 'forgetRecent', recentId: msg.recentId } };
    default:
      return { ok: false, error: `unknown message type` };
  }
}

/** File type chip of a file name ('jpeg' counts as 'jpg'). */
export function fileTypeOf(name: string): FileType {
  const m = /\.([A-Za-z0-9]+)$/.exec(name);
  const ext = m ? m[1].toLowerCase() : '';
  if (ext === 'jpeg' || ext === 'jpg') return 'jpg';
  return (FILE_TYPE_SET.has(ext) && ext !== 'other' ? ext : 'other') as FileType;
}

/** Pad strokes -> the preprocessing's [x, y] strokes (pressure dropped). */
export function padStrokesToPoints(strokes: PadStroke[]): [number, number][][] {
  return strokes.map((s) => s.map((p) => [p[0], p[1]] as [number, number]));
}
