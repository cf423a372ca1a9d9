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
});
