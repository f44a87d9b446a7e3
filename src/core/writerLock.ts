/**
 * One writer per index file: two VS Code windows on one workspace would otherwise overwrite each
 * other's saves. The first takes `<index>.lock` (its pid); a second window keeps its index in
 * memory only. A lock whose process is gone is taken over.
 */
import * as fs from 'fs';

export function acquireWriterLock(indexFile: string): { acquired: boolean; release(): void } {
  const lock = `${indexFile}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lock, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      return { acquired: true, release: () => { try { if (fs.readFileSync(lock, 'utf8') === String(process.pid)) fs.unlinkSync(lock); } catch { /* gone */ } } };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') return { acquired: false, release: () => undefined };
      let pid = NaN;
      try { pid = Number(fs.readFileSync(lock, 'utf8')); } catch { /* racing release */ }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid)) return { acquired: false, release: () => undefined };
      try { fs.unlinkSync(lock); } catch { /* someone else took it over */ }
    }
  }
  return { acquired: false, release: () => undefined };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
