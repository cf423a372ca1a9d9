import { CairnError } from '../../main/core/errors.js';
import { splitFeatures } from './features.js';
import { validateGeoJson } from './geojson-validate.js';
import { scanJson } from './json-scan.js';
import { finishTrack, type ReaderContext } from './result.js';
import type { ExtractedTrack } from './types.js';

/**
 * GeoJSON: validated first (invalid files are refused whole, naming the
 * problem), then lines with per-vertex times (togeojson's
 * `coordinateProperties.times` / `coordTimes`) become observations and the
 * rest stay features.
 */
export function readGeoJson(text: string, ctx: ReaderContext): ExtractedTrack {
  const { filename, maxJsonDepth } = ctx.opts;
  const { duplicate } = scanJson(text, maxJsonDepth, filename);
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    throw new CairnError('PARSE_FAILED', `${filename} is not valid GeoJSON: it is not JSON (${e instanceof Error ? e.message : String(e)})`, { input: filename, cause: e });
  }
  const { errors, hints } = validateGeoJson(root);
  if (duplicate) errors.unshift(`line ${duplicate.line}: an object has the member "${duplicate.key}" twice, which makes it ambiguous`);
  if (errors.length > 0) {
    const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
    throw new CairnError('PARSE_FAILED', `${filename} is not valid GeoJSON: ${errors.slice(0, 3).join('; ')}${more}`, { input: filename });
  }
  for (const h of hints) ctx.notes.warn(h);
  const o = root as Record<string, unknown>;
  if (o.crs !== undefined) ctx.notes.warn('the "crs" member was ignored: GeoJSON coordinates are read as WGS84 longitude, latitude');
  const features: unknown[] =
    o.type === 'FeatureCollection' ? (o.features as unknown[]) : o.type === 'Feature' ? [o] : [{ type: 'Feature', geometry: o, properties: {} }];
  const split = splitFeatures(features, { builder: ctx.builder, notes: ctx.notes, defaultEntity: ctx.stem, kind: 'GeoJSON track' });
  const name = typeof o.name === 'string' ? o.name : undefined;
  return finishTrack(ctx, 'geojson', name ?? split.tracks[0]?.entity, split.features, {
    rootType: o.type,
    tracks: split.tracks,
    featureCount: features.length,
  });
}
