import aisDecoderModule from 'ais-stream-decoder';
import aisSentenceModule from 'ais-stream-decoder/dist/ais-sentence.js';
import { NAV_STATUS, shipTypeText } from './ais-labels.js';
import { KNOT_MS } from './geo.js';
import { plural } from './notes.js';
import { finishTrack, type ReaderContext } from './result.js';
import { splitLines } from './text.js';
import { plausible } from './time.js';
import { gatehouseStamp, unwrap } from './ais-wrappers.js';
import { aidTypeText, decodeExtraAis, EXTRA_AIS_TYPES, type ExtraAisMessage } from './ais-extra.js';
import type { ExtractedTrack } from './types.js';

/** These are CommonJS modules with `exports.default`: Node hands us the exports object, bundlers (vitest) the default itself. */
function cjsDefault<T>(m: { default: T }): T {
  return (typeof m === 'object' && m !== null && 'default' in m ? m.default : m) as T;
}
const AisDecoder = cjsDefault(aisDecoderModule);
const AisSentence = cjsDefault(aisSentenceModule);
type Sentence = InstanceType<typeof AisSentence>;

/** ais-stream-decoder, with its stream output captured synchronously; multi-part reassembly is done here, by sequence id. */
class CapturingDecoder extends AisDecoder {
  readonly out: string[] = [];
  override push(chunk: unknown): boolean {
    if (typeof chunk === 'string') this.out.push(chunk);
    return true;
  }
}

/** A multi-part message whose fragments are still arriving. */
interface Pending {
  parts: Sentence[];
  time: number | null;
  line: number;
}

/** Fragments older than this many lines are given up on. */
const MAX_FRAGMENT_AGE_LINES = 500;

export interface Vessel {
  mmsi: string;
  name?: string;
  callsign?: string;
  imo?: number;
  shipType?: number;
  shipTypeText?: string;
  destination?: string;
  lengthM?: number;
  beamM?: number;
  draughtM?: number;
  navStatus?: string;
  class?: 'A' | 'B' | 'base station' | 'SAR aircraft' | 'aid to navigation';
  ownShip?: boolean;
  /** Aids to navigation (type 21): what kind of mark, and whether it is only broadcast (virtual). */
  aidType?: string;
  virtualAid?: boolean;
}

type Msg = Record<string, unknown> & { type: number; mmsi: number };

/**
 * AIS NMEA (!AIVDM / !AIVDO), plain or wrapped: NMEA 4.0 tag blocks
 * (`\s:...,c:<unix time>*hh\!AIVDM...`), Gatehouse `$PGHP` time stamp lines,
 * and a time stamp before the sentence or after its checksum. Position
 * reports (types 1-3, 18, 19, 27, 4 for base stations, 9 for SAR aircraft,
 * 21 for aids to navigation) become observations of the MMSI; static data
 * (types 5, 19, 21, 24) names the vessel in its segments.
 * Without a time stamp from the wrapper, a report has no time (AIS itself
 * carries only the UTC second).
 */
