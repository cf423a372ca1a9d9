/**
 * `npm run bench -- ocr`: OCR pages per minute, in the same run:
 * - baseline: tesseract.js alone, one recognize() of each image as given
 *   (same worker, same English data), no preprocessing;
 * - Cairn's OCR (ocrImage: decode with sharp, greyscale, orientation search,
 *   word boxes mapped back to the displayed image);
 * - scanned PDFs through the whole ingest (page rendering, OCR, chunking,
 *   embedding, LanceDB write, audit), pages per minute.
 * Images: the English fixtures of ../shared/eval/imagery/ocr; PDFs: the
 * English image-only scans of ../shared/eval/pdfs (MANIFEST.tsv). Worker
 * start-up is paid once before timing.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ocrImage, shutdownOcr } from '../../ingest/imagery/index.js';
import { withWorker } from '../../ingest/imagery/ocr-engine.js';
import { Cairn } from '../../main/api/cairn.js';

export interface OcrBenchResult {
  images: number;
  tesseractPagesPerMinute: number;
  cairnOcrPagesPerMinute: number;
  /** Cairn's OCR speed over tesseract.js alone (below 1: orientation search and box mapping cost this much). */
  cairnVsTesseract: number;
  scannedPdfPages: number;
  scannedPdfIngestPagesPerMinute: number | null;
  /** Scanned PDFs the ingest refused (e.g. an OCR time limit), with the reason; their pages are not counted. */
  scannedPdfFailures: { file: string; error: string }[];
}

const perMinute = (pages: number, ms: number): number => +((pages / ms) * 60_000).toFixed(1);

async function scannedPdfs(sharedDir: string): Promise<{ file: string; pages: number }[]> {
  const dir = path.join(sharedDir, 'eval', 'pdfs');
  let manifest: string;
  try {
    manifest = await readFile(path.join(dir, 'MANIFEST.tsv'), 'utf8');
  } catch {
    return [];
  }
  return manifest
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split('\t'))
    .filter((r) => r[3] === 'scanned' && /needs OCR; tesseract 5 \(eng/.test(r[6] ?? ''))
    .map((r) => ({ file: path.join(dir, r[0]!), pages: Number(r[4]) }));
}

export async function benchOcr(sharedDir: string, out = 'bench-ocr.json'): Promise<OcrBenchResult | null> {
  const dir = path.join(sharedDir, 'eval', 'imagery', 'ocr');
  let files: string[];
  try {
    // English fixtures only (chinese.png needs chi_tra, not installed).
    files = readdirSync(dir).filter((f) => /\.(png|jpe?g|tiff?)$/i.test(f) && !f.startsWith('chinese')).sort();
  } catch {
    console.log(`ocr: skipped, ${dir} not found`);
    return null;
  }
  const images = await Promise.all(files.map(async (f) => ({ file: f, bytes: new Uint8Array(await readFile(path.join(dir, f))) })));
  try {
    // Warm-up: worker start and language data load, not counted.
    await withWorker(['eng'], 120_000, (w) => w.recognize(Buffer.from(images[0]!.bytes)));

    let t = performance.now();
    for (const img of images) await withWorker(['eng'], 120_000, (w) => w.recognize(Buffer.from(img.bytes)));
    const tesseractMs = performance.now() - t;

    t = performance.now();
    for (const img of images) await ocrImage(img.bytes, { filename: img.file });
    const cairnMs = performance.now() - t;

    const pdfs = await scannedPdfs(sharedDir);
    let pdfPages = 0;
    let pdfMs: number | null = null;
    const failures: { file: string; error: string }[] = [];
    if (pdfs.length) {
      const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-ocr-'));
      try {
        const cairn = await Cairn.open(work, { actor: 'bench' });
        t = performance.now();
        const summary = await cairn.ingest({ paths: pdfs.map((p) => p.file) });
        pdfMs = performance.now() - t;
        // The time covers every file; only pages of files that were read count, so a refusal lowers the rate.
        for (const [i, f] of summary.files.entries()) {
          if (f.status === 'failed') failures.push({ file: path.basename(f.file), error: f.error?.message ?? '' });
          else pdfPages += pdfs[i]!.pages;
        }
      } finally {
        await rm(work, { recursive: true, force: true });
      }
    }

    const result: OcrBenchResult = {
      images: images.length,
      tesseractPagesPerMinute: perMinute(images.length, tesseractMs),
      cairnOcrPagesPerMinute: perMinute(images.length, cairnMs),
      cairnVsTesseract: +(tesseractMs / cairnMs).toFixed(2),
      scannedPdfPages: pdfPages,
      scannedPdfIngestPagesPerMinute: pdfMs === null ? null : perMinute(pdfPages, pdfMs),
      scannedPdfFailures: failures,
    };
    console.log(`ocr: ${result.images} English page images, ${pdfs.length} scanned PDFs (${pdfPages} pages read)`);
    console.log(`  tesseract.js alone        ${result.tesseractPagesPerMinute} pages/min`);
    console.log(`  cairn OCR (ocrImage)      ${result.cairnOcrPagesPerMinute} pages/min  (${result.cairnVsTesseract}x tesseract.js alone)`);
    console.log(`  scanned PDF full ingest   ${result.scannedPdfIngestPagesPerMinute ?? 'skipped'} pages/min`);
    for (const f of failures) console.log(`    refused: ${f.file}: ${f.error}`);
    await writeFile(out, JSON.stringify(result, null, 2));
    return result;
  } finally {
    await shutdownOcr();
  }
}

if (import.meta.filename === process.argv[1]) {
  await benchOcr(path.resolve(import.meta.dirname, '../../../shared'));
}
