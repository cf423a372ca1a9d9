/**
 * OCR with tesseract.js, offline (see ocr-engine.ts). The image is decoded
 * by sharp (pixel limit, EXIF orientation applied, flattened to grey) and
 * handed to tesseract as PNG. Orientation: tesseract's OSD needs
 * osd.traineddata and the legacy engine, neither shipped, so when the upright
 * pass reads poorly the other three right-angle rotations are tried (on a
 * copy at most PROBE_SIDE px long) and the one read with the best mean word
 * confidence wins (skipped when the upright read is confident, >= 75, or
 * finds no word at all, as on a photo). Every bbox is mapped back to the
 * image as displayed.
 */

import sharp, { type Metadata } from 'sharp';
import type Tesseract from 'tesseract.js';
import { CairnError } from '../../main/core/errors.js';
import type { BBox } from '../../main/core/types.js';
import { detectImageFormat } from './detect.js';
import { withWorker, type OcrWorker } from './ocr-engine.js';
import type { OcrLine, OcrResult, OcrRotation, OcrWord } from './types.js';

export interface OcrOptions {
  /** Tesseract language codes with an installed @tesseract.js-data package; default ['eng']. */
  languages?: string[];
  /** For error messages. */
  filename?: string;
  /** Refuse images over this many pixels before decoding (default 100 megapixels). */
  maxPixels?: number;
  /** 'auto' (default) tries right-angle rotations when the upright read is poor; a number forces one. */
  rotation?: 'auto' | OcrRotation;
  /** Time limit for the whole call, ms (default 120 s). */
  timeoutMs?: number;
  /**
   * Page layout analysis: 'page' (default; columns and zones, tesseract PSM 3 as its CLI uses),
   * 'block' (one uniform block of text, PSM 6: tables, single paragraphs),
   * 'sparse' (scattered text in no order, PSM 11: photos of signs, screens, maps).
   */
  layout?: 'page' | 'block' | 'sparse';
}

const PSM_OF = { page: '3', block: '6', sparse: '11' } as const;

export const DEFAULT_MAX_PIXELS = 100_000_000;
/** An upright read at or above this mean word confidence is kept without trying rotations. */
export const ACCEPT_CONFIDENCE = 75;
/** A rotation replaces upright only when its mean confidence is this much higher. */
const SWITCH_MARGIN = 10;
/** Rotation probes run on a copy whose long side is at most this. */
const PROBE_SIDE = 1400;
/** Larger images are downscaled for OCR (bboxes are scaled back). */
const OCR_MAX_PIXELS = 40_000_000;
const LOW_CONFIDENCE = 60;

interface Grey {
  data: Buffer;
  width: number;
  height: number;
  /** Pixels per inch of this buffer (tesseract warns and guesses 70 when a PNG states none). */
  density: number;
}

interface Read {
  words: OcrWord[];
  lines: OcrLine[];
  text: string;
  meanConfidence: number;
}

async function decode(bytes: Uint8Array, filename: string, maxPixels: number): Promise<{ grey: Grey; width: number; height: number }> {
  // Raster formats only, from the magic bytes: SVG/XML never reaches a decoder.
  detectImageFormat(bytes, filename);
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${filename} is not a readable image: ${firstLine(e)}`, { input: filename, cause: e });
  }
  const pixels = (meta.width ?? 0) * (meta.height ?? 0);
  if (pixels > maxPixels) throw tooLarge(filename, meta.width ?? 0, meta.height ?? 0, maxPixels);
  try {
    const upright = sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).rotate().flatten({ background: '#ffffff' }).greyscale();
    let { data, info } = await upright.raw().toBuffer({ resolveWithObject: true });
    const width = info.width;
    const height = info.height;
    let density = Math.min(2400, Math.max(70, meta.density ?? 300));
    if (width * height > OCR_MAX_PIXELS) {
      const s = Math.sqrt(OCR_MAX_PIXELS / (width * height));
      ({ data, info } = await sharp(data, { raw: { width, height, channels: 1 } }).resize(Math.round(width * s), Math.round(height * s)).raw().toBuffer({ resolveWithObject: true }));
      density = Math.max(70, density * s);
    }
    return { grey: { data, width: info.width, height: info.height, density }, width, height };
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${filename} could not be decoded for OCR: ${firstLine(e)}`, { input: filename, cause: e });
  }
}

