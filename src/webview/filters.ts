/** Results filter state of the webview: file-type chips and the folder scope (no DOM). */
import { FILE_TYPES, type FileType, type SearchFilter } from '../shared/protocol';

export const FILE_TYPE_LABELS: Record<FileType, string> = { png: 'PNG', jpg: 'JPG', svg: 'SVG', gif: 'GIF', webp: 'WebP', other: 'Other' };

export class FilterState {
  private types = new Set<FileType>();
  scopeId: string | null = null;
  scopeLabel = '';

  constructor(saved?: unknown) {
    if (Array.isArray(saved)) for (const x of saved) if ((FILE_TYPES as readonly unknown[]).includes(x)) this.types.add(x as FileType);
  }

  has(t: FileType): boolean { return this.types.has(t); }

  /** Toggle a chip; selecting every type is the same as selecting none (no filter). */
  toggle(t: FileType): void {
    if (this.types.has(t)) this.types.delete(t); else this.types.add(t);
    if (this.types.size === FILE_TYPES.length) this.types.clear();
  }

  clearTypes(): void { this.types.clear(); }

  setScope(id: string | null, label: string): void {
    this.scopeId = id;
    this.scopeLabel = id ? label : '';
  }

  get active(): boolean { return this.types.size > 0 || this.scopeId !== null; }

  get selectedTypes(): FileType[] { return FILE_TYPES.filter((t) => this.types.has(t)); }

  /** The filter sent with each search (empty object: no filter). */
  toFilter(): SearchFilter {
    const f: SearchFilter = {};
    if (this.types.size > 0) f.types = this.selectedTypes;
    if (this.scopeId) f.scopeId = this.scopeId;
    return f;
  }
}

/** MIME types the host accepts for pasted/dropped bitmaps. */
export const QUERY_IMAGE_MIMES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

/**
 * The first usable URI of a drop: VS Code's own list (application/vnd.code.uri-list, JSON array or
 * lines) or text/uri-list (RFC 2483: lines, '#' comments). Only file: URIs of image files.
 */
export function firstImageUri(get: (type: string) => string): string | undefined {
  const candidates: string[] = [];
  for (const type of ['application/vnd.code.uri-list', 'text/uri-list']) {
    const raw = get(type);
    if (!raw) continue;
    let list: unknown;
    try { list = JSON.parse(raw); } catch { list = raw.split(/\r?\n/); }
    if (!Array.isArray(list)) continue;
    for (const x of list) if (typeof x === 'string' && x.trim() && !x.startsWith('#')) candidates.push(x.trim());
  }
  return candidates.find((u) => /^file:\/\//i.test(u) && /\.(png|jpe?g|gif|webp|svg|bmp|tiff?|avif)$/i.test(u.split(/[?#]/)[0]));
}
