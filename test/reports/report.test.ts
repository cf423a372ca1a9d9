import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync, strFromU8 } from 'fflate';
import mammoth from 'mammoth';
import { PDFParse } from 'pdf-parse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPolicy, formatBanner, parseMarking, rollUp } from '../../main/access/index.js';
import { EXTRACTIVE_COMPOSER } from '../../main/agent/extractive.js';
import { register as registerGrade } from '../../main/cli/commands/grade.js';
import { register as registerReport } from '../../main/cli/commands/report.js';
import { sha256Hex } from '../../main/core/hash.js';
import { FILES, makeCorpus, runCommand, TOWNS, townFile, type Corpus } from './fixtures.js';

const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();
const PORTION = /^\((U|C|S|TS|CUI)(\/\/[^)]*)?\) /;

async function pdfPages(file: string): Promise<string[]> {
  const p = new PDFParse({ data: await readFile(file) });
  try {
    return (await p.getText()).pages.map((pg) => pg.text);
  } finally {
    await p.destroy();
  }
}

describe('reports: marked, cited, audited products from real answers', () => {
  let c: Corpus;
  let reportId: string;
  const ids: Record<string, string> = {};
  const questions = {
    berths: 'How many berths does the harbour at Port Vela have?',
    convoy: 'When did the convoy leave the northern depot?',
    aurora: 'What was the fishing vessel Aurora doing near the fuel pier?',
    unknown: 'Who owns the shipyard in the capital city?',
  };
  const run = (argv: string[]): ReturnType<typeof runCommand> => runCommand(registerReport, c.dataDir, argv);

  beforeAll(async () => {
    c = await makeCorpus('report', { towns: true });
    for (const [k, q] of Object.entries(questions)) ids[k] = await c.ask(q);
    for (const t of TOWNS) ids[t] = await c.ask(`When was the radar station at ${t} rebuilt and what range does it cover?`);
    const created = await run(['report', 'new', '--title', 'Port Vela harbour watch', '--template', 'intsum', '--json']);
    expect(created.code, created.err).toBe(0);
    reportId = JSON.parse(created.out).id;
    for (const id of Object.values(ids)) {
      const r = await run(['report', 'add', reportId, id]);
      expect(r.code, r.err).toBe(0);
    }
    expect((await run(['report', 'note', reportId, 'Activity at Port Vela is likely linked to the convoy.', '--marking', 'S//NF'])).code).toBe(0);
    expect((await run(['report', 'note', reportId, 'Who owns the Aurora is not known.', '--marking', '(U)', '--section', 'gaps'])).code).toBe(0);
    const convoySource = (await c.cairn.sources()).find((s) => s.title.startsWith('convoy'))!;
    const g = await runCommand(registerGrade, c.dataDir, ['grade', convoySource.id.slice(0, 12), 'B2']);
    expect(g.code, g.err).toBe(0);
  });
  afterAll(async () => c?.cleanup());

  it('lists and shows the report', async () => {
    const list = JSON.parse((await run(['report', 'list', '--json'])).out);
    expect(list).toEqual([expect.objectContaining({ id: reportId, answers: 4 + TOWNS.length, notes: 2, template: 'intsum' })]);
    const shown = await run(['report', 'show', reportId]);
    expect(shown.out).toContain(ids.convoy);
  });

  it('renders a PDF: banner first and last on every page, portion-marked paragraphs, footnotes quoting the cited page, annexes', async () => {
    const out = path.join(c.root, 'out', 'watch.pdf');
    const r = await run(['report', 'render', reportId, '--format', 'pdf', '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    // The roll-up of everything cited: S//NF convoy, C//REL TO USA, GBR Aurora, U harbour and towns, and the S//NF note.
    const policy = defaultPolicy();
    const expected = formatBanner(rollUp(['SECRET//NOFORN', 'CONFIDENTIAL//REL TO USA, GBR', 'UNCLASSIFIED'].map((m) => parseMarking(m, policy)), policy));
    expect(result.banner).toBe(expected);
    expect(expected).toBe('SECRET//NOFORN');

    const pages = await pdfPages(out);
    expect(pages.length).toBe(result.pages);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const [i, text] of pages.entries()) {
      const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
      expect(lines[0], `top of page ${i + 1}`).toBe(expected);
      expect(lines.at(-1), `bottom of page ${i + 1}`).toBe(expected);
    }

    const all = pages.join('\n');
    // Every question and every note is a paragraph starting with a portion marking.
    expect(all).toContain(`(S//NF) Question: ${questions.convoy}`);
    expect(all).toContain(`(U) Question: ${questions.berths}`);
    expect(all).toMatch(/\(S\/\/NF\) Activity at Port Vela is likely linked to the convoy\./);
    // The unanswerable question landed in the gaps section, after its heading.
    expect(all.indexOf(questions.unknown)).toBeGreaterThan(all.indexOf('3. Intelligence gaps'));

    // Footnotes: each reference [n] on a page has its note at the foot of the same page,
    // marked, naming source and page, and quoting text that is on the cited page of the source.
    const sourceText = Object.values(FILES).join('\n') + TOWNS.map(townFile).join('\n');
    let notes = 0;
    for (const text of pages) {
      const body = text.split('\n');
      const noteStarts = body.map((l, i) => ({ l, i })).filter(({ l }) => /^\[\d+\] \(/.test(l));
      for (const { l, i } of noteStarts) {
        notes++;
        const n = /^\[(\d+)\]/.exec(l)![1]!;
        expect(body.slice(0, i).join(' ')).toContain(`[${n}]`);
        let note = l;
        for (let j = i + 1; j < body.length && !/^\[\d+\] \(/.test(body[j]!) && !/^Page \d+ of/.test(body[j]!); j++) note += ` ${body[j]}`;
        expect(note).toMatch(/^\[\d+\] \((U|C|S)[^)]*\) .+, p\. 1, characters \d+-\d+; grade (ungraded|[A-F][1-6]): “.+”$/);
        const quote = /“(.+)”/.exec(note)![1]!;
        const plain = norm(sourceText.replace(/<[^>]+>/g, ' '));
        expect(plain).toContain(norm(quote));
      }
    }
    expect(notes).toBeGreaterThanOrEqual(3 + TOWNS.length);
    // ...and no page refers to a note printed only on another page.
    for (const text of pages) {
      const lines = text.split('\n');
      const noted = new Set(lines.filter((l) => /^\[\d+\] \(/.test(l)).map((l) => /^\[(\d+)\]/.exec(l)![1]));
      const bodyRefs = lines.filter((l) => !/^\[\d+\] \(/.test(l)).flatMap((l) => [...l.matchAll(/\[(\d+)\]/g)].map((m) => m[1]));
      for (const n of bodyRefs) expect(noted.has(n), `note [${n}] on its page`).toBe(true);
    }
    expect(norm(all)).toMatch(/convoy\.txt \[S\d+\], p\. 1, characters \d+-\d+; grade B2: “\(S\/\/NF\) The convoy/);

    expect(all).toContain('Annex A: Sources');
    expect(all).toContain('Annex B: Provenance');
    expect(norm(all)).toMatch(/convoy\.txt\. Kind document; grade B2 \(usually reliable; probably true\), graded by analyst1/);
    for (const id of Object.values(ids)) expect(norm(all)).toContain(id);
    expect(all).toContain(`Model cairn-extractive version ${EXTRACTIVE_COMPOSER.version}`);
    // The PDF may wrap the settings line after any hyphen.
    expect(norm(all).replace(/- /g, '-')).toContain('embedder=cairn-hashed-v1-1024');
  });

  it('records the render in the audit log with the file hash, the answers and who rendered it', async () => {
    const out = path.join(c.root, 'out', 'watch2.pdf');
    const r = JSON.parse((await run(['report', 'render', reportId, '--out', out, '--json'])).out);
    const records = await c.cairn.auditRecords();
    const rec = records.find((x) => x.hash === r.auditId)!;
    expect(rec.action).toBe('report.render');
    expect(rec.actor).toBe('analyst1');
    const p = rec.payload as Record<string, unknown>;
    expect(p.sha256).toBe(sha256Hex(await readFile(out)));
    expect(p.file).toBe(out);
    expect(p.format).toBe('pdf');
    expect(p.answers).toEqual(Object.values(ids));
    expect(p.banner).toBe('SECRET//NOFORN');
    expect(records.some((x) => x.action === 'report.add')).toBe(true);
  });

  it.skipIf(!existsSync('/usr/bin/pdftoppm'))('rasterises to page images (pdftoppm)', async () => {
    const out = path.join(c.root, 'out', 'look.pdf');
    await run(['report', 'render', reportId, '--out', out]);
    await promisify(execFile)('/usr/bin/pdftoppm', ['-r', '50', '-png', '-f', '1', '-l', '1', out, path.join(c.root, 'out', 'look')]);
    const png = path.join(c.root, 'out', 'look-01.png');
    const file = existsSync(png) ? png : path.join(c.root, 'out', 'look-1.png');
    expect((await stat(file)).size).toBeGreaterThan(10_000);
  });

  it('renders DOCX: banner in header and footer, real footnotes, marked paragraphs', async () => {
    const out = path.join(c.root, 'out', 'watch.docx');
    const r = await run(['report', 'render', reportId, '--format', 'docx', '--out', out]);
    expect(r.code, r.err).toBe(0);
    const bytes = await readFile(out);
    const zip = unzipSync(new Uint8Array(bytes));
    const text = (name: string): string => strFromU8(zip[name]!).replace(/<[^>]+>/g, '');
    expect(text('word/header1.xml')).toContain('SECRET//NOFORN');
    expect(text('word/footer1.xml')).toContain('SECRET//NOFORN');
    expect(text('word/footnotes.xml')).toContain('“(S//NF) The convoy of six trucks left the northern depot');
    expect(text('word/footnotes.xml')).toContain('grade B2');
    const raw = (await mammoth.extractRawText({ buffer: bytes })).value;
    const paras = raw.split('\n').map((l) => l.trim()).filter((l) => l !== '');
    expect(paras).toContain(`(S//NF) Question: ${questions.convoy}`);
    expect(raw).toContain('Annex A: Sources');
    expect(raw).toContain('Annex B: Provenance');
    // Every body paragraph between the title block and the annexes is portion-marked (headings excepted).
    const body = paras.slice(paras.indexOf('1. Key judgements'), paras.indexOf('Annex A: Sources'));
    for (const p of body.filter((x) => !/^\d\. /.test(x))) expect(p).toMatch(PORTION);
  });

  it('renders Markdown with the banner first and last, portion marks and footnotes', async () => {
    const out = path.join(c.root, 'out', 'watch.md');
    const r = await run(['report', 'render', reportId, '--out', out]);
    expect(r.code, r.err).toBe(0);
    const md = await readFile(out, 'utf8');
    const lines = md.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe('**SECRET//NOFORN**');
    expect(lines.at(-1)).toBe('**SECRET//NOFORN**');
    expect(md).toMatch(/^\(S\/\/NF\) The convoy of six trucks left the northern depot at 0400 on 12 March heading to Port Vela\.\[\^\d+\]$/m);
    expect(md).toMatch(/^\[\^\d+\]: \(S\/\/NF\) convoy\.txt \[S\d+\], p\. 1, characters \d+-\d+; grade B2: “/m);
    expect(md).toContain('## Annex B: Provenance');
  });

  it('refuses an unknown format, a non-answer audit record and a duplicate answer', async () => {
    expect((await run(['report', 'render', reportId, '--format', 'rtf', '--out', path.join(c.root, 'x.rtf')])).err).toContain('--format must be one of pdf, docx, md');
    const records = await c.cairn.auditRecords();
    const ingest = records.find((x) => x.action === 'ingest')!;
    const bad = await run(['report', 'add', reportId, ingest.hash]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("'ingest' record, not an answer");
    const dup = await run(['report', 'add', reportId, ids.convoy!]);
    expect(dup.err).toContain('already in report');
    const badMarking = await run(['report', 'note', reportId, 'x', '--marking', 'SEKRET']);
    expect(badMarking.code).toBe(1);
    expect(badMarking.err).toContain('Invalid marking');
  });
});
