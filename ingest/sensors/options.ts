import { CairnError } from '../../main/core/errors.js';
import type { ReadSensorOptions, ResolvedOptions } from './types.js';

export const DEFAULT_MAX_BYTES = 200 * 1024 * 1024;
export const DEFAULT_MAX_OBSERVATIONS = 1_000_000;
export const DEFAULT_MAX_GAP_MINUTES = 30;
export const DEFAULT_MAX_ZIP_ENTRIES = 1000;
export const DEFAULT_MAX_JSON_DEPTH = 100;
export const DEFAULT_GPS_DATE_FLOOR = '2000-01-01T00:00:00Z';

function positive(name: string, value: number | undefined, fallback: number, filename: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) {
    throw new CairnError('BAD_INPUT', `${name} must be a positive number, got ${value}`, { input: filename });
  }
  return value;
}

export function resolveOptions(opts: ReadSensorOptions): ResolvedOptions {
  const f = opts.filename;
  const maxBytes = positive('maxBytes', opts.maxBytes, DEFAULT_MAX_BYTES, f);
  const floor = Date.parse(opts.gpsDateFloor ?? DEFAULT_GPS_DATE_FLOOR);
  if (Number.isNaN(floor)) {
    throw new CairnError('BAD_INPUT', `gpsDateFloor is not a date: ${opts.gpsDateFloor}`, { input: f });
  }
  return {
    filename: f,
    maxBytes,
    maxObservations: Math.floor(positive('maxObservations', opts.maxObservations, DEFAULT_MAX_OBSERVATIONS, f)),
    maxGapMs: positive('maxGapMinutes', opts.maxGapMinutes, DEFAULT_MAX_GAP_MINUTES, f) * 60_000,
    maxZipEntries: Math.floor(positive('maxZipEntries', opts.maxZipEntries, DEFAULT_MAX_ZIP_ENTRIES, f)),
    maxUncompressedBytes: positive('maxUncompressedBytes', opts.maxUncompressedBytes, maxBytes, f),
    maxJsonDepth: Math.floor(positive('maxJsonDepth', opts.maxJsonDepth, DEFAULT_MAX_JSON_DEPTH, f)),
    gpsDateFloorMs: floor,
  };
}

/** The file name without folders and without its (possibly double) extension: `a/b/run.nmea.log` -> `run`. */
export function fileStem(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? filename;
  const stem = base.replace(/(\.[A-Za-z0-9]{1,8}){1,2}$/, '');
  return stem === '' ? base || 'track' : stem;
}
