import { CairnError } from '../../main/core/errors.js';
import { detectColumns, detectDelimiter } from './csv-columns.js';
import { splitLines } from './text.js';
import type { SensorFormat } from './types.js';
import { xmlRootName } from './xml.js';

const XML_ROOTS: Record<string, SensorFormat> = {
  gpx: 'gpx',
  kml: 'kml',
  TrainingCenterDatabase: 'tcx',
  event: 'cot',
  events: 'cot',
};

const AIS_LINE = /![A-Z]{2}VD[MO],/;
const NMEA_LINE = /^\$[A-Z][A-Z0-9]{4,},.*\*[0-9A-Fa-f]{2}$/;
/** SBS-1 / BaseStation messages (dump1090, readsb port 30003). */
const SBS_LINE = /^(?:MSG,[1-8],|(?:SEL|ID|AIR|STA|CLK),)/;
/** Raw Mode S in hex: a `time,msg` CSV row (pyModeS logs) or dump1090's AVR line `*8D...;`. */
const MODE_S_LINE = /^(?:\d{9,13}(?:\.\d+)?\s*,\s*"?(?:[0-9A-Fa-f]{14}|[0-9A-Fa-f]{28})"?(?:,|$)|\*(?:[0-9A-Fa-f]{14}|[0-9A-Fa-f]{28});$)/;

/** True for the zip local-file-header magic `PK\x03\x04`. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/**
 * The sensor format of a text, from its content: the XML root element, a
 * JSON opening, AIS or NMEA sentences in the first lines, or a CSV header
 * with coordinate columns. The file name only breaks a tie (a `.geojson`
 * holding `null` is read, and refused, as GeoJSON).
 */
export function detectTextFormat(text: string, filename: string): SensorFormat {
  const start = text.slice(0, 4096).trimStart();
  if (start.startsWith('<')) {
    const root = xmlRootName(text.trimStart());
    const format = root ? XML_ROOTS[root] : undefined;
    if (format) return format;
    throw new CairnError('UNSUPPORTED_TYPE', `${filename} is XML with root element <${root ?? '?'}>, not GPX, KML, TCX or Cursor-on-Target`, { input: filename });
  }
  if (start.startsWith('{') || start.startsWith('[')) return 'geojson';

  const lines = splitLines(text.slice(0, 256 * 1024))
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .slice(0, 400);
  let ais = 0;
  let nmea = 0;
  let modeS = 0;
  let sbs = 0;
  for (const l of lines) {
    if (MODE_S_LINE.test(l)) modeS++;
    else if (SBS_LINE.test(l)) sbs++;
    else if (AIS_LINE.test(l)) ais++;
    else if (NMEA_LINE.test(l.slice(Math.max(0, l.indexOf('$'))))) nmea++;
  }
  if (ais > 0 && ais >= nmea / 4) return 'ais';
  if (nmea > 0 && nmea >= lines.length / 4) return 'nmea';
  if (modeS > 0 && modeS >= lines.length / 2) return 'adsb';
  if (sbs > 0 && sbs >= lines.length / 2) return 'sbs';

  if (lines.length > 0) {
    const delimiter = detectDelimiter(lines.slice(0, 20));
    if (delimiter) {
      const headers = lines[0]!.split(delimiter).map((h) => h.trim().replace(/^"|"$/g, ''));
      if (detectColumns(headers)) return 'csv';
      if (headers.some((h) => /^(msg|message|raw|hex)(_?hex)?$/i.test(h))) return 'adsb';
    }
  }
  if (/\.(geo)?json$/i.test(filename) && /^(null|true|false|"|-?\d)/.test(start)) return 'geojson';
  if (/\.csv$/i.test(filename)) {
    throw new CairnError('PARSE_FAILED', `${filename}: no usable latitude/longitude columns in the CSV header; name them lat/lon, latitude/longitude or X/Y`, { input: filename });
  }
  throw new CairnError('UNSUPPORTED_TYPE', `${filename} is not a sensor format Cairn reads (GPX, KML/KMZ, TCX, GeoJSON, NMEA 0183, AIS, Cursor-on-Target, CSV track)`, { input: filename });
}
