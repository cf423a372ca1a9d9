/**
 * `npm run bench [-- SECTION ...]`: performance figures, each against a
 * baseline measured in the same run. Sections: search (hybrid vs LanceDB
 * full text on scifact), pdf (ingest pages/s vs pdftotext), scale (latency
 * and memory at 10k/100k/1M chunks, flat vs ANN; long: pass `scale` to run
 * it, or `scale --sizes 10000,100000`), ocr (pages/min vs tesseract.js
 * alone), sensors (lines/s vs reading the lines), ann (the store size past
 * which a trained embedder's chunks get the IVF-PQ index: flat scan vs ANN
 * latency, build time and recall per size on clustered synthetic vectors;
 * ~10 minutes: pass `ann`, or `ann --sizes 5000,10000 --dim 768`; see
 * scripts/bench/ann-threshold.ts). Default: all but scale and ann. Results
 * are printed and written as JSON under bench-results/.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { benchAnnThreshold } from './bench/ann-threshold.js';
import { benchPdf } from './bench/pdf-ingest.js';
import { benchScale } from './bench/scale.js';
import { benchSearch } from './bench/search.js';
import { benchOcr } from './bench/ocr.js';
import { benchSensors } from './bench/sensors.js';

const shared = path.resolve(import.meta.dirname, '../../shared');
const out = path.resolve(import.meta.dirname, '../bench-results');
await mkdir(out, { recursive: true });

const [section, ...rest] = process.argv.slice(2);
const sections: Record<string, () => Promise<unknown>> = {
  search: () => benchSearch(shared),
  pdf: () => benchPdf(shared, path.join(out, 'pdf.json')),
  ocr: () => benchOcr(shared, path.join(out, 'ocr.json')),
  sensors: () => benchSensors(shared, path.join(out, 'sensors.json')),
  scale: () => benchScale([...rest, ...(rest.includes('--out') ? [] : ['--out', path.join(out, 'scale.json')])]),
  ann: () => benchAnnThreshold([...rest, ...(rest.includes('--out') ? [] : ['--out', path.join(out, 'ann.json')])]),
};
const chosen = section ? [section] : ['search', 'pdf', 'ocr', 'sensors'];
for (const name of chosen) {
  const run = sections[name];
  if (!run) {
    console.error(`unknown bench section ${JSON.stringify(name)}; choose from: ${Object.keys(sections).join(', ')}`);
    process.exit(2);
  }
  await run();
}
