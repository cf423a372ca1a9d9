import { describe, expect, it } from 'vitest';
import type { Vessel } from '../../../ingest/sensors/ais.js';
import { describeFixtures, fixtureText, readFixture, readString } from './fixtures.js';

interface GpsdAis {
  type: number;
  mmsi: number;
  lat?: number;
  lon?: number;
  shipname?: string;
  callsign?: string;
  part?: string;
  alt?: number;
  speed?: number;
  course?: number;
  aid_type_text?: string;
  /** Type 21: the aid's name. */
  name?: string;
  shiptype?: number;
}

function expected(): GpsdAis[] {
  return fixtureText('ais', 'sample.aivdm.expected.json')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as GpsdAis);
}

/** Types with a position: ais-stream-decoder's (1-4, 18) and those ais-extra.ts adds (9, 19, 21, 27). */
const POSITION_TYPES = [1, 2, 3, 4, 9, 18, 19, 21, 27];
const STATIC_TYPES = [5, 19, 21, 24];

const mmsi9 = (n: number): string => String(n).padStart(9, '0');

/** gpsd prints type 27 positions to one decimal (the message carries tenths of a minute); the rest to 6. */
const tolerance = (m: GpsdAis): number => (m.type === 27 ? 0.05 + 1e-9 : 2e-6);