const firstLine = (e: unknown): string => (e instanceof Error ? e.message : String(e)).split('\n')[0]!.slice(0, 300);

export function tooLarge(filename: string, width: number, height: number, maxPixels: number): CairnError {
  const limit = maxPixels >= 1e6 ? `${Number((maxPixels / 1e6).toFixed(1))}-megapixel` : `${maxPixels}-pixel`;
  return new CairnError('TOO_LARGE', `${filename} is ${width} x ${height} pixels (${((width * height) / 1e6).toFixed(1)} megapixels), over the ${limit} limit; refused before decoding`, { input: filename });
}

async function png(grey: Grey, rotation: OcrRotation, maxSide = Infinity): Promise<{ png: Buffer; scale: number }> {
  let img = sharp(grey.data, { raw: { width: grey.width, height: grey.height, channels: 1 } });
  let scale = 1;
  const long = Math.max(grey.width, grey.height);
  if (long > maxSide) {
    scale = maxSide / long;
    img = sharp(await img.resize(Math.round(grey.width * scale), Math.round(grey.height * scale)).raw().toBuffer(), {
      raw: { width: Math.round(grey.width * scale), height: Math.round(grey.height * scale), channels: 1 },
    });
  }
  const density = Math.max(70, Math.round(grey.density * scale));
  return { png: await img.rotate(rotation).withMetadata({ density }).png({ compressionLevel: 1 }).toBuffer(), scale };
}

/** Maps a bbox in the rotated image back to the upright image of size w x h (clockwise rotation). */
export function unrotate(b: BBox, rotation: OcrRotation, w: number, h: number): BBox {
  const [u0, v0, u1, v1] = b;
  switch (rotation) {
    case 0:
      return [u0, v0, u1, v1];
    case 90:
      return [v0, h - u1, v1, h - u0];
    case 180:
      return [w - u1, h - v1, w - u0, h - v0];
    case 270:
      return [w - v1, u0, w - v0, u1];
  }
}

