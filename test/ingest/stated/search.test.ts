import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../../main/api/cairn.js';
import { BUDGET_MEMO, EMAIL, PATROL_REPORT, PORT_REPORT } from './reports.js';

/** Real files, real LanceDB: documents found by the dates and places they state. */
describe('search --near/--from/--to finds documents by what they state', () => {
  let root: string;
  let cairn: Cairn;
  const titles = async (input: Parameters<Cairn['search']>[0]): Promise<string[]> =>
    [...new Set((await cairn.search({ k: 20, ...input })).hits.map((h) => path.basename(h.title)))].sort();

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-stated-'));
    const files = { 'port.txt': PORT_REPORT, 'patrol.txt': PATROL_REPORT, 'budget.txt': BUDGET_MEMO, 'contact.eml': EMAIL };
    for (const [name, text] of Object.entries(files)) await writeFile(path.join(root, name), text);
    cairn = await Cairn.open(path.join(root, 'data'));
    const r = await cairn.ingest({ paths: Object.keys(files).map((f) => path.join(root, f)) });
    expect(r.failed).toBe(0);
    expect(r.ingested).toBe(4);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('records each document source with the span and area it states', async () => {
    const sources = await cairn.sources();
    // By file name: another title holding "port" (any "report") would match the wrong source.
    const port = sources.find((s) => path.basename(s.origin) === 'port.txt')!;
    expect(port.t0).toBe('2031-03-13T00:00:00.000Z');
    expect(port.geo!.north).toBeCloseTo(36.95333, 4);
    const budget = sources.find((s) => s.origin.endsWith('budget.txt'))!;
    expect(budget.t0 ?? null).toBeNull();
    expect(budget.geo ?? null).toBeNull();
  });

  it('filters by place: DMS near Norfolk, decimal and MGRS off Aden, a labelled pair off Rome', async () => {
    expect(await titles({ query: 'tugs pilot cargo grain', near: '36.95,-76.33', radiusKm: 5 })).toEqual(['port.txt']);
    expect(await titles({ query: 'skiff boarding fuel drums', near: '12.8,45.05', radiusKm: 30 })).toEqual(['patrol.txt']);
    // The MGRS grid in the patrol report is its own place: 14 km from the skiff sighting.
    expect(await titles({ query: 'fuel drums landing site', near: '38PNV1084526075', radiusKm: 1 })).toEqual(['patrol.txt']);
    expect(await titles({ query: 'skiff', near: '12.7843,45.0368', radiusKm: 1 })).toEqual(['patrol.txt']);
    expect(await titles({ query: 'coastal radar contact', near: '41.9,12.45', radiusKm: 2 })).toEqual(['Contact report']);
    // Far from every stated place: nothing, though the words match.
    expect(await titles({ query: 'tugs pilot cargo grain skiff radar', near: '0.5,0.5', radiusKm: 50 })).toEqual([]);
  });

  it('filters by time, with relative dates resolved against the date line or the Date header', async () => {
    // "Yesterday" in the port report (dated 14 March) is 13 March.
    expect(await titles({ query: 'tugs alongside', from: '2031-03-13T00:00:00Z', to: '2031-03-13T23:59:59Z' })).toEqual(['port.txt']);
    // "Yesterday" in the e-mail sent 18 March is 17 March; so is the port report's estimated departure.
    expect(await titles({ query: 'radar contact departure', from: '2031-03-17T06:00:00Z', to: '2031-03-17T08:00:00Z' })).toEqual(['Contact report', 'port.txt']);
    expect(await titles({ query: 'skiff patrol corridor', from: '2031-04-04T09:00:00Z', to: '2031-04-04T10:00:00Z' })).toEqual(['patrol.txt']);
    // The memo states no date: any window leaves it out (the dated reports may still come back as weaker matches).
    expect(await titles({ query: 'budget committee fuel vehicles', from: '2000-01-01T00:00:00Z', to: '2100-01-01T00:00:00Z' })).not.toContain('budget.txt');
  });

  it('still finds undated documents when no place or time is asked for', async () => {
    expect(await titles({ query: 'budget committee fuel vehicles' })).toContain('budget.txt');
  });
});
