import type { Element } from '@xmldom/xmldom';
import { validLatLon } from './geo.js';
import { plural } from './notes.js';
import { finishTrack, type ReaderContext } from './result.js';
import { parseTime } from './time.js';
import type { ExtractedTrack, Position, SensorFeature, SensorGeometry } from './types.js';
import { childElements, descendants, parseXml } from './xml.js';

/** CoT's "unknown" for hae, ce and le. */
const COT_UNKNOWN = 9999999;

/**
 * Cursor-on-Target XML: one `<event>` per file (ATAK exports) or many
 * (a logged stream; concatenated events are read too). Each event with a
 * real point is an observation of its uid; each event is also a feature
 * whose geometry is its route / shape (the `<link point=...>` vertices), its
 * ellipse centre, or its point. A point at 0,0 (routes and shapes use it as
 * "no point") is not an observation.
 */
export function readCot(text: string, ctx: ReaderContext): ExtractedTrack {
  const { notes, builder } = ctx;
  const doc = parseXml(wrapIfMany(text), ctx.opts.filename, notes);
  const events = doc.documentElement!.localName === 'event' ? [doc.documentElement!] : descendants(doc, 'event');
  const features: SensorFeature[] = [];
  for (const ev of events) {
    const attr = (name: string): string | null => ev.getAttribute(name);
    const uid = attr('uid')?.trim() || null;
    const type = attr('type') ?? '';
    const point = childElements(ev, 'point')[0];
    const detail = childElements(ev, 'detail')[0];
    const callsign = detail ? (childElements(detail, 'contact')[0]?.getAttribute('callsign')?.trim() ?? null) : null;
    const pnum = (name: string): number | null => {
      const v = point?.getAttribute(name);
      if (v === null || v === undefined || v.trim() === '') return null;
      const n = Number(v);
      return Number.isFinite(n) ? n : null;
    };
    const lat = pnum('lat');
    const lon = pnum('lon');
    const unknown = (v: number | null): number | null => (v === null || Math.abs(v) >= COT_UNKNOWN ? null : v);
    const hae = unknown(pnum('hae'));
    const time = parseTime(attr('time') ?? attr('start') ?? '');
    const links = detail ? linkPoints(detail) : [];
    const track = detail ? childElements(detail, 'track')[0] : undefined;
    const ellipse = detail ? descendants(detail, 'ellipse')[0] : undefined;
    const remarks = detail ? childElements(detail, 'remarks')[0]?.textContent?.trim() : undefined;
    const group = detail ? childElements(detail, '__group')[0] : undefined;
    const entity = uid ?? callsign ?? `${ctx.stem} event ${features.length + 1}`;

    const hasPoint = lat !== null && lon !== null && validLatLon(lat, lon) && !(lat === 0 && lon === 0);
    if (lat === 0 && lon === 0) notes.count('cot-zero', (n) => `${plural(n, 'CoT event')} with the 0,0 placeholder point: no observation, geometry from its links`);
    if (!uid) notes.count('cot-nouid', (n) => `${plural(n, 'CoT event')} without a uid`);
    if (hasPoint) {
      if (!time) notes.count('cot-notime', (n) => `${plural(n, 'CoT event')} without a readable time`);
      const speed = track ? Number(track.getAttribute('speed')) : Number.NaN;
      const course = track ? Number(track.getAttribute('course')) : Number.NaN;
      builder.add({ entity, t: time?.iso ?? null, lat: lat!, lon: lon!, alt: hae, speed: Number.isFinite(speed) ? speed : null, course: Number.isFinite(course) ? course : null });
    } else if (lat !== null && lon !== null && !(lat === 0 && lon === 0)) {
      notes.count('cot-range', (n) => `${plural(n, 'CoT point')} outside valid latitude/longitude dropped`, `${lat},${lon}`);
    }
    builder.describe(entity, cotLabel(type, callsign, uid));

    const properties: Record<string, unknown> = {
      uid,
      type,
      typeText: cotTypeText(type),
      how: attr('how'),
      time: time?.iso ?? attr('time'),
      start: attr('start'),
      stale: attr('stale'),
      callsign,
      lat,
      lon,
      hae,
      ce: unknown(pnum('ce')),
      le: unknown(pnum('le')),
      linkPoints: links.length,
    };
    if (remarks) properties.remarks = remarks;
    if (group) properties.group = { name: group.getAttribute('name'), role: group.getAttribute('role') };
    if (ellipse) {
      properties.ellipse = { major: Number(ellipse.getAttribute('major')), minor: Number(ellipse.getAttribute('minor')), angle: Number(ellipse.getAttribute('angle')) };
    }
    const named = links.filter((l) => l.callsign);
    if (named.length) properties.waypoints = named.map((l) => ({ callsign: l.callsign, uid: l.uid, type: l.type, lat: l.pos[1], lon: l.pos[0] }));
    features.push({ type: 'Feature', ...(uid ? { id: uid } : {}), geometry: geometryOf(links.map((l) => l.pos), hasPoint ? [lon!, lat!] : null), properties });
  }
  if (events.length === 0) notes.warn('no CoT <event> found');
  const only = features.length === 1 ? features[0]!.properties : null;
  return finishTrack(ctx, 'cot', only ? String(only.callsign ?? only.uid ?? '') || null : `CoT events ${ctx.stem}`, features, { events: events.length });
}

