/**
 * Every PDF of ../shared/eval/pdfs through the isolated reader: each either
 * extracts or fails with a CairnError (never another exception, never a
 * hang), and the expectations of MANIFEST.tsv hold. See eval/INDEX.md.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { chunkPages } from '../../ingest/chunking.js';
import { normalizePageText } from '../../ingest/documents/normalize.js';
import type { ExtractedDocument } from '../../ingest/documents/types.js';
import { closeIsolatedReaders, readDocumentIsolated } from '../../ingest/documents/worker.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PDF_DIR = path.resolve(repoRoot, '../shared/eval/pdfs');
const MANIFEST = path.join(PDF_DIR, 'MANIFEST.tsv');

/**
 * Files whose manifest expectation pdf.js cannot meet, with the reason.
 * pdftotext renders form-widget appearance streams; pdf.js's text layer does
 * not, and this file's only text is a push-button caption ("Security
 * Handler"). It opens without a password (the point of the row), then has
 * no extractable text.
 */
const KNOWN_LIMITS: Record<string, { code: string; why: string }> = {
  'pdfjs-secHandler.pdf': { code: 'NEEDS_OCR', why: 'only text is a push-button caption in a widget appearance stream' },
};

interface Row {
  file: string;
  sha256: string;
  category: string;
  pages: number;
  password: string;
  expected: string;
}

function loadManifest(): Row[] {
  const [header, ...lines] = readFileSync(MANIFEST, 'utf8').trimEnd().split('\n');
  const cols = header!.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    const get = (name: string): string => cells[cols.indexOf(name)] ?? '';
    return { file: get('file'), sha256: get('sha256'), category: get('category'), pages: Number(get('pages') || 0), password: get('password'), expected: get('expected') };
  });
}

interface PhraseCheck {
  page: number | 'any';
  phrase: string;
  squash: (s: string) => string;
}

/** `pdftotext page N (how) contains "X"` -> a check that normalises both sides as stated. */
function phraseCheck(expected: string): PhraseCheck | undefined {
  const m = /page (\d+|any) \(([^)]*)\) contains "(.*)"$/.exec(expected);
  if (!m) return undefined;
  const how = m[2]!;
  const squash = how.includes('removed') && how.startsWith('whitespace')
    ? (s: string) => normalizePageText(s).replace(/\s+/g, '')
    : (s: string) => normalizePageText(s).replace(/\s+/g, ' ');
  return { page: m[1] === 'any' ? 'any' : Number(m[1]), phrase: m[3]!, squash };
}

/** Chunk invariants on real extracted text: exact slices of one page each, within the target. */
function expectChunksSound(doc: ExtractedDocument, file: string): void {
  const text = new Map(doc.pages.map((p) => [p.page, p.text]));
  const chunks = chunkPages(doc.pages);
  expect(chunks.length, `${file} chunks`).toBeGreaterThan(0);
  for (const c of chunks) {
    expect(c.text).toBe(text.get(c.page)!.slice(c.start, c.end));
    expect(c.text.length).toBeLessThanOrEqual(1000);
  }
}

function expectPhrase(doc: ExtractedDocument, check: PhraseCheck, file: string): void {
  const pages = check.page === 'any' ? doc.pages : doc.pages.filter((p) => p.page === check.page);
  const found = pages.some((p) => check.squash(p.text).includes(check.squash(check.phrase)));
  expect(found, `${file}: "${check.phrase}" on page ${check.page}`).toBe(true);
}

async function read(row: Row, password?: string): Promise<ExtractedDocument | CairnError> {
  const bytes = readFileSync(path.join(PDF_DIR, row.file));
  expect(createHash('sha256').update(bytes).digest('hex'), `${row.file} integrity`).toBe(row.sha256);
  try {
    return await readDocumentIsolated(bytes, { filename: row.file, password }, { timeoutMs: 30_000 });
  } catch (e) {
    // Anything but a CairnError is a bug in Cairn, whatever the file.
    expect(e, `${row.file} threw a non-CairnError`).toBeInstanceOf(CairnError);
    return e as CairnError;
  }
}

