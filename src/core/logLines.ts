/**
 * Text from native code (onnxruntime, Dawn, libvips) on a child's stderr, made fit for a log:
 * ANSI escape codes removed, split into whole lines (a chunk can end mid-line), blank lines dropped.
 */

const ANSI_RE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;

/** Text without ANSI escape sequences (colours, cursor moves, OSC titles). */
export function stripAnsi(s: string): string {
  return s.replace(ANSI_RE, '');
}

/** Feeds chunks in, calls onLine once per complete, non-blank, plain line; flush() emits the rest. */
export class LineBuffer {
  private rest = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string | Buffer): void {
    const lines = (this.rest + String(chunk)).split(/\r?\n|\r/);
    this.rest = lines.pop() ?? '';
    for (const l of lines) this.emit(l);
  }

  flush(): void {
    const l = this.rest;
    this.rest = '';
    this.emit(l);
  }

  private emit(l: string): void {
    const plain = stripAnsi(l).trimEnd();
    if (plain.trim()) this.onLine(plain);
  }
}
