/**
 * The bytes of a package that nothing else checks. The signature covers the
 * manifest and the manifest every file's hash, and node-tar checks each
 * header's checksum; but a tar reader ignores the zero padding after each
 * file, the terminator bytes of the checksum field and everything after the
 * end-of-archive marker. A mutation test (scripts/security/tamper.ts) found
 * 247 of 1,024 single-byte changes to a signed package there, undetected:
 * harmless to what is imported, but a package that changed in transit
 * should never verify. So the block layout is walked once more, raw:
 * checksum fields exactly as tar writers emit them (6 octal digits, then
 * space and NUL, or NUL and space), padding and trailer all zero.
 *
 * Gzip-compressed packages are walked after decompression; their gzip
 * header (time stamp, OS byte) is outside any checksum and is not checked.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { problem, type Problem } from './problems.js';

const BLOCK = 512;
/** Six octal digits then space+NUL (node-tar, which writes Cairn packages) or NUL+space (POSIX, GNU tar): no single byte turns one into the other. */
const CHECKSUM_FIELD = /^[0-7]{6}(?: \0|\0 )$/;

function octal(field: Buffer): number {
  const text = field.toString('latin1').replace(/[\0 ]+$/, '').trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function isZero(b: Buffer): boolean {
  for (const x of b) if (x !== 0) return false;
  return true;
}

/** Problems with the raw block layout; [] when every byte is where a tar writer puts it. */
export async function checkTarLayout(file: string): Promise<Problem[]> {
  const fh = await open(file, 'r');
  let gzip = false;
  try {
    const head = Buffer.alloc(2);
    await fh.read(head, 0, 2, 0);
    gzip = head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await fh.close();
  }
  const raw: Readable = gzip ? createReadStream(file).pipe(createGunzip()) : createReadStream(file);
  const bad = (offset: number, what: string): Problem[] => [problem('ARCHIVE_UNREADABLE', `the archive was altered at byte ${offset}${gzip ? ' (after decompression)' : ''}: ${what}`)];

  let pending: Buffer = Buffer.alloc(0);
  let offset = 0; // of the next block
  let bodyLeft = 0; // bytes of file content still to skip
  let ended = false; // two zero blocks seen
  let zeroBlocks = 0;
  try {
    for await (const chunk of raw) {
      pending = pending.length ? Buffer.concat([pending, chunk as Buffer]) : (chunk as Buffer);
      let at = 0;
      while (pending.length - at >= BLOCK) {
        const block = pending.subarray(at, at + BLOCK);
        at += BLOCK;
        const here = offset;
        offset += BLOCK;
        if (ended) {
          if (!isZero(block)) return bad(here, 'data after the end-of-archive marker');
          continue;
        }
        if (bodyLeft > 0) {
          const take = Math.min(bodyLeft, BLOCK);
          bodyLeft -= take;
          if (bodyLeft === 0 && !isZero(block.subarray(take))) return bad(here + take, 'non-zero padding after a file');
          continue;
        }
        if (isZero(block)) {
          if (++zeroBlocks === 2) ended = true;
          continue;
        }
        if (zeroBlocks > 0) return bad(here - BLOCK, 'a zero block inside the archive');
        // A header: checksum field as writers emit it, then the sum itself.
        if (!CHECKSUM_FIELD.test(block.subarray(148, 156).toString('latin1'))) return bad(here + 148, 'a header checksum field in a non-standard form');
        let sum = 0;
        for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
        if (sum !== octal(block.subarray(148, 156))) return bad(here, 'a header checksum mismatch');
        const size = octal(block.subarray(124, 136));
        const type = String.fromCharCode(block[156]!);
        // Content follows files and pax/GNU extension headers; folders and links have none.
        bodyLeft = ['0', '\0', '7', 'x', 'g', 'L', 'K'].includes(type) ? size : 0;
      }
      pending = pending.subarray(at);
    }
  } catch (e) {
    return [problem('ARCHIVE_UNREADABLE', `the archive could not be read to its end: ${(e as Error).message}`)];
  }
  if (pending.length > 0 && !isZero(pending)) return bad(offset, 'a partial block at the end');
  return [];
}
