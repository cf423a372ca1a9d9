import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { register as registerExport } from '../../main/cli/commands/export.js';
import { register as registerReport } from '../../main/cli/commands/report.js';
import { makeCorpus, runCommand, type Corpus } from './fixtures.js';

// A report is read by whoever renders it: it may hold only what they are cleared to read.
describe('reports and exports respect clearances (DATA/users.json)', () => {
  let c: Corpus;
  let convoy: string;
  let berths: string;
  let mixed: string;

  beforeAll(async () => {
    c = await makeCorpus('access');
    convoy = await c.ask('When did the convoy leave the northern depot?');
    berths = await c.ask('How many berths does the harbour at Port Vela have?');
    const report = (argv: string[]): ReturnType<typeof runCommand> => runCommand(registerReport, c.dataDir, argv);
    mixed = JSON.parse((await report(['report', 'new', '--title', 'Mixed', '--json'])).out).id;
    expect((await report(['report', 'add', mixed, convoy])).code).toBe(0);
    await writeFile(
      path.join(c.dataDir, 'users.json'),
      JSON.stringify({ users: { analyst1: { clearance: 'TOP SECRET', nationality: 'USA' }, lowuser: { clearance: 'UNCLASSIFIED', nationality: 'USA' } } }),
    );
  });
  afterAll(async () => c?.cleanup());

  const asLow = (register: typeof registerReport, argv: string[]): ReturnType<typeof runCommand> => runCommand(register, c.dataDir, argv, 'lowuser');

  it('refuses to add an answer citing passages above the user', async () => {
    const own = JSON.parse((await asLow(registerReport, ['report', 'new', '--title', 'Low', '--json'])).out).id;
    const r = await asLow(registerReport, ['report', 'add', own, convoy]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not cleared to read');
    expect((await asLow(registerReport, ['report', 'add', own, berths])).code).toBe(0);
    const out = path.join(c.root, 'low.md');
    expect((await asLow(registerReport, ['report', 'render', own, '--out', out])).code).toBe(0);
    expect((await readFile(out, 'utf8')).split('\n')[0]).toBe('**UNCLASSIFIED**');
  });

  it('refuses to render a report holding an answer above the user, and to export its provenance', async () => {
    const r = await asLow(registerReport, ['report', 'render', mixed, '--out', path.join(c.root, 'mixed.pdf')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('not cleared to read');
    const p = await asLow(registerExport, ['export', 'prov', convoy, '--out', path.join(c.root, 'p.json')]);
    expect(p.code).toBe(1);
    const ok = await runCommand(registerReport, c.dataDir, ['report', 'render', mixed, '--out', path.join(c.root, 'mixed.md')]);
    expect(ok.code, ok.err).toBe(0);
  });
});
