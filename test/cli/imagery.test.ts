import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';

const imagery = path.resolve(import.meta.dirname, '../../../shared/eval/imagery');
const ready = await access(imagery).then(() => true, () => false);
if (!ready) console.warn(`skipping imagery end-to-end tests: ${imagery} is absent (../shared is not beside the repo)`);

describe.skipIf(!ready)('imagery end to end: EXIF place and time, OCR regions as citable passages', () => {
  let root: string;
  let cairn: Cairn;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-img-'));
    cairn = await Cairn.open(path.join(root, 'data'));
    const r = await cairn.ingest({
      paths: [path.join(imagery, 'ocr', 'phototest.tif'), path.join(imagery, 'exif', 'DSCN0010.jpg'), path.join(imagery, 'hostile', 'png_pixel_flood_65535x65535_header_only.png')],
    });
    expect(r.ingested).toBe(2);
    expect(r.files.find((f) => f.file.endsWith('.png'))!.error!.code).toBe('TOO_LARGE');
  }, 120_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps an image source with its capture place and time', async () => {
    const photo = (await cairn.sources()).find((s) => s.origin.endsWith('DSCN0010.jpg'))!;
    expect(photo.kind).toBe('image');
    expect(photo.geo!.south).toBeCloseTo(43.4674483, 5);
    expect(photo.geo!.west).toBeCloseTo(11.8851267, 5);
    expect(photo.t0).not.toBeNull();
    expect(String(photo.metadata.thumbnail)).toMatch(/\.webp$/);
  });

  it('makes OCR text searchable and cites the region it came from, with a quality report', async () => {
    const scan = (await cairn.sources()).find((s) => s.origin.endsWith('phototest.tif'))!;
    const ocr = scan.metadata.ocr as { meanConfidence: number; lowConfidenceShare: number };
    expect(ocr.meanConfidence).toBeGreaterThan(80);
    expect(ocr.lowConfidenceShare).toBeLessThan(0.2);
    const a = await cairn.ask({ question: 'What is the 12 point text meant to test?' });
    const c = a.citations.find((x) => x.sourceId === scan.id)!;
    expect(c.quote.toLowerCase()).toContain('ocr code');
    const bbox = (c.locator as { bbox: number[] }).bbox;
    expect(bbox).toHaveLength(4);
    expect(bbox[2]!).toBeGreaterThan(bbox[0]!);
    expect(bbox[3]!).toBeGreaterThan(bbox[1]!);
    expect(bbox[2]!).toBeLessThanOrEqual(Number(scan.metadata.width));
  });

  it('OCRs a scanned PDF (no text layer) into page-located passages with a quality report', async () => {
    const pdf = path.resolve(imagery, '../pdfs/ocrmypdf-linn.pdf');
    const r = await cairn.ingest({ paths: [pdf] });
    expect(r.ingested).toBe(1);
    const src = (await cairn.sources()).find((s) => s.origin === pdf)!;
    expect((src.metadata.ocr as { meanConfidence: number }).meanConfidence).toBeGreaterThan(80);
    const hits = await cairn.search({ query: 'REWIND to find the desired', k: 3 });
    const hit = hits.hits.find((h) => h.sourceId === src.id)!;
    expect(hit.locator.page).toBe(1);
    expect(hit.text).toMatch(/REWIND/i);
  }, 120_000);
});
