/**
 * Is an image file cut short? Read from the file's own structure, not from the decoder's message:
 * libvips keeps one error buffer per process, so when two decodes fail at once (a query image and
 * its thumbnail, or the indexer beside a query) a failure can come back as "Unknown error" or as
 * the other operation's text. Only consulted after a decode has failed.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The container format ('PNG', 'JPEG', 'GIF', 'WebP') of `bytes` and whether the file is whole, if it is one of those. */
export function imageCompleteness(bytes: Buffer): { format: string; complete: boolean } | undefined {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return { format: 'PNG', complete: pngComplete(bytes) };
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { format: 'JPEG', complete: jpegComplete(bytes) };
  if (bytes.length >= 6 && /^GIF8[79]a$/.test(bytes.toString('latin1', 0, 6))) return { format: 'GIF', complete: gifComplete(bytes) };
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') {
    return { format: 'WebP', complete: bytes.length >= bytes.readUInt32LE(4) + 8 };
  }
  return undefined;
}

/** Every chunk (length, type, data, CRC) is whole, up to and including IEND. */
function pngComplete(b: Buffer): boolean {
  let at = 8;
  while (at + 12 <= b.length) {
    const len = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    at += 12 + len;
    if (at > b.length) return false;
    if (type === 'IEND') return true;
  }
  return false;
}

/** An end-of-image marker (FF D9) after the start of the last scan. */
function jpegComplete(b: Buffer): boolean {
  const sos = b.lastIndexOf(Buffer.from([0xff, 0xda]));
  return b.indexOf(Buffer.from([0xff, 0xd9]), Math.max(2, sos)) >= 0;
}

/** The trailer byte (0x3B) ends the file, allowing for zero padding after it. */
function gifComplete(b: Buffer): boolean {
  let end = b.length - 1;
  while (end > 0 && b[end] === 0) end--;
  return b[end] === 0x3b;
}
