/**
 * Issue item "bad input", end to end: hostile and broken files of every kind
 * in one `ingest` batch against a real LanceDB store. Each is refused with a
 * typed reason or read with its bad parts skipped and counted; the batch goes
 * on, and nothing of a refused file reaches the store.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import type { IngestSummary } from '../../ingest/pipeline.js';

/** Appends the NMEA checksum to a sentence body ("$GPGGA,..." or "!AIVDM,..."). */
function withSum(body: string): string {
  const x = [...body.slice(1)].reduce((acc, c) => acc ^ c.charCodeAt(0), 0);
  return `${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
}

const SECRET = 'CAIRN-SECRET-7f3a9c';

describe('bad input through the whole ingest (real files, real LanceDB)', () => {
  let root: string;
  let cairn: Cairn;
  let summary: IngestSummary;
  const file = (name: string): string => path.join(root, name);
  const result = (name: string) => summary.files.find((f) => f.file === file(name))!;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'cairn-bad-input-'));
    await writeFile(file('secret.txt'), SECRET);
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 200, g: 30, b: 30 } } }).png().toBuffer();
    const jpeg = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 20, g: 90, b: 200 } } }).jpeg().toBuffer();
    const tiff = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 0, g: 0, b: 0 } } }).tiff().toBuffer();
    const entity = `<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://${file('secret.txt')}">]>`;
    const good = ['$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W', '$GPRMC,123619,A,4807.138,N,01131.100,E,022.4,084.4,230394,003.1,W'].map(withSum);
    const files: Record<string, Buffer | string> = {
      'truncated.png': png.subarray(0, Math.floor(png.length / 2)),
      'truncated.jpg': jpeg.subarray(0, Math.floor(jpeg.length * 0.6)),
      // A TIFF header whose first IFD offset points past the end of the file.
      'corrupt.tif': Buffer.concat([Buffer.from([0x49, 0x49, 0x2a, 0x00, 0xff, 0xff, 0x00, 0x00]), Buffer.alloc(64, 0x41)]),
      // A real TIFF cut inside its strip data.
      'cut.tif': tiff.subarray(0, 200),
      'xxe.kml': `<?xml version="1.0"?>${entity}<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark><name>&xxe;</name><Point><coordinates>12.5,41.9</coordinates></Point></Placemark></Document></kml>`,
      'xxe.svg': `<?xml version="1.0"?>${entity}<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&xxe;</text></svg>`,
      // Two good fixes, two with a wrong checksum, one without any.
      'fixes.nmea': [good[0], good[0]!.replace(/\*..$/, '*00'), good[1], good[1]!.replace(/\*..$/, '*FF'), '$GPRMC,123719,A,4807.238,N,01131.200,E,022.4,084.4,230394,003.1,W'].join('\n'),
      // A type 1 report, then the first half of a type 5 whose second part never comes.
      'fragments.ais': [withSum('!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0'), withSum('!AIVDM,2,1,9,B,53nFBv01SJ<thHp6220H4heHTf2222222222221?50:454o<`9QSlUDp,0')].join('\n'),
      // Nothing but fragments: no position at all.
      'only-fragments.ais': [withSum('!AIVDM,2,1,9,B,53nFBv01SJ<thHp6220H4heHTf2222222222221?50:454o<`9QSlUDp,0'), withSum('!AIVDM,2,2,4,A,888888888888880,2')].join('\n'),
      // A track CSV whose coordinate columns hold nothing usable.
      'unusable.csv': 'time,lat,lon\n2031-03-14T06:00:00Z,north,east\n2031-03-14T06:01:00Z,,\n2031-03-14T06:02:00Z,95.5,200.1\n',
      // A table with no coordinate columns at all is a document (searchable text), not a failed track.
      'table.csv': 'name,colour,count\nalpha,red,3\nbravo,blue,4\n',
    };
    for (const [name, data] of Object.entries(files)) await writeFile(file(name), data);
    cairn = await Cairn.open(path.join(root, 'data'));
    summary = await cairn.ingest({ paths: Object.keys(files).map(file) });
  }, 120_000);

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('refuses each unreadable file with a typed reason and goes on with the batch', () => {
    expect(result('truncated.png')).toMatchObject({ status: 'failed', error: { code: expect.stringMatching(/PARSE_FAILED|IMAGE_CORRUPT|CORRUPT/) } });
    expect(result('truncated.jpg').status).toBe('failed');
    expect(result('corrupt.tif').status).toBe('failed');
    expect(result('cut.tif').status).toBe('failed');
    expect(result('xxe.kml')).toMatchObject({ status: 'failed', error: { code: 'PARSE_FAILED', message: expect.stringMatching(/entit|DOCTYPE/i) } });
    expect(result('xxe.svg')).toMatchObject({ status: 'failed', error: { code: 'UNSUPPORTED_TYPE' } });
    expect(result('only-fragments.ais')).toMatchObject({ status: 'failed', error: { code: 'EMPTY_FILE', message: expect.stringMatching(/never completed/) } });
    expect(result('unusable.csv')).toMatchObject({ status: 'failed', error: { code: 'EMPTY_FILE', message: expect.stringMatching(/no positions/) } });
    expect(result('table.csv').status).toBe('ingested');
    for (const f of summary.files) expect(f.error?.message ?? '', f.file).not.toMatch(/at .*\.ts:\d+|TypeError|undefined/);
    expect(summary.ingested).toBe(3);
  });

  it('reads the good sentences of a feed and counts the bad ones', async () => {
    const sources = await cairn.sources();
    const nmea = sources.find((s) => s.origin === file('fixes.nmea'))!;
    expect(nmea.metadata.observations).toBe(2);
    expect(nmea.metadata.checksumFailures).toBe(2);
    expect((nmea.metadata.warnings as string[]).join('\n')).toMatch(/2 sentences with a bad checksum skipped/);
    expect((nmea.metadata.warnings as string[]).join('\n')).toMatch(/without a \*hh checksum/);
    const ais = sources.find((s) => s.origin === file('fragments.ais'))!;
    expect(ais.metadata.observations).toBe(1);
    expect((ais.metadata.warnings as string[]).join('\n')).toMatch(/1 multi-part AIS message never completed/);
  });

  it('writes nothing of a refused file, and never reads the entity target', async () => {
    const sources = await cairn.sources();
    expect(sources.map((s) => `${path.basename(s.origin)}:${s.kind}`).sort()).toEqual(['fixes.nmea:track', 'fragments.ais:track', 'table.csv:document']);
    const hits = await cairn.search({ query: SECRET, k: 10 });
    expect(hits.hits.filter((h) => h.text.includes(SECRET))).toEqual([]);
    const records = await cairn.auditRecords();
    const failed = records.filter((r) => r.action === 'ingest.failed').map((r) => path.basename((r.payload as { file: string }).file));
    expect(failed.sort()).toEqual(['corrupt.tif', 'cut.tif', 'only-fragments.ais', 'truncated.jpg', 'truncated.png', 'unusable.csv', 'xxe.kml', 'xxe.svg']);
    // No thumbnail or kept original of a refused picture either.
    const data = path.join(root, 'data');
    const { readdir } = await import('node:fs/promises');
    const blobs = await readdir(path.join(data, 'blobs')).catch(() => [] as string[]);
    const thumbs = await readdir(path.join(data, 'thumbnails')).catch(() => [] as string[]);
    expect([...blobs, ...thumbs]).toEqual([]);
    expect(await readFile(file('secret.txt'), 'utf8')).toBe(SECRET);
  });
});
