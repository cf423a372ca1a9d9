import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';

// A small, real GPX track written by hand: two segments of a patrol boat,
// the second two hours after the first (a time gap splits segments).
function gpx(): string {
  const pts = (t0: number, lat0: number, n: number): string =>
    Array.from({ length: n }, (_, i) => {
      const t = new Date(Date.UTC(2031, 2, 14, 6, 0, 0) + (t0 + i * 60) * 1000).toISOString();
      return `<trkpt lat="${(lat0 + i * 0.001).toFixed(5)}" lon="${(12.5 + i * 0.001).toFixed(5)}"><ele>0</ele><time>${t}</time></trkpt>`;
    }).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="cairn-test" xmlns="http://www.topografix.com/GPX/1/1">
  <trk><name>Patrol boat Kestrel</name><trkseg>${pts(0, 41.9, 10)}${pts(7200, 42.5, 10)}</trkseg></trk>
</gpx>`;
}

describe('track feeds end to end (real GPX, real LanceDB)', () => {
  let root: string;
  let cairn: Cairn;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-tracks-'));
    await writeFile(path.join(root, 'kestrel.gpx'), gpx());
    cairn = await Cairn.open(path.join(root, 'data'));
    const r = await cairn.ingest({ paths: [path.join(root, 'kestrel.gpx')] });
    expect(r.ingested).toBe(1);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('stores the feed as a track source with its time span and area', async () => {
    const [s] = await cairn.sources();
    expect(s!.kind).toBe('track');
    expect(s!.t0).toBe('2031-03-14T06:00:00.000Z');
    expect(s!.geo!.south).toBeCloseTo(41.9, 5);
  });

  it('answers area and time-window queries from the observations table', async () => {
    const all = await cairn.tracks({});
    expect(all.observations).toHaveLength(20);
    const window = await cairn.tracks({ from: '2031-03-14T07:30:00Z', to: '2031-03-14T09:00:00Z' });
    expect(window.observations).toHaveLength(10);
    const area = await cairn.tracks({ bbox: { west: 12, south: 41.8, east: 13, north: 42 } });
    expect(area.observations.every((o) => o.lat <= 42)).toBe(true);
    expect(area.observations).toHaveLength(10);
    await expect(cairn.tracks({ from: 'yesterday-ish' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('finds and cites a track segment by entity and time span', async () => {
    const r = await cairn.search({ query: 'Patrol boat Kestrel', k: 5 });
    const seg = r.hits.find((h) => h.place && 'entity' in h.place);
    expect(seg).toBeDefined();
    const place = seg!.place as { entity: string; t0: string; t1: string };
    expect(place.t0 < place.t1).toBe(true);
    const a = await cairn.ask({ question: 'Where was the patrol boat Kestrel?' });
    expect(a.citations.length).toBeGreaterThan(0);
    expect(a.citations[0]!.locator).toMatchObject({ entity: expect.any(String) });
  });

  it('filters search by place, time and kind inside the store query', async () => {
    await writeFile(path.join(root, 'memo.txt'), 'Memo about the patrol boat Kestrel and its crew rota.');
    await cairn.ingest({ paths: [path.join(root, 'memo.txt')] });
    // Near the first segment (41.9 N, 12.5 E) within 5 km: only that segment.
    const near = await cairn.search({ query: 'Patrol boat Kestrel', near: '41.905,12.505', radiusKm: 5, k: 10 });
    expect(near.hits.length).toBe(1);
    expect((near.hits[0]!.place as { t0: string }).t0).toBe('2031-03-14T06:00:00.000Z');
    // The same place as MGRS.
    const { default: proj4 } = await import('proj4');
    const mgrs = proj4.mgrs.forward([12.505, 41.905]);
    expect((await cairn.search({ query: 'Patrol boat Kestrel', near: mgrs, radiusKm: 5 })).hits).toHaveLength(1);
    // The time window of the second segment only.
    const later = await cairn.search({ query: 'Patrol boat Kestrel', from: '2031-03-14T07:30:00Z', to: '2031-03-14T09:00:00Z' });
    expect(later.hits).toHaveLength(1);
    expect((later.hits[0]!.place as { t0: string }).t0).toBe('2031-03-14T08:00:00.000Z');
    // Kinds: the memo is the only document.
    const docs = await cairn.search({ query: 'Patrol boat Kestrel', kind: ['document'] });
    expect(docs.hits.map((h) => h.title)).toEqual(['memo.txt']);
    expect((await cairn.search({ query: 'Patrol boat Kestrel', kind: ['track'] })).hits.every((h) => h.title !== 'memo.txt')).toBe(true);
    await expect(cairn.search({ query: 'x', near: 'the harbour' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });

  it('lists track points within a radius of a place', async () => {
    const r = await cairn.tracks({ near: '42.5,12.5', radiusKm: 2 });
    expect(r.observations.length).toBeGreaterThan(0);
    expect(r.observations.every((o) => o.lat >= 42.48 && o.lat <= 42.52)).toBe(true);
  });
});
