import { describe, expect, it } from 'vitest';
import { decodeAdsbHex } from '../../../ingest/sensors/adsb.js';
import { describeFixtures, fixtureText, readExpectedCsv, readFixture, readString } from './fixtures.js';

interface Golden {
  icao: string;
  typecode: number;
  callsign?: string;
  altitude?: number;
  cpr_format?: number;
  groundspeed?: number;
  track?: number;
}

describeFixtures('adsb', 'ADS-B (pyModeS capture and golden decode)', () => {
  const golden = (): Record<string, Golden> => JSON.parse(fixtureText('adsb', 'sample_data_adsb.expected.json')) as Record<string, Golden>;

  it('decodes every golden message as pyModeS does: ICAO, type code, callsign, altitude, CPR format, speed and track', () => {
    const g = golden();
    expect(Object.keys(g)).toHaveLength(200);
    for (const [hex, want] of Object.entries(g)) {
      const m = decodeAdsbHex(hex)!;
      expect(m.crcOk, hex).toBe(true);
      expect(m.icao).toBe(want.icao.toUpperCase());
      expect(m.typecode).toBe(want.typecode);
      if (want.callsign) expect(m.callsign).toBe(want.callsign.replace(/_+$/, ''));
      if (want.altitude !== undefined) expect(m.altitudeFt, hex).toBe(want.altitude);
      if (want.cpr_format !== undefined) expect(m.cprFormat, hex).toBe(want.cpr_format);
      // pyModeS truncates ground speed to whole knots.
      if (want.groundspeed !== undefined) expect(Math.floor(m.groundspeedKn!), hex).toBe(want.groundspeed);
      if (want.track !== undefined) expect(m.trackDeg!, hex).toBeCloseTo(want.track, 6);
    }
  });

  it('resolves the even/odd CPR pair to the expected position (within the tolerance the fixture gives)', async () => {
    const [want] = readExpectedCsv('adsb', 'cpr_pair.expected.csv');
    const r = await readFixture('adsb', 'cpr_pair.csv');
    expect(r.format).toBe('adsb');
    expect(r.observations).toHaveLength(1);
    const o = r.observations[0]!;
    expect(o.entity).toBe(want!.icao);
    expect(Math.abs(o.lat - Number(want!.latitude))).toBeLessThan(Number(want!.tolerance_deg));
    expect(Math.abs(o.lon - Number(want!.longitude))).toBeLessThan(Number(want!.tolerance_deg));
    expect(o.t).toBe('2015-10-31T23:00:05.000Z'); // the odd frame's time, 1446332405 s
    expect(o.alt).toBeCloseTo(39000 * 0.3048, 6);
  });

  it('reads the headerless capture into one track per aircraft, named by its callsign', async () => {
    const r = await readFixture('adsb', 'sample_data_adsb.csv');
    expect(r.format).toBe('adsb');
    expect(r.metadata.messages).toBe(2000);
    expect(r.metadata.crcFailures).toBe(0);
    expect(r.observations.length).toBeGreaterThan(100);
    expect(new Set(r.observations.map((o) => o.entity))).toEqual(new Set(['406B90']));
    // EZY85MH over the Netherlands/Germany at cruise: every position plausible, altitude ~36,000 ft.
    for (const o of r.observations) {
      expect(o.lat).toBeGreaterThan(45);
      expect(o.lat).toBeLessThan(56);
      expect(o.alt! / 0.3048).toBeGreaterThan(30_000);
    }
    // Consecutive positions a few seconds apart are never more than a few km apart (no mis-paired CPR frames).
    const byTime = [...r.observations].sort((a, b) => a.t!.localeCompare(b.t!));
    for (let i = 1; i < byTime.length; i++) {
      const dt = (Date.parse(byTime[i]!.t!) - Date.parse(byTime[i - 1]!.t!)) / 1000;
      const dLat = Math.abs(byTime[i]!.lat - byTime[i - 1]!.lat) * 111;
      expect(dLat).toBeLessThanOrEqual(0.3 * Math.max(dt, 1) + 0.5);
    }
    expect(byTime.some((o) => o.speed !== null && Math.abs(o.speed / (1852 / 3600) - 493) < 20)).toBe(true);
    expect(r.segments.map((s) => s.text).join('\n')).toMatch(/ICAO 406B90 \(aircraft, callsign EZY85MH\)/);
  });
});

