import { describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { formatBanner, formatPortion } from '../../main/access/format.js';
import { defaultPolicy } from '../../main/access/policy.js';
import { findPortionMarkings, markingForSpan } from '../../main/access/portions.js';

const policy = defaultPolicy();

const REPORT = [
  'SECRET//SI//NOFORN',
  '',
  '(U) SUBJECT: Movement of logistics convoy near the northern border (see annex A).',
  '',
  '(S//NF) The convoy of 14 vehicles departed the depot at 0430Z (approximately) and',
  'proceeded north along Route 7. Several trucks (three or four) carried fuel.',
  '',
  '(C//REL TO USA, FVEY) Allied liaison officers observed the departure.',
  '',
  'The following items were noted:',
  '(a) a refuelling stop at the river crossing;',
  '(b) radio silence after 0600Z (N/A for the escort).',
  '(A) Upper-case list items that are not levels are ordinary text.',
  '',
  '    (TS//SI//REL TO USA, GBR) Intercepts indicate the destination is the forward base.',
  '(NATO) exercises are unrelated; (S) mid-line is not a paragraph start.',
  '(U) Assessment ends.',
  '',
  'SECRET//SI//NOFORN',
].join('\n');

describe('findPortionMarkings', () => {
  const found = findPortionMarkings(REPORT, policy);

  it('finds each paragraph-leading marking and nothing else', () => {
    expect(found.map((p) => p.text)).toEqual([
      '(U)',
      '(S//NF)',
      '(C//REL TO USA, FVEY)',
      '(TS//SI//REL TO USA, GBR)',
      '(U)',
    ]);
  });

  it('reports exact offsets into the text', () => {
    for (const p of found) expect(REPORT.slice(p.start, p.end)).toBe(p.text);
    expect(REPORT.slice(found[3]!.start - 4, found[3]!.start)).toBe('    ');
  });

  it('parses each marking', () => {
    expect(found.map((p) => formatPortion(p.marking))).toEqual([
      '(U)',
      '(S//NF)',
      '(C//REL TO USA, AUS, CAN, GBR, NZL)',
      '(TS//SI//REL TO USA, GBR)',
      '(U)',
    ]);
  });

  it('ignores ordinary parentheticals', () => {
    const text = '(see above) text\n(a) first\n(A) second\n(N/A) third\n(USA) fourth\n(iii) fifth\nA line (S//NF) mid-line';
    expect(findPortionMarkings(text, policy)).toEqual([]);
  });

  it('handles CRLF line ends and a marking at offset 0', () => {
    const text = '(S) first\r\n(U) second';
    expect(findPortionMarkings(text, policy).map((p) => [p.start, p.text])).toEqual([
      [0, '(S)'],
      [11, '(U)'],
    ]);
  });

  it('refuses a malformed marking rather than leave its paragraph unmarked', () => {
    const text = '(U) fine\n\n(S//XX) The source reported ...';
    let caught: unknown;
    try {
      findPortionMarkings(text, policy);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CairnError);
    expect((caught as CairnError).code).toBe('BAD_INPUT');
    expect((caught as CairnError).message).toMatch(/character 10: .*'XX'/);
    expect((caught as CairnError).input).toBe('(S//XX)');
    expect(() => findPortionMarkings('(S/NF) single slash', policy)).toThrow(/'\/\/', not '\/'/);
  });
});

describe('markingForSpan', () => {
  const found = findPortionMarkings(REPORT, policy);
  const at = (needle: string) => REPORT.indexOf(needle);
  const span = (from: string, to: string) => {
    const m = markingForSpan(found, at(from), at(to) + to.length, policy);
    return m === null ? null : formatBanner(m);
  };

  it('a chunk inside one paragraph takes that paragraph marking, even without the marking itself', () => {
    expect(span('proceeded north', 'carried fuel.')).toBe('SECRET//NOFORN');
  });

  it('a chunk over several paragraphs takes their roll-up', () => {
    expect(span('SUBJECT', 'observed the departure.')).toBe('SECRET//NOFORN');
    expect(span('Allied liaison', 'forward base.')).toBe('TOP SECRET//SI//REL TO USA, GBR');
  });

  it('unmarked text after a portion inherits it until the next marking', () => {
    expect(span('The following items', 'radio silence')).toBe('CONFIDENTIAL//REL TO USA, AUS, CAN, GBR, NZL');
  });

  it('text before the first portion marking has none (the caller uses the banner)', () => {
    expect(markingForSpan(found, 0, 10, policy)).toBeNull();
    expect(markingForSpan([], 0, 10, policy)).toBeNull();
  });
});
