import { describe, expect, it } from 'vitest';
import { GPS_ROLLOVER_MS } from '../../../ingest/sensors/nmea.js';
import { describeFixtures, fixtureText, readFixture, readString } from './fixtures.js';

interface Tpv {
  class: string;
  mode: number;
  time?: string;
  lat?: number;
  lon?: number;
  altMSL?: number;
}

/** The TPV reports gpsd's regression run produced for this log. */
function tpvs(chk: string): Tpv[] {
  return fixtureText('nmea', chk)
    .split('\n')
    .filter((l) => l.startsWith('{"class":"TPV"'))
    .map((l) => JSON.parse(l) as Tpv);
}

const LOGS: Array<[string, string, number, number]> = [
  // log, expected file, the date shift gpsd's regression harness applied (it pins its own "now" and rolls
  // old dates forward by 1024 weeks), and how many of our fixes gpsd has no timed TPV for.
  // gp-320fw: 23:57:23.02 is a GLL-only fix before the first RMC (gpsd reports it without a time; we carry
  // the RMC date back to it), and gpsd's cycle detection emits no TPV for the last epoch 23:57:26.02 (RMC+GGA valid).
  ['gp-320fw-2019-04-06-overflow.nmea.log', 'gp-320fw-2019-04-06-overflow.expected.chk', 0, 2],
  ['bu353s4.nmea.log', 'bu353s4.expected.chk', GPS_ROLLOVER_MS, 0],
  ['gpslim236.nmea.log', 'gpslim236.expected.chk', GPS_ROLLOVER_MS, 0],
  ['hemi.nmea.log', 'hemi.expected.chk', 0, 0],
];

describeFixtures('nmea', 'NMEA logs vs gpsd regression output', () => {
  it.each(LOGS)('%s: every gpsd fix with a position is an observation at the same place and time', async (log, chk, gpsdShift, extraFixes) => {
    const r = await readFixture('nmea', log);
    expect(r.format).toBe('nmea');
    const fixes = tpvs(chk).filter((t) => t.mode >= 2 && t.lat !== undefined && t.lon !== undefined);
    expect(fixes.length).toBeGreaterThan(0);
    const ours = new Map(r.observations.map((o) => [Date.parse(o.t!), o]));
    let matched = 0;
    for (const f of fixes) {
      if (f.time === undefined) {
        // gpsd had no date yet (GGA before the first RMC): match on position alone.
        expect(r.observations.some((o) => Math.abs(o.lat - f.lat!) < 1e-6 && Math.abs(o.lon - f.lon!) < 1e-6)).toBe(true);
        continue;
      }
      const o = ours.get(Date.parse(f.time) - gpsdShift);
      expect(o, `fix at ${f.time}`).toBeDefined();
      expect(Math.abs(o!.lat - f.lat!)).toBeLessThan(1e-6);
      expect(Math.abs(o!.lon - f.lon!)).toBeLessThan(1e-6);
      if (f.altMSL !== undefined) expect(o!.alt).toBeCloseTo(f.altMSL, 3);
      matched++;
    }
    // And no extra fixes: gpsd's timed fixes are exactly ours.
    const gpsdTimes = new Set(fixes.filter((f) => f.time).map((f) => Date.parse(f.time!) - gpsdShift));
    expect(matched).toBeGreaterThanOrEqual(gpsdTimes.size);
    const extra = r.observations.filter((o) => !gpsdTimes.has(Date.parse(o.t!)));
    expect(extra.length, `fixes gpsd has no timed TPV for: ${extra.map((o) => o.t).join(", ")}`).toBe(extraFixes);
    expect(r.observations.filter((o) => gpsdTimes.has(Date.parse(o.t!))).length).toBe(gpsdTimes.size);
  });

  it('reads the real dates from RMC (gpsd regression output shows +1024 weeks for old logs)', async () => {
    const r = await readFixture('nmea', 'bu353s4.nmea.log');
    expect(r.observations[0]!.t).toBe('2014-12-31T03:07:19.000Z');
    expect(r.segments).toHaveLength(1);
    expect(r.segments[0]!.text).toMatch(/GPS receiver log "bu353s4".*2014-12-31 03:07:19 UTC/);
    expect(r.warnings).toEqual([]);
  });

  it('takes speed from RMC/VTG in m/s and course in degrees', async () => {
    const r = await readFixture('nmea', 'hemi.nmea.log');
    const o = r.observations.find((x) => x.t === '2018-09-07T19:40:58.000Z')!;
    expect(o.speed).toBeCloseTo(0.07 / 3.6, 4); // VTG 0.07 km/h
    expect(o.course).toBeCloseTo(346.88, 2);
  });
});

describe('NMEA robustness', () => {
  const rmc = '$GPRMC,235724.02,A,4808.9978,N,01135.0800,E,000.0,000.0,060419,003.0,E,A*3E';
  const gga = '$GPGGA,235724.02,4808.9978,N,01135.0800,E,1,04,01.4,00464.4,M,0046.2,M,,*5D';

  it('skips and counts sentences with a bad checksum', async () => {
    const broken = rmc.replace('*3E', '*3F');
    const r = await readString([gga, broken, broken, 'garbage line', ''].join('\r\n'), 'x.nmea');
    expect(r.metadata.checksumFailures).toBe(2);
    expect(r.warnings.join('\n')).toMatch(/2 sentences with a bad checksum skipped/);
    expect(r.warnings.join('\n')).toMatch(/1 line skipped \(not NMEA sentences\)/);
    // The GGA alone has no date: kept without a time, and said so.
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]!.t).toBeNull();
  });

  it('moves fixes dated before the GPS date floor forward by 1024 weeks (week-rollover bug) and warns', async () => {
    // The same fix as a buggy receiver reports it after the April 2019 rollover: 1999-08-22.
    const body = '$GPRMC,235724.02,A,4808.9978,N,01135.0800,E,000.0,000.0,220899,003.0,E,A';
    const sum = [...body.slice(1)].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0');
    const r = await readString(`${body}*${sum}\n`, 'rollover.nmea');
    expect(r.observations[0]!.t).toBe(new Date(Date.parse('1999-08-22T23:57:24.020Z') + GPS_ROLLOVER_MS).toISOString());
    expect(r.observations[0]!.t!.slice(0, 10)).toBe('2019-04-07');
    expect(r.warnings.join('\n')).toMatch(/1024 weeks/);
  });

  it('carries the date across midnight and back to fixes before the first RMC', async () => {
    const s = (body: string): string => `${body}*${[...body.slice(1)].reduce((x, c) => x ^ c.charCodeAt(0), 0).toString(16).toUpperCase().padStart(2, '0')}`;
    const lines = [
      s('$GPGGA,235958.00,4808.9978,N,01135.0800,E,1,05,1.0,464.4,M,46.2,M,,'),
      s('$GPRMC,235959.00,A,4808.9978,N,01135.0800,E,0.0,0.0,060419,,,A'),
      s('$GPGGA,000001.00,4808.9978,N,01135.0800,E,1,05,1.0,464.4,M,46.2,M,,'),
    ];
    const r = await readString(lines.join('\n'), 'midnight.nmea');
    expect(r.observations.map((o) => o.t)).toEqual(['2019-04-06T23:59:58.000Z', '2019-04-06T23:59:59.000Z', '2019-04-07T00:00:01.000Z']);
  });
});
