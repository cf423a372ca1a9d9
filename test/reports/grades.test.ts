import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerGrade } from '../../main/cli/commands/grade.js';
import { register as registerReport } from '../../main/cli/commands/report.js';
import type { Source } from '../../main/core/types.js';
import { describeGrade, filterByGrade, GradeBook, gradeOf, parseGrade, parseGradeFilter } from '../../main/reports/index.js';
import { makeCorpus, runCommand, type Corpus } from './fixtures.js';

describe('Admiralty grades (reliability A-F, credibility 1-6)', () => {
  it('parses the usual spellings and explains a bad one', () => {
    expect(parseGrade('B2')).toEqual({ reliability: 'B', credibility: 2 });
    expect(parseGrade(' c-3 ')).toEqual({ reliability: 'C', credibility: 3 });
    expect(parseGrade('F/6')).toEqual({ reliability: 'F', credibility: 6 });
    expect(() => parseGrade('G2')).toThrow(/reliability letter A-F and a credibility digit 1-6/);
    expect(() => parseGrade('B7')).toThrow(/not a source grade/);
    expect(describeGrade(parseGrade('A1'))).toBe('A1 (completely reliable; confirmed by other sources)');
  });

  it('filters: worst acceptable reliability and credibility, ungraded only on request', () => {
    const book = GradeBook.empty();
    const src = (id: string, grade?: string): Pick<Source, 'id' | 'metadata'> => ({ id, metadata: grade ? { provenance: { grade } } : {} });
    const sources = [src('a', 'A1'), src('b', 'B3'), src('c', 'C2'), src('f', 'F6'), src('u')];
    expect(book.matching(sources, parseGradeFilter('B2'))).toEqual(['a']);
    expect(book.matching(sources, parseGradeFilter('C'))).toEqual(['a', 'b', 'c']);
    expect(book.matching(sources, parseGradeFilter('2'))).toEqual(['a', 'c']);
    expect(book.matching(sources, parseGradeFilter('C3', true))).toEqual(['a', 'b', 'c', 'u']);
    const hits = [{ sourceId: 'a' }, { sourceId: 'f' }, { sourceId: 'u' }];
    expect(filterByGrade(hits, (h) => h.sourceId, book, parseGradeFilter('F6'), new Map(sources.map((s) => [s.id, s])))).toEqual([{ sourceId: 'a' }, { sourceId: 'f' }]);
    // A manifest's grade counts, marked as such.
    expect(book.of('b', sources[1])).toMatchObject({ code: 'B3', via: 'manifest' });
  });
});

describe('cairn grade: stored, audited, shown next to every citation', () => {
  let c: Corpus;
  let convoy: Source;
  const grade = (argv: string[]): ReturnType<typeof runCommand> => runCommand(registerGrade, c.dataDir, argv);

  beforeAll(async () => {
    c = await makeCorpus('grades');
    convoy = (await c.cairn.sources()).find((s) => s.title.startsWith('convoy'))!;
  });
  afterAll(async () => c?.cleanup());

  it('stores the grade in DATA/grades.json and records source.grade in the audit log', async () => {
    const r = await grade(['grade', convoy.id.slice(0, 10), 'c3', '--note', 'single HUMINT report', '--json']);
    expect(r.code, r.err).toBe(0);
    const again = JSON.parse((await grade(['grade', convoy.id, 'B2', '--json'])).out);
    expect(again.previous.code).toBe('C3');
    const file = JSON.parse(await readFile(path.join(c.dataDir, 'grades.json'), 'utf8'));
    expect(file).toMatchObject({ schema: 'cairn.grades', version: 1, grades: { [convoy.id]: { grade: 'B2', setBy: 'analyst1' } } });
    expect(await gradeOf(c.dataDir, convoy.id)).toMatchObject({ code: 'B2', via: 'analyst' });
    const records = (await c.cairn.auditRecords()).filter((x) => x.action === 'source.grade');
    expect(records.map((x) => (x.payload as { grade: string }).grade)).toEqual(['C3', 'B2']);
    expect(records[0]!.payload).toMatchObject({ sourceId: convoy.id, previous: null, note: 'single HUMINT report', user: 'analyst1' });
    expect(records[1]!.payload).toMatchObject({ previous: 'C3' });
    expect(records[1]!.actor).toBe('analyst1');
  });

  it('lists grades and shows one; refuses a bad grade or an unknown source', async () => {
    expect((await grade(['grade'])).out).toContain('B2 (usually reliable; probably true)');
    expect((await grade(['grade', convoy.id.slice(0, 8)])).out).toBe('B2 (usually reliable; probably true)\n');
    const bad = await grade(['grade', convoy.id, 'Z9']);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('not a source grade');
    expect((await grade(['grade', 'deadbeefdeadbeef', 'A1'])).err).toContain('no source deadbeefdeadbeef');
  });

  it('shows the grade next to each citation and in the sources annex', async () => {
    const report = (argv: string[]): ReturnType<typeof runCommand> => runCommand(registerReport, c.dataDir, argv);
    const id = JSON.parse((await report(['report', 'new', '--title', 'Graded', '--template', 'briefing', '--json'])).out).id;
    await report(['report', 'add', id, await c.ask('When did the convoy leave the northern depot?')]);
    await report(['report', 'add', id, await c.ask('How many berths does the harbour at Port Vela have?')]);
    const out = path.join(c.root, 'graded.md');
    await report(['report', 'render', id, '--out', out]);
    const md = await readFile(out, 'utf8');
    expect(md).toMatch(/^\[\^\d+\]: .*convoy\.txt .*; grade B2: “/m);
    expect(md).toMatch(/^\[\^\d+\]: .*harbour\.txt .*; grade ungraded: “/m);
    expect(md).toMatch(/\*\*S\d\*\* convoy\.txt: document; grade B2 \(usually reliable; probably true\), graded by analyst1/);
  });

  it('clears a grade, audited too', async () => {
    const r = JSON.parse((await grade(['grade', convoy.id, '--clear', '--json'])).out);
    expect(r.grade).toBeNull();
    expect(await gradeOf(c.dataDir, convoy.id)).toBeNull();
    const last = (await c.cairn.auditRecords()).at(-1)!;
    expect(last).toMatchObject({ action: 'source.grade', payload: { grade: null, previous: 'B2' } });
  });

  it('refuses a grades file an editor broke, naming it', async () => {
    await writeFile(path.join(c.dataDir, 'grades.json'), JSON.stringify({ schema: 'cairn.grades', version: 1, grades: { nothex: { grade: 'B2', setBy: 'x', setAt: 'y' } } }));
    await expect(GradeBook.load(c.dataDir)).rejects.toThrow(/grades\.json is not a valid grades file: grades\.nothex/);
  });
});
