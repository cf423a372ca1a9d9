import { describe, expect, it } from 'vitest';
import { describeFixtures, readExpectedCsv, readFixture, readString } from './fixtures.js';

describeFixtures('cot', 'Cursor-on-Target events vs expected.csv', () => {
  const rows = readExpectedCsvSafe('cot', 'expected.csv');

  it.each(rows.map((r) => [r.file!, r] as const))('%s', async (file, row) => {
    const r = await readFixture('cot', file);
    expect(r.format).toBe('cot');
    expect(r.features).toHaveLength(1);
    const p = r.features[0]!.properties;
    expect(p.uid).toBe(row.uid);
    expect(p.type).toBe(row.type);
    expect(p.how).toBe(row.how);
    expect(Date.parse(p.time as string)).toBe(Date.parse(row.time!));
    expect(p.stale).toBe(row.stale);
    expect(p.lat).toBeCloseTo(Number(row.lat), 12);
    expect(p.lon).toBeCloseTo(Number(row.lon), 12);
    // hae 9999999 is CoT's "unknown".
    expect(p.hae).toBe(Number(row.hae) >= 9999999 ? null : Number(row.hae));
    expect(p.callsign).toBe(row.callsign);
    expect(p.linkPoints).toBe(Number(row.n_link_points));
    const placeholder = Number(row.lat) === 0 && Number(row.lon) === 0;
    if (placeholder) {
      // The route's 0,0 point is no position: no observation, the route is a line feature.
      expect(r.observations).toHaveLength(0);
      expect(r.features[0]!.geometry?.type).toBe('LineString');
      expect(r.warnings.join('\n')).toMatch(/0,0 placeholder/);
    } else {
      expect(r.observations).toEqual([{ entity: row.uid, t: new Date(Date.parse(row.time!)).toISOString(), lat: Number(row.lat), lon: Number(row.lon), alt: null, speed: null, course: null }]);
      expect(r.segments[0]!.text).toContain(row.callsign!);
      expect(r.segments[0]!.text).toContain(row.uid!);
    }
  });

  it('turns the closed freehand drawing into a polygon and the route waypoints into named vertices', async () => {
    const shape = await readFixture('cot', 'Drawing_Shapes_Free_Form.cot');
    expect(shape.features[0]!.geometry?.type).toBe('Polygon');
    const route = await readFixture('cot', 'Route.cot');
    const wps = route.features[0]!.properties.waypoints as Array<{ callsign: string }>;
    expect(wps.map((w) => w.callsign)).toEqual(['Route 1 SP', 'CP1', 'CP2', 'VDO']);
  });
});

describe('CoT streams', () => {
  it('reads several concatenated events as one track per uid with speed and course', async () => {
    const ev = (t: string, lat: number, lon: number): string =>
      `<?xml version="1.0"?><event version="2.0" uid="ANDROID-1" type="a-h-G" how="m-g" time="${t}" start="${t}" stale="${t}"><point lat="${lat}" lon="${lon}" hae="120" ce="10" le="5"/><detail><contact callsign="RED 1"/><track course="90" speed="5"/></detail></event>`;
    const r = await readString([ev('2024-01-01T10:00:00Z', 34.1, 45.1), ev('2024-01-01T10:05:00Z', 34.1, 45.2)].join('\n'), 'stream.cot');
    expect(r.observations).toHaveLength(2);
    expect(r.observations[1]).toMatchObject({ entity: 'ANDROID-1', alt: 120, speed: 5, course: 90 });
    expect(r.segments).toHaveLength(1);
    expect(r.segments[0]!.text).toMatch(/hostile ground track "RED 1"/);
  });
});

