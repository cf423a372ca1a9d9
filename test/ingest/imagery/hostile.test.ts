/**
 * Every file of ../shared/eval/imagery/hostile: a clear CairnError (or a
 * correct read) quickly, no crash, no hang, no XXE. Times are measured and
 * bounded generously (CI machines are slow); the pixel bombs must be refused
 * from the header, in milliseconds.
 */
import { expect, it } from 'vitest';
import { CairnError } from '../../../main/core/errors.js';
import { ocrImage, readGeoTiff, readImage } from '../../../ingest/imagery/index.js';
import { describeFixtures, fixtureBytes } from './fixtures.js';

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - t0, value };
  } catch (error) {
    return { ms: performance.now() - t0, error };
  }
}

function expectCairn(error: unknown, code: string, pattern: RegExp): void {
  expect(error).toBeInstanceOf(CairnError);
  expect((error as CairnError).code).toBe(code);
  expect((error as CairnError).message).toMatch(pattern);
  expect((error as CairnError).message).not.toContain('\n');
}

describeFixtures('hostile', 'hostile images (hostile/expected.csv)', () => {
  const read = (file: string, extra: object = {}) => timed(() => readImage(fixtureBytes('hostile', file), { filename: file, thumbnailDir: undefined, ...extra }));

  it('decompression bomb (50000x50000 PNG, 304 KB) is refused from its header, before decoding', async () => {
    const r = await read('png_decompression_bomb_50000x50000.png');
    expectCairn(r.error, 'TOO_LARGE', /png_decompression_bomb_50000x50000\.png is 50000 x 50000 pixels .*100-megapixel limit/);
    expect(r.ms).toBeLessThan(1000);
    const rss = process.memoryUsage().rss;
    expect(rss).toBeLessThan(2_000_000_000);
  });

  it('pixel flood (IHDR claims 65535x65535x16-bit RGBA) is refused from its header', async () => {
    const r = await read('png_pixel_flood_65535x65535_header_only.png');
    expectCairn(r.error, 'TOO_LARGE', /65535 x 65535/);
    expect(r.ms).toBeLessThan(1000);
  });

  it('a lower maxPixels is honoured and named in the message', async () => {
    const r = await timed(() => readImage(fixtureBytes('exif', 'DSCN0010.jpg'), { filename: 'DSCN0010.jpg', maxPixels: 100_000 }));
    expectCairn(r.error, 'TOO_LARGE', /^DSCN0010\.jpg is 640 x 480 pixels \(0\.3 megapixels\), over the 100000-pixel limit; refused before decoding$/);
  });

  it('SVG with an external entity is refused as an unsupported type, never parsed', async () => {
    const r = await read('svg_xxe_file.svg');
    expectCairn(r.error, 'UNSUPPORTED_TYPE', /svg_xxe_file\.svg is SVG\/XML/);
    expect((r.error as Error).message).not.toMatch(/root:|passwd/);
    expect(r.ms).toBeLessThan(1000);
    // The OCR entry point refuses it the same way.
    const o = await timed(() => ocrImage(fixtureBytes('hostile', 'svg_xxe_file.svg'), { filename: 'svg_xxe_file.svg' }));
    expectCairn(o.error, 'UNSUPPORTED_TYPE', /SVG/);
  });

  it('TIFF whose IFD chain loops terminates with PARSE_FAILED (loop detected)', async () => {
    const r = await read('tiff_ifd_loop.tif');
    expectCairn(r.error, 'PARSE_FAILED', /tiff_ifd_loop\.tif .*loops back/);
    expect(r.ms).toBeLessThan(1000);
    const g = await timed(() => readGeoTiff(fixtureBytes('hostile', 'tiff_ifd_loop.tif'), { filename: 'tiff_ifd_loop.tif' }));
    expectCairn(g.error, 'PARSE_FAILED', /loops back/);
  });

  it('truncated JPEG: refused as corrupt by default; with partial: true, read and flagged, EXIF GPS kept', async () => {
    const strict = await read('jpeg_truncated_40pct.jpg');
    expectCairn(strict.error, 'PARSE_FAILED', /jpeg_truncated_40pct\.jpg is corrupt or truncated: .*premature end/i);
    expect(strict.ms).toBeLessThan(2000);
    const lenient = await read('jpeg_truncated_40pct.jpg', { partial: true });
    expect(lenient.error).toBeUndefined();
    const img = lenient.value!;
    expect(img.metadata.corrupt).toMatch(/premature end/i);
    expect(Math.abs(img.geo!.lat - 43.464455)).toBeLessThan(1e-5);
    expect(Math.abs(img.geo!.lon - 11.881478)).toBeLessThan(1e-5);
  });

  it('real corrupt GeoTIFF: tags open, pixel read fails cleanly', async () => {
    const g = await readGeoTiff(fixtureBytes('hostile', 'corrupt.tif'), { filename: 'corrupt.tif' });
    expect(g!.epsg).toBe(3857);
    const r = await read('corrupt.tif');
    expectCairn(r.error, 'PARSE_FAILED', /corrupt\.tif is corrupt or truncated: .*read error/i);
    expect(r.ms).toBeLessThan(2000);
  });

  it('JPEG with a malformed GPS IFD ingests, with no position rather than a garbage one', async () => {
    const r = await read('broken1.jpg');
    expect(r.error).toBeUndefined();
    expect(r.value).toMatchObject({ format: 'jpeg', geo: null, camera: 'Canon EOS 30D', time: '2007-08-15T10:13:13' });
    expect(r.ms).toBeLessThan(2000);
  });
});
