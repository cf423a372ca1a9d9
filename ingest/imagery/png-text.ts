/**
 * PNG text chunks (tEXt, zTXt, iTXt) taken out before libvips sees a PNG.
 * libvips inflates every zTXt/iTXt chunk into the image's metadata on each
 * open (header read, thumbnail, OCR), outside any pixel limit: a 300 KB PNG
 * of compressed comments cost 1.4 GB of memory. Pixels never need them, and
 * EXIF/XMP are read from the original bytes (exif.ts), so dropping them for
 * decoding loses nothing.
 */
const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt']);

/** The PNG without its text chunks; the same bytes when it has none or its chunk list is malformed (libvips then says what is wrong). */
export function withoutPngText(bytes: Uint8Array): Uint8Array {
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const keep: [number, number][] = [[0, 8]];
  let dropped = false;
  for (let at = 8; at < bytes.byteLength; ) {
    if (at + 12 > bytes.byteLength) return bytes;
    const end = at + 12 + view.getUint32(at);
    if (end > bytes.byteLength) return bytes;
    const type = String.fromCharCode(bytes[at + 4]!, bytes[at + 5]!, bytes[at + 6]!, bytes[at + 7]!);
    if (TEXT_CHUNKS.has(type)) dropped = true;
    else keep.push([at, end]);
    at = end;
    if (type === 'IEND') break;
  }
  if (!dropped) return bytes;
  const out = new Uint8Array(keep.reduce((n, [a, b]) => n + b - a, 0));
  let o = 0;
  for (const [a, b] of keep) {
    out.set(bytes.subarray(a, b), o);
    o += b - a;
  }
  return out;
}
