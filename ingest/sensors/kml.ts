import { kml } from '@tmcw/togeojson';
import { splitFeatures } from './features.js';
import { finishTrack, type ReaderContext } from './result.js';
import type { ExtractedTrack } from './types.js';
import { childElements, descendants, parseXml } from './xml.js';

/**
 * KML: gx:Track / gx:MultiTrack (per-point <when>) become observations;
 * Points, LineStrings, Polygons and MultiGeometry stay features with their
 * properties (name, description, ExtendedData, TimeStamp/TimeSpan).
 * NetworkLinks are never followed.
 */
export function readKml(text: string, ctx: ReaderContext, format: 'kml' | 'kmz' = 'kml', extra: Record<string, unknown> = {}): ExtractedTrack {
  const doc = parseXml(text, ctx.opts.filename, ctx.notes);
  const root = doc.documentElement!;
  const links = descendants(root, 'NetworkLink').length;
  if (links > 0) ctx.notes.warn(`${links} KML NetworkLink(s) not followed: Cairn reads only what is in the file`);
  const fc = kml(doc);
  const { features, tracks } = splitFeatures(fc.features, { builder: ctx.builder, notes: ctx.notes, defaultEntity: ctx.stem, kind: 'KML track' });
  const container = childElements(root).find((e) => e.localName === 'Document' || e.localName === 'Folder');
  const name = container ? childElements(container, 'name')[0]?.textContent?.trim() : undefined;
  return finishTrack(ctx, format, name || tracks[0]?.entity, features, {
    ...extra,
    namespace: root.namespaceURI,
    name: name || undefined,
    tracks,
    placemarks: descendants(root, 'Placemark').length,
  });
}
