/**
 * OCR on a handful of ../shared/eval/imagery/ocr fixtures against their
 * transcripts (*.gt.txt) by character similarity (1 - normalised
 * Levenshtein, whitespace-insensitive), rotated pages recovered, bboxes inside
 * the image and mapped back exactly. Kept small: each read costs ~0.2-3 s.
 * The per-fixture benchmark (all fixtures, CER, pages/minute) is
 * test/ingest/imagery/ocr-report.ts, run with tsx.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ocrImage, ocrRegions, readImage, shutdownOcr, type OcrResult } from '../../../ingest/imagery/index.js';
import { describeFixtures, fixtureBytes, fixturePath, repoRoot, similarity } from './fixtures.js';

afterAll(() => shutdownOcr());

const truth = (image: string): string => readFileSync(fixturePath('ocr', image.replace(/\.[a-z]+$/i, '.gt.txt')), 'utf8');

function expectBoxesInside(r: OcrResult): void {
  expect(r.words.length).toBeGreaterThan(0);
  for (const b of [...r.words.map((w) => w.bbox), ...r.lines.map((l) => l.bbox)]) {
    expect(b[0]).toBeGreaterThanOrEqual(0);
    expect(b[1]).toBeGreaterThanOrEqual(0);
    expect(b[2]).toBeLessThanOrEqual(r.width);
    expect(b[3]).toBeLessThanOrEqual(r.height);
    expect(b[0]).toBeLessThanOrEqual(b[2]);
    expect(b[1]).toBeLessThanOrEqual(b[3]);
  }
  for (const l of r.lines) expect(r.text.slice(l.start, l.end)).toBe(l.text);
}

describeFixtures('ocr', 'OCR against ground truth (ocr/*.gt.txt)', () => {
  const cache = new Map<string, Promise<OcrResult>>();
  const ocr = (file: string): Promise<OcrResult> => {
    if (!cache.has(file)) cache.set(file, ocrImage(fixtureBytes('ocr', file), { filename: file }));
    return cache.get(file)!;
  };

  it('clean page (phototest.tif): near-perfect text, confident, upright', async () => {
    const r = await ocr('phototest.tif');
    expect(similarity(r.text, truth('phototest.tif'))).toBeGreaterThan(0.97);
    expect(r).toMatchObject({ rotation: 0, languages: ['eng'], width: 640, height: 480 });
    expect(r.meanConfidence).toBeGreaterThan(85);
    expect(r.lowConfidenceShare).toBeLessThan(0.1);
    expectBoxesInside(r);
    // Nothing cached into the working directory or node_modules.
    expect(existsSync(path.join(process.cwd(), 'eng.traineddata'))).toBe(false);
    expect(existsSync(path.join(repoRoot, 'node_modules/@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata'))).toBe(false);
  });

  it('page rotated 90 deg left is found by trying rotations; boxes map back exactly to the rotated original', async () => {
    const [up, left] = await Promise.all([ocr('phototest.tif'), ocr('phototest-rotated-L.png')]);
    expect(left.rotation).toBe(90);
    expect(similarity(left.text, truth('phototest-rotated-L.png'))).toBeGreaterThan(0.95);
    expect([left.width, left.height]).toEqual([480, 640]);
    expectBoxesInside(left);
    // phototest-rotated-L is phototest turned 90 deg counter-clockwise: (x, y) -> (y, W - x).
    const W = up.width;
    const word = up.words.findIndex((w) => w.text === 'quick');
    const [x0, y0, x1, y1] = up.words[word]!.bbox;
    const mapped = left.words.find((w) => w.text === 'quick')!.bbox;
    [y0, W - x1, y1, W - x0].forEach((v, i) => expect(Math.abs(v - mapped[i]!)).toBeLessThanOrEqual(3));
  });

  it('page rotated 180 deg is recovered, boxes in the original frame', async () => {
    const [up, r] = await Promise.all([ocr('phototest.tif'), ocr('phototest-rotated-180.png')]);
    expect(r.rotation).toBe(180);
    expect(similarity(r.text, truth('phototest-rotated-180.png'))).toBeGreaterThan(0.95);
    expectBoxesInside(r);
    const [x0, y0, x1, y1] = up.words[0]!.bbox;
    const m = r.words[0]!.bbox;
    [up.width - x1, up.height - y1, up.width - x0, up.height - y0].forEach((v, i) => expect(Math.abs(v - m[i]!)).toBeLessThanOrEqual(3));
  });

  it('JPEG turned by its EXIF orientation (simple-270.jpg) reads upright', async () => {
    const r = await ocr('simple-270.jpg');
    expect(similarity(r.text, truth('simple-270.jpg'))).toBeGreaterThan(0.9);
    expect([r.width, r.height]).toEqual([320, 180]);
    expectBoxesInside(r);
  });

  it('stylised text on a dark background (cosmic.png)', async () => {
    const r = await ocr('cosmic.png');
    expect(similarity(r.text, truth('cosmic.png'))).toBeGreaterThan(0.85);
    expectBoxesInside(r);
  });

  it('readImage with ocr: true carries the OCR result; a HEIC without an HEVC decoder skips OCR with a warning', async () => {
    const img = await readImage(fixtureBytes('ocr', 'testocr.jpg'), { filename: 'testocr.jpg', ocr: true });
    expect(similarity(img.ocr!.text, truth('testocr.jpg'))).toBeGreaterThan(0.95);
    expect([img.ocr!.width, img.ocr!.height]).toEqual([img.width, img.height]);
    const heic = await readImage(fixtureBytes('exif', 'IMG_5195.HEIC'), { filename: 'IMG_5195.HEIC', ocr: true });
    if (heic.thumbnail === null) {
      expect(heic.ocr).toBeNull();
      expect(String(heic.metadata.warnings)).toMatch(/OCR skipped/);
    }
  });

  it('regions of a real page cover its lines in order, each a slice of the text', async () => {
    const r = await ocr('phototest.tif');
    const regions = ocrRegions(r, 120);
    expect(regions.length).toBeGreaterThan(1);
    for (const g of regions) {
      expect(g.text).toBe(r.text.slice(g.start, g.end));
      expect(g.text.length).toBeLessThanOrEqual(120);
      expect(g.bbox[2]).toBeLessThanOrEqual(r.width);
    }
    expect(regions.map((g) => g.start)).toEqual([...regions.map((g) => g.start)].sort((a, b) => a - b));
    expect(normalise(regions.map((g) => g.text).join(' '))).toBe(normalise(r.text));
  });
});

const normalise = (s: string): string => s.replace(/\s+/g, ' ').trim();

function hasArabicFont(): boolean {
  try {
    return execFileSync('fc-list', [':lang=ar'], { encoding: 'utf8', timeout: 5000 }).trim() !== '';
  } catch {
    return false;
  }
}

const arabicFont = hasArabicFont();
(arabicFont ? describe : describe.skip)(`Arabic OCR on rendered text${arabicFont ? '' : ' (skipped: no font with Arabic glyphs for fc-list :lang=ar)'}`, () => {
  const render = (text: string) =>
    sharp({ text: { text: `<span foreground="black">${text}</span>`, rgba: true, dpi: 300 } })
      .flatten({ background: '#ffffff' })
      .extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' })
      .png()
      .toBuffer();

  it('ara reads Arabic; eng+ara reads a mixed line (two language packages staged together)', async () => {
    const arabic = 'مرحبا بالعالم هذا نص عربي';
    const r = await ocrImage(await render(arabic), { languages: ['ara'] });
    expect(r.languages).toEqual(['ara']);
    expect(similarity(r.text, arabic)).toBeGreaterThan(0.8);
    expectBoxesInside(r);
    const mixed = await ocrImage(await render(`Report 12 May ${arabic}`), { languages: ['eng', 'ara'] });
    expect(mixed.text).toContain('Report');
    expect(mixed.text).toContain('مرحبا');
    expect(mixed.text).not.toMatch(/[\u200e\u200f]/);
  });
});

describe('OCR engine', () => {
  it('a job over its time limit is stopped with TIMEOUT, and the next job gets a fresh worker', async () => {
    const png = await sharp({ text: { text: 'Timeout check', dpi: 300 } }).flatten({ background: '#ffffff' }).extend({ top: 20, bottom: 20, left: 20, right: 20, background: '#ffffff' }).png().toBuffer();
    await expect(ocrImage(png, { timeoutMs: 1 })).rejects.toMatchObject({ code: 'TIMEOUT' });
    const r = await ocrImage(png);
    expect(r.text).toContain('Timeout');
  });

  it('an uninstalled language is a clear BAD_INPUT', async () => {
    const png = await sharp({ create: { width: 20, height: 20, channels: 3, background: '#fff' } }).png().toBuffer();
    await expect(ocrImage(png, { languages: ['xyz'] })).rejects.toMatchObject({ code: 'BAD_INPUT', message: expect.stringMatching(/"xyz" is not installed/) });
  });
});