describe('ADS-B robustness', () => {
  it('skips and counts messages failing the CRC, and lines that are not Mode S', async () => {
    const good = ['1446332400.0,8D40058B58C901375147EFD09357', '1446332405.0,8D40058B58C904A87F402D3B8C59'];
    const flipped = '1446332406.0,8D40058B58C904A87F402D3B8C58';
    const r = await readString(['timestamp,msg_hex', good[0], flipped, 'garbage,zz', good[1]].join('\n'), 'log.csv');
    expect(r.metadata.crcFailures).toBe(1);
    expect(r.observations).toHaveLength(1);
    expect(r.warnings.join('\n')).toMatch(/1 Mode S message failing the CRC skipped/);
    expect(r.warnings.join('\n')).toMatch(/1 line without a Mode S message/);
  });

  it('does not pair CPR frames more than 10 s apart', async () => {
    const r = await readString(['timestamp,msg_hex', '1446332400.0,8D40058B58C901375147EFD09357', '1446332430.0,8D40058B58C904A87F402D3B8C59'].join('\n'), 'gap.csv');
    expect(r.observations).toHaveLength(0);
  });

  it('reads dump1090 AVR lines; without times no position can be paired, and it says so', async () => {
    const r = await readString('*8D406B902015A678D4D220AA4BDA;\n*8D40058B58C901375147EFD09357;\n*8D40058B58C904A87F402D3B8C59;\n', 'feed.avr');
    expect(r.format).toBe('adsb');
    expect(r.observations).toHaveLength(0);
    expect(r.warnings.join('\n')).toMatch(/without a time skipped/);
    expect(r.metadata.aircraft).toEqual([{ icao: '406B90', callsign: 'EZY85MH' }, { icao: '40058B' }]);
  });
});

describe('SBS-1 / BaseStation feed (port 30003 text)', () => {
  // The first three lines are the examples of the published BaseStation socket-data description; the rest follow one aircraft.
  const feed = [
    'MSG,1,145,256,7404F2,11267,2008/11/28,23:48:18.611,2008/11/28,23:53:19.161,RJA1118,,,,,,,,,,,',
    'MSG,3,496,211,4CA2D6,10057,2008/11/28,14:53:50.594,2008/11/28,14:58:51.153,,37000,,,51.45735,-1.02826,,,0,0,0,0',
    'MSG,4,496,469,4CA7B5,27854,2010/02/19,17:58:13.039,2010/02/19,17:58:13.368,,,288.6,103.2,,,-832,,,,,',
    'MSG,1,496,211,4CA2D6,10057,2008/11/28,14:53:51.000,2008/11/28,14:53:51.000,RYR4KM,,,,,,,,,,,',
    'MSG,4,496,211,4CA2D6,10057,2008/11/28,14:53:52.000,2008/11/28,14:53:52.000,,,452.0,271.5,,,0,,,,,',
    'MSG,3,496,211,4CA2D6,10057,2008/11/28,14:53:55.000,2008/11/28,14:53:55.000,,37000,,,51.45740,-1.04500,,,0,0,0,0',
    'STA,,5,179,400AE7,10103,2008/11/28,14:58:51.153,2008/11/28,14:58:51.153,RM',
    'MSG,3,496,211,ZZZZZZ,10057,2008/11/28,14:53:55.000,2008/11/28,14:53:55.000,,37000,,,51.0,-1.0,,,0,0,0,0',
  ].join('\n');

  it('reads positions, altitude, speed and callsign per ICAO address', async () => {
    const r = await readString(feed, 'port30003.txt');
    expect(r.format).toBe('sbs');
    const mine = r.observations.filter((o) => o.entity === '4CA2D6');
    expect(mine.map((o) => [o.t, o.lat, o.lon])).toEqual([
      ['2008-11-28T14:53:50.594Z', 51.45735, -1.02826],
      ['2008-11-28T14:53:55.000Z', 51.4574, -1.045],
    ]);
    expect(mine[0]!.alt).toBeCloseTo(37000 * 0.3048, 6);
    // Speed and track from the MSG,4 three seconds before the second position.
    expect(mine[0]!.speed).toBeNull();
    expect(mine[1]!.speed! / (1852 / 3600)).toBeCloseTo(452, 9);
    expect(mine[1]!.course).toBe(271.5);
    expect(r.segments.map((s) => s.text).join('\n')).toMatch(/ICAO 4CA2D6 \(aircraft, callsign RYR4KM\)/);
    expect(r.warnings.join('\n')).toMatch(/read as UTC/);
    expect(r.warnings.join('\n')).toMatch(/1 SBS message without a hex ICAO address skipped/);
  });
});