/** Appends the NMEA checksum to a sentence body. */
function withSum(body: string): string {
  const x = [...body.slice(1)].reduce((acc, c) => acc ^ c.charCodeAt(0), 0);
  return `${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
}

describeFixtures('ais', 'AIS sample.aivdm vs gpsd decode', () => {
  it('every decodable position report (types 1-4, 9, 18, 19, 21, 27) is an observation of its MMSI at the same place', async () => {
    const r = await readFixture('ais', 'sample.aivdm');
    expect(r.format).toBe('ais');
    const reports = expected().filter((m) => POSITION_TYPES.includes(m.type) && m.lat !== undefined && Math.abs(m.lat) <= 90 && Math.abs(m.lon!) <= 180);
    expect(reports.length).toBeGreaterThanOrEqual(10);
    for (const m of reports) {
      const hit = r.observations.find((o) => o.entity === mmsi9(m.mmsi) && Math.abs(o.lat - m.lat!) < tolerance(m) && Math.abs(o.lon - m.lon!) < tolerance(m));
      expect(hit, `type ${m.type} MMSI ${m.mmsi} at ${m.lat},${m.lon}`).toBeDefined();
    }
    // Nothing invented: every observation is one of gpsd's reports.
    for (const o of r.observations) {
      expect(reports.some((m) => mmsi9(m.mmsi) === o.entity && Math.abs(o.lat - m.lat!) < tolerance(m))).toBe(true);
    }
  });

  it('names vessels from static data (type 5 multi-part, type 24 parts A/B) and puts the names in segment texts', async () => {
    const r = await readFixture('ais', 'sample.aivdm');
    const vessels = r.metadata.vessels as Vessel[];
    const named = expected().filter((m) => STATIC_TYPES.includes(m.type) && (m.shipname ?? m.name));
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const m of named) {
      const v = vessels.find((x) => x.mmsi === mmsi9(m.mmsi));
      expect(v?.name, `MMSI ${m.mmsi}`).toBe((m.shipname ?? m.name)!.trim());
    }
    for (const m of expected().filter((x) => STATIC_TYPES.includes(x.type) && x.callsign)) {
      expect(vessels.find((x) => x.mmsi === mmsi9(m.mmsi))?.callsign).toBe(m.callsign!.trim());
    }
    expect(vessels.find((v) => v.mmsi === '351759000')).toMatchObject({ name: 'EVER DIADEM', callsign: '3FOF8', imo: 9134270, shipType: 70, shipTypeText: 'cargo ship', destination: 'NEW YORK' });
    // Every type 5 in the file is reassembled from its two fragments.
    expect((r.metadata.messagesByType as Record<string, number>)['5']).toBe(expected().filter((m) => m.type === 5).length);
  });

  it('reports the message types nothing decodes instead of dropping them silently', async () => {
    const r = await readFixture('ais', 'sample.aivdm');
    const undecoded = r.metadata.undecodedTypes as Record<string, number>;
    for (const t of [9, 19, 21, 27]) expect(undecoded[String(t)], `type ${t}`).toBeUndefined();
    // Binary and safety messages (6, 7, 12...) carry no position: still counted, still reported.
    expect(undecoded['12']).toBeGreaterThan(0);
    expect(r.warnings.join('\n')).toMatch(/not decoded by ais-stream-decoder/);
  });

  it('decodes SAR aircraft (9), extended class B (19), aids to navigation (21) and long-range (27) as gpsd does', async () => {
    const r = await readFixture('ais', 'sample.aivdm');
    const vessels = r.metadata.vessels as Vessel[];
    const byType = (t: number): GpsdAis[] => expected().filter((m) => m.type === t);
    const obsOf = (m: GpsdAis) => r.observations.find((o) => o.entity === mmsi9(m.mmsi) && Math.abs(o.lat - m.lat!) < tolerance(m) && Math.abs(o.lon - m.lon!) < tolerance(m));
    for (const m of byType(9)) {
      const o = obsOf(m);
      expect(o?.alt, `SAR ${m.mmsi}`).toBe(m.alt);
      expect(o!.speed! / (1852 / 3600)).toBeCloseTo(m.speed!, 6);
      expect(vessels.find((v) => v.mmsi === mmsi9(m.mmsi))?.class).toBe('SAR aircraft');
    }
    const [ext] = byType(19);
    expect(obsOf(ext!)!.speed! / (1852 / 3600)).toBeCloseTo(ext!.speed!, 6);
    expect(vessels.find((v) => v.mmsi === mmsi9(ext!.mmsi))).toMatchObject({ name: 'CAPT.J.RIMES', shipType: ext!.shiptype, class: 'B', lengthM: 26, beamM: 8 });
    expect(byType(21)).toHaveLength(2);
    for (const m of byType(21)) {
      expect(obsOf(m), `AtoN ${m.mmsi}`).toBeDefined();
      const v = vessels.find((x) => x.mmsi === mmsi9(m.mmsi));
      expect(v).toMatchObject({ name: m.name, class: 'aid to navigation' });
      expect(v!.aidType!.toLowerCase()).toBe(m.aid_type_text!.toLowerCase());
    }
    // Long-range positions are signed tenths of a minute: -154.2 is west, not 282 degrees east.
    const [polar, pacific] = byType(27).map((m) => obsOf(m)!);
    expect(polar!.lat).toBeCloseTo(87.065, 9);
    expect(polar!.lon).toBeCloseTo(-154.20167, 5);
    expect(pacific!.lon).toBeCloseTo(137.02333, 5);
    for (const m of byType(27)) expect(obsOf(m)!.speed! / (1852 / 3600)).toBeCloseTo(m.speed!, 6);
    // The names reach the searchable segment passages.
    expect(r.segments.map((s) => s.text).join('\n')).toMatch(/MMSI 123456789 \("CHINA ROSE MURPHY EXPRESS ALERT", length 10 m, cardinal mark N, AIS aid to navigation\)/);
  });

  it('reads Gatehouse $PGHP time stamps and skips one whose checksum is wrong', async () => {
    const r = await readFixture('ais', 'pyais-gatehouse-timestamped.ais');
    expect(r.observations).toHaveLength(4);
    const timed = r.observations.filter((o) => o.t !== null);
    expect(timed.map((o) => o.t)).toContain('2008-05-09T00:00:00.010Z');
    expect(r.warnings.join('\n')).toMatch(/\$PGHP line without a usable time stamp/);
  });

  it('reads AISHub lines mixed with NMEA, junk and tag blocks, reassembling multi-part messages', async () => {
    const r = await readFixture('ais', 'pyais-mixed-aishub.nmea');
    expect(r.observations.length).toBeGreaterThanOrEqual(8);
    const vessels = r.metadata.vessels as Vessel[];
    // The two-part type 5 after "foobar", and the tag-block-wrapped !SAVDM one.
    expect(vessels.filter((v) => v.name).length).toBeGreaterThanOrEqual(2);
    expect(r.warnings.join('\n')).toMatch(/non-AIS NMEA sentences skipped/);
    // `...,013` has lost its checksum: counted, not decoded.
    expect(r.warnings.join('\n')).toMatch(/lines? skipped \(not AIS sentences\)/);
  });
});

describe('AIS robustness', () => {
  const single = '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A';
  const part1 = '!AIVDM,2,1,7,A,57lof8`2F5HeT<eC:204e86373:222222222221@8HQC16Ch0:RA7kAD,0*28';
  const part2 = '!AIVDM,2,2,7,A,PBp888888888880,2*79';

  it('counts bad checksums and fragments that never complete, and still decodes what follows', async () => {
    const orphan = withSum('!AIVDM,2,1,3,B,57lof8`2F5HeT<eC:204e86373:222222222221@8HQC16Ch0:RA7kAD,0');
    const lines = [single.replace('*4A', '*4B'), part1, single, orphan, part1, part2];
    const r = await readString(lines.join('\n'), 'x.ais');
    expect(r.metadata.checksumFailures).toBe(1);
    const w = r.warnings.join('\n');
    expect(w).toMatch(/1 AIS sentence with a bad checksum skipped/);
    expect(w).toMatch(/multi-part AIS messages? never completed/);
    expect((r.metadata.vessels as Vessel[]).find((v) => v.mmsi === '525200930')?.name).toBe('AKRA 102');
    expect(r.observations).toHaveLength(1);
  });

  it('reassembles interleaved multi-part messages by sequence id', async () => {
    const other1 = '!AIVDM,2,1,3,B,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*12';
    const r = await readString([part1, other1, part2].join('\n'), 'x.ais');
    expect((r.metadata.vessels as Vessel[]).find((v) => v.mmsi === '525200930')?.name).toBe('AKRA 102');
  });

  it('takes the time from an NMEA 4.0 tag block c: field and from a trailing unix time', async () => {
    const r = await readString(
      [`\\s:r003669945,c:1428621738*5F\\${single}`, `!AIVDM,1,1,,A,133sVfPP00PD>hRMDH@jNOvN20S8,0*7F,b003669952,1428621800`].join('\n'),
      'tags.ais',
    );
    expect(r.observations.map((o) => o.t).sort()).toEqual(['2015-04-09T23:22:18.000Z', '2015-04-09T23:23:20.000Z']);
    // Speed in m/s (12.3 kn), course in degrees.
    const o = r.observations.find((x) => x.entity === '371798000')!;
    expect(o.speed).toBeCloseTo(12.3 * 0.514444, 4);
    expect(o.course).toBe(224);
  });
});
