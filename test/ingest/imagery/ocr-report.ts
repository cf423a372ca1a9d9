/**
 * OCR benchmark over every ../shared/eval/imagery/ocr fixture: character
 * error rate against its transcript, confidence, rotation found, time, and
 * pages per minute. A report, not a test (no thresholds):
 *
 *   npx tsx test/ingest/imagery/ocr-report.ts [--json]
 *
 * Fixtures whose language data is not installed (chinese.png needs chi_tra)
 * are listed as skipped.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { installedLanguages, ocrImage, shutdownOcr } from '../../../ingest/imagery/index.js';
import { cer, IMAGERY } from './fixtures.js';

const LANGUAGES: Record<string, string[]> = { 'chinese.png': ['chi_tra'] };

interface Row {
  file: string;
  languages: string[];
  cer: number | null;
  meanConfidence: number | null;
  lowConfidenceShare: number | null;
  rotation: number | null;
  ms: number | null;
  note?: string;
}

async function main(): Promise<void> {
  const dir = path.join(IMAGERY, 'ocr');
  if (!existsSync(dir)) {
    console.error(`ocr-report: ${dir} not found (the shared eval set lives beside the repo)`);
    process.exitCode = 1;
    return;
  }
  const files = readdirSync(dir).filter((f) => /\.(png|jpe?g|tiff?|webp|gif)$/i.test(f)).sort();
  const rows: Row[] = [];
  const t0 = performance.now();
  // Start-up (worker + language data) measured apart from page times.
  const warm = performance.now();
  await ocrImage(readFileSync(path.join(dir, 'simple-90.jpg')), { filename: 'warm-up' }).catch(() => null);
  const startupMs = Math.round(performance.now() - warm);
  let pages = 0;
  let pageMs = 0;
  for (const file of files) {
    const languages = LANGUAGES[file] ?? ['eng'];
    const gtPath = path.join(dir, file.replace(/\.[a-z]+$/i, '.gt.txt'));
    if (installedLanguages(languages).length !== languages.length) {
      rows.push({ file, languages, cer: null, meanConfidence: null, lowConfidenceShare: null, rotation: null, ms: null, note: `skipped: ${languages.join('+')} data not installed` });
      continue;
    }
    const r = await ocrImage(readFileSync(path.join(dir, file)), { filename: file, languages });
    pages++;
    pageMs += r.ms;
    rows.push({
      file,
      languages,
      cer: existsSync(gtPath) ? Math.round(cer(r.text, readFileSync(gtPath, 'utf8')) * 1000) / 1000 : null,
      meanConfidence: r.meanConfidence,
      lowConfidenceShare: r.lowConfidenceShare,
      rotation: r.rotation,
      ms: r.ms,
    });
  }
  await shutdownOcr();
  const summary = { pages, pagesPerMinute: pageMs ? Math.round((pages / pageMs) * 60_000 * 10) / 10 : 0, startupMs, totalMs: Math.round(performance.now() - t0) };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ rows, summary }, null, 2));
    return;
  }
  console.log('file                          lang      CER    conf  low   rot   ms');
  for (const r of rows) {
    if (r.note) console.log(`${r.file.padEnd(30)}${r.languages.join('+').padEnd(10)}${r.note}`);
    else console.log(`${r.file.padEnd(30)}${r.languages.join('+').padEnd(10)}${String(r.cer).padEnd(7)}${String(r.meanConfidence).padEnd(6)}${String(r.lowConfidenceShare).padEnd(6)}${String(r.rotation).padEnd(6)}${r.ms}`);
  }
  console.log(`\n${summary.pages} pages, ${summary.pagesPerMinute} pages/minute (worker start-up ${summary.startupMs} ms, not counted), total ${summary.totalMs} ms`);
}

await main();
