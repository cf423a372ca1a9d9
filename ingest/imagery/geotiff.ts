/**
 * GeoTIFF georeferencing: the raster's native CRS, its bounds and
 * geotransform, and a WGS84 footprint (proj4, definitions in crs.ts).
 * Reads tags only, never pixels. The IFD chain is validated first
 * (tiff-ifd.ts) because geotiff.js loops forever on a cyclic chain.
 */

import { fromArrayBuffer } from 'geotiff';
import proj4 from 'proj4';
import { CairnError } from '../../main/core/errors.js';
import { isGeographic, proj4Definition, utmFromProjectionKey } from './crs.js';
import { walkTiffIfds } from './tiff-ifd.js';
import type { Footprint } from './types.js';

export interface GeoTiffInfo {
  /** WGS84 box plus the native CRS name; null when the CRS is unknown to us or the box is not on Earth. */
  footprint: Footprint | null;
  /** EPSG code of the native CRS, null when user-defined or absent. */
  epsg: number | null;
  /** "EPSG:32618", or a description of a user-defined CRS, null when none is stated. */
  crs: string | null;
  /** [minx, miny, maxx, maxy] in native CRS units. */
  nativeBounds: [number, number, number, number];
  /** GDAL order: [originX, pixelWidth, rowRotation, originY, columnRotation, pixelHeight], pixel-corner based. */
  geotransform: [number, number, number, number, number, number];
  width: number;
  height: number;
  bands: number;
  /** Number of image directories (1 + overviews/masks for a COG). */
  directories: number;
  pixelIsPoint: boolean;
  citation: string | null;
  noData: string | null;
  warnings: string[];
}

type GeoKeys = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const numbers = (v: unknown): number[] | null => {
  if (v === undefined || v === null) return null;
  const arr = Array.from(v as ArrayLike<unknown>, (x) => Number(x));
  return arr.every(Number.isFinite) ? arr : null;
};

/**
 * Georeferencing of a TIFF, or null when it carries none (a plain TIFF).
 * Throws CairnError PARSE_FAILED when the TIFF structure itself is unreadable.
 */
