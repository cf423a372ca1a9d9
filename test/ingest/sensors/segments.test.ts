import { describe, expect, it } from 'vitest';
import { describeFixtures, readFixture, readString } from './fixtures.js';

const csv = (rows: Array<[string, string, number, number, number?]>): string =>
  ['mmsi,time,lat,lon,sog', ...rows.map(([id, t, lat, lon, sog]) => `${id},${t},${lat},${lon},${sog ?? ''}`)].join('\n');

describe('track segments', () => {
  it('cuts an entity at gaps over 30 minutes, sorts by time, and keeps entities apart', async () => {
    const r = await readString(
      csv([
        ['366999712', '2024-05-01T10:10:00Z', 41.01, -70.0, 10],
        ['366999712', '2024-05-01T10:00:00Z', 41.0, -70.0, 10],
        ['366999712', '2024-05-01T10:20:00Z', 41.02, -70.0, 12],
        ['366999712', '2024-05-01T11:00:00Z', 41.1, -70.0, 0],
        ['211000000', '2024-05-01T10:00:00Z', 54.0, 10.0],
      ]),
      'gaps.csv',
    );
    expect(r.segments.map((s) => [s.entity, s.t0, s.t1, s.count])).toEqual([
      ['366999712', '2024-05-01T10:00:00.000Z', '2024-05-01T10:20:00.000Z', 3],
      ['366999712', '2024-05-01T11:00:00.000Z', '2024-05-01T11:00:00.000Z', 1],
      ['211000000', '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z', 1],
    ]);
    expect(r.observations.slice(0, 3).map((o) => o.t)).toEqual(['2024-05-01T10:00:00.000Z', '2024-05-01T10:10:00.000Z', '2024-05-01T10:20:00.000Z']);
    const first = r.segments[0]!;
    expect(first.bbox).toEqual([-70, 41, -70, 41.02]);
    expect(first.text).toMatch(/^MMSI 366999712\. 3 positions from 2024-05-01 10:00:00 UTC to 2024-05-01 10:20:00 UTC \(20 min\)\./);
    expect(first.text).toMatch(/Moved from 41\.00000N 70\.00000W \(MGRS 19T\w+\) to 41\.02000N 70\.00000W \(MGRS 19T\w+\)/);
    expect(first.text).toMatch(/Distance 2\.22 km, mean speed 6\.7 km\/h \(3\.6 kn\), max reported speed 22\.2 km\/h \(12\.0 kn\)\./);
  });

  it('honours maxGapMinutes and reports the longest stop', async () => {
    const rows: Array<[string, string, number, number]> = [];
    for (let m = 0; m <= 40; m += 5) rows.push(['1', `2024-05-01T10:${String(m).padStart(2, '0')}:00Z`, 41.0, -70.0]);
    rows.push(['1', '2024-05-01T10:50:00Z', 41.05, -70.0]);
    const r = await readString(csv(rows), 'stop.csv', { maxGapMinutes: 5 });
    expect(r.segments).toHaveLength(2);
    expect(r.segments[0]!.text).toMatch(/Stopped 40 min near 41\.00000N 70\.00000W from 2024-05-01 10:00:00 UTC\./);
  });

  it('gives segments without times t0 = t1 = null and still a place', async () => {
    const r = await readString('lat,lon\n10,20\n10.1,20.1\n', 'plain.csv');
    expect(r.segments).toEqual([expect.objectContaining({ entity: 'plain', t0: null, t1: null, count: 2 })]);
    expect(r.segments[0]!.text).toMatch(/2 positions without time stamps\. Moved from 10\.00000N 20\.00000E/);
  });
});

describeFixtures('ais', 'segment texts of real feeds', () => {
  it('name the vessel, callsign and ship type for AIS segments', async () => {
    const r = await readFixture('ais', 'pyais-mixed-aishub.nmea');
    const named = r.segments.filter((s) => /vessel "/.test(s.text));
    for (const s of named) expect(s.text).toMatch(/^MMSI \d{9} \(vessel "[^"]+"/);
  });

  it('cover every observation exactly once, in order', async () => {
    for (const [folder, file] of [
      ['ais', 'sample.aivdm'],
      ['gpx', 'run.gpx'],
      ['csv', 'geolife_traj1-3.csv'],
    ] as const) {
      const r = await readFixture(folder, file);
      let next = 0;
      for (const s of r.segments) {
        expect(s.start).toBe(next);
        next = s.end;
      }
      expect(next).toBe(r.observations.length);
    }
  });
});
