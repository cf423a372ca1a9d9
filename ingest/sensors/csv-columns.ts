/**
 * Which CSV columns hold what, from the header alone. Names are compared
 * lower-cased with everything but letters and digits removed, so `Lat`,
 * `LAT_DEG` and `latitude (deg)` all match.
 */

export type SpeedUnit = 'm/s' | 'kn' | 'km/h' | 'mph';

export interface CsvColumns {
  lat: number;
  lon: number;
  /** One time column, or a date column plus a time column. */
  time: number | null;
  date: number | null;
  entity: number | null;
  /** How the entity column names things: `mmsi`, `icao24`, `trajectory_id`... (the header as written). */
  entityHeader: string | null;
  alt: number | null;
  altFeet: boolean;
  speed: number | null;
  speedUnit: SpeedUnit;
  course: number | null;
  /** Extra naming columns shown in segment texts (vessel name, callsign...). */
  labels: number[];
  /** True when lat/lon came from X/Y columns. */
  xy: boolean;
}

export function normalise(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const LAT = ['lat', 'latitude', 'latdeg', 'latitudedeg', 'latdd', 'latwgs84', 'latitudewgs84', 'gpslat', 'gpslatitude'];
const LON = ['lon', 'lng', 'long', 'longitude', 'londeg', 'longitudedeg', 'londd', 'lonwgs84', 'longitudewgs84', 'gpslon', 'gpslng', 'gpslongitude'];
const TIME = ['t', 'time', 'timestamp', 'datetime', 'basedatetime', 'utc', 'timeutc', 'utctime', 'datetimeutc', 'gpstime', 'ts', 'unixts', 'unixtime', 'epoch', 'when', 'fixtime', 'positiontime', 'recordedat', 'createdat', 'timestamputc'];
const ENTITY = ['mmsi', 'icao24', 'icao', 'hex', 'icaoaddress', 'trajectoryid', 'trackid', 'trajid', 'tid', 'entity', 'entityid', 'uid', 'deviceid', 'device', 'vehicleid', 'vehicle', 'tracker', 'trackerid', 'imei', 'callsign', 'flight', 'vesselname', 'shipname', 'name'];
const LABELS = ['vesselname', 'shipname', 'name', 'callsign', 'flight', 'imo', 'vesseltype', 'shiptype', 'tracker', 'device', 'registration', 'typecode'];
const ALT = ['alt', 'altitude', 'elevation', 'ele', 'hae', 'altm', 'altitudem', 'height', 'geoaltitude', 'baroaltitude', 'altmsl', 'altft', 'altitudeft', 'altitudefeet'];
const SPEED: Array<[string, SpeedUnit]> = [
  ['sog', 'kn'],
  ['speedkn', 'kn'],
  ['speedknots', 'kn'],
  ['speedkts', 'kn'],
  ['knots', 'kn'],
  ['kts', 'kn'],
  ['groundspeed', 'kn'],
  ['gs', 'kn'],
  ['speedkmh', 'km/h'],
  ['speedkph', 'km/h'],
  ['kmh', 'km/h'],
  ['kph', 'km/h'],
  ['speedmph', 'mph'],
  ['mph', 'mph'],
  ['speedms', 'm/s'],
  ['speed', 'm/s'],
  ['velocity', 'm/s'],
];
const COURSE = ['cog', 'course', 'courseoverground', 'bearing', 'direction', 'track', 'heading', 'trueheading'];

export function detectColumns(headers: string[]): CsvColumns | null {
  const norm = headers.map(normalise);
  const find = (names: string[]): number | null => {
    for (const n of names) {
      const i = norm.indexOf(n);
      if (i >= 0) return i;
    }
    return null;
  };
  let lat = find(LAT);
  let lon = find(LON);
  let xy = false;
  if (lat === null || lon === null) {
    const x = norm.indexOf('x');
    const y = norm.indexOf('y');
    if (x < 0 || y < 0) return null;
    lat = y;
    lon = x;
    xy = true;
  }
  let time = find(TIME);
  let date: number | null = null;
  if (time === null) {
    const d = norm.indexOf('date');
    if (d >= 0) {
      date = d;
      const clock = find(['time', 'clock', 'utctime', 'timeofday']);
      time = clock;
      if (time === null) {
        time = d;
        date = null;
      }
    }
  } else if (norm[time] === 'time') {
    const d = norm.indexOf('date');
    if (d >= 0) date = d;
  }
  const entity = find(ENTITY);
  const alt = find(ALT);
  let speed: number | null = null;
  let speedUnit: SpeedUnit = 'm/s';
  for (const [name, unit] of SPEED) {
    const i = norm.indexOf(name);
    if (i >= 0) {
      speed = i;
      speedUnit = unit;
      break;
    }
  }
  const course = find(COURSE);
  const labels = LABELS.map((n) => norm.indexOf(n)).filter((i) => i >= 0 && i !== entity);
  return {
    lat,
    lon,
    time,
    date,
    entity,
    entityHeader: entity === null ? null : headers[entity]!.trim(),
    alt,
    altFeet: alt !== null && /ft|feet/.test(norm[alt]!),
    speed,
    speedUnit,
    course,
    labels,
    xy,
  };
}

const DELIMITERS = [',', ';', '\t', '|'];

/** The delimiter that splits the header and the first rows into the same, largest number of fields. */
export function detectDelimiter(lines: string[]): string | null {
  let best: { d: string; score: number } | null = null;
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => countOutsideQuotes(l, d));
    const head = counts[0] ?? 0;
    if (head === 0) continue;
    const agreeing = counts.filter((c) => c === head).length;
    const score = agreeing * 1000 + head;
    if (!best || score > best.score) best = { d, score };
  }
  return best?.d ?? null;
}

function countOutsideQuotes(line: string, d: string): number {
  let n = 0;
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) n++;
  }
  return n;
}
