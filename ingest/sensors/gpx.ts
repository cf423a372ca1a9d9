import { gpx } from '@tmcw/togeojson';
import type { Element } from '@xmldom/xmldom';
import { splitFeatures } from './features.js';
import type { ReaderContext } from './result.js';
import { finishTrack } from './result.js';
import type { ExtractedTrack } from './types.js';
import { childElements, parseXml } from './xml.js';

/** GPX 1.0/1.1: timed tracks become observations (one part per trkseg); waypoints, routes and untimed tracks stay features. */
export function readGpx(text: string, ctx: ReaderContext): ExtractedTrack {
  const doc = parseXml(text, ctx.opts.filename, ctx.notes);
  const root = doc.documentElement!;
  const fc = gpx(doc);
  const { features, tracks } = splitFeatures(fc.features, { builder: ctx.builder, notes: ctx.notes, defaultEntity: ctx.stem, kind: 'GPX track' });
  for (const f of features) {
    if (f.properties._gpxType === 'trk') ctx.notes.warn(`GPX track "${String(f.properties.name ?? '')}" has no time stamps: kept as a feature, not as observations`);
  }
  const meta = childElements(root, 'metadata')[0];
  const text1 = (el: Element | undefined, name: string): string | undefined => {
    if (!el) return undefined;
    const c = childElements(el, name)[0];
    const v = c?.textContent?.trim();
    return v ? v : undefined;
  };
  // GPX 1.1 keeps name/time under <metadata>, GPX 1.0 directly under <gpx>.
  const name = text1(meta, 'name') ?? text1(root, 'name');
  const firstTrackName = tracks[0]?.entity !== ctx.stem ? tracks[0]?.entity : undefined;
  return finishTrack(ctx, 'gpx', name ?? firstTrackName, features, {
    version: root.getAttribute('version'),
    creator: root.getAttribute('creator'),
    name,
    description: text1(meta, 'desc') ?? text1(root, 'desc'),
    time: text1(meta, 'time') ?? text1(root, 'time'),
    tracks,
    waypoints: features.filter((f) => f.geometry?.type === 'Point').length,
    routes: features.filter((f) => f.properties._gpxType === 'rte').length,
  });
}
