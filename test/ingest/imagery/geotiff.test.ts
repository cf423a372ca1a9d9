/**
 * GeoTIFF georeferencing against ../shared/eval/imagery/geotiff/expected.csv
 * (gdalinfo -json, GDAL 3.6.2): size, bands, EPSG, native bounds, geotransform
 * and the WGS84 extent. NAD27 is shifted with a Helmert approximation (GDAL
 * used a grid), so it gets a wider tolerance (2e-4 deg, ~20 m).
 */
import { describe, expect, it } from 'vitest';
import { proj4Definition, readGeoTiff, readImage } from '../../../ingest/imagery/index.js';
import { describeFixtures, fixtureBytes, readExpectedCsv } from './fixtures.js';

describeFixtures('geotiff', 'GeoTIFF bounds and CRS (geotiff/expected.csv)', () => {
  const rows = readExpectedCsv('geotiff');

  it('has rows to check', () => {
    expect(rows.length).toBeGreaterThanOrEqual(4);
  });

  for (const row of rows) {
    it(`${row.file}: EPSG:${row.crs_epsg}, native bounds, geotransform and WGS84 footprint`, async () => {
      const bytes = fixtureBytes('geotiff', row.file!);
      const info = await readGeoTiff(bytes, { filename: row.file! });
      expect(info).not.toBeNull();
      expect(info!.width).toBe(Number(row.width));
      expect(info!.height).toBe(Number(row.height));
      expect(info!.bands).toBe(Number(row.bands));
      expect(info!.epsg).toBe(Number(row.crs_epsg));
      const native = [row.minx, row.miny, row.maxx, row.maxy].map(Number);
      info!.nativeBounds.forEach((v, i) => expect(Math.abs(v - native[i]!)).toBeLessThan(1e-2));
      const gt = row.geotransform!.split(' ').map(Number);
      info!.geotransform.forEach((v, i) => expect(Math.abs(v - gt[i]!)).toBeLessThan(1e-6 * Math.max(1, Math.abs(gt[i]!))));

      const tol = row.crs_epsg === '26711' ? 2e-4 : 1e-5;
      const fp = info!.footprint!;
      expect(fp.crs).toBe(`EPSG:${row.crs_epsg}`);
      expect(Math.abs(fp.west - Number(row.wgs84_minlon))).toBeLessThan(tol);
      expect(Math.abs(fp.south - Number(row.wgs84_minlat))).toBeLessThan(tol);
      expect(Math.abs(fp.east - Number(row.wgs84_maxlon))).toBeLessThan(tol);
      expect(Math.abs(fp.north - Number(row.wgs84_maxlat))).toBeLessThan(tol);

      // readImage carries the same footprint, and the full georeferencing in metadata.
      const img = await readImage(bytes, { filename: row.file! });
      expect(img.footprint).toEqual(fp);
      expect(img.metadata.geotiff).toMatchObject({ epsg: Number(row.crs_epsg) });
    });
  }

  it('a COG counts its overview directories', async () => {
    const info = await readGeoTiff(fixtureBytes('geotiff', 'cogeo.tif'), { filename: 'cogeo.tif' });
    expect(info!.directories).toBeGreaterThan(1);
  });

  it('a plain TIFF is not georeferenced', async () => {
    expect(await readGeoTiff(fixtureBytes('exif', '001.tif'), { filename: '001.tif' })).toBeNull();
  });
});

describe('CRS definitions', () => {
  it('knows WGS84, Web Mercator, every UTM zone and NAD27 UTM 11 from parameters', () => {
    expect(proj4Definition(4326)).toMatch(/longlat/);
    expect(proj4Definition(3857)).toMatch(/merc/);
    expect(proj4Definition(32618)).toMatch(/\+zone=18 /);
    expect(proj4Definition(32733)).toMatch(/\+zone=33 \+south/);
    expect(proj4Definition(26711)).toMatch(/\+zone=11 .*clrk66/);
    expect(proj4Definition(12345)).toBeNull();
  });
});