const outcomes: string[] = [];
const record = (row: Row, what: string, ms: number): void => {
  outcomes.push(`${row.category.padEnd(9)} ${row.file.padEnd(44)} ${what} (${Math.round(ms)} ms)`);
};
const describeIf = existsSync(MANIFEST) ? describe : describe.skip;
if (!existsSync(MANIFEST)) console.warn(`eval-pdfs: skipped, ${MANIFEST} not found (the shared eval set lives next to the repo, in ../shared)`);

describeIf('shared eval PDFs (MANIFEST.tsv)', () => {
  const rows = existsSync(MANIFEST) ? loadManifest() : [];

  afterAll(async () => {
    await closeIsolatedReaders();
    console.log(`eval-pdfs outcomes:\n${outcomes.join('\n')}`);
  });

  it('flags TAMReview pages 2+ (fonts without a Unicode map) as garbled, page 1 not', async () => {
    const row = rows.find((r) => r.file === 'pdfjs-TAMReview.pdf')!;
    const doc = (await read(row)) as ExtractedDocument;
    const garbled = doc.metadata.garbledPages as number[];
    expect(garbled).not.toContain(1);
    expect(garbled).toEqual(expect.arrayContaining([2, 3, 10, 20]));
  }, 60_000);

  it('includes typed AcroForm values, which pdf.js leaves out of the text layer', async () => {
    const row = rows.find((r) => r.file === 'qpdf-form-filled-by-acrobat.pdf')!;
    const doc = (await read(row)) as ExtractedDocument;
    expect(doc.pages[0]!.text).toContain('abc potato');
  }, 60_000);

  it.each(rows.map((r) => [r.file, r] as const))('%s', async (_name, row) => {
    const check = phraseCheck(row.expected);
    const known = KNOWN_LIMITS[row.file];
    const t0 = performance.now();
    const result = await read(row);
    const ms = performance.now() - t0;
    const outcome = result instanceof CairnError ? result.code : `extracted ${result.pages.length} page(s)`;
    record(row, outcome, ms);

    if (known) {
      expect(result instanceof CairnError ? result.code : 'extracted', known.why).toBe(known.code);
      return;
    }
    if (row.category === 'malformed') {
      expect(result, `${row.file} should be rejected`).toBeInstanceOf(CairnError);
      expect((result as CairnError).code).not.toMatch(/^(INTERNAL|TIMEOUT)$/);
      return;
    }
    if (row.expected.startsWith('image-only')) {
      expect(result instanceof CairnError ? result.code : outcome).toBe('NEEDS_OCR');
      expect((result as CairnError).message).toMatch(/no extractable text; needs OCR/);
      return;
    }
    if (row.expected.startsWith('requires user password')) {
      expect(result instanceof CairnError ? result.code : outcome).toBe('PDF_PASSWORD_REQUIRED');
      expect((result as CairnError).message).toContain('--password');
      const t1 = performance.now();
      const opened = await read(row, row.password);
      record(row, `with password: ${opened instanceof CairnError ? opened.code : 'extracted'}`, performance.now() - t1);
      expect(opened, `${row.file} with its password`).not.toBeInstanceOf(CairnError);
      expectPhrase(opened as ExtractedDocument, check!, row.file);
      expectChunksSound(opened as ExtractedDocument, row.file);
      return;
    }
    // Everything else (text, large, form, cjk, arabic, OCR'd scans, and
    // encrypted files that open without a password) must extract.
    expect(result, `${row.file}: ${result instanceof CairnError ? result.message : ''}`).not.toBeInstanceOf(CairnError);
    const doc = result as ExtractedDocument;
    expect(doc.pages.map((p) => p.page)).toEqual(Array.from({ length: row.pages }, (_, i) => i + 1));
    if (check) expectPhrase(doc, check, row.file);
    expectChunksSound(doc, row.file);
  }, 60_000);
});