export function readAis(text: string, ctx: ReaderContext): ExtractedTrack {
  const { notes, builder } = ctx;
  const decoder = new CapturingDecoder({ silent: true });
  const pending = new Map<string, Pending>();
  const vessels = new Map<string, Vessel>();
  const byType: Record<string, number> = {};
  const unsupported: Record<string, number> = {};
  let sentences = 0;
  let checksumFailures = 0;
  let gatehouseTime: number | null = null;
  const lines = splitLines(text);

  const vessel = (mmsi: string): Vessel => {
    let v = vessels.get(mmsi);
    if (!v) vessels.set(mmsi, (v = { mmsi }));
    return v;
  };

  const decode = (parts: Sentence[], time: number | null, own: boolean): void => {
    const payload = parts.map((p) => p.payload).join('');
    const type = payloadType(payload);
    byType[type] = (byType[type] ?? 0) + 1;
    if (EXTRA_AIS_TYPES.has(type)) {
      let m: ExtraAisMessage | null;
      try {
        m = decodeExtraAis(payload, parts[parts.length - 1]!.fillBits);
      } catch (e) {
        notes.count('ais-decode', (n) => `${plural(n, 'AIS message')} could not be decoded`, `${parts[0]!.message} (${e instanceof Error ? e.message : String(e)})`);
        return;
      }
      if (m) handleExtra(m, time, own);
      return;
    }
    decoder.out.length = 0;
    try {
      decoder.decodePayload(payload, parts[parts.length - 1]!.channel, parts);
    } catch (e) {
      notes.count('ais-decode', (n) => `${plural(n, 'AIS message')} could not be decoded`, `${parts[0]!.message} (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    if (decoder.out.length === 0) {
      unsupported[type] = (unsupported[type] ?? 0) + 1;
      return;
    }
    for (const json of decoder.out) handle(JSON.parse(json) as Msg, time, own);
  };

  const handle = (m: Msg, time: number | null, own: boolean): void => {
    const mmsi = String(m.mmsi).padStart(9, '0');
    const v = vessel(mmsi);
    if (own) v.ownShip = true;
    const str = (x: unknown): string | undefined => (typeof x === 'string' && x.replace(/@+$/, '').trim() !== '' ? x.replace(/@+$/, '').trim() : undefined);
    const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
    switch (m.type) {
      case 1:
      case 2:
      case 3:
      case 18:
      case 4: {
        v.class = m.type === 18 ? 'B' : m.type === 4 ? 'base station' : 'A';
        if (m.type <= 3 && typeof m.navStatus === 'number' && NAV_STATUS[m.navStatus]) v.navStatus = NAV_STATUS[m.navStatus];
        const lat = num(m.lat);
        const lon = num(m.lon);
        if (lat === null || lon === null) {
          notes.count('ais-nopos', (n) => `${plural(n, 'AIS report')} with "position not available" skipped`);
          return;
        }
        let t = time;
        if (m.type === 4) t = baseStationTime(m) ?? time;
        const sog = num(m.speedOverGround);
        builder.add({ entity: mmsi, t: t === null ? null : new Date(t).toISOString(), lat, lon, speed: sog === null ? null : sog * KNOT_MS, course: num(m.courseOverGround) });
        return;
      }
      case 5: {
        v.class = 'A';
        v.name = str(m.name) ?? v.name;
        v.callsign = str(m.callsign) ?? v.callsign;
        if (num(m.imo)) v.imo = num(m.imo)!;
        setType(v, num(m.typeAndCargo));
        v.destination = str(m.destination) ?? v.destination;
        setDims(v, m);
        if (num(m.draught)) v.draughtM = num(m.draught)!;
        return;
      }
      case 24: {
        v.class ??= 'B';
        v.name = str(m.name) ?? v.name;
        v.callsign = str(m.callsign) ?? v.callsign;
        setType(v, num(m.typeAndCargo));
        setDims(v, m);
        return;
      }
      default:
        return;
    }
  };

  /** Types 9, 19, 21 and 27 (ais-extra.ts). */
  const handleExtra = (m: ExtraAisMessage, time: number | null, own: boolean): void => {
    const mmsi = String(m.mmsi).padStart(9, '0');
    const v = vessel(mmsi);
    if (own) v.ownShip = true;
    const name = m.name?.replace(/@+$/, '').trim();
    if (m.type === 9) v.class = 'SAR aircraft';
    if (m.type === 19) {
      v.class = 'B';
      if (name) v.name = name;
      setType(v, m.typeAndCargo ?? null);
      setDims(v, m as unknown as Msg);
    }
    if (m.type === 21) {
      v.class = 'aid to navigation';
      if (name) v.name = name;
      const aid = m.aidType === undefined ? undefined : aidTypeText(m.aidType);
      if (aid) v.aidType = aid;
      if (m.virtualAid) v.virtualAid = true;
      setDims(v, m as unknown as Msg);
    }
    if (m.type === 27) {
      v.class ??= 'A';
      if (m.navStatus !== undefined && NAV_STATUS[m.navStatus]) v.navStatus = NAV_STATUS[m.navStatus];
    }
    if (m.lat === null || m.lon === null) {
      notes.count('ais-nopos', (n) => `${plural(n, 'AIS report')} with "position not available" skipped`);
      return;
    }
    const t = time === null ? null : new Date(time).toISOString();
    builder.add({ entity: mmsi, t, lat: m.lat, lon: m.lon, alt: m.altitude ?? null, speed: m.speedOverGround === null ? null : m.speedOverGround * KNOT_MS, course: m.courseOverGround });
  };

  lines.forEach((raw, lineNo) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    if (line.startsWith('$PGHP')) {
      gatehouseTime = gatehouseStamp(line);
      if (gatehouseTime === null) notes.count('ais-pghp', (n) => `${plural(n, 'Gatehouse $PGHP line')} without a usable time stamp`, line);
      return;
    }
    const parsed = unwrap(line);
    if (!parsed) {
      if (line.startsWith('$')) notes.count('ais-nmea', (n) => `${plural(n, 'non-AIS NMEA sentence')} skipped`, line);
      else notes.count('ais-junk', (n) => `${plural(n, 'line')} skipped (not AIS sentences)`, line);
      return;
    }
    if (parsed.badTime) notes.count('ais-time', (n) => `${plural(n, 'implausible time stamp')} ignored`, parsed.badTime);
    let s: Sentence;
    try {
      s = new AisSentence(parsed.sentence);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (/checksum/i.test(msg)) {
        checksumFailures++;
        notes.count('ais-chk', (n) => `${plural(n, 'AIS sentence')} with a bad checksum skipped`, parsed.sentence);
      } else notes.count('ais-bad', (n) => `${plural(n, 'malformed AIS sentence')} skipped`, parsed.sentence);
      return;
    }
    sentences++;
    const own = s.type === 'VDO';
    const time = parsed.time ?? gatehouseTime;
    if (!s.isMultiPart()) {
      gatehouseTime = null;
      decode([s], time, own);
      return;
    }
    const key = `${s.talkerId}${s.type}|${s.numParts}|${s.partId}|${s.channel}`;
    const group = pending.get(key);
    if (s.partNumber === 1) {
      if (group) notes.count('ais-incomplete', (n) => `${plural(n, 'multi-part AIS message')} never completed (fragments dropped)`, group.parts[0]!.message);
      pending.set(key, { parts: [s], time, line: lineNo });
      gatehouseTime = null;
    } else if (!group || group.parts.length !== s.partNumber - 1) {
      notes.count('ais-orphan', (n) => `${plural(n, 'AIS fragment')} out of order or without its first part dropped`, s.message);
      return;
    } else {
      group.parts.push(s);
      group.time ??= parsed.time;
    }
    const g = pending.get(key)!;
    if (g.parts.length === s.numParts) {
      pending.delete(key);
      decode(g.parts, g.time, own);
    }
    for (const [k, p] of pending) {
      if (lineNo - p.line > MAX_FRAGMENT_AGE_LINES) {
        pending.delete(k);
        notes.count('ais-incomplete', (n) => `${plural(n, 'multi-part AIS message')} never completed (fragments dropped)`, p.parts[0]!.message);
      }
    }
  });
  for (const p of pending.values()) {
    notes.count('ais-incomplete', (n) => `${plural(n, 'multi-part AIS message')} never completed (fragments dropped)`, p.parts[0]!.message);
  }
  const skippedTypes = Object.entries(unsupported).map(([t, n]) => `type ${t} x${n}`);
  if (skippedTypes.length) notes.warn(`AIS message types not decoded by ais-stream-decoder (no position or name taken from them): ${skippedTypes.join(', ')}`);

  for (const v of vessels.values()) builder.describe(v.mmsi, vesselLabel(v));
  return finishTrack(ctx, 'ais', `AIS feed ${ctx.stem}`, [], {
    sentences,
    checksumFailures,
    messagesByType: byType,
    undecodedTypes: unsupported,
    vessels: [...vessels.values()],
  });
}

function setType(v: Vessel, code: number | null): void {
  if (code === null || code === 0) return;
  v.shipType = code;
  const text = shipTypeText(code);
  if (text) v.shipTypeText = text;
}

function setDims(v: Vessel, m: Msg): void {
  const n = (k: string): number => (typeof m[k] === 'number' ? (m[k] as number) : 0);
  const length = n('dimBow') + n('dimStern');
  const beam = n('dimPort') + n('dimStarboard');
  if (length > 0) v.lengthM = length;
  if (beam > 0) v.beamM = beam;
}

export function vesselLabel(v: Vessel): string {
  const facts: string[] = [];
  if (v.name) facts.push(v.class === 'aid to navigation' ? `"${v.name}"` : `vessel "${v.name}"`);
  if (v.callsign) facts.push(`callsign ${v.callsign}`);
  if (v.imo) facts.push(`IMO ${v.imo}`);
  if (v.shipType) facts.push(`ship type ${v.shipType}${v.shipTypeText ? ` ${v.shipTypeText}` : ''}`);
  if (v.lengthM) facts.push(`length ${v.lengthM} m`);
  if (v.destination) facts.push(`destination ${v.destination}`);
  if (v.navStatus) facts.push(`status ${v.navStatus}`);
  if (v.aidType) facts.push(v.aidType);
  if (v.virtualAid) facts.push('virtual aid (broadcast only)');
  if (v.class) facts.push(v.class === 'A' || v.class === 'B' ? `AIS class ${v.class}` : `AIS ${v.class}`);
  if (v.ownShip) facts.push('own ship (VDO)');
  return facts.length ? `MMSI ${v.mmsi} (${facts.join(', ')})` : `MMSI ${v.mmsi}`;
}

/** The AIS message type from the first armoured payload character. */
function payloadType(payload: string): number {
  let c = payload.charCodeAt(0) - 48;
  if (c > 40) c -= 8;
  return c;
}

function baseStationTime(m: Msg): number | null {
  const k = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((x) => m[x]);
  if (!k.every((x) => typeof x === 'number')) return null;
  const [y, mo, d, h, mi, s] = k as number[];
  const t = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  return plausible(t) ? t : null;
}
