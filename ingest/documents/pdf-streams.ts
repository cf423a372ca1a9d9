/**
 * A budget on what a PDF's compressed streams inflate to, checked before
 * pdf.js sees the file. pdf.js inflates a content stream into one growing
 * typed array; those bytes live outside the V8 heap, so the reader worker's
 * heap limit does not stop a "flate bomb" (a few MB that inflate to
 * gigabytes): one reached 2.6 GB of resident memory. Here every
 * FlateDecode stream except images and attached files (text extraction
 * never decodes those) is
 * inflated as a stream, counting bytes and keeping none, and reading stops
 * at the first stream over the per-stream limit or when the total passes
 * the file's budget.
 *
 * The scan is lexical (`stream` ... `endstream`), like pdf.js's own recovery
 * when a file's cross-reference table is broken, so a damaged file is
 * measured too. Streams that do not inflate (encrypted, corrupt) are skipped:
 * pdf.js decides what they are.
 */
import { constants, createInflate } from 'node:zlib';
import { CairnError } from '../../main/core/errors.js';

export const STREAM_LIMITS = {
  /** One stream. Page content streams are kilobytes to a few MB; the largest real ones (dense vector maps) tens of MB. */
  maxStreamBytes: 256 * 1024 * 1024,
  /** All streams of one file together. */
  maxTotalBytes: 1024 * 1024 * 1024,
} as const;

export interface StreamLimits {
  maxStreamBytes?: number;
  maxTotalBytes?: number;
}

/** Inflated size of one zlib stream, up to `cap` (stops there); null when it does not inflate at all. */
function inflatedSize(body: Uint8Array, cap: number): Promise<number | null> {
  return new Promise((resolve) => {
    const z = createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 });
    let n = 0;
    let settled = false;
    const end = (v: number | null): void => {
      if (settled) return;
      settled = true;
      z.removeAllListeners('data');
      z.destroy();
      resolve(v);
    };
    z.on('data', (chunk: Buffer) => {
      n += chunk.length;
      if (n > cap) end(n);
    });
    z.on('end', () => end(n));
    // Corrupt or encrypted data: what came out before the error is what pdf.js would get too.
    z.on('error', () => end(n > 0 ? n : null));
    z.end(body);
  });
}

/** Throws TOO_LARGE when the file's compressed streams inflate past the limits. */
export async function checkPdfStreams(bytes: Uint8Array, filename: string, limits: StreamLimits = {}): Promise<{ streams: number; inflatedBytes: number }> {
  const maxStream = limits.maxStreamBytes ?? STREAM_LIMITS.maxStreamBytes;
  const maxTotal = limits.maxTotalBytes ?? STREAM_LIMITS.maxTotalBytes;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;
  let total = 0;
  let streams = 0;
  for (let at = buf.indexOf('stream', 0, 'latin1'); at >= 0; at = buf.indexOf('stream', at + 6, 'latin1')) {
    // "stream" then an end of line, not the tail of "endstream".
    const before = at > 0 ? buf[at - 1]! : 0x20;
    if ((before >= 0x41 && before <= 0x5a) || (before >= 0x61 && before <= 0x7a)) continue;
    let start = at + 6;
    if (buf[start] === 0x0d) start++;
    if (buf[start] !== 0x0a) continue;
    start++;
    const stop = buf.indexOf('endstream', start, 'latin1');
    if (stop < 0) break;
    // The stream's dictionary: back to the object's start (bounded, a dictionary is short).
    const head = buf.toString('latin1', Math.max(0, at - 4096), at);
    const dict = head.slice(Math.max(head.lastIndexOf(' obj'), 0));
    at = stop;
    // Images and attached files are never decoded to extract text.
    if (!/\/FlateDecode\b|\/Fl\b/.test(dict) || /\/Subtype\s*\/Image\b|\/Type\s*\/EmbeddedFile\b/.test(dict)) continue;
    const size = await inflatedSize(buf.subarray(start, stop), Math.min(maxStream, maxTotal - total) + 1);
    if (size === null) continue;
    streams++;
    total += size;
    if (size > maxStream) {
      throw new CairnError('TOO_LARGE', `${filename} holds a compressed stream that inflates to more than ${mb(maxStream)} (a decompression bomb); it was not read`, { input: filename });
    }
    if (total > maxTotal) {
      throw new CairnError('TOO_LARGE', `${filename}'s compressed streams inflate to more than ${mb(maxTotal)} in all (a decompression bomb); it was not read`, { input: filename });
    }
  }
  return { streams, inflatedBytes: total };
}
