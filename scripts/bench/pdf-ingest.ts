/**
 * `npm run bench -- pdf`: text-PDF ingest speed in pages per second against
 * poppler's `pdftotext` on the same files in the same run. Two Cairn figures:
 * text extraction alone (pdf-parse/pdf.js, the reader ingest uses) and the
 * whole ingest (worker-isolated read, chunking, embedding, LanceDB write,
 * audit). Files: the text and large PDFs of ../shared/eval/pdfs (MANIFEST.tsv).
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readPdf } from '../../ingest/documents/pdf.js';
import { Cairn } from '../../main/api/cairn.js';

export interface PdfBenchResult {
  files: number;
  pages: number;
  pdftotextPagesPerSecond: number;
  extractPagesPerSecond: number;
  ingestPagesPerSecond: number;
  /** Cairn's full ingest speed over pdftotext's: the issue's target is at least 0.5. */
  ingestVsPdftotext: number;
  extractVsPdftotext: number;
}

export async function benchPdf(sharedDir: string, out = 'bench-pdf.json'): Promise<PdfBenchResult | null> {
  const dir = path.join(sharedDir, 'eval', 'pdfs');
  let manifest: string;
  try {
    manifest = await readFile(path.join(dir, 'MANIFEST.tsv'), 'utf8');
  } catch {
    console.log(`pdf: skipped, ${dir}/MANIFEST.tsv not found`);
    return null;
  }
  if (spawnSync('pdftotext', ['-v']).error) {
    console.log('pdf: skipped, pdftotext (poppler-utils) is not installed');
    return null;
  }
  const rows = manifest.trim().split('\n').slice(1).map((l) => l.split('\t'));
  const files = rows.filter((r) => r[3] === 'text' || r[3] === 'large').map((r) => ({ file: path.join(dir, r[0]!), pages: Number(r[4]) }));
  const pages = files.reduce((s, f) => s + f.pages, 0);

  let t = performance.now();
  for (const f of files) {
    const r = spawnSync('pdftotext', ['-enc', 'UTF-8', f.file, '-'], { maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`pdftotext failed on ${f.file}`);
  }
  const popplerS = (performance.now() - t) / 1000;

  t = performance.now();
  for (const f of files) await readPdf(new Uint8Array(await readFile(f.file)), { filename: path.basename(f.file) });
  const extractS = (performance.now() - t) / 1000;

  const work = await mkdtemp(path.join(os.tmpdir(), 'cairn-bench-pdf-'));
  try {
    const cairn = await Cairn.open(work, { actor: 'bench' });
    t = performance.now();
    const summary = await cairn.ingest({ paths: files.map((f) => f.file) });
    const ingestS = (performance.now() - t) / 1000;
    const failed = summary.files.filter((x) => x.status === 'failed');
    if (failed.length) throw new Error(`ingest failed: ${failed.map((x) => `${x.file}: ${x.error?.message ?? ''}`).join('; ')}`);
    const result: PdfBenchResult = {
      files: files.length,
      pages,
      pdftotextPagesPerSecond: +(pages / popplerS).toFixed(1),
      extractPagesPerSecond: +(pages / extractS).toFixed(1),
      ingestPagesPerSecond: +(pages / ingestS).toFixed(1),
      ingestVsPdftotext: +(popplerS / ingestS).toFixed(2),
      extractVsPdftotext: +(popplerS / extractS).toFixed(2),
    };
    console.log(`pdf: ${result.files} text PDFs, ${pages} pages`);
    console.log(`  pdftotext            ${result.pdftotextPagesPerSecond} pages/s`);
    console.log(`  cairn extract only   ${result.extractPagesPerSecond} pages/s  (${result.extractVsPdftotext}x pdftotext)`);
    console.log(`  cairn full ingest    ${result.ingestPagesPerSecond} pages/s  (${result.ingestVsPdftotext}x pdftotext; target >= 0.5x)`);
    await writeFile(out, JSON.stringify(result, null, 2));
    return result;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.filename === process.argv[1]) {
  await benchPdf(path.resolve(import.meta.dirname, '../../../shared'));
}
