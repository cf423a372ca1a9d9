/**
 * The renderer's pure pieces, in Node: the SSE parser, citation placement,
 * track segmentation, coordinate readouts, error bodies, quality notes.
 */
import { describe, expect, it } from 'vitest';
import { numberCitations, splitAtQuote } from '../../renderer/src/ask/citations.js';
import { qualityNotes } from '../../renderer/src/library/quality.js';
import { formatDms, formatLatLon, formatMgrs } from '../../renderer/src/map/coords.js';
import { boundsOf, segments, trackGeoJson } from '../../renderer/src/map/trackData.js';
import { errorFromBody } from '../../renderer/src/transport/errors.js';
import { SseParser } from '../../renderer/src/transport/sse.js';
import type { Citation, Observation } from '../../renderer/src/transport/types.js';

const cite = (over: Partial<Citation>): Citation => ({ sourceId: 's', chunkId: 'c', title: 'T', page: 1, start: 0, end: 0, quote: '', ...over });
const obs = (t: string | null, lat: number, lon: number, entity = 'A'): Observation => ({ sourceId: 's', entity, t, lat, lon, alt: null, speed: null, course: null, marking: 'UNCLASSIFIED' });

describe('SseParser', () => {
  it('assembles events split anywhere, with CRLF, comments and multi-line data', () => {
    const text = ': ping\r\nevent: sentence\r\ndata: {"index":0,\r\ndata: "text":"a"}\r\n\r\nevent: result\ndata: {"ok":1}\n\n';
    const p = new SseParser();
    const out = [...text].flatMap((ch) => p.push(ch));
    expect(out).toEqual([
      { event: 'sentence', data: '{"index":0,\n"text":"a"}' },
      { event: 'result', data: '{"ok":1}' },
    ]);
  });

  it('flushes a last event the stream ended without a blank line after', () => {
    const p = new SseParser();
    expect(p.push('data: x')).toEqual([]);
    expect(p.end()).toEqual([{ event: 'message', data: 'x' }]);
  });
});

describe('citations', () => {
  const passage = { text: 'Alpha beta. Gamma delta. Epsilon.', locator: { page: 1, start: 100, end: 133 } };

  it('places the quote by its offsets inside the chunk', () => {
    expect(splitAtQuote(cite({ start: 112, end: 124, quote: 'Gamma delta.' }), passage)).toEqual(['Alpha beta. ', 'Gamma delta.', ' Epsilon.']);
  });

  it('falls back to finding the quote, and gives up when it is not there', () => {
    expect(splitAtQuote(cite({ start: 5, end: 17, quote: 'Gamma delta.' }), passage)?.[1]).toBe('Gamma delta.');
    expect(splitAtQuote(cite({ quote: 'not here' }), passage)).toBeUndefined();
  });

  it('numbers citations in listed order, then by first use', () => {
    const a = cite({ chunkId: 'a' });
    const b = cite({ chunkId: 'b' });
    const c = cite({ chunkId: 'c', start: 3 });
    const n = numberCitations([b, a], [a, c, b]);
    expect([...n.values()]).toEqual([1, 2, 3]);
    expect(n.get('b:0:0')).toBe(1);
  });
});

describe('track data', () => {
  const points = [obs('2031-01-01T08:00:00Z', 1, 1), obs('2031-01-01T06:00:00Z', 0, 0), obs('2031-01-01T06:01:00Z', 0.1, 0.1), obs('2031-01-01T08:01:00Z', 1.1, 1.1), obs(null, 5, 5, 'B')];

  it('breaks a path where the feed fell silent', () => {
    const sorted = points.filter((o) => o.entity === 'A').sort((a, b) => a.t!.localeCompare(b.t!));
    expect(segments(sorted).map((s) => s.length)).toEqual([2, 2]);
    const { lines, points: pts } = trackGeoJson(points, ['A', 'B']);
    expect(pts.features).toHaveLength(5);
    expect(lines.features).toHaveLength(1); // B has a single point: no path
    expect(lines.features[0]!.geometry).toMatchObject({ type: 'MultiLineString', coordinates: [[[0, 0], [0.1, 0.1]], [[1, 1], [1.1, 1.1]]] });
  });

  it('bounds the points', () => {
    expect(boundsOf(points)).toEqual([0, 0, 5, 5]);
    expect(boundsOf([])).toBeNull();
  });
});

describe('coordinate readouts', () => {
  it('formats lat/lon, DMS and 1 m MGRS', () => {
    expect(formatLatLon(35.8, -14.5)).toBe('35.80000°N 14.50000°W');
    expect(formatDms(-33.5, 151.25)).toBe('33°30′00.0″S 151°15′00.0″E');
    // The GPX reader's own MGRS for this point (ingest/sensors) is 33SVV5482261881.
    expect(formatMgrs(35.8, 14.5)).toBe('33S VV 54822 61881');
  });

  it('says when MGRS does not apply (polar regions)', () => {
    expect(formatMgrs(85, 10)).toBeNull();
    expect(formatMgrs(-81, 10)).toBeNull();
  });
});

describe('transport errors', () => {
  it('reads the server error body shapes', () => {
    expect(errorFromBody({ error: { code: 'BAD_INPUT', message: 'no' } }, 400)).toMatchObject({ code: 'BAD_INPUT', message: 'no', status: 400 });
    expect(errorFromBody({ code: 'X', message: 'flat' })).toMatchObject({ code: 'X', message: 'flat' });
    expect(errorFromBody('', 502).message).toMatch(/HTTP 502/);
  });
});

describe('quality notes', () => {
  it('summarises reading quality from source metadata', () => {
    expect(qualityNotes({ pages: 4, pagesWithoutText: [2], garbledPages: [], ocrConfidence: 0.87 })).toEqual(['OCR 87%', '4 p.', '1 p. without text']);
    expect(qualityNotes({ observations: 20, entities: 1, warnings: ['a', 'b'] })).toEqual(['20 points', '1 entity', '2 warnings']);
    expect(qualityNotes(undefined)).toEqual([]);
  });
});
