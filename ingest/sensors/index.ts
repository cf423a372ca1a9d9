import { CairnError } from '../../main/core/errors.js';
import { detectTextFormat, isZip } from './detect.js';
import { resolveOptions } from './options.js';
import { newContext } from './result.js';
import { decodeText } from './text.js';
import type { ExtractedTrack, ReadSensorOptions, SensorFormat } from './types.js';

export type { ExtractedTrack, GeoBBox, Observation, ReadSensorOptions, SensorFeature, SensorFormat, SensorGeometry, TrackSegment } from './types.js';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_GAP_MINUTES, DEFAULT_MAX_OBSERVATIONS } from './options.js';
export { detectTextFormat, isZip } from './detect.js';
export type { Vessel } from './ais.js';

/**
 * Reads one sensor feed from its bytes: detects the format from the content,
 * hands it to that format's reader, and returns observations, segments
 * (with searchable summaries) and features. Pure: no database, no network,
 * no file system.
 *
 * Throws CairnError: TOO_LARGE (over maxBytes, KMZ limits), EMPTY_FILE,
 * UNSUPPORTED_TYPE (not a sensor format), PARSE_FAILED (invalid GeoJSON,
 * malformed XML, XXE / DTD entities, unsafe KMZ entries, CSV without
 * coordinate columns).
 */
export async function readSensorFeed(bytes: Uint8Array, options: ReadSensorOptions): Promise<ExtractedTrack> {
  const opts = resolveOptions(options);
  const { filename } = opts;
  if (bytes.byteLength > opts.maxBytes) {
    throw new CairnError('TOO_LARGE', `${filename} is ${bytes.byteLength} bytes, over the ${opts.maxBytes}-byte limit`, { input: filename });
  }
  const ctx = newContext(opts);
  if (isZip(bytes)) {
    const { readKmz } = await import('./kmz.js');
    return readKmz(bytes, ctx);
  }
  const text = decodeText(bytes, filename);
  if (text.trim() === '') {
    throw new CairnError('EMPTY_FILE', `${filename} is empty`, { input: filename });
  }
  return readText(detectTextFormat(text, filename), text, ctx);
}

async function readText(format: SensorFormat, text: string, ctx: ReturnType<typeof newContext>): Promise<ExtractedTrack> {
  switch (format) {
    case 'gpx':
      return (await import('./gpx.js')).readGpx(text, ctx);
    case 'kml':
    case 'kmz':
      return (await import('./kml.js')).readKml(text, ctx);
    case 'tcx':
      return (await import('./tcx.js')).readTcx(text, ctx);
    case 'geojson':
      return (await import('./geojson.js')).readGeoJson(text, ctx);
    case 'nmea':
      return (await import('./nmea.js')).readNmea(text, ctx);
    case 'ais':
      return (await import('./ais.js')).readAis(text, ctx);
    case 'cot':
      return (await import('./cot.js')).readCot(text, ctx);
    case 'csv':
      return (await import('./csv.js')).readCsv(text, ctx);
    case 'adsb':
      return (await import('./adsb.js')).readAdsb(text, ctx);
    case 'sbs':
      return (await import('./sbs.js')).readSbs(text, ctx);
  }
}
