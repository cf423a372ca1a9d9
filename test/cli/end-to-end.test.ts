import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../../ingest/documents/index.js';
import type { AnswerOutput, SearchOutput } from '../../main/api/contract.js';
import { runCli } from '../../main/cli/index.js';
import type { IngestSummary } from '../../ingest/pipeline.js';
import { type DemoCorpus, makeDemoCorpus } from '../../scripts/demo/make-corpus.js';

/** Runs `cairn --data DIR ...args` in-process and captures what a terminal would see. */
async function cairn(dataDir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['node', 'cairn', '--data', dataDir, ...args], { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

describe('cairn end to end: ingest -> search -> ask -> audit (real files, real LanceDB)', () => {
  let root: string;
  let data: string;
  let corpus: DemoCorpus;
  let summary: IngestSummary;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-e2e-'));
    data = path.join(root, 'data');
    corpus = await makeDemoCorpus(path.join(root, 'corpus'));
    // Bad inputs in the same batch: each fails alone, the rest goes on.
    await writeFile(path.join(root, 'corpus', 'empty.txt'), '');
    await writeFile(path.join(root, 'corpus', 'corrupt.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >>\ngarbage');
    // An ELF executable header: binary, and no format Cairn reads.
    await writeFile(path.join(root, 'corpus', 'binary.dat'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0]));
    const r = await cairn(data, 'ingest', path.join(root, 'corpus'), '--json');
    summary = JSON.parse(r.out) as IngestSummary;
    expect(r.code).toBe(1); // some files failed: exit 1, summary still printed
  }, 120_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('ingests every good file and the e-mail attachment as its own source', async () => {
    const ok = summary.files.filter((f) => f.status === 'ingested').map((f) => path.basename(f.file));
    for (const f of corpus.files) expect(ok).toContain(path.basename(f));
    const email = summary.files.find((f) => f.file.endsWith('.eml'))!;
    expect(email.attachments?.[0]?.status).toBe('ingested');
    const sources = JSON.parse((await cairn(data, 'sources', '--json')).out) as { id: string; parentId: string; title: string }[];
    const attachment = sources.find((s) => s.parentId === email.sourceId);
    expect(attachment).toBeDefined();
  });

  it('reports each bad file with a reason and writes nothing for it', () => {
    const failed = Object.fromEntries(summary.files.filter((f) => f.status === 'failed').map((f) => [path.basename(f.file), f.error?.code]));
    expect(failed).toEqual({ 'empty.txt': 'EMPTY_FILE', 'corrupt.pdf': 'PDF_INVALID', 'binary.dat': 'UNSUPPORTED_TYPE' });
    expect(summary.failed).toBe(3);
  });

  it('is a no-op to ingest the same bytes again', async () => {
    const again = JSON.parse((await cairn(data, 'ingest', ...corpus.files, '--json')).out) as IngestSummary;
    expect(again.ingested).toBe(0);
    expect(again.files.every((f) => f.status === 'exists')).toBe(true);
  });

  it('search returns ranked chunks with locators', async () => {
    const r = JSON.parse((await cairn(data, 'search', 'Tessaly Dawn arrival Port Halcyra', '--json', '--k', '5')).out) as SearchOutput;
    expect(r.hits.length).toBeGreaterThan(0);
    expect(r.hits[0]!.rank).toBe(1);
    expect(r.hits[0]!.locator.page).toBeGreaterThanOrEqual(1);
    expect(r.hits[0]!.locator.end).toBeGreaterThan(r.hits[0]!.locator.start);
  });

  it.each([0, 1, 2])('answers demo question %i with a citation whose quote is literally on the cited page', async (i) => {
    const fact = corpus.expected[i]!;
    const r = await cairn(data, 'ask', fact.question, '--json');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out) as AnswerOutput;
    expect(a.answer).toContain(fact.mustContain);
    expect(a.banner).toBe('UNCLASSIFIED');
    expect(a.auditId).toMatch(/^[0-9a-f]{64}$/);
    const sources = JSON.parse((await cairn(data, 'sources', '--json')).out) as { id: string; origin: string }[];
    const first = a.sentences.find((s) => s.text.includes(fact.mustContain))!.citations[0]!;
    expect(sources.find((s) => s.id === first.sourceId)!.origin).toBe(fact.origin);
    if (fact.page) expect(first.page).toBe(fact.page);
    // Re-extract the cited file independently and check the quote is there, at the offsets given.
    for (const c of a.citations) {
      const src = sources.find((s) => s.id === c.sourceId)!;
      if (src.origin.includes('#')) continue; // attachments have no file of their own on disk
      const doc = await readDocument(await readFile(src.origin), { filename: path.basename(src.origin) });
      const page = doc.pages.find((p) => p.page === c.page)!;
      expect(page.text.slice(c.start, c.end)).toBe(c.quote);
    }
  });

  it('says plainly when nothing relevant is loaded, and cites nothing', async () => {
    const a = JSON.parse((await cairn(data, 'ask', 'What is the boiling point of liquid nitrogen at sea level?', '--json')).out) as AnswerOutput;
    expect(a.citations).toEqual([]);
    expect(a.sentences).toEqual([]);
    expect(a.answer).toMatch(/no relevant/i);
  });

  it('records every step in an audit log that verifies, and detects tampering', async () => {
    const verify = await cairn(data, 'audit', 'verify');
    expect(verify.code).toBe(0);
    const show = JSON.parse((await cairn(data, 'audit', 'show', '--json')).out) as { action: string; payload: { question?: string } }[];
    expect(show.filter((r) => r.action === 'ingest').length).toBeGreaterThanOrEqual(6);
    expect(show.filter((r) => r.action === 'ingest.failed').length).toBeGreaterThanOrEqual(3);
    expect(show.some((r) => r.action === 'ask' && r.payload.question === corpus.questions[0])).toBe(true);

    const log = path.join(data, 'audit', 'log.jsonl');
    const original = await readFile(log, 'utf8');
    await writeFile(log, original.replace(corpus.questions[0]!, 'When did something else happen?'));
    const broken = await cairn(data, 'audit', 'verify');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/line \d+/);
    await writeFile(log, original);
  });

  it('exits 1 with a message that says what to do for a user error', async () => {
    const r = await cairn(data, 'ingest', path.join(root, 'does-not-exist.pdf'));
    expect(r.code).toBe(1);
    expect(r.err).toContain('does-not-exist.pdf');
    const m = await cairn(data, 'ingest', corpus.files[0]!, '--marking', 'SUPER SECRET');
    expect(m.code).toBe(1);
    expect(m.err).toMatch(/level/i);
  });
});
