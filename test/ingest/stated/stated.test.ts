import { describe, expect, it } from 'vitest';
import { chunkPages } from '../../../ingest/chunking.js';
import { documentReferenceDate, statedPlaces, statedTimes, withStatedPlaceTime } from '../../../ingest/stated/index.js';
import { BUDGET_MEMO, PATROL_REPORT, PORT_REPORT } from './reports.js';

const day = (d: string): [string, string] => [`${d}T00:00:00.000Z`, `${d}T23:59:59.999Z`];

describe('dates a text states (chrono-node)', () => {
  it('reads full dates, ranges, ISO times and military date-time groups without a reference', () => {
    const got = statedTimes('Filed 14 March 2031. Patrols ran 12-14 March 2031. Meeting at 2031-03-16T08:30Z. DTG 141402ZMAR31. Also 03/14/2031.', null);
    expect(got.map((t) => [t.text, t.t0, t.t1])).toEqual([
      ['14 March 2031', ...day('2031-03-14')],
      ['12-14 March 2031', '2031-03-12T00:00:00.000Z', '2031-03-14T23:59:59.999Z'],
      ['2031-03-16T08:30Z', '2031-03-16T08:30:00.000Z', '2031-03-16T08:30:00.000Z'],
      ['141402ZMAR31', '2031-03-14T14:02:00.000Z', '2031-03-14T14:02:00.000Z'],
      ['03/14/2031', ...day('2031-03-14')],
    ]);
  });

  it('resolves relative and year-less dates only against a reference date', () => {
    const text = 'Yesterday two tugs came alongside. On 12 March the ship arrived. Tuesday saw rain.';
    expect(statedTimes(text, null)).toEqual([]);
    const ref = new Date('2031-03-14T00:00:00Z');
    expect(statedTimes(text, ref).map((t) => [t.text, t.t0])).toEqual([
      ['Yesterday', '2031-03-13T00:00:00.000Z'],
      ['On 12 March', '2031-03-12T00:00:00.000Z'],
    ]);
  });

  it('applies a stated zone (military letters, UTC offsets) and reads zoneless times as UTC', () => {
    expect(statedTimes('DTG 141402RMAR31.', null)[0]!.t0).toBe('2031-03-14T19:02:00.000Z'); // R = UTC-5
    expect(statedTimes('At 2031-03-14T10:00:00+02:00 the ferry left.', null)[0]!.t0).toBe('2031-03-14T08:00:00.000Z');
  });

  it('without a reference, drops what depends on when the text was written, even with a stated date nearby', () => {
    const got = statedTimes('The May ruling came within nine months. The appeal was filed 12 days later, on 3 April 2003.', null);
    expect(got.map((t) => t.text)).toEqual(['on 3 April 2003']);
    // With a reference too: those are durations from an event in the story, not dates.
    const withRef = statedTimes('The May ruling came within nine months. The appeal was filed 12 days later. In two weeks, in June, it ends.', new Date('2003-01-01T00:00:00Z'));
    expect(withRef).toEqual([]);
  });

  it('keeps ordinary numbers from becoming dates', () => {
    const noise = 'About 3/4 of the crew stayed; 5/6 passed. The 5th battalion may move. Room 1402 on floor 3. Version 1.2.3. Ambiguous 04/03/2031.';
    expect(statedTimes(noise, null)).toEqual([]);
    expect(statedTimes(noise, new Date('2031-03-14T00:00:00Z'))).toEqual([]);
    expect(statedTimes(BUDGET_MEMO, null)).toEqual([]);
  });

  it('never joins a time in one sentence to a date in the next', () => {
    const got = statedTimes('The pilot boarded at 14:02 UTC. 15 March 2031 was quiet.', null);
    expect(got.map((t) => t.text)).toEqual(['15 March 2031']);
    expect(got[0]!.t0).toBe('2031-03-15T00:00:00.000Z');
  });
});

