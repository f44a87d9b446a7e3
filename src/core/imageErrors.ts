/**
 * Decoder (libvips/sharp) and file-system errors in words a user understands. The raw text goes
 * to logs only; what a person sees is "x.png is not a readable image: the file is truncated".
 */

/** The reason a file could not be used, as a short plain phrase (no decoder names, one line). */
export function plainImageReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown } | null)?.code;
  // decode.ts read the answer from the file's own structure: it beats any decoder text after it.
  const judged = /^(?:PNG|JPEG|GIF|WebP) file is (truncated|damaged)\b/.exec(msg);
  if (judged) return `the file is ${judged[1]}`;
  if (/pixel limit/i.test(msg)) return 'image dimensions exceed the pixel limit (possible decompression bomb)';
  if (code === 'ENOENT' || /ENOENT/.test(msg)) return 'the file no longer exists';
  if (code === 'EACCES' || code === 'EPERM' || /EACCES|EPERM/.test(msg)) return 'permission denied';
  if (/^empty file$/i.test(msg)) return 'the file is empty';
  if (/over the .* limit|too large/i.test(msg)) return msg.startsWith('file is') ? `the ${msg}` : 'the file is too large';
  if (/unsupported image format/i.test(msg)) return 'not a supported image format';
  if (/premature end|unexpected end|truncated|read error|end of (file|data|stream)|libpng|short read/i.test(msg)) return 'the file is truncated';
  if (/XML parse error|svg/i.test(msg)) return 'the SVG is not well-formed';
  if (/corrupt header|unable to parse|bogus|invalid|corrupt/i.test(msg)) return 'the file is damaged';
  if (/not a regular file/i.test(msg)) return 'not a regular file';
  if (/quarantined/i.test(msg)) return msg;
  return 'the image could not be decoded';
}

/** "x.png is not a readable image: the file is truncated". */
export function unreadableImageMessage(fileName: string, e: unknown): string {
  return `${fileName} is not a readable image: ${plainImageReason(e)}`;
}