export async function readGeoTiff(bytes: Uint8Array, opts: { filename: string }): Promise<GeoTiffInfo | null> {
  const { filename } = opts;
  const chain = walkTiffIfds(bytes, filename);
  const warnings = [...chain.warnings];
  let image;
  try {
    // A private copy: Node Buffers from a pool share one ArrayBuffer, and slice() on a Buffer does not copy.
    const copy = new Uint8Array(bytes.byteLength);
    copy.set(bytes);
    const tiff = await fromArrayBuffer(copy.buffer);
    image = await tiff.getImage(0);
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${filename} is not a readable TIFF: ${e instanceof Error ? e.message : String(e)}`, { input: filename, cause: e });
  }
  const fd = image.fileDirectory;
  const geoKeys = (image.getGeoKeys() ?? {}) as GeoKeys;
  const tiepoints = numbers(fd.getValue('ModelTiepoint'));
  const scale = numbers(fd.getValue('ModelPixelScale'));
  const transform = numbers(fd.getValue('ModelTransformation'));
  if (!tiepoints && !transform) return null;

  const width = image.getWidth();
  const height = image.getHeight();
  let gt: [number, number, number, number, number, number];
  if (transform && transform.length >= 8) {
    gt = [transform[3]!, transform[0]!, transform[1]!, transform[7]!, transform[4]!, transform[5]!];
  } else if (tiepoints && tiepoints.length >= 6 && scale && scale.length >= 2) {
    const [i, j, , x, y] = tiepoints as [number, number, number, number, number];
    const [sx, sy] = scale as [number, number];
    gt = [x - i * sx, sx, 0, y + j * sy, 0, -sy];
    if (tiepoints.length > 6) warnings.push(`${tiepoints.length / 6} tie points; the first one with the pixel scale was used`);
  } else {
    warnings.push('georeferenced by ground control points only (no affine transform); footprint not computed');
    return null;
  }
  const pixelIsPoint = geoKeys.GTRasterTypeGeoKey === 2;
  if (pixelIsPoint) {
    // GDAL's convention: PixelIsPoint tie points name pixel centres; shift to corners.
    gt = [gt[0] - 0.5 * gt[1] - 0.5 * gt[2], gt[1], gt[2], gt[3] - 0.5 * gt[4] - 0.5 * gt[5], gt[4], gt[5]];
  }
  const toNative = (px: number, py: number): [number, number] => [gt[0] + px * gt[1] + py * gt[2], gt[3] + px * gt[4] + py * gt[5]];
  const corners = [toNative(0, 0), toNative(width, 0), toNative(0, height), toNative(width, height)];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  const nativeBounds: [number, number, number, number] = [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];

  const { epsg, crs, definition } = resolveCrs(geoKeys, warnings);
  let footprint: Footprint | null = null;
  if (definition && crs) footprint = reproject(definition, toNative, width, height, crs, warnings);

  const noData = fd.hasTag('GDAL_NODATA') ? String(fd.getValue('GDAL_NODATA')).replace(/\0+$/, '') : null;
  const citation = typeof geoKeys.GTCitationGeoKey === 'string' ? geoKeys.GTCitationGeoKey : typeof geoKeys.GeogCitationGeoKey === 'string' ? geoKeys.GeogCitationGeoKey : null;
  return {
    footprint,
    epsg,
    crs,
    nativeBounds,
    geotransform: gt,
    width,
    height,
    bands: image.getSamplesPerPixel(),
    directories: chain.offsets.length,
    pixelIsPoint,
    citation,
    noData,
    warnings,
  };
}

function resolveCrs(keys: GeoKeys, warnings: string[]): { epsg: number | null; crs: string | null; definition: string | null } {
  const model = num(keys.GTModelTypeGeoKey);
  const projected = num(keys.ProjectedCSTypeGeoKey);
  const geographic = num(keys.GeographicTypeGeoKey);
  const code = model === 2 ? geographic : model === 1 ? projected : (projected ?? geographic);
  if (model === 3) {
    warnings.push('geocentric model type is not supported; footprint not computed');
    return { epsg: null, crs: 'geocentric', definition: null };
  }
  if (code !== undefined && code !== 32767 && code > 0) {
    const definition = proj4Definition(code);
    if (!definition) warnings.push(`EPSG:${code} is not among the CRSs this build can reproject; footprint not computed`);
    return { epsg: code, crs: `EPSG:${code}`, definition };
  }
  if (code === 32767) {
    const projection = num(keys.ProjectionGeoKey);
    if (model !== 2 && projection !== undefined) {
      const def = utmFromProjectionKey(projection, geographic);
      if (def) return { epsg: null, crs: `user-defined (${def.match(/zone=\d+( \+south)?/)?.[0] ?? 'UTM'})`, definition: def };
    }
    const a = num(keys.GeogSemiMajorAxisGeoKey);
    const rf = num(keys.GeogInvFlatteningGeoKey);
    if (model === 2 && a !== undefined) {
      warnings.push('user-defined geographic CRS: no datum shift applied');
      return { epsg: null, crs: 'user-defined geographic', definition: `+proj=longlat +a=${a}${rf ? ` +rf=${rf}` : ` +b=${a}`} +no_defs` };
    }
    warnings.push('user-defined CRS this build cannot reproject; footprint not computed');
    return { epsg: null, crs: 'user-defined', definition: null };
  }
  warnings.push('no CRS stated in the GeoTIFF keys; footprint not computed');
  return { epsg: null, crs: null, definition: null };
}

/** Densified edges (16 segments each), so curved edges in WGS84 stay inside the box. */
function reproject(
  definition: string,
  toNative: (px: number, py: number) => [number, number],
  width: number,
  height: number,
  crs: string,
  warnings: string[],
): Footprint | null {
  const code = Number(crs.replace(/^EPSG:/, ''));
  const convert: (p: [number, number]) => [number, number] =
    Number.isFinite(code) && isGeographic(code) && code === 4326
      ? (p) => p
      : (() => {
          const t = proj4(definition, 'WGS84');
          return (p: [number, number]) => t.forward(p) as [number, number];
        })();
  const steps = 16;
  let west = Infinity;
  let south = Infinity;
  let east = -Infinity;
  let north = -Infinity;
  for (let k = 0; k <= steps; k++) {
    const f = k / steps;
    for (const [px, py] of [
      [f * width, 0],
      [f * width, height],
      [0, f * height],
      [width, f * height],
    ] as const) {
      let lonLat: [number, number];
      try {
        lonLat = convert(toNative(px, py));
      } catch (e) {
        warnings.push(`reprojection from ${crs} failed: ${e instanceof Error ? e.message : String(e)}`);
        return null;
      }
      const [lon, lat] = lonLat;
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        warnings.push(`reprojection from ${crs} gave non-finite coordinates`);
        return null;
      }
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  const eps = 1e-9;
  if (west < -180 - eps || east > 180 + eps || south < -90 - eps || north > 90 + eps) {
    warnings.push(`footprint [${west}, ${south}, ${east}, ${north}] is not on Earth; check the CRS`);
    return null;
  }
  return { west, south, east, north, crs };
}