describe('coordinates a text states', () => {
  const one = (text: string): { lat: number; lon: number; format: string } => {
    const got = statedPlaces(text);
    expect(got, text).toHaveLength(1);
    return got[0]!;
  };

  it('reads decimal degrees with hemispheres or signs, DMS, degrees and decimal minutes, and compact forms', () => {
    expect(one('sighted at 34.0522 N, 118.2437 W heading west')).toMatchObject({ lat: 34.0522, lon: -118.2437, format: 'decimal' });
    expect(one('last fix 34.0522, -118.2437 at dawn')).toMatchObject({ lat: 34.0522, lon: -118.2437 });
    expect(one('N 34.0522, W 118.2437')).toMatchObject({ lat: 34.0522, lon: -118.2437 });
    const dms = one(`anchored at 36°57'12"N 076°19'48"W overnight`);
    expect(dms.format).toBe('dms');
    expect(dms.lat).toBeCloseTo(36 + 57 / 60 + 12 / 3600, 9);
    expect(dms.lon).toBeCloseTo(-(76 + 19 / 60 + 48 / 3600), 9);
    expect(one('PSN 36°50.78′N 076°17.32′W').lat).toBeCloseTo(36 + 50.78 / 60, 9);
    expect(one('at 365047N0761719W')).toMatchObject({ format: 'compact' });
    expect(one('at 365047N0761719W').lon).toBeCloseTo(-(76 + 17 / 60 + 19 / 3600), 9);
    expect(one('Lat 12.50, lon 45.25 reported')).toMatchObject({ lat: 12.5, lon: 45.25 });
    expect(one('coordinates: 12.50, 45.25')).toMatchObject({ lat: 12.5, lon: 45.25 });
  });

  it('reads MGRS references as the square they name', () => {
    const [a, b] = statedPlaces('drums at grid 38PNV 10845 26075 and again at 38PNV1084526075.');
    expect(a!.format).toBe('mgrs');
    expect(a!.lat).toBeCloseTo(12.9, 3);
    expect(a!.lon).toBeCloseTo(45.1, 3);
    expect(b!.lat).toBe(a!.lat);
    // A 1 km reference is a 1 km square, not a point.
    const km = statedPlaces('grid 38PNV1026')[0]!;
    expect((km.bounds.north - km.bounds.south) * 111).toBeGreaterThan(0.9);
    expect((km.bounds.north - km.bounds.south) * 111).toBeLessThan(1.1);
  });

  it('finds no coordinates in ordinary numbers', () => {
    expect(statedPlaces(BUDGET_MEMO)).toEqual([]);
    for (const text of ['We counted 12, 15 vehicles', 'weights 3.5, 4.2 tons', 'p = 0.1234, 0.5678', '34 N, 118 W', '12.3456, 45.6789, 12.1', 'readings 12.3456, 45.6789, 23.4567, 56.7891', '91.0000, 10.0000', 'the 5.5N force', '2D BN 12 INF', 'lot 4QFJ12']) {
      expect(statedPlaces(text), text).toEqual([]);
    }
  });

  it('reads one place once even when several patterns could match it', () => {
    const got = statedPlaces('38.92747N 77.02016W (MGRS 18SUJ2338907785)');
    expect(got.map((p) => p.format)).toEqual(['decimal', 'mgrs']);
  });
});

describe('chunks carry the time span and area their text states', () => {
  it('dates the port report from its own date line and boxes its anchorage', () => {
    const pages = [{ page: 1, text: PORT_REPORT }];
    const ref = documentReferenceDate(pages, {});
    expect(ref?.toISOString()).toBe('2031-03-14T00:00:00.000Z');
    const [chunk] = withStatedPlaceTime(chunkPages(pages), ref);
    // 13 March ("yesterday") through 17 March (estimated departure).
    expect(chunk!.t0).toBe('2031-03-13T00:00:00.000Z');
    expect(chunk!.t1).toBe('2031-03-17T23:59:59.999Z');
    expect(chunk!.geo!.south).toBeCloseTo(36.95333, 5);
    expect(chunk!.geo!.west).toBeCloseTo(-76.33, 5);
  });

  it('takes the e-mail Date header, else the date line, never the PDF creation date', () => {
    const pages = [{ page: 1, text: 'No date line here.' }];
    expect(documentReferenceDate(pages, { date: '2031-03-18T09:30:00.000Z' })?.toISOString()).toBe('2031-03-18T09:30:00.000Z');
    expect(documentReferenceDate([{ page: 1, text: PORT_REPORT }], { creationDate: 'D:20240101120000Z' })?.toISOString()).toBe('2031-03-14T00:00:00.000Z');
    // A scan made in 2010 of a history of 1863: "June 10th" must not become 2010-06-10.
    expect(documentReferenceDate(pages, { creationDate: 'D:20100802120000Z' })).toBeNull();
    expect(withStatedPlaceTime(chunkPages([{ page: 1, text: 'JUNE 10TH. The enemy opened fire at dawn.' }]), documentReferenceDate(pages, { creationDate: 'D:20100802120000Z' }))[0]!.t0).toBeNull();
  });

  it('never dates a passage by "now"', () => {
    const got = statedTimes('Today the ship sailed, and now the port is empty.', new Date('2031-03-14T00:00:00Z'));
    expect(got.map((t) => t.text)).toEqual(['Today']);
  });

  it('leaves a chunk that states nothing without time or place', () => {
    const chunks = withStatedPlaceTime(chunkPages([{ page: 1, text: BUDGET_MEMO }]), new Date('2031-03-14T00:00:00Z'));
    expect(chunks.every((c) => c.t0 === null && c.t1 === null && c.geo === null)).toBe(true);
  });

  it('keeps each chunk to what its own text says', () => {
    const text = `${PATROL_REPORT}\n\n${'Filler sentence about routine matters without places. '.repeat(30)}\n\n${PORT_REPORT}`;
    const chunks = withStatedPlaceTime(chunkPages([{ page: 1, text }], { target: 600, overlap: 0 }), null);
    const patrol = chunks.find((c) => c.text.includes('skiff'))!;
    expect(patrol.geo!.east).toBeLessThan(46);
    expect(patrol.t0!.startsWith('2031-04-0')).toBe(true);
    const filler = chunks.find((c) => !/\d/.test(c.text));
    expect(filler?.geo ?? null).toBeNull();
  });
});
