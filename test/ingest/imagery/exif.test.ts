/**
 * EXIF place and time for every row of ../shared/eval/imagery/exif/expected.csv
 * (exiftool -n: signed decimal degrees, DateTimeOriginal verbatim,
 * OffsetTimeOriginal), through the public readImage.
 */
import { describe, expect, it } from 'vitest';
import { exifDateToIso, readImage } from '../../../ingest/imagery/index.js';
import { describeFixtures, fixtureBytes, readExpectedCsv } from './fixtures.js';

/** exiftool's "YYYY:MM:DD HH:MM:SS[.fff][±HH:MM]" plus the offset column, as the ISO 8601 we promise. */
function expectedIso(datetime: string, offset: string): string {
  const [date, time] = datetime.split(' ');
  const zone = /[+-]\d{2}:\d{2}$|Z$/.test(time!) ? '' : offset;
  return `${date!.replace(/:/g, '-')}T${time}${zone}`;
}

describeFixtures('exif', 'EXIF GPS and capture time (exif/expected.csv)', () => {
  const rows = readExpectedCsv('exif');

  it('has rows to check', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  for (const row of rows) {
    it(`${row.file}: position and time as exiftool reads them`, async () => {
      const img = await readImage(fixtureBytes('exif', row.file!), { filename: row.file! });
      if (row.lat === '' || row.lon === '') {
        expect(img.geo).toBeNull();
      } else {
        expect(img.geo).not.toBeNull();
        expect(Math.abs(img.geo!.lat - Number(row.lat))).toBeLessThan(1e-5);
        expect(Math.abs(img.geo!.lon - Number(row.lon))).toBeLessThan(1e-5);
      }
      if (row.datetime === '') expect(img.time).toBeNull();
      else expect(img.time).toBe(expectedIso(row.datetime!, row.offset ?? ''));
      expect(img.width).toBeGreaterThan(0);
      expect(img.height).toBeGreaterThan(0);
    });
  }

  it('the file without EXIF gives nulls, not guesses', async () => {
    const img = await readImage(fixtureBytes('exif', 'noexif.jpg'), { filename: 'noexif.jpg' });
    expect(img).toMatchObject({ geo: null, time: null, camera: null, orientation: null, footprint: null, title: 'noexif.jpg' });
  });

  it('southern and western hemispheres are signed negative', async () => {
    const kodak = await readImage(fixtureBytes('exif', 'Kodak_CX7530.jpg'), { filename: 'k.jpg' });
    expect(kodak.geo!.lat).toBeLessThan(0);
    const yosemite = await readImage(fixtureBytes('exif', 'issue-exifr-59.jpg'), { filename: 'y.jpg' });
    expect(yosemite.geo!.lon).toBeLessThan(0);
    expect(yosemite.geo!.alt).toBe(1960);
  });

  it('camera, orientation and altitude below sea level (GPSAltitudeRef 1)', async () => {
    const dji = await readImage(fixtureBytes('exif', '001.tif'), { filename: '001.tif' });
    expect(dji.camera).toBe('DJI FLIR');
    expect(dji.geo!.alt).toBe(-8);
    const nikon = await readImage(fixtureBytes('exif', 'DSCN0010.jpg'), { filename: 'DSCN0010.jpg' });
    expect(nikon).toMatchObject({ camera: 'NIKON COOLPIX P6000', orientation: 1, format: 'jpeg', mime: 'image/jpeg', width: 640, height: 480 });
  });

  it('HEIC: size from the HEIF header and EXIF read even though this build cannot decode HEVC pixels', async () => {
    const img = await readImage(fixtureBytes('exif', 'heic-iphone7.heic'), { filename: 'heic-iphone7.heic', thumbnailDir: undefined });
    expect(img).toMatchObject({ format: 'heif', mime: 'image/heic', width: 4032, height: 3024, time: '2019-10-20T18:34:30+02:00', camera: 'Apple iPhone 7' });
    // Either decoded (a build with libde265) or flagged; never a failure.
    if (img.thumbnail === null) expect(String(img.metadata.warnings)).toMatch(/HEVC/);
  });

  it('IPTC headline becomes the title', async () => {
    const img = await readImage(fixtureBytes('exif', 'iptc-agency-photographer-example.jpg'), { filename: 'x.jpg' });
    expect(img.title).toBe('Lincoln Memorial');
  });
});

describe('exifDateToIso', () => {
  it('keeps the stated offset and sub-seconds, drops placeholders', () => {
    expect(exifDateToIso('2021:04:11 15:47:53', '-05:00')).toBe('2021-04-11T15:47:53-05:00');
    expect(exifDateToIso('2019:04:30 15:56:18.605+00:00')).toBe('2019-04-30T15:56:18.605+00:00');
    expect(exifDateToIso('2008:10:22 16:28:39')).toBe('2008-10-22T16:28:39');
    expect(exifDateToIso('0000:00:00 00:00:00')).toBeNull();
    expect(exifDateToIso('    :  :     :  :  ')).toBeNull();
    expect(exifDateToIso('2021:02:30 10:00:00')).toBeNull();
    expect(exifDateToIso('2021:04:11 15:47:53', 'garbage')).toBe('2021-04-11T15:47:53');
  });
});
