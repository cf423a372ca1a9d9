import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';

// One UNCLASSIFIED report, one SECRET//NOFORN report, and one report whose
// paragraphs carry their own portion markings; three users with different clearances.
describe('clearances filter what each user can retrieve, inside the store query', () => {
  let root: string;
  let data: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-clear-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'open.txt'), 'Harbour report. The ferry Morning Gull sailed from Port Sarn to Kessel on 3 May.');
    await writeFile(path.join(root, 'secret.txt'), 'Source report. The tanker Blue Heron will load fuel at Port Sarn on 12 May for the northern fleet.');
    await writeFile(
      path.join(root, 'portions.txt'),
      '(U) The port of Halcyra has four berths.\n\n(S//NF) Berth four is reserved for the submarine Grey Pike on 20 May.\n',
    );
    const admin = await Cairn.open(data, { actor: 'admin' });
    await admin.ingest({ paths: [path.join(root, 'open.txt'), path.join(root, 'portions.txt')] });
    await admin.ingest({ paths: [path.join(root, 'secret.txt')], marking: 'SECRET//NOFORN' });
    await writeFile(
      path.join(data, 'users.json'),
      JSON.stringify({
        users: {
          ann: { clearance: 'UNCLASSIFIED', nationality: 'USA' },
          sam: { clearance: 'SECRET', nationality: 'USA' },
          gbr: { clearance: 'TOP SECRET', nationality: 'GBR' },
        },
      }),
    );
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('an UNCLASSIFIED user never retrieves, sees or gets cited SECRET passages', async () => {
    const ann = await Cairn.open(data, { actor: 'ann' });
    const search = await ann.search({ query: 'Blue Heron fuel Port Sarn', k: 10 });
    expect(search.hits.every((h) => h.marking === 'UNCLASSIFIED')).toBe(true);
    expect(search.hits.some((h) => h.text.includes('Blue Heron'))).toBe(false);
    const a = await ann.ask({ question: 'Which submarine is berth four reserved for?' });
    expect(a.answer).not.toContain('Grey Pike');
    expect(a.banner).toBe('UNCLASSIFIED');
    expect((await ann.sources()).every((s) => s.marking === 'UNCLASSIFIED')).toBe(true);
  });

  it('a SECRET US user gets the SECRET passage, and the banner rolls up from what is cited', async () => {
    const sam = await Cairn.open(data, { actor: 'sam' });
    const a = await sam.ask({ question: 'When will the Blue Heron load fuel at Port Sarn?' });
    expect(a.answer).toContain('12 May');
    expect(a.banner).toBe('SECRET//NOFORN');
    const p = await sam.ask({ question: 'Which submarine is berth four reserved for?' });
    expect(p.answer).toContain('Grey Pike');
    expect(p.banner).toBe('SECRET//NOFORN');
  });

  it('NOFORN material is withheld from a foreign national whatever their level', async () => {
    const gbr = await Cairn.open(data, { actor: 'gbr' });
    const a = await gbr.ask({ question: 'When will the Blue Heron load fuel at Port Sarn?' });
    expect(a.answer).not.toContain('12 May');
    expect(a.citations.every((c) => !c.quote.includes('Blue Heron'))).toBe(true);
  });

  it('refuses a user the administrator has not listed', async () => {
    await expect(Cairn.open(data, { actor: 'mallory' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
