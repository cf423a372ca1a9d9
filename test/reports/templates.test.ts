import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerReport } from '../../main/cli/commands/report.js';
import { listTemplates, loadTemplate, parseTemplate } from '../../main/reports/index.js';
import { makeCorpus, runCommand, type Corpus } from './fixtures.js';

const valid = {
  schema: 'cairn.report-template',
  version: 1,
  id: 'weekly',
  name: 'Weekly harbour digest',
  documentType: 'WEEKLY DIGEST',
  sections: [
    { id: 'summary', heading: 'Summary', accepts: ['note'] },
    { id: 'reporting', heading: 'Reporting this week', accepts: ['answer', 'note'] },
    { id: 'outlook', heading: 'Outlook', accepts: ['note', 'answer'], unanswered: true, emptyText: 'Nothing to add.' },
  ],
  defaults: { answer: 'reporting', note: 'summary' },
  annexes: { sources: true, provenance: false },
};

describe('report templates: administrator files, validated on load', () => {
  let c: Corpus;
  const run = (argv: string[]): ReturnType<typeof runCommand> => runCommand(registerReport, c.dataDir, argv);
  const templates = (): string => path.join(c.dataDir, 'templates');

  beforeAll(async () => {
    c = await makeCorpus('templates');
    await mkdir(templates(), { recursive: true });
  });
  afterAll(async () => c?.cleanup());

  it('ships an INTSUM (key judgements, details, gaps) and a plain briefing', async () => {
    const intsum = await loadTemplate(c.dataDir, 'intsum');
    expect(intsum.sections.map((s) => s.id)).toEqual(['key-judgements', 'details', 'gaps']);
    expect(intsum.sections.find((s) => s.unanswered)?.id).toBe('gaps');
    expect((await loadTemplate(c.dataDir, 'briefing')).sections).toHaveLength(1);
  });

  it('uses a valid administrator template: its sections, its routing, its annexes', async () => {
    await writeFile(path.join(templates(), 'weekly.json'), JSON.stringify(valid, null, 2));
    const created = JSON.parse((await run(['report', 'new', '--title', 'Week 11', '--template', 'weekly', '--json'])).out);
    expect((await run(['report', 'add', created.id, await c.ask('How many berths does the harbour at Port Vela have?')])).code).toBe(0);
    expect((await run(['report', 'note', created.id, 'Quiet week in the harbour.', '--marking', 'U'])).code).toBe(0);
    const wrong = await run(['report', 'note', created.id, 'x', '--marking', 'U', '--section', 'nowhere']);
    expect(wrong.err).toContain('has no section "nowhere"');
    const out = path.join(c.root, 'week.md');
    expect((await run(['report', 'render', created.id, '--out', out])).code).toBe(0);
    const md = await readFile(out, 'utf8');
    expect(md).toContain('**WEEKLY DIGEST**');
    expect(md.indexOf('## Summary')).toBeLessThan(md.indexOf('Quiet week'));
    expect(md.indexOf('## Reporting this week')).toBeLessThan(md.indexOf('**Question:**'));
    expect(md).toContain('## Outlook');
    expect(md).toContain('Nothing to add.');
    expect(md).toContain('Annex A: Sources');
    expect(md).not.toContain('Provenance');
  });

  it.each([
    ['no-heading', { ...valid, id: 'no-heading', sections: [{ id: 'a', heading: '' }], defaults: { answer: 'a', note: 'a' } }, 'sections.0.heading: a section needs a heading'],
    ['bad-default', { ...valid, id: 'bad-default', defaults: { answer: 'details', note: 'summary' } }, 'defaults.answer: "details" is not one of the sections (summary, reporting, outlook)'],
    ['typo', { ...valid, id: 'typo', sections: [{ id: 'a', title: 'A' }], defaults: { answer: 'a', note: 'a' } }, 'sections.0'],
    ['wrong-kind', { ...valid, id: 'wrong-kind', defaults: { answer: 'summary', note: 'summary' } }, 'defaults.answer: section "summary" does not accept answers'],
    ['twice', { ...valid, id: 'twice', sections: [valid.sections[0], valid.sections[0], valid.sections[1]] }, 'section id "summary" is used twice'],
    ['v9', { ...valid, id: 'v9', version: 9 }, '"version" must be 1'],
  ])('refuses an invalid template (%s) naming the file and the reason', async (id, json, reason) => {
    const file = path.join(templates(), `${id}.json`);
    await writeFile(file, JSON.stringify(json));
    const r = await run(['report', 'new', '--title', 'T', '--template', id]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`report template ${file} is invalid`);
    expect(r.err).toContain(reason);
    const listed = (await listTemplates(c.dataDir)).find((t) => t.id === id);
    expect(listed?.error).toContain(reason);
  });

  it('refuses a file that is not JSON, or whose id does not match its name', async () => {
    await writeFile(path.join(templates(), 'broken.json'), '{ "schema": ');
    expect((await run(['report', 'new', '--title', 'T', '--template', 'broken'])).err).toContain('not JSON');
    await writeFile(path.join(templates(), 'other.json'), JSON.stringify({ ...valid, id: 'weekly2' }));
    expect((await run(['report', 'new', '--title', 'T', '--template', 'other'])).err).toContain('its id is "weekly2" but the file is named other.json');
    expect((await run(['report', 'new', '--title', 'T', '--template', 'absent'])).err).toContain('no report template "absent"; available: ');
  });

  it('lists templates with their problems and exits 1 when one is invalid', async () => {
    const r = await run(['report', 'templates']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/intsum\s+Intelligence summary/);
    expect(r.out).toMatch(/no-heading\s+INVALID/);
  });

  it('parseTemplate reports the first problems in one message', () => {
    expect(() => parseTemplate({ schema: 'x' }, 'inline')).toThrow(/report template inline is invalid: schema: "schema" must be "cairn.report-template"/);
  });
});
