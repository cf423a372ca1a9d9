/**
 * Walks a TIFF's chain of image file directories (IFDs) without trusting it:
 * bounded, loop-detecting, bounds-checked. geotiff.js follows the chain
 * without loop detection (a self-referencing IFD spins it forever), so no
 * TIFF reaches it before this check passes.
 */

import { CairnError } from '../../main/core/errors.js';

export interface IfdChain {
  bigTiff: boolean;
  littleEndian: boolean;
  /** Byte offsets of the IFDs, in chain order. */
  offsets: number[];
  warnings: string[];
}

/** More pages than any real scan or pyramid has; a chain this long is treated as hostile. */
export const MAX_IFDS = 4096;

export function walkTiffIfds(bytes: Uint8Array, filename: string): IfdChain {
  const fail = (why: string): never => {
    throw new CairnError('PARSE_FAILED', `${filename} is not a readable TIFF: ${why}`, { input: filename });
  };
  if (bytes.byteLength < 8) fail('file shorter than a TIFF header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = bytes[0] === 0x49;
  const magic = view.getUint16(2, le);
  const bigTiff = magic === 43;
  if (magic !== 42 && !bigTiff) fail(`bad magic number ${magic}`);
  const size = bytes.byteLength;
  const u64 = (o: number): number => {
    const v = view.getBigUint64(o, le);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
  };
  if (bigTiff && size < 16) fail('file shorter than a BigTIFF header');
  let next = bigTiff ? u64(8) : view.getUint32(4, le);
  const offsets: number[] = [];
  const warnings: string[] = [];
  const seen = new Set<number>();
  while (next !== 0) {
    if (seen.has(next)) fail(`its directory chain loops back to offset ${next} (after ${offsets.length} director${offsets.length === 1 ? 'y' : 'ies'})`);
    if (offsets.length >= MAX_IFDS) fail(`more than ${MAX_IFDS} image directories`);
    const countSize = bigTiff ? 8 : 2;
    if (next + countSize > size) {
      if (offsets.length === 0) fail(`first image directory at offset ${next} lies beyond the end of the file (${size} bytes)`);
      warnings.push(`directory pointer ${next} beyond the end of the file; stopped after ${offsets.length}`);
      break;
    }
    const count = bigTiff ? u64(next) : view.getUint16(next, le);
    const entrySize = bigTiff ? 20 : 12;
    const nextPtrAt = next + countSize + count * entrySize;
    const nextSize = bigTiff ? 8 : 4;
    if (count === 0 || nextPtrAt + nextSize > size) {
      if (offsets.length === 0) fail(`first image directory at offset ${next} is ${count === 0 ? 'empty' : 'truncated'}`);
      warnings.push(`directory at ${next} is ${count === 0 ? 'empty' : 'truncated'}; stopped after ${offsets.length}`);
      break;
    }
    seen.add(next);
    offsets.push(next);
    next = bigTiff ? u64(nextPtrAt) : view.getUint32(nextPtrAt, le);
  }
  if (offsets.length === 0) fail('no image directory');
  return { bigTiff, littleEndian: le, offsets, warnings };
}
