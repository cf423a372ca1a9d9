import { TrackBuilder } from './builder.js';
import { bboxOf } from './geo.js';
import { Notes } from './notes.js';
import { fileStem } from './options.js';
import type { ExtractedTrack, ResolvedOptions, SensorFeature, SensorFormat } from './types.js';

/** What every reader works with: the limits, a warning sink and the observation collector. */
export interface ReaderContext {
  opts: ResolvedOptions;
  notes: Notes;
  builder: TrackBuilder;
  /** File name without folders and extensions: the fallback title and entity. */
  stem: string;
}

export function newContext(opts: ResolvedOptions): ReaderContext {
  const notes = new Notes();
  return { opts, notes, builder: new TrackBuilder(opts, notes), stem: fileStem(opts.filename) };
}

/** Cuts segments and assembles the result; adds the overall time span and bbox to the metadata. */
export function finishTrack(
  ctx: ReaderContext,
  format: SensorFormat,
  title: string | null | undefined,
  features: SensorFeature[],
  metadata: Record<string, unknown>,
): ExtractedTrack {
  const { observations, segments } = ctx.builder.finish();
  let t0: string | null = null;
  let t1: string | null = null;
  for (const s of segments) {
    if (s.t0 !== null && (t0 === null || s.t0 < t0)) t0 = s.t0;
    if (s.t1 !== null && (t1 === null || s.t1 > t1)) t1 = s.t1;
  }
  const entities = new Set(observations.map((o) => o.entity));
  const cleanTitle = title?.replace(/\s+/g, ' ').trim();
  return {
    format,
    title: cleanTitle ? cleanTitle : ctx.stem,
    observations,
    features,
    segments,
    metadata: { ...metadata, entities: entities.size, t0, t1, bbox: bboxOf(observations) },
    warnings: ctx.notes.list(),
  };
}
