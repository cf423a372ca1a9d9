import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';

const run = promisify(execFile);
const pdfDir = path.resolve(import.meta.dirname, '../../../shared/eval/pdfs');
const have = async (p: string): Promise<boolean> => access(p).then(() => true, () => false);
const ready = (await have(pdfDir)) && (await have('/usr/bin/pdftotext'));
if (!ready) console.warn(`skipping citation-on-page checks: needs ${pdfDir} and poppler's /usr/bin/pdftotext`);

interface Row {
  file: string;
  page: number;
  phrase: string;
}

async function textRows(): Promise<Row[]> {
  const lines = (await readFile(path.join(pdfDir, 'MANIFEST.tsv'), 'utf8')).split('\n').slice(1);
  const rows: Row[] = [];
  for (const line of lines) {
    const cols = line.split('\t');
    const m = /^pdftotext page (\d+) \(whitespace collapsed\) contains "(.+)"$/.exec(cols[6] ?? '');
    if (m && ['text', 'form', 'large'].includes(cols[3] ?? '')) rows.push({ file: cols[0]!, page: Number(m[1]), phrase: m[2]! });
  }
  return rows;
}

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

// An independent extractor (poppler, not pdf.js) must find every quote on the page the citation names.
describe.skipIf(!ready)('citations are literally on the cited page (checked with poppler pdftotext)', () => {
  let root: string;
  let cairn: Cairn;
  let rows: Row[];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-cite-'));
    rows = await textRows();
    cairn = await Cairn.open(path.join(root, 'data'));
    const r = await cairn.ingest({ paths: rows.map((x) => path.join(pdfDir, x.file)) });
    expect(r.failed).toBe(0);
  }, 180_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('for a question built from each manifest phrase, every quote is on its page and the phrase page is cited', async () => {
    const sources = new Map((await cairn.sources()).map((s) => [s.id, s.origin]));
    let citations = 0;
    let phrasePageCited = 0;
    for (const row of rows) {
      const a = await cairn.ask({ question: `What does the document say about "${row.phrase}"?` });
      if (a.citations.some((c) => sources.get(c.sourceId)!.endsWith(row.file) && c.page === row.page)) phrasePageCited++;
      for (const c of a.citations) {
        const { stdout } = await run('pdftotext', ['-f', String(c.page), '-l', String(c.page), '-enc', 'UTF-8', sources.get(c.sourceId)!, '-']);
        expect(squash(stdout), `${c.title} p.${c.page}`).toContain(squash(c.quote));
        citations++;
      }
    }
    expect(citations).toBeGreaterThan(rows.length);
    // Manifest phrases are sentence fragments, not questions; at least half must still lead to their page
    // (measured: 6 of 10 when this test was written).
    console.info(`phrase page cited for ${phrasePageCited} of ${rows.length} manifest phrases; ${citations} quotes all found on their page by pdftotext`);
    expect(phrasePageCited / rows.length).toBeGreaterThanOrEqual(0.5);
  }, 180_000);
});
