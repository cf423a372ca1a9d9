/**
 * Time stamps as sensors write them, to ISO 8601 UTC. Offsets such as `+00`,
 * `+0530` and `-05:00` are honoured; a stamp with no offset is read as UTC
 * and the caller is told (`assumedUtc`) so it can warn once.
 */

export interface ParsedTime {
  iso: string;
  ms: number;
  assumedUtc: boolean;
}

/** Earliest plausible sensor time: the GPS epoch. */
export const EARLIEST_MS = Date.UTC(1980, 0, 6);

const ISO_LIKE =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

export function parseTime(raw: string): ParsedTime | null {
  const s = raw.trim();
  if (s === '') return null;
  const m = ISO_LIKE.exec(s);
  if (m) {
    const [, y, mo, d, hh, mi, ss, frac, zone] = m;
    const month = Number(mo);
    const day = Number(d);
    const hour = hh === undefined ? 0 : Number(hh);
    const minute = mi === undefined ? 0 : Number(mi);
    const second = ss === undefined ? 0 : Number(ss);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 60) return null;
    const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
    let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
    // Date.UTC rolls 31 February into March: refuse it.
    if (new Date(Date.UTC(Number(y), month - 1, day)).getUTCDate() !== day) return null;
    let assumedUtc = false;
    if (zone === undefined) {
      assumedUtc = hh !== undefined;
    } else if (/^[+-]/.test(zone)) {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      const offsetMin = Number(digits.slice(0, 2)) * 60 + (digits.length > 2 ? Number(digits.slice(2, 4)) : 0);
      t -= sign * offsetMin * 60_000;
    }
    return finish(t, assumedUtc);
  }
  // Unix epoch seconds (10 digits, optional fraction) or milliseconds (13 digits).
  if (/^\d{9,10}(\.\d+)?$/.test(s)) return finish(Math.round(Number(s) * 1000), false);
  if (/^\d{12,13}$/.test(s)) return finish(Number(s), false);
  return null;
}

function finish(ms: number, assumedUtc: boolean): ParsedTime | null {
  if (!Number.isFinite(ms)) return null;
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return null;
  return { iso: d.toISOString(), ms, assumedUtc };
}

/** A time a sensor could have recorded: after the GPS epoch, not more than a day in the future. */
export function plausible(ms: number): boolean {
  return ms >= EARLIEST_MS && ms <= Date.now() + 86_400_000;
}

/** `2012-10-24 23:29:40 UTC` (seconds kept, milliseconds only when present). */
export function humanTime(iso: string): string {
  return `${iso.replace('T', ' ').replace(/\.000Z$/, 'Z').replace(/Z$/, '')} UTC`;
}

export function humanDuration(ms: number): string {
  const totalMin = Math.round(ms / 60_000);
  if (totalMin < 1) return `${Math.round(ms / 1000)} s`;
  const h = Math.floor(totalMin / 60);
  const m = totalMin % 60;
  if (h === 0) return `${m} min`;
  if (h < 48) return m === 0 ? `${h} h` : `${h} h ${m} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