describeFixtures('csv', 'CSV tracks vs geolife expected.csv', () => {
  const rows = readExpectedCsvSafe('csv', 'geolife_traj1-3.expected.csv');

  it('detects ";" and X/Y columns, and matches count, first/last time and bbox per trajectory', async () => {
    const r = await readFixture('csv', 'geolife_traj1-3.csv');
    expect(r.format).toBe('csv');
    expect(r.metadata.delimiter).toBe(';');
    expect(r.metadata.columns).toMatchObject({ lat: 'Y', lon: 'X', time: 't', entity: 'trajectory_id' });
    expect(rows.length).toBe(3);
    for (const row of rows) {
      const obs = r.observations.filter((o) => o.entity === `trajectory_id ${row.trajectory_id}`);
      expect(obs.length).toBe(Number(row.n_points));
      const times = obs.map((o) => Date.parse(o.t!));
      // `+00` offsets are honoured.
      expect(Math.min(...times)).toBe(Date.parse(row.first_t!.replace(' ', 'T').replace('+00', 'Z')));
      expect(Math.max(...times)).toBe(Date.parse(row.last_t!.replace(' ', 'T').replace('+00', 'Z')));
      expect(Math.min(...obs.map((o) => o.lon))).toBeCloseTo(Number(row.min_lon), 9);
      expect(Math.min(...obs.map((o) => o.lat))).toBeCloseTo(Number(row.min_lat), 9);
      expect(Math.max(...obs.map((o) => o.lon))).toBeCloseTo(Number(row.max_lon), 9);
      expect(Math.max(...obs.map((o) => o.lat))).toBeCloseTo(Number(row.max_lat), 9);
    }
    // Segments never span a gap over 30 min, and cover every observation exactly once.
    expect(r.segments.reduce((n, s) => n + s.count, 0)).toBe(r.observations.length);
    for (const s of r.segments) {
      const slice = r.observations.slice(s.start, s.end);
      for (let i = 1; i < slice.length; i++) expect(Date.parse(slice[i]!.t!) - Date.parse(slice[i - 1]!.t!)).toBeLessThanOrEqual(30 * 60_000);
    }
  });
});

describe('CSV detection', () => {
  it('reads comma CSV with MMSI, ISO times with offsets, SOG in knots and vessel names', async () => {
    const csv = [
      'MMSI,BaseDateTime,LAT,LON,SOG,COG,VesselName',
      '366999712,2024-05-01T10:00:00+02:00,41.2,-70.1,10,90,"EVER, GREEN"',
      '366999712,2024-05-01 08:10:00Z,41.25,-70.05,12,91,"EVER, GREEN"',
    ].join('\n');
    const r = await readString(csv, 'ais.csv');
    expect(r.observations.map((o) => o.t)).toEqual(['2024-05-01T08:00:00.000Z', '2024-05-01T08:10:00.000Z']);
    expect(r.observations[0]!.speed).toBeCloseTo(10 * 0.514444, 4);
    expect(r.observations[0]!.entity).toBe('366999712');
    expect(r.segments[0]!.text).toMatch(/^MMSI 366999712 \(VesselName EVER, GREEN\)/);
  });

  it('reads tab-separated lat/lon without times, and refuses a CSV without coordinate columns', async () => {
    const r = await readString('name\tlatitude\tlongitude\nA\t10.5\t20.5\nB\t11\t21\n', 'pts.tsv');
    expect(r.format).toBe('csv');
    expect(r.observations).toHaveLength(2);
    expect(r.warnings.join('\n')).toMatch(/no time column/);
    await expect(readString('a,b,c\n1,2,3\n', 'nothing.csv')).rejects.toMatchObject({ code: 'PARSE_FAILED' });
  });

  it('refuses X/Y columns that are projected metres, not degrees', async () => {
    await expect(readString('X;Y;t\n500000;4500000;2020-01-01 00:00:00+00\n500010;4500010;2020-01-01 00:00:10+00\n', 'utm.csv')).rejects.toMatchObject({
      code: 'PARSE_FAILED',
      message: expect.stringMatching(/projected/),
    });
  });
});

function readExpectedCsvSafe(folder: string, file: string): Array<Record<string, string>> {
  try {
    return readExpectedCsv(folder, file);
  } catch {
    return [{ file: '(fixtures absent)' }];
  }
}
