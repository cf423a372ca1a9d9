/**
 * What a sensor-feed reader returns. Pure data: no database, no I/O. The
 * pipeline writes `observations` to the observations table and each
 * `segments[i].text` as a chunk located by `{entity, t0, t1}`.
 */

import type { Observation as CoreObservation } from '../../main/core/types.js';

export type SensorFormat = 'gpx' | 'kml' | 'kmz' | 'tcx' | 'geojson' | 'nmea' | 'ais' | 'cot' | 'csv' | 'adsb' | 'sbs';

/**
 * One position of one entity, as read from a feed: the stored observation
 * (main/core) before it belongs to a source and carries a marking. Entity is
 * the MMSI for AIS, a CoT uid, a track/device name, a CSV id column value, or
 * a name derived from the file; t is ISO 8601 UTC or null; lat/lon are WGS84
 * and never the 0,0 placeholder; alt in metres, speed m/s, course degrees true.
 */
export type Observation = Omit<CoreObservation, 'sourceId' | 'marking'>;

/** [west, south, east, north] in WGS84 degrees. */
export type GeoBBox = [number, number, number, number];

/**
 * A run of one entity's observations: cut at time gaps over the gap limit
 * (30 min by default) and at source boundaries (GPX trkseg, TCX lap, KML
 * track, MultiLineString part). `observations.slice(start, end)` are exactly
 * the segment's points, in time order.
 */
export interface TrackSegment {
  entity: string;
  /** First and last observation time; null only when the segment has no timed observation. */
  t0: string | null;
  t1: string | null;
  count: number;
  bbox: GeoBBox;
  /** One short paragraph for full-text search and citation (names, ids, times, places in lat/lon and MGRS, distance, speeds). */
  text: string;
  /** Index range into ExtractedTrack.observations, end exclusive. */
  start: number;
  end: number;
}

export type Position = number[];

export type SensorGeometry =
  | { type: 'Point'; coordinates: Position }
  | { type: 'MultiPoint'; coordinates: Position[] }
  | { type: 'LineString'; coordinates: Position[] }
  | { type: 'MultiLineString'; coordinates: Position[][] }
  | { type: 'Polygon'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: SensorGeometry[] };

/** GeoJSON-shaped feature for geometry that is not a timed track: waypoints, routes, polygons, CoT shapes. */
export interface SensorFeature {
  type: 'Feature';
  id?: string | number;
  geometry: SensorGeometry | null;
  properties: Record<string, unknown>;
}

export interface ExtractedTrack {
  format: SensorFormat;
  title: string;
  /** Grouped by entity, each entity's points in time order; segments index into this array. */
  observations: Observation[];
  features: SensorFeature[];
  segments: TrackSegment[];
  metadata: Record<string, unknown>;
  /** Things a user should know: skipped lines (counted), dropped points, assumptions made. */
  warnings: string[];
}

export interface ReadSensorOptions {
  /** File name as given; used for titles and entity names, and only as a tie-breaker for detection. */
  filename: string;
  /** Largest input accepted, in bytes (default 200 MB). */
  maxBytes?: number;
  /** Most observations kept from one file (default 1,000,000); the rest are dropped with a warning. */
  maxObservations?: number;
  /** A gap longer than this starts a new segment (default 30). */
  maxGapMinutes?: number;
  /** KMZ: most entries in the archive (default 1000). */
  maxZipEntries?: number;
  /** KMZ: most bytes inflated from the archive (default: maxBytes). */
  maxUncompressedBytes?: number;
  /** JSON: deepest nesting accepted (default 100). */
  maxJsonDepth?: number;
  /** NMEA: fixes dated before this are taken as GPS week-rollover victims and moved forward by 1024 weeks (default 2000-01-01). */
  gpsDateFloor?: string;
}

export interface ResolvedOptions {
  filename: string;
  maxBytes: number;
  maxObservations: number;
  maxGapMs: number;
  maxZipEntries: number;
  maxUncompressedBytes: number;
  maxJsonDepth: number;
  gpsDateFloorMs: number;
}
