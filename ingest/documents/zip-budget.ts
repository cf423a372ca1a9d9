/**
 * A budget on what the XML parts of a zip-based document (DOCX) inflate to,
 * checked before mammoth opens it. mammoth inflates each part it reads into
 * memory outside the V8 heap, so the reader worker's heap limit does not stop
 * a zip bomb (a document.xml of a few MB that inflates to a gigabyte): one
 * reached 2.4 GB of resident memory. Here the parts a text extraction reads
 * (.xml and .rels) are inflated as a stream, counting bytes and keeping none;
 * media are skipped (raw text never decodes them). The sizes the archive
 * declares are not trusted: they can lie.
 */
import { Unzip, UnzipInflate, type UnzipFile } from 'fflate';
import { CairnError } from '../../main/core/errors.js';

export const ZIP_LIMITS = {
  /** One part. A thousand-page document.xml is tens of MB. */
  maxEntryBytes: 256 * 1024 * 1024,
  /** All the parts read, together. */
  maxTotalBytes: 1024 * 1024 * 1024,
} as const;

export interface ZipLimits {
  maxEntryBytes?: number;
  maxTotalBytes?: number;
}

/** Small feeds: a bomb inflates ~1000:1, and fflate hands out what one feed inflates to as one chunk. */
const FEED_BYTES = 4 * 1024;
const READ_PART = /\.(?:xml|rels)$/i;

/** Throws TOO_LARGE when the document's XML parts inflate past the limits; a corrupt archive is left to the reader. */
export function checkZipInflation(bytes: Uint8Array, filename: string, limits: ZipLimits = {}): { entries: number; inflatedBytes: number } {
  const maxEntry = limits.maxEntryBytes ?? ZIP_LIMITS.maxEntryBytes;
  const maxTotal = limits.maxTotalBytes ?? ZIP_LIMITS.maxTotalBytes;
  const mb = (n: number): string => `${Math.round(n / (1024 * 1024))} MB`;
  let total = 0;
  let entries = 0;
  const unzip = new Unzip((file: UnzipFile) => {
    if (!READ_PART.test(file.name) || (file.compression !== 0 && file.compression !== 8)) return;
    entries++;
    let size = 0;
    file.ondata = (err, data) => {
      // fflate hands an exception thrown below back here as `err`: keep ours as it is.
      if (err instanceof CairnError) throw err;
      if (err) return;
      size += data.length;
      total += data.length;
      if (size > maxEntry) {
        file.terminate();
        throw new CairnError('TOO_LARGE', `${filename}: ${file.name} inflates to more than ${mb(maxEntry)} (a zip bomb); it was not read`, { input: filename });
      }
      if (total > maxTotal) {
        file.terminate();
        throw new CairnError('TOO_LARGE', `${filename}: its parts inflate to more than ${mb(maxTotal)} in all (a zip bomb); it was not read`, { input: filename });
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let i = 0; i < bytes.length; i += FEED_BYTES) unzip.push(bytes.subarray(i, Math.min(bytes.length, i + FEED_BYTES)), i + FEED_BYTES >= bytes.length);
  } catch (e) {
    if (e instanceof CairnError) throw e;
    // Corrupt or unusual archives: mammoth decides (and says) what is wrong with them.
  }
  return { entries, inflatedBytes: total };
}