interface LinkPoint {
  pos: Position;
  uid: string | null;
  callsign: string | null;
  type: string | null;
}

function linkPoints(detail: Element): LinkPoint[] {
  const out: LinkPoint[] = [];
  for (const link of childElements(detail, 'link')) {
    const p = link.getAttribute('point');
    if (!p) continue;
    const [la, lo, h] = p.split(',').map((x) => Number(x.trim()));
    if (la === undefined || lo === undefined || !validLatLon(la, lo)) continue;
    out.push({
      pos: h !== undefined && Number.isFinite(h) && Math.abs(h) < COT_UNKNOWN ? [lo, la, h] : [lo, la],
      uid: link.getAttribute('uid'),
      callsign: link.getAttribute('callsign') || null,
      type: link.getAttribute('type'),
    });
  }
  return out;
}

function geometryOf(links: Position[], point: Position | null): SensorGeometry | null {
  if (links.length >= 4 && links[0]![0] === links[links.length - 1]![0] && links[0]![1] === links[links.length - 1]![1]) {
    return { type: 'Polygon', coordinates: [links] };
  }
  if (links.length >= 2) return { type: 'LineString', coordinates: links };
  if (links.length === 1) return { type: 'Point', coordinates: links[0]! };
  return point ? { type: 'Point', coordinates: point } : null;
}

/** Several concatenated `<event>` documents (a logged stream) become one document. */
function wrapIfMany(text: string): string {
  const count = text.match(/<event[\s>]/g)?.length ?? 0;
  if (count <= 1) return text;
  return `<cot-events>${text.replace(/<\?xml[^>]*\?>/g, '')}</cot-events>`;
}

const AFFILIATION: Record<string, string> = { f: 'friendly', h: 'hostile', u: 'unknown', n: 'neutral', a: 'assumed friend', s: 'suspect', p: 'pending', j: 'joker', k: 'faker', o: 'none' };
const DIMENSION: Record<string, string> = { G: 'ground', A: 'air', S: 'sea surface', U: 'subsurface', P: 'space', F: 'SOF' };
const OTHER: Array<[string, string]> = [
  ['b-m-r', 'route'],
  ['b-m-p-w', 'route waypoint'],
  ['b-m-p-c', 'route control point'],
  ['b-m-p', 'map point'],
  ['b-a', 'alert'],
  ['b-t-f', 'chat message'],
  ['u-d-f', 'freehand drawing'],
  ['u-d-c-c', 'circle'],
  ['u-d-r', 'rectangle'],
  ['u-d', 'drawing'],
  ['t-', 'tasking'],
];

/** `a-h-G` -> `hostile ground track`; `b-m-r` -> `route`. */
export function cotTypeText(type: string): string {
  const parts = type.split('-');
  if (parts[0] === 'a' && parts.length >= 2) {
    const aff = AFFILIATION[parts[1] ?? ''] ?? 'unknown';
    const dim = DIMENSION[parts[2] ?? ''];
    return dim ? `${aff} ${dim} track` : `${aff} track`;
  }
  return OTHER.find(([prefix]) => type === prefix || type.startsWith(`${prefix}-`) || (prefix.endsWith('-') && type.startsWith(prefix)))?.[1] ?? 'event';
}

function cotLabel(type: string, callsign: string | null, uid: string | null): string {
  const who = callsign ? `"${callsign}"` : uid ? `uid ${uid}` : 'without uid';
  return `CoT ${cotTypeText(type)} ${who} (${[uid && callsign ? `uid ${uid}` : null, `type ${type}`].filter(Boolean).join(', ')})`;
}
