import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Parser } from 'htmlparser2';
import { simpleParser } from 'mailparser';
import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeExtractive } from '../../main/agent/extractive.js';
import type { ScoredChunk } from '../../main/core/types.js';
import { EXERCISE_BANNER, makeDemoCorpus, type DemoCorpus, type ExpectedFact } from '../../scripts/demo/make-corpus.js';

/** Text of one source (a file, or an attachment as `file#name`), per page. */
interface SourceText {
  origin: string;
  pages: string[];
}

let root: string;
let dir: string;
let corpus: DemoCorpus;
let elapsedMs: number;
const sources = new Map<string, SourceText>();

const byName = (name: string): string => {
  const f = corpus.files.find((p) => path.basename(p) === name);
  if (!f) throw new Error(`no file ${name}`);
  return f;
};
const ext = (e: string): string[] => corpus.files.filter((f) => f.endsWith(e));
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

async function pdfPages(data: Buffer): Promise<{ pages: string[]; title: unknown }> {
  const p = new PDFParse({ data });
  try {
    const r = await p.getText();
    const info = await p.getInfo();
    return { pages: r.pages.map((pg) => pg.text), title: (info.info as Record<string, unknown> | undefined)?.Title };
  } finally {
    await p.destroy();
  }
}

/** Visible text of an HTML page: what a reader should index (no script, no style). */
function htmlText(html: string): { text: string; title: string } {
  let skip = 0;
  let inTitle = false;
  let title = '';
  const out: string[] = [];
  const parser = new Parser({
    onopentag(name) {
      if (name === 'script' || name === 'style') skip++;
      if (name === 'title') inTitle = true;
    },
    onclosetag(name) {
      if (name === 'script' || name === 'style') skip--;
      if (name === 'title') inTitle = false;
      if (['p', 'li', 'h1', 'h2', 'title'].includes(name)) out.push('\n');
    },
    ontext(t) {
      if (inTitle) title += t;
      else if (skip === 0) out.push(t);
    },
  });
  parser.write(html);
  parser.end();
  return { text: out.join(''), title: norm(title) };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'cairn-corpus-test-'));
  dir = path.join(root, 'corpus');
  const t0 = performance.now();
  corpus = await makeDemoCorpus(dir);
  elapsedMs = performance.now() - t0;

  // Extract every source's text with the same libraries the readers use.
  for (const f of ext('.pdf')) sources.set(f, { origin: f, pages: (await pdfPages(await readFile(f))).pages });
  for (const f of ext('.html')) sources.set(f, { origin: f, pages: [htmlText(await readFile(f, 'utf8')).text] });
  for (const f of ext('.docx')) sources.set(f, { origin: f, pages: [(await mammoth.extractRawText({ path: f })).value] });
  for (const f of ext('.eml')) {
    const mail = await simpleParser(await readFile(f));
    sources.set(f, { origin: f, pages: [mail.text ?? ''] });
    for (const a of mail.attachments) {
      const origin = `${f}#${a.filename}`;
      sources.set(origin, { origin, pages: [a.content.toString('utf8')] });
    }
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const allFacts = (): ExpectedFact[] => [...corpus.expected, ...corpus.extra];

describe('makeDemoCorpus: files', () => {
  it('writes five files quickly and returns three questions matching the expectations', () => {
    expect(corpus.files).toHaveLength(5);
    expect(corpus.files.every((f) => path.dirname(f) === dir)).toBe(true);
    expect(corpus.questions).toHaveLength(3);
    expect(corpus.expected.map((e) => e.question)).toEqual(corpus.questions);
    expect(elapsedMs).toBeLessThan(2000);
  });

  it('questions span a PDF, an e-mail attachment and the HTML bulletin', () => {
    const kinds = corpus.expected.map((e) => (e.attachment ? 'attachment' : path.extname(e.file)));
    expect(kinds).toEqual(expect.arrayContaining(['.pdf', 'attachment', '.html']));
    for (const e of allFacts()) {
      expect(corpus.files).toContain(e.file);
      expect(e.origin).toBe(e.attachment ? `${e.file}#${e.attachment}` : e.file);
      expect(e.sentence).toContain(e.mustContain);
    }
  });

  it('has the right magic bytes for each format', async () => {
    for (const f of ext('.pdf')) expect((await readFile(f)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const f of ext('.docx')) expect([...(await readFile(f)).subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    for (const f of ext('.html')) expect((await readFile(f, 'utf8')).slice(0, 200)).toMatch(/<html[\s>]/i);
    for (const f of ext('.eml')) {
      const head = (await readFile(f, 'utf8')).split(/\r?\n\r?\n/)[0] ?? '';
      for (const h of ['From', 'To', 'Date', 'Subject', 'Message-ID', 'MIME-Version', 'Content-Type']) expect(head).toMatch(new RegExp(`^${h}: `, 'm'));
    }
  });

  it('every document, and the attachment, says it is a fictional exercise', () => {
    expect(sources.size).toBe(6);
    for (const s of sources.values()) expect(norm(s.pages.join('\n')), s.origin).toContain(EXERCISE_BANNER);
  });

  it('is byte-identical from run to run', async () => {
    await new Promise((r) => setTimeout(r, 1100)); // a later second: catches any clock-stamped field
    const again = await makeDemoCorpus(path.join(root, 'again'));
    for (const [i, f] of corpus.files.entries()) {
      expect((await readFile(again.files[i]!)).equals(await readFile(f)), path.basename(f)).toBe(true);
    }
  });
});

describe('makeDemoCorpus: PDFs', () => {
  it('are multi-page, with a title in the info dictionary', async () => {
    for (const f of ext('.pdf')) {
      const { pages, title } = await pdfPages(await readFile(f));
      expect(pages.length, f).toBeGreaterThanOrEqual(3);
      expect(typeof title === 'string' && title.length > 0, f).toBe(true);
      // Every page carries the exercise banner.
      for (const p of pages) expect(norm(p)).toContain(EXERCISE_BANNER);
    }
  });

  it('state each PDF fact on the intended page and on no other', () => {
    const pdfFacts = allFacts().filter((e) => e.page !== undefined);
    expect(pdfFacts.length).toBeGreaterThanOrEqual(2);
    for (const e of pdfFacts) {
      const pages = sources.get(e.file)!.pages.map(norm);
      const hits = pages.flatMap((p, i) => (p.includes(e.sentence) ? [i + 1] : []));
      expect(hits, e.question).toEqual([e.page]);
    }
  });
});

describe('makeDemoCorpus: e-mail, HTML and DOCX', () => {
  it('the e-mail parses, with headers, a text body and the attachment holding its fact', async () => {
    const f = ext('.eml')[0]!;
    const mail = await simpleParser(await readFile(f));
    expect(mail.subject).toMatch(/Port Halcyra/);
    expect(mail.from?.text).toContain('Jonas Pike');
    expect(mail.date?.toISOString()).toBe('2031-03-17T09:15:00.000Z');
    expect(mail.text).toContain('Tessaly Dawn');
    expect(mail.attachments).toHaveLength(1);
    const [a] = mail.attachments;
    const fact = corpus.expected.find((e) => e.attachment)!;
    expect(a!.filename).toBe(fact.attachment);
    expect(a!.contentType).toBe('text/plain');
    expect(a!.content.toString('utf8')).toContain(fact.sentence);
    expect(mail.text).not.toContain(fact.mustContain);
  });

  it('the HTML has a title, a list, and a script and style kept out of its text', async () => {
    const html = await readFile(byName('harbour-bulletin-12.html'), 'utf8');
    expect(html).toMatch(/<script>[\s\S]*<\/script>/);
    expect(html).toMatch(/<style>[\s\S]*<\/style>/);
    expect(html).toMatch(/<ul>[\s\S]*<li>/);
    const { text, title } = htmlText(html);
    expect(title).toMatch(/Harbour Bulletin/);
    for (const s of corpus.notInText) {
      expect(html).toContain(s);
      expect(text).not.toContain(s);
    }
  });

  it('the DOCX memo has headings and its signature sentence', async () => {
    const f = byName('memo-halcyra-fuel-reserve.docx');
    const { value: htmlOut } = await mammoth.convertToHtml({ path: f });
    expect(htmlOut).toMatch(/<h1>Background<\/h1>/);
    expect(htmlOut).toMatch(/<h1>Recommendation<\/h1>/);
    const fact = corpus.extra.find((e) => e.file === f)!;
    expect(norm(sources.get(f)!.pages[0]!)).toContain(fact.sentence);
  });
});

describe('makeDemoCorpus: each answer is stated in exactly one place', () => {
  it.each([0, 1, 2, 3, 4])('fact %i occurs only in its own source', (i) => {
    const e = allFacts()[i]!;
    const holders = [...sources.values()].filter((s) => norm(s.pages.join('\n')).includes(e.mustContain)).map((s) => s.origin);
    expect(holders, e.question).toEqual([e.origin]);
  });

  it.each([0, 1, 2, 3, 4])('extractive answering over the whole corpus cites fact %i from its source', (i) => {
    const e = allFacts()[i]!;
    // One chunk per page of every source, the right source's pages ranked
    // last: the sentence scoring alone must pick them, against the rank bonus.
    const ordered = [...sources.values()].sort((a, b) => Number(a.origin === e.origin) - Number(b.origin === e.origin));
    const chunks: ScoredChunk[] = ordered.flatMap((s) =>
      s.pages.map((text, p) => ({ id: `${s.origin}:${p + 1}`, sourceId: s.origin, ordinal: p, text, page: p + 1, start: 0, end: text.length, marking: 'U', score: 1, title: s.origin })),
    );
    const r = composeExtractive(e.question, chunks, { maxChunks: chunks.length });
    expect(r.found, e.question).toBe(true);
    const [best] = r.sentences;
    expect(norm(best!.text), e.question).toContain(e.mustContain);
    expect(best!.citations[0]!.sourceId).toBe(e.origin);
    if (e.page !== undefined) expect(best!.citations[0]!.page).toBe(e.page);
  });
});
