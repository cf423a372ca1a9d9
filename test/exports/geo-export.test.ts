import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { register as registerExport } from '../../main/cli/commands/export.js';
import { register as registerGrade } from '../../main/cli/commands/grade.js';
import { sha256Hex } from '../../main/core/hash.js';
import type { Observation } from '../../main/core/types.js';
import { runCommand } from '../reports/fixtures.js';

// Two small real feeds: a GPX patrol (with altitude) and a CSV of two vessels (speed in knots, course).
function gpx(): string {
  const pts = Array.from({ length: 6 }, (_, i) => {
    const t = new Date(Date.UTC(2031, 2, 14, 6, i * 10)).toISOString();
    return `<trkpt lat="${(41.95 + i * 0.01).toFixed(5)}" lon="${(12.55 + i * 0.01).toFixed(5)}"><ele>${3 + i}</ele><time>${t}</time></trkpt>`;
  }).join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="cairn-test" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Patrol boat Kestrel</name><trkseg>\n${pts}\n</trkseg></trk></gpx>\n`;
}
const CSV = [
  'mmsi,time,lat,lon,sog,cog',
  '366999712,2031-03-14T06:00:00Z,41.900,12.500,10.5,45',
  '366999712,2031-03-14T06:01:00Z,41.901,12.501,10.7,46',
  '366999712,2031-03-14T06:02:00Z,41.902,12.502,10.9,47',
  '244660000,2031-03-14T08:00:30Z,42.600,13.700,5.0,180',
  '244660000,2031-03-14T08:05:30Z,42.590,13.700,5.2,181',
].join('\n');

const key = (o: Observation): string => JSON.stringify([o.entity, o.t, o.lat, o.lon, o.alt, o.speed, o.course]);
const keys = (list: Observation[]): string[] => list.map(key).sort();

describe('geographic exports: GeoJSON, KML, CSV with markings and provenance, re-ingesting to the same points', () => {
  let root: string;
  let data: string;
  let cairn: Cairn;
  const run = (argv: string[]): ReturnType<typeof runCommand> => runCommand(registerExport, data, argv);

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-export-'));
    data = path.join(root, 'data');
    await writeFile(path.join(root, 'kestrel.gpx'), gpx());
    await writeFile(path.join(root, 'vessels.csv'), CSV);
    cairn = await Cairn.open(data, { actor: 'analyst1' });
    expect((await cairn.ingest({ paths: [path.join(root, 'kestrel.gpx')], marking: 'CONFIDENTIAL' })).ingested).toBe(1);
    expect((await cairn.ingest({ paths: [path.join(root, 'vessels.csv')], marking: 'SECRET//REL TO USA, GBR' })).ingested).toBe(1);
    const csvSource = (await cairn.sources()).find((s) => s.title.startsWith('vessels'))!;
    expect((await runCommand(registerGrade, data, ['grade', csvSource.id, 'C3'])).code).toBe(0);
  });
  afterAll(async () => rm(root, { recursive: true, force: true }));

  it.each(['geojson', 'kml', 'csv'] as const)('%s re-ingests with `cairn ingest` to the same observations', async (format) => {
    const out = path.join(root, 'out', `all.${format}`);
    const r = await run(['export', '--format', format, '--out', out, '--json']);
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ format, observations: 11, banner: 'SECRET//REL TO USA, GBR' });
    const original = (await cairn.tracks({})).observations;
    const fresh = await Cairn.open(path.join(root, `again-${format}`), { actor: 'analyst1' });
    const ingest = await fresh.ingest({ paths: [out], marking: 'SECRET//REL TO USA, GBR' });
    expect(ingest.ingested, JSON.stringify(ingest.files)).toBe(1);
    expect(keys((await fresh.tracks({})).observations)).toEqual(keys(original));
  });

  it('GeoJSON: every feature carries marking, provenance and grade; sources are footprints; the collection carries the banner', async () => {
    const out = path.join(root, 'out', 'props.geojson');
    await run(['export', '--out', out]);
    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.cairn).toMatchObject({ banner: 'SECRET//REL TO USA, GBR', exportedBy: 'analyst1', observations: 11, sources: 2 });
    const vessel = doc.features.find((f: { properties: { entity?: string } }) => f.properties.entity === '366999712');
    expect(vessel.geometry).toEqual({ type: 'Point', coordinates: [12.5, 41.9] });
    expect(vessel.properties).toMatchObject({ layer: 'observations', time: '2031-03-14T06:00:00.000Z', course: 45, marking: 'SECRET//REL TO USA, GBR', portion: '(S//REL TO USA, GBR)', sourceTitle: 'vessels', grade: 'C3' });
    expect(vessel.properties.speed).toBeCloseTo(10.5 * 0.514444, 4);
    const kestrel = doc.features.find((f: { properties: { entity?: string } }) => f.properties.entity === 'Patrol boat Kestrel');
    expect(kestrel.geometry.coordinates).toHaveLength(3);
    expect(kestrel.properties).toMatchObject({ marking: 'CONFIDENTIAL', portion: '(C)', sourceKind: 'track', grade: null });
    const footprints = doc.features.filter((f: { properties: { layer: string } }) => f.properties.layer === 'sources');
    expect(footprints).toHaveLength(2);
    expect(footprints[0].geometry.type).toBe('Polygon');
  });

  it('filters by area and time window', async () => {
    const area = JSON.parse((await run(['export', '--format', 'csv', '--bbox', '12,41.8,13,42.2', '--out', path.join(root, 'out', 'area.csv'), '--json'])).out);
    expect(area.observations).toBe(9);
    const csv = await readFile(path.join(root, 'out', 'area.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('name,time,lat,lon,alt_m,speed_ms,course,marking,portion,source_id,source_title,source_kind,source_origin,ingested_at,source_grade');
    expect(csv).not.toContain('244660000');
    const window = JSON.parse((await run(['export', '--format', 'kml', '--from', '2031-03-14T07:00Z', '--to', '2031-03-14T09:00Z', '--out', path.join(root, 'out', 'late.kml'), '--json'])).out);
    expect(window.observations).toBe(2);
    const kml = await readFile(path.join(root, 'out', 'late.kml'), 'utf8');
    expect(kml).toContain('<name>SECRET//REL TO USA, GBR Cairn export</name>');
    expect(kml).toContain('<SimpleData name="marking">SECRET//REL TO USA, GBR</SimpleData>');
    expect(kml).toContain('<TimeStamp><when>2031-03-14T08:00:30.000Z</when></TimeStamp>');
    expect((await run(['export', '--bbox', '1,2,3', '--out', path.join(root, 'x.csv')])).err).toContain('--bbox needs four numbers');
    expect((await run(['export', '--from', 'soon', '--out', path.join(root, 'x.csv')])).err).toContain('--from is not a date/time');
    expect((await run(['export', '--out', path.join(root, 'x.txt')])).err).toContain('--format must be one of geojson, kml, csv');
  });

  it('records every export in the audit log with who, what and the file hash', async () => {
    const out = path.join(root, 'out', 'audited.geojson');
    const r = JSON.parse((await run(['export', '--out', out, '--json'])).out);
    const rec = (await cairn.auditRecords()).find((x) => x.hash === r.auditId)!;
    expect(rec.action).toBe('export');
    expect(rec.actor).toBe('analyst1');
    expect(rec.payload).toMatchObject({ format: 'geojson', file: out, sha256: sha256Hex(await readFile(out)), observations: 11, entities: expect.arrayContaining(['366999712', 'Patrol boat Kestrel']) });
  });

  it.skipIf(!existsSync('/usr/bin/ogrinfo'))('GDAL (ogrinfo) reads the GeoJSON and the KML', async () => {
    const sh = promisify(execFile);
    const gj = path.join(root, 'out', 'gdal.geojson');
    const kml = path.join(root, 'out', 'gdal.kml');
    await run(['export', '--out', gj]);
    await run(['export', '--out', kml]);
    const a = await sh('/usr/bin/ogrinfo', ['-ro', '-al', '-so', gj]);
    expect(a.stdout).toContain('Feature Count: 13');
    expect(a.stdout).toMatch(/marking: String/);
    const b = await sh('/usr/bin/ogrinfo', ['-ro', '-al', '-so', kml]);
    expect(b.stdout).toMatch(/Layer name: Observations[\s\S]*Feature Count: 11/);
    const c = await sh('/usr/bin/ogrinfo', ['--config', 'GDAL_SKIP', 'LIBKML', '-ro', '-al', '-so', kml]);
    expect(c.stdout).toMatch(/Feature Count: 11/);
  });
});
