import { normCourse, validLatLon } from './geo.js';
import type { Notes } from './notes.js';
import { buildSegments, type PartPoint } from './segments.js';
import type { Observation, ResolvedOptions, TrackSegment } from './types.js';

export interface RawPoint {
  entity: string;
  t: string | null;
  lat: number;
  lon: number;
  alt?: number | null;
  speed?: number | null;
  course?: number | null;
  /** Source boundary (trkseg, lap, line part): points of different parts never share a segment. */
  part?: string | number;
}

/**
 * Collects one file's observations: validates coordinates, drops the 0,0
 * placeholder, enforces the per-file cap, and at the end cuts segments.
 */
export class TrackBuilder {
  private readonly points: PartPoint[] = [];
  private readonly labels = new Map<string, string>();
  private capped = 0;

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly notes: Notes,
  ) {}

  get size(): number {
    return this.points.length;
  }

  /** Adds a point; false when it was dropped (and counted in the warnings). */
  add(p: RawPoint): boolean {
    if (!validLatLon(p.lat, p.lon)) {
      this.notes.count('coord-range', (n) => `${n} point(s) with latitude outside [-90, 90] or longitude outside [-180, 180] dropped`, `${p.lat},${p.lon}`);
      return false;
    }
    if (p.lat === 0 && p.lon === 0) {
      this.notes.count('null-island', (n) => `${n} point(s) at 0,0 (the usual "no position" placeholder) dropped`);
      return false;
    }
    if (this.points.length >= this.opts.maxObservations) {
      if (this.capped++ === 0) {
        this.notes.count('cap', () => `observation cap of ${this.opts.maxObservations} reached: ${this.capped} further point(s) dropped`);
      }
      return false;
    }
    const finite = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
    const speed = finite(p.speed);
    this.points.push({
      entity: p.entity,
      t: p.t,
      lat: p.lat,
      lon: p.lon,
      alt: finite(p.alt),
      speed: speed !== null && speed >= 0 ? speed : null,
      course: normCourse(p.course),
      part: `${p.part ?? ''}`,
      seq: this.points.length,
      ms: p.t === null ? null : Date.parse(p.t),
    });
    return true;
  }

  /** How the entity is named in segment texts, e.g. `MMSI 366999712 (vessel "EVER GIVEN", callsign H3RC)`. */
  describe(entity: string, label: string): void {
    this.labels.set(entity, label);
  }

  finish(): { observations: Observation[]; segments: TrackSegment[] } {
    return buildSegments(this.points, (e) => this.labels.get(e) ?? e, this.opts.maxGapMs);
  }
}
