import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../../main/core/errors.js';
import { describeFixtures, fixtureText, readFixture, readString, SENSORS } from './fixtures.js';

const dir = path.join(SENSORS, 'geojson');
const files = existsSync(dir) ? readdirSync(dir) : [];
const bad = files.filter((f) => f.startsWith('bad-') && f.endsWith('.geojson'));
const good = files.filter((f) => !f.startsWith('bad-') && f.endsWith('.geojson'));

async function rejection(p: Promise<unknown>): Promise<CairnError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CairnError);
    return e as CairnError;
  }
  throw new Error('expected the file to be refused');
}

describeFixtures('geojson', 'GeoJSON fixtures', () => {
  it.each(bad.length ? bad : ['(none)'])('refuses %s with PARSE_FAILED naming the problem', async (file) => {
    const err = await rejection(readFixture('geojson', file));
    expect(err.code).toBe('PARSE_FAILED');
    expect(err.message).toContain(file);
    // geojsonhint's own finding, for the record: our wording differs, but the problem is the same kind.
    const hint = JSON.parse(fixtureText('geojson', file.replace(/\.geojson$/, '.expected.json'))) as Array<{ message: string }>;
    expect(hint.length).toBeGreaterThan(0);
    const topic: Array<[RegExp, RegExp]> = [
      [/Parse error/, /not JSON/],
      [/position must be a number/, /must be a number/],
      [/2 or more elements/, /2 or more elements/],
      [/first and last positions/, /first and last positions/],
      [/root of a GeoJSON object must be an object/, /root .* must be an object/],
    ];
    for (const [theirs, ours] of topic) if (theirs.test(hint[0]!.message)) expect(err.message).toMatch(ours);
  });

  it.each(good.length ? good : ['(none)'])('reads %s', async (file) => {
    const r = await readFixture('geojson', file);
    expect(r.format).toBe('geojson');
    expect(r.features.length + r.observations.length).toBeGreaterThan(0);
  });

  it('keeps every feature of a valid FeatureCollection with its properties', async () => {
    const r = await readFixture('geojson', 'good-featurecollection.geojson');
    expect(r.features.map((f) => f.geometry?.type)).toEqual(['Point', 'LineString', 'Polygon']);
    expect(r.features[2]!.properties).toEqual({ prop0: 'value0', prop1: { this: 'that' } });
  });

  it('keeps a null geometry and a string id', async () => {
    expect((await readFixture('geojson', 'good-nullgeometry.geojson')).features[0]!.geometry).toBeNull();
    expect((await readFixture('geojson', 'good-feature-with-string-id.geojson')).features[0]!.id).toBe('myfeature');
  });

  it('turns coordTimes lines into observations (run) and per-geometry times into one segment per line (gx:MultiTrack)', async () => {
    const run = await readFixture('geojson', 'timestamped-run.geojson');
    expect(run.observations).toHaveLength(206);
    expect(run.observations[0]).toMatchObject({ entity: 'Untitled', t: '2012-10-24T23:29:40.000Z', lon: -77.02016168273985, lat: 38.92747367732227 });
    const multi = await readFixture('geojson', 'timestamped-gxmultitrack.geojson');
    expect(multi.segments.length).toBe(2);
    expect(multi.features.map((f) => f.geometry?.type)).toEqual(['Point', 'Point']);
  });
});

describe('GeoJSON limits and extra checks', () => {
  it('refuses nesting deeper than the limit without exhausting the stack', async () => {
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const err = await rejection(readString(deep, 'deep.geojson'));
    expect(err.code).toBe('PARSE_FAILED');
    expect(err.message).toMatch(/nested more than 100 levels/);
    const deepObj = `{"type":"Feature","geometry":null,"properties":${'{"a":'.repeat(150)}1${'}'.repeat(150)}}`;
    await expect(readString(deepObj, 'deep.json', { maxJsonDepth: 200 })).resolves.toMatchObject({ format: 'geojson' });
    await expect(readString(deepObj, 'deep.json')).rejects.toMatchObject({ code: 'PARSE_FAILED' });
  });

  it('refuses duplicate members, wrong case types, single-member collections and bad bboxes', async () => {
    const cases = [
      ['{"type":"FeatureCollection","type":"Feature","features":[]}', /member "type" twice/],
      ['{"type":"featurecollection","features":[]}', /expected type FeatureCollection but got featurecollection/],
      ['{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[1,2]}]}', /single geometry/],
      ['{"type":"Point","coordinates":[1,2],"bbox":"0,0,1,1"}', /bbox must be an array/],
      ['{"type":"Feature","geometry":null}', /"properties" member required/],
      ['{"type":"LineString","coordinates":[[1,2]]}', /two or more positions/],
      ['{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,"x"]},"properties":{}}]}', /features\[0\]\.geometry\.coordinates: each element/],
    ] as const;
    for (const [text, message] of cases) {
      const err = await rejection(readString(text, 'x.geojson'));
      expect(err.message).toMatch(message);
    }
  });

  it('reads timed points that name their entity (mmsi) as observations, and warns on >3-element positions', async () => {
    const fc = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', geometry: { type: 'Point', coordinates: [-70.1, 41.2] }, properties: { mmsi: '366999712', time: '2024-05-01T10:00:00Z', sog: 5 } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [-70.2, 41.3] }, properties: { mmsi: '366999712', time: '2024-05-01T10:10:00Z' } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [-70.3, 41.4, 0, 7] }, properties: { name: 'buoy' } },
      ],
    };
    const r = await readString(JSON.stringify(fc), 'pts.geojson');
    expect(r.observations.map((o) => o.entity)).toEqual(['366999712', '366999712']);
    expect(r.features).toHaveLength(1);
    expect(r.warnings.join('\n')).toMatch(/more than 3 elements/);
  });
});
