import { validNmeaChecksum } from 'nmea-simple/dist/helpers.js';
import { parseTime, plausible } from './time.js';

/**
 * The wrappers AIS sentences arrive in: NMEA 4.0 tag blocks, Gatehouse
 * `$PGHP` lines, and receiver time stamps before or after the sentence.
 * Only the wrapper is read here; the sentence itself goes to
 * ais-stream-decoder.
 */

/** `$PGHP,1,yyyy,m,d,h,m,s,ms,...*hh`: the receive time of the AIS sentence that follows. */
export function gatehouseStamp(line: string): number | null {
  if (!/\*[0-9A-Fa-f]{2}$/.test(line) || !validNmeaChecksum(line)) return null;
  const f = line.split('*')[0]!.split(',');
  const n = f.slice(2, 9).map(Number);
  if (f[1] !== '1' || n.length < 7 || n.some((x) => !Number.isInteger(x))) return null;
  const t = Date.UTC(n[0]!, n[1]! - 1, n[2]!, n[3]!, n[4]!, n[5]!, n[6]!);
  return plausible(t) ? t : null;
}

/**
 * Finds the AIS sentence in a line and the time stamp around it: a tag block
 * `c:` field (unix seconds or ms), text before the `!`, or a field after the
 * checksum.
 */
export function unwrap(line: string): { sentence: string; time: number | null; badTime?: string } | null {
  let rest = line;
  let time: number | null = null;
  let badTime: string | undefined;
  /** A time stamp: strict ones (tag block c:) are reported when unusable, loose ones (text around the sentence) only when they parse. */
  const take = (raw: string, strict: boolean): void => {
    const p = parseTime(raw);
    if (p && plausible(p.ms)) time ??= p.ms;
    else if (strict || p) badTime ??= raw;
  };
  if (rest.startsWith('\\')) {
    const end = rest.indexOf('\\', 1);
    if (end < 0) return null;
    const tags = rest.slice(1, end).replace(/\*[0-9A-Fa-f]{1,2}$/, '');
    for (const kv of tags.split(',')) {
      if (kv.startsWith('c:')) take(kv.slice(2), true);
    }
    rest = rest.slice(end + 1);
  }
  const bang = rest.search(/![A-Z]{2}VD[MO],/);
  if (bang < 0) return null;
  const prefix = rest.slice(0, bang).replace(/[\s,;|]+$/, '');
  if (prefix !== '') take(prefix, false);
  const m = /^(![A-Z]{2}VD[MO],[^*]*\*)([0-9A-Fa-f]{2})(.*)$/.exec(rest.slice(bang));
  if (!m) return null;
  // Receivers append fields after the checksum (station id, signal level, and often a unix time last).
  for (const field of m[3]!.split(',')) {
    if (/^\d{9,10}(\.\d+)?$|^\d{13}$/.test(field.trim())) take(field.trim(), false);
  }
  return { sentence: `${m[1]}${m[2]!.toUpperCase()}`, time, badTime };
}
