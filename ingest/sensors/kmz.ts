import { Unzip, UnzipInflate, unzipSync, type UnzipFile } from 'fflate';
import { CairnError } from '../../main/core/errors.js';
import { readKml } from './kml.js';
import type { ReaderContext } from './result.js';
import { decodeText } from './text.js';
import type { ExtractedTrack } from './types.js';

/** Zip data is fed to the inflater in slices this big, so no single step can produce more than ~16 MB. */
const FEED_BYTES = 16 * 1024;

/**
 * KMZ = a zip holding one main KML (doc.kml by convention, else the first
 * .kml at the top level) plus images. Before anything is inflated the
 * archive is checked: entry count, entry names (absolute paths and `..` are
 * refused even though nothing is written to disk) and declared sizes. The
 * KML is then inflated in small steps and the real output is counted, so a
 * header that lies about its size cannot get past the limit.
 */
export function readKmz(bytes: Uint8Array, ctx: ReaderContext): ExtractedTrack {
  const { filename, maxZipEntries, maxUncompressedBytes } = ctx.opts;
  const entries = listEntries(bytes, filename);
  if (entries.length > maxZipEntries) {
    throw new CairnError('TOO_LARGE', `${filename}: the KMZ holds ${entries.length} entries, over the limit of ${maxZipEntries}`, { input: filename });
  }
  for (const e of entries) assertSafeName(e.name, filename);
  const kmls = entries.filter((e) => /\.kml$/i.test(e.name) && !e.name.endsWith('/'));
  const main = kmls.find((e) => e.name.toLowerCase() === 'doc.kml') ?? kmls.find((e) => !e.name.includes('/')) ?? kmls[0];
  if (!main) {
    throw new CairnError('PARSE_FAILED', `${filename}: the KMZ archive holds no .kml file`, { input: filename });
  }
  if (main.originalSize > maxUncompressedBytes) {
    throw new CairnError('TOO_LARGE', `${filename}: ${main.name} would inflate to ${main.originalSize} bytes, over the ${maxUncompressedBytes}-byte limit`, { input: filename });
  }
  const kmlBytes = inflateEntry(bytes, main.name, maxUncompressedBytes, ctx);
  if (kmls.length > 1) ctx.notes.warn(`the KMZ holds ${kmls.length} KML files; only ${main.name} was read`);
  return readKml(decodeText(kmlBytes, filename), ctx, 'kmz', {
    kmzEntry: main.name,
    kmzEntries: entries.map((e) => e.name),
  });
}

interface EntryInfo {
  name: string;
  size: number;
  originalSize: number;
}

/** The central directory, read without inflating anything. */
function listEntries(bytes: Uint8Array, filename: string): EntryInfo[] {
  const out: EntryInfo[] = [];
  try {
    unzipSync(bytes, {
      filter: (f) => {
        out.push({ name: f.name, size: f.size, originalSize: f.originalSize });
        return false;
      },
    });
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${filename} is not a readable zip (KMZ) archive: ${e instanceof Error ? e.message : String(e)}`, { input: filename, cause: e });
  }
  return out;
}

export function assertSafeName(name: string, filename: string): void {
  const parts = name.split(/[\\/]/);
  const bad =
    name.includes('\u0000') || name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name) || parts.some((p) => p === '..');
  if (bad) {
    throw new CairnError('PARSE_FAILED', `${filename}: the archive entry "${name}" points outside the archive (absolute path or ".."); the KMZ is refused`, { input: filename });
  }
}

function inflateEntry(bytes: Uint8Array, name: string, limit: number, ctx: ReaderContext): Uint8Array {
  const { filename } = ctx.opts;
  const chunks: Uint8Array[] = [];
  let total = 0;
  let done = false;
  let found = false;
  const unzip = new Unzip((file: UnzipFile) => {
    // Local headers are checked too: they can disagree with the central directory.
    assertSafeName(file.name, filename);
    if (found || file.name !== name) return;
    found = true;
    if (file.compression !== 0 && file.compression !== 8) {
      throw new CairnError('UNSUPPORTED_TYPE', `${filename}: ${name} uses zip compression method ${file.compression}; only stored and deflate are read`, { input: filename });
    }
    file.ondata = (err, data, final) => {
      // fflate hands an exception thrown below back here as `err`: keep ours as it is.
      if (err instanceof CairnError) throw err;
      if (err) throw new CairnError('PARSE_FAILED', `${filename}: ${name} is corrupt: ${err.message}`, { input: filename, cause: err });
      total += data.length;
      if (total > limit) {
        file.terminate();
        throw new CairnError('TOO_LARGE', `${filename}: ${name} inflates past the ${limit}-byte limit (zip bomb?); refused`, { input: filename });
      }
      chunks.push(data);
      if (final) done = true;
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let i = 0; i < bytes.length && !done; i += FEED_BYTES) {
      unzip.push(bytes.subarray(i, Math.min(bytes.length, i + FEED_BYTES)), i + FEED_BYTES >= bytes.length);
    }
  } catch (e) {
    if (e instanceof CairnError) throw e;
    throw new CairnError('PARSE_FAILED', `${filename}: could not inflate ${name}: ${e instanceof Error ? e.message : String(e)}`, { input: filename, cause: e });
  }
  if (!done) throw new CairnError('PARSE_FAILED', `${filename}: ${name} is truncated`, { input: filename });
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