function collect(page: Tesseract.Page, map: (b: Tesseract.Bbox) => BBox): Read {
  const words: OcrWord[] = [];
  const lines: OcrLine[] = [];
  let text = '';
  let sum = 0;
  (page.blocks ?? []).forEach((block, bi) => {
    block.paragraphs.forEach((para, pi) => {
      for (const line of para.lines) {
        const ws = line.words.map((w) => ({ w, text: clean(w.text) })).filter((x) => x.text !== '');
        if (ws.length === 0) continue;
        const wordStart = words.length;
        for (const { w, text: t } of ws) {
          words.push({ text: t, bbox: map(w.bbox), confidence: round1(w.confidence) });
          sum += w.confidence;
        }
        const lineText = words.slice(wordStart).map((w) => w.text).join(' ');
        const prev = lines[lines.length - 1];
        if (prev) text += prev.block !== bi || prev.paragraph !== pi ? '\n\n' : '\n';
        const start = text.length;
        text += lineText;
        lines.push({ text: lineText, bbox: map(line.bbox), confidence: round1(line.confidence), block: bi, paragraph: pi, wordStart, wordEnd: words.length, start, end: text.length });
      }
    });
  });
  return { words, lines, text, meanConfidence: words.length ? round1(sum / words.length) : 0 };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
/** Tesseract wraps mixed-direction words in bidi marks (LRM/RLM, embeddings, isolates); they are not text. */
const clean = (t: string): string => t.replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();

async function recognise(worker: OcrWorker, image: Buffer): Promise<Tesseract.Page> {
  try {
    return await worker.recognize(image);
  } catch (e) {
    if (e instanceof CairnError) throw e;
    throw new CairnError('PARSE_FAILED', `OCR failed: ${firstLine(e)}`, { cause: e });
  }
}

/** OCR of one image (first page/frame). Throws CairnError TOO_LARGE, PARSE_FAILED, BAD_INPUT (language), TIMEOUT. */
export async function ocrImage(bytes: Uint8Array, opts: OcrOptions = {}): Promise<OcrResult> {
  const t0 = performance.now();
  const filename = opts.filename ?? 'image';
  const languages = opts.languages?.length ? [...opts.languages] : ['eng'];
  const { grey, width, height } = await decode(bytes, filename, opts.maxPixels ?? DEFAULT_MAX_PIXELS);
  // OCR pixels -> displayed pixels
  const toDisplay = (b: BBox, rotation: OcrRotation, scale: number, w: number, h: number): BBox => {
    const [x0, y0, x1, y1] = unrotate(b, rotation, w, h);
    const k = (width / grey.width) / scale;
    const cx = (v: number): number => Math.max(0, Math.min(width, Math.round(v * k)));
    const cy = (v: number): number => Math.max(0, Math.min(height, Math.round(v * (height / grey.height) / scale)));
    return [cx(x0), cy(y0), cx(x1), cy(y1)];
  };
  const readAt = async (worker: OcrWorker, rotation: OcrRotation, maxSide = Infinity): Promise<Read & { rotation: OcrRotation; scaled: boolean }> => {
    const { png: image, scale } = await png(grey, rotation, maxSide);
    const w = Math.round(grey.width * scale);
    const h = Math.round(grey.height * scale);
    const page = await recognise(worker, image);
    const read = collect(page, (b) => toDisplay([b.x0, b.y0, b.x1, b.y1], rotation, scale, w, h));
    return { ...read, rotation, scaled: scale !== 1 };
  };

  const best = await withWorker(languages, opts.timeoutMs ?? 120_000, async (worker) => {
    await worker.setParameters({ tessedit_pageseg_mode: PSM_OF[opts.layout ?? 'page'] as Tesseract.PSM });
    const forced = opts.rotation ?? 'auto';
    if (forced !== 'auto') return readAt(worker, forced);
    const upright = await readAt(worker, 0);
    // Confident, or no text at all (a photo): rotations would only cost time.
    if (upright.meanConfidence >= ACCEPT_CONFIDENCE || upright.words.length === 0) return upright;
    const small = Math.max(grey.width, grey.height) <= PROBE_SIDE;
    const probes = [small ? upright : await readAt(worker, 0, PROBE_SIDE)];
    for (const r of [90, 180, 270] as const) {
      const probe = await readAt(worker, r, PROBE_SIDE);
      probes.push(probe);
      // A clear winner ends the search early (each probe costs about one upright read).
      if (probe.meanConfidence >= ACCEPT_CONFIDENCE && probe.meanConfidence >= probes[0]!.meanConfidence + SWITCH_MARGIN) break;
    }
    const winner = probes.reduce((a, b) => (b.meanConfidence > a.meanConfidence ? b : a));
    if (winner.rotation === 0 || winner.meanConfidence < probes[0]!.meanConfidence + SWITCH_MARGIN) return upright;
    return winner.scaled ? readAt(worker, winner.rotation) : winner;
  });

  const low = best.words.filter((w) => w.confidence < LOW_CONFIDENCE).length;
  return {
    text: best.text,
    words: best.words,
    lines: best.lines,
    meanConfidence: best.meanConfidence,
    lowConfidenceShare: best.words.length ? Math.round((low / best.words.length) * 1000) / 1000 : 0,
    rotation: best.rotation,
    languages,
    width,
    height,
    ms: Math.round(performance.now() - t0),
  };
}
