import aisBitFieldModule from 'ais-stream-decoder/dist/ais-bitfield.js';
import aisFormatModule from 'ais-stream-decoder/dist/format.js';

/*
 * ais-stream-decoder decodes types 1-5, 8, 18 and 24. Types 9 (SAR
 * aircraft), 19 (extended class B), 21 (aid to navigation) and 27 (long
 * range) carry positions too, and no maintained JavaScript decoder reads
 * them correctly (ggencoder has them but reads type 27 positions unsigned,
 * which puts every western or southern report elsewhere). So they are
 * decoded here the way ais-stream-decoder decodes its own types: its bit
 * field reader and its unit conversions, with the field layout of ITU-R
 * M.1371-5 (as gpsd's AIVDM document lists it). The objects use the same
 * field names as the library's, so one handler reads both.
 */

function cjsDefault<T>(m: { default: T }): T {
  return (typeof m === 'object' && m !== null && 'default' in m ? m.default : m) as T;
}
const AisBitField = cjsDefault(aisBitFieldModule);
const format = cjsDefault(aisFormatModule);
type BitField = InstanceType<typeof AisBitField>;

export const EXTRA_AIS_TYPES: ReadonlySet<number> = new Set([9, 19, 21, 27]);

/** Aid-to-navigation kinds (M.1371 table 74), for the passage text. */
const AID_TYPES = [
  'unspecified', 'reference point', 'RACON', 'fixed structure off shore', 'emergency wreck marking buoy',
  'light without sectors', 'light with sectors', 'leading light front', 'leading light rear', 'beacon cardinal N',
  'beacon cardinal E', 'beacon cardinal S', 'beacon cardinal W', 'beacon port hand', 'beacon starboard hand',
  'beacon preferred channel port hand', 'beacon preferred channel starboard hand', 'beacon isolated danger',
  'beacon safe water', 'beacon special mark', 'cardinal mark N', 'cardinal mark E', 'cardinal mark S',
  'cardinal mark W', 'port hand mark', 'starboard hand mark', 'preferred channel port hand', 'preferred channel starboard hand',
  'isolated danger', 'safe water', 'special mark', 'light vessel / LANBY / rig',
];

export function aidTypeText(code: number): string | undefined {
  return AID_TYPES[code];
}

export interface ExtraAisMessage {
  type: number;
  repeat: number;
  mmsi: number;
  lat: number | null;
  lon: number | null;
  /** Knots. */
  speedOverGround: number | null;
  courseOverGround: number | null;
  accuracy: boolean;
  /** Type 9: altitude in metres (null when not available). */
  altitude?: number | null;
  name?: string;
  typeAndCargo?: number;
  aidType?: number;
  virtualAid?: boolean;
  offPosition?: boolean;
  navStatus?: number;
  dimBow?: number;
  dimStern?: number;
  dimPort?: number;
  dimStarboard?: number;
}

const head = (bits: BitField, type: number): Pick<ExtraAisMessage, 'type' | 'repeat' | 'mmsi'> => ({ type, repeat: bits.getInt(6, 2), mmsi: bits.getInt(8, 30) });

function dims(bits: BitField, at: number): Pick<ExtraAisMessage, 'dimBow' | 'dimStern' | 'dimPort' | 'dimStarboard'> {
  return { dimBow: bits.getInt(at, 9), dimStern: bits.getInt(at + 9, 9), dimPort: bits.getInt(at + 18, 6), dimStarboard: bits.getInt(at + 24, 6) };
}

/** Type 9, 168 bits: a search-and-rescue aircraft's position, altitude and speed (whole knots). */
function sarAircraft(bits: BitField): ExtraAisMessage {
  const alt = bits.getInt(38, 12);
  const sog = bits.getInt(50, 10);
  return {
    ...head(bits, 9),
    altitude: alt === 4095 ? null : alt,
    speedOverGround: sog === 1023 ? null : sog,
    accuracy: bits.getBoolean(60, 1),
    lon: format.longitude(bits.getSignedInt(61, 28)),
    lat: format.latitude(bits.getSignedInt(89, 27)),
    courseOverGround: format.courseOverGround(bits.getInt(116, 12)),
  };
}

/** Type 19, 312 bits: a class B position with the vessel's name, type and size. */
function extendedClassB(bits: BitField): ExtraAisMessage {
  return {
    ...head(bits, 19),
    speedOverGround: format.speedOverGround(bits.getInt(46, 10)),
    accuracy: bits.getBoolean(56, 1),
    lon: format.longitude(bits.getSignedInt(57, 28)),
    lat: format.latitude(bits.getSignedInt(85, 27)),
    courseOverGround: format.courseOverGround(bits.getInt(112, 12)),
    name: bits.getString(143, 120),
    typeAndCargo: bits.getInt(263, 8),
    ...dims(bits, 271),
  };
}

/** Type 21, 272-360 bits: an aid to navigation; the name may continue in an extension after bit 272. */
function aidToNavigation(bits: BitField, payloadBits: number): ExtraAisMessage {
  const extension = payloadBits > 272 ? bits.getString(272, Math.floor((payloadBits - 272) / 6) * 6) : '';
  return {
    ...head(bits, 21),
    aidType: bits.getInt(38, 5),
    name: `${bits.getString(43, 120)}${extension}`.trim(),
    accuracy: bits.getBoolean(163, 1),
    lon: format.longitude(bits.getSignedInt(164, 28)),
    lat: format.latitude(bits.getSignedInt(192, 27)),
    ...dims(bits, 219),
    offPosition: bits.getBoolean(259, 1),
    virtualAid: bits.getBoolean(269, 1),
    speedOverGround: null,
    courseOverGround: null,
  };
}

/** Type 27, 96 bits: long-range broadcast, position in tenths of a minute, speed in knots, course in degrees. */
function longRange(bits: BitField): ExtraAisMessage {
  const lon = bits.getSignedInt(44, 18);
  const lat = bits.getSignedInt(62, 17);
  const sog = bits.getInt(79, 6);
  const cog = bits.getInt(85, 9);
  return {
    ...head(bits, 27),
    accuracy: bits.getBoolean(38, 1),
    navStatus: bits.getInt(40, 4),
    lon: lon === 181 * 600 ? null : lon / 600,
    lat: lat === 91 * 600 ? null : lat / 600,
    speedOverGround: sog === 63 ? null : sog,
    courseOverGround: cog === 511 ? null : cog,
  };
}

/** Shortest payload (in bits) each type needs; anything shorter is a truncated message. */
const MIN_BITS: Record<number, number> = { 9: 168, 19: 312, 21: 272, 27: 96 };

/**
 * Decodes an armoured payload of type 9, 19, 21 or 27 (fill bits already
 * left off by the caller's count). Null for other types; throws on a
 * payload too short for its type, so the caller counts it as undecodable.
 */
export function decodeExtraAis(payload: string, fillBits = 0): ExtraAisMessage | null {
  const bits = new AisBitField(payload);
  const type = bits.getInt(0, 6);
  if (!EXTRA_AIS_TYPES.has(type)) return null;
  const length = payload.length * 6 - fillBits;
  if (length < MIN_BITS[type]!) throw new Error(`type ${type} message is ${length} bits, shorter than the ${MIN_BITS[type]} its layout needs`);
  if (type === 9) return sarAircraft(bits);
  if (type === 19) return extendedClassB(bits);
  if (type === 21) return aidToNavigation(bits, length);
  return longRange(bits);
}
