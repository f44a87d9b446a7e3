/**
 * Small PNG thumbnails of results, made by sharp in the encoder worker and cached on disk under
 * the extension's global storage (a localResourceRoot of the webview). The cache key includes the
 * file's size and mtime, so an edited image gets a new thumbnail.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

export const THUMB_SIZE = 96;
/** The larger preview shown on hover/focus. */
export const PREVIEW_SIZE = 256;

export class ThumbnailCache {
  private inflight = new Map<string, Promise<string | undefined>>();

  constructor(readonly dir: string, private readonly make: (src: string, dest: string, size: number) => Promise<void>) {}

  /** Path of the cached thumbnail, making it if needed; undefined if the image cannot be rendered. */
  async get(src: string, size = THUMB_SIZE): Promise<string | undefined> {
    let st: fs.Stats;
    try { st = await fs.promises.stat(src); } catch { return undefined; }
    const key = crypto.createHash('sha1').update(`${src}\0${st.size}\0${st.mtimeMs}${size === THUMB_SIZE ? '' : `\0${size}`}`).digest('hex');
    const dest = path.join(this.dir, key.slice(0, 2), `${key}.png`);
    const existing = this.inflight.get(dest);
    if (existing) return existing;
    const p = (async () => {
      try {
        await fs.promises.access(dest);
        return dest;
      } catch { /* not cached yet */ }
      try {
        await this.make(src, dest, size);
        return dest;
      } catch {
        return undefined;
      } finally {
        this.inflight.delete(dest);
      }
    })();
    this.inflight.set(dest, p);
    return p;
  }
}
