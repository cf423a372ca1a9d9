import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { expect, it } from 'vitest';
import type { ExtractedTrack, SensorFeature } from '../../../ingest/sensors/index.js';
import { describeFixtures, fixtureText, readFixture, SENSORS } from './fixtures.js';

/**
 * GPX, KML, KMZ and TCX against the togeojson outputs stored beside them:
 * every expected feature with per-vertex times must come back as
 * observations with the same positions and times; every other expected
 * feature must come back as a feature with the same geometry.
 */

interface ExpectedFeature {
  geometry: { type: string; coordinates?: unknown; geometries?: unknown } | null;
  properties: Record<string, unknown>;
}

function expectedTimes(f: ExpectedFeature): unknown[] | null {
  const cp = f.properties.coordinateProperties as Record<string, unknown> | undefined;
  const t = (cp?.times ?? f.properties.coordTimes) as unknown[] | undefined;
  return Array.isArray(t) ? t : null;
}

/** Flattened `time|lon|lat` keys of an expected timed line, minus the 0,0 placeholder the reader drops. */
function expectedKeys(f: ExpectedFeature): string[] {
  const g = f.geometry!;
  const parts = (g.type === 'LineString' ? [g.coordinates] : g.coordinates) as number[][][];
  const times = expectedTimes(f)!;
  const nested = parts.length === 1 && !Array.isArray(times[0]) ? [times] : (times as unknown[][]);
  const keys: string[] = [];
  parts.forEach((line, pi) =>
    line.forEach((c, ci) => {
      if (c[0] === 0 && c[1] === 0) return;
      keys.push(key(String(nested[pi]![ci]), c[0]!, c[1]!));
    }),
  );
  return keys.sort();
}

function key(t: string, lon: number, lat: number): string {
  return `${Date.parse(t)}|${lon.toFixed(9)}|${lat.toFixed(9)}`;
}

function compare(result: ExtractedTrack, expected: { features: ExpectedFeature[] }): void {
  const timed = expected.features.filter((f) => expectedTimes(f) !== null);
  const plain = expected.features.filter((f) => expectedTimes(f) === null);
  const tracks = result.metadata.tracks as Array<{ entity: string }>;
  expect(tracks.length).toBe(timed.length);
  timed.forEach((f, i) => {
    const entity = tracks[i]!.entity;
    if (typeof f.properties.name === 'string') expect(entity).toBe(f.properties.name.trim());
    const ours = result.observations.filter((o) => o.entity === entity).map((o) => key(o.t!, o.lon, o.lat));
    expect(ours.sort()).toEqual(expectedKeys(f));
    // Altitudes too, where given.
    const g = f.geometry!;
    const first = (g.type === 'LineString' ? (g.coordinates as number[][])[0] : (g.coordinates as number[][][])[0]![0])!;
    const firstObs = result.observations.find((o) => o.entity === entity && o.lon === first[0] && o.lat === first[1]);
    if (firstObs && first.length > 2) expect(firstObs.alt).toBeCloseTo(first[2]!, 6);
  });
  expect(result.features.length).toBe(plain.length);
  for (const f of plain) {
    const match = result.features.find((ours: SensorFeature) => isDeepStrictEqual(ours.geometry, f.geometry) && (f.properties.name === undefined || ours.properties.name === f.properties.name));
    expect(match, `feature ${JSON.stringify(f.properties.name)} (${f.geometry?.type ?? 'null geometry'})`).toBeDefined();
  }
  // Every segment is a slice of the observations of one entity, and says where and when.
  for (const s of result.segments) {
    const slice = result.observations.slice(s.start, s.end);
    expect(slice.length).toBe(s.count);
    expect(slice.every((o) => o.entity === s.entity)).toBe(true);
    expect(s.text).toContain('MGRS');
  }
}

function cases(folder: string, ext: RegExp): Array<[string, string]> {
  const dir = path.join(SENSORS, folder);
  if (!existsSync(dir)) return [['(none)', '(none)']];
  return readdirSync(dir)
    .filter((f) => ext.test(f))
    .map((f): [string, string] => [f, f.replace(ext, '').replace(/\.kmz$/, '') + (f.endsWith('.kmz') ? '_kmz' : '') + '.expected.geojson'])
    .filter(([, e]) => existsSync(path.join(dir, e)));
}

for (const [folder, ext] of [
  ['gpx', /\.gpx$/],
  ['kml', /\.km[lz]$/],
  ['tcx', /\.tcx$/],
] as const) {
  describeFixtures(folder, `${folder.toUpperCase()} fixtures vs togeojson expected output`, () => {
    it.each(cases(folder, ext))('%s', async (input, exp) => {
      const result = await readFixture(folder, input);
      compare(result, JSON.parse(fixtureText(folder, exp)) as { features: ExpectedFeature[] });
    });
  });
}

describeFixtures('gpx', 'GPX edge cases without expected files', () => {
  it('keeps the timed segment of a track with an empty trkseg', async () => {
    const r = await readFixture('gpx', 'track-with-empty-segment.gpx');
    expect(r.observations).toHaveLength(9);
    expect(r.segments).toHaveLength(1);
    expect(r.segments[0]!.t0).toBe('2013-07-06T17:26:26.000Z');
    expect(r.segments[0]!.t1).toBe('2013-07-06T17:27:42.000Z');
  });

  it('reads GPX 1.0 waypoints and routes as features with the document name as title', async () => {
    const r = await readFixture('gpx', 'gpx1.0_with_all_fields.gpx');
    expect(r.format).toBe('gpx');
    expect(r.title).toBe('example name');
    expect(r.features.filter((f) => f.geometry?.type === 'Point')).toHaveLength(2);
    expect(r.features.some((f) => f.geometry?.type === 'LineString')).toBe(true);
  });

  it('reads a file with a UTF-8 BOM and unicode names', async () => {
    const r = await readFixture('gpx', 'unicode_with_bom.gpx');
    expect(r.features).toHaveLength(1);
    expect(r.features[0]!.geometry).toEqual({ type: 'Point', coordinates: expect.any(Array) });
  });

  it('splits a multi-segment track at trkseg boundaries', async () => {
    const r = await readFixture('gpx', 'missing_hr.gpx');
    expect(r.segments.length).toBe(3);
    expect(new Set(r.segments.map((s) => s.entity))).toEqual(new Set(['missing hr']));
  });
});

describeFixtures('tcx', 'TCX details', () => {
  it('drops the 0,0 placeholder of bad.tcx with a warning and keeps the real point', async () => {
    const r = await readFixture('tcx', 'bad.tcx');
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]).toMatchObject({ lat: 0, lon: 10, alt: 483, t: '2020-12-27T14:59:37.000Z' });
    expect(r.warnings.join('\n')).toMatch(/0,0/);
  });

  it('keeps TPX speeds (m/s) and makes one segment per lap', async () => {
    const r = await readFixture('tcx', 'sample.tcx');
    expect(r.segments).toHaveLength(3);
    expect(r.observations[0]!.speed).toBeCloseTo(6.009, 3);
  });
});
