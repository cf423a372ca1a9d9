/**
 * readImage on images made here with sharp (no shared fixtures needed):
 * every accepted format, EXIF orientation, content-addressed thumbnails,
 * hand-built header bombs and looping TIFFs, refused types.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../../main/core/errors.js';
import { readImage, sniffImageFormat } from '../../../ingest/imagery/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cairn-img-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = () => sharp({ create: { width: 600, height: 300, channels: 3, background: { r: 200, g: 40, b: 40 } } });

async function rejection(p: Promise<unknown>): Promise<CairnError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CairnError);
    return e as CairnError;
  }
  throw new Error('expected a CairnError');
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (const x of b) c = CRC_TABLE[(c ^ x) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A well-formed PNG whose IHDR claims width x height (8-bit RGBA) but whose IDAT holds one short row. */
function pngClaiming(width: number, height: number): Uint8Array {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('readImage on generated images', () => {
  for (const [format, make] of [
    ['jpeg', () => base().jpeg()],
    ['png', () => base().png()],
    ['webp', () => base().webp()],
    ['gif', () => base().gif()],
    ['tiff', () => base().tiff()],
    ['avif', () => base().avif({ effort: 0 })],
  ] as const) {
    it(`${format}: format from the bytes, size, thumbnail`, async () => {
      const bytes = await make().toBuffer();
      const img = await readImage(bytes, { filename: `x.bin`, thumbnailDir: dir });
      expect(img.format).toBe(format);
      expect(img.mime).toMatch(/^image\//);
      expect([img.width, img.height]).toEqual([600, 300]);
      expect(img.thumbnail).toMatch(/[0-9a-f]{64}\.webp$/);
      const t = await sharp(img.thumbnail!).metadata();
      expect(Math.max(t.width!, t.height!)).toBeLessThanOrEqual(256);
      expect(img.metadata.sha256).toBe(path.basename(img.thumbnail!, '.webp'));
    });
  }

  it('the thumbnail is content-addressed and written once', async () => {
    const bytes = await base().png().toBuffer();
    const a = await readImage(bytes, { filename: 'a.png', thumbnailDir: dir });
    const mtime = statSync(a.thumbnail!).mtimeMs;
    const b = await readImage(bytes, { filename: 'b.png', thumbnailDir: dir });
    expect(b.thumbnail).toBe(a.thumbnail);
    expect(statSync(b.thumbnail!).mtimeMs).toBe(mtime);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('no thumbnailDir: nothing written, thumbnail null', async () => {
    const img = await readImage(await base().jpeg().toBuffer(), { filename: 'x.jpg' });
    expect(img.thumbnail).toBeNull();
  });

  it('EXIF orientation 6: displayed size is swapped, orientation reported', async () => {
    const bytes = await base().jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const img = await readImage(bytes, { filename: 'o.jpg', thumbnailDir: dir });
    expect(img.orientation).toBe(6);
    expect([img.width, img.height]).toEqual([300, 600]);
    expect(img.metadata).toMatchObject({ storedWidth: 600, storedHeight: 300 });
    const t = await sharp(img.thumbnail!).metadata();
    expect(t.height!).toBeGreaterThan(t.width!);
  });

  it('animated GIF: pages counted, first frame thumbnailed', async () => {
    const frames = await sharp({ create: { width: 40, height: 120, channels: 3, background: '#08f' } }).gif().toBuffer();
    const animated = await sharp(frames, { pages: -1 }).gif({ loop: 0 }).toBuffer();
    const img = await readImage(animated, { filename: 'a.gif' });
    expect(img.format).toBe('gif');
    expect(img.metadata.pages).toBeGreaterThanOrEqual(1);
  });

  it('hand-built PNG claiming 40000 x 40000 is refused in milliseconds', async () => {
    const t0 = performance.now();
    const e = await rejection(readImage(pngClaiming(40000, 40000), { filename: 'bomb.png' }));
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toBe('bomb.png is 40000 x 40000 pixels (1600.0 megapixels), over the 100-megapixel limit; refused before decoding');
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('a header that fits the limit but has no pixel data is a clear PARSE_FAILED', async () => {
    const e = await rejection(readImage(pngClaiming(100, 100), { filename: 'empty.png' }));
    expect(e.code).toBe('PARSE_FAILED');
    expect(e.input).toBe('empty.png');
  });

  it('a TIFF whose IFD points at itself is refused (loop), not followed forever', async () => {
    const tiff = Buffer.from(await base().tiff().toBuffer());
    const le = tiff[0] === 0x49;
    const first = le ? tiff.readUInt32LE(4) : tiff.readUInt32BE(4);
    const count = le ? tiff.readUInt16LE(first) : tiff.readUInt16BE(first);
    const nextAt = first + 2 + count * 12;
    if (le) tiff.writeUInt32LE(first, nextAt);
    else tiff.writeUInt32BE(first, nextAt);
    const e = await rejection(readImage(tiff, { filename: 'loop.tif' }));
    expect(e.code).toBe('PARSE_FAILED');
    expect(e.message).toMatch(/loops back/);
  });

  it('empty, BMP, PDF, text and SVG are refused by type before any decoder runs', async () => {
    expect((await rejection(readImage(new Uint8Array(), { filename: 'e.png' }))).code).toBe('EMPTY_FILE');
    expect((await rejection(readImage(Buffer.from('BM\0\0\0\0'), { filename: 'b.bmp' }))).code).toBe('UNSUPPORTED_TYPE');
    expect((await rejection(readImage(Buffer.from('%PDF-1.7\n'), { filename: 'p.png' }))).message).toMatch(/PDF/);
    const svg = Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>');
    const e = await rejection(readImage(svg, { filename: 'x.png' }));
    expect(e.code).toBe('UNSUPPORTED_TYPE');
    expect(sniffImageFormat(svg)).toBeNull();
  });
});
