import { describe, expect, it } from 'vitest';
import { compareMarkings, dominates, markingsEqual } from '../../main/access/compare.js';
import { formatBanner } from '../../main/access/format.js';
import { parseMarking } from '../../main/access/parse.js';
import { defaultPolicy } from '../../main/access/policy.js';
import { rollUp } from '../../main/access/rollup.js';

const policy = defaultPolicy();
const m = (s: string) => parseMarking(s, policy);
const banner = (...ss: string[]) => formatBanner(rollUp(ss.map(m), policy));

describe('dominates', () => {
  const yes: [string, string][] = [
    ['SECRET', 'SECRET'],
    ['TOP SECRET', 'SECRET'],
    ['SECRET', 'UNCLASSIFIED'],
    ['CONFIDENTIAL', 'CUI'],
    ['SECRET//SI/TK', 'SECRET//SI'],
    ['TOP SECRET//SI', 'SECRET'],
    ['SECRET//NOFORN', 'SECRET'],
    ['SECRET//NOFORN', 'SECRET//REL TO USA, GBR'],
    ['SECRET//NOFORN', 'SECRET//REL TO USA'],
    ['SECRET//REL TO USA, GBR', 'SECRET//REL TO USA, GBR, AUS'],
    ['SECRET//REL TO USA, GBR', 'SECRET'],
    ['SECRET//ORCON', 'SECRET'],
    ['SECRET//ORCON/IMCON', 'SECRET//IMCON'],
  ];
  const no: [string, string][] = [
    ['SECRET', 'TOP SECRET'],
    ['TOP SECRET', 'SECRET//SI'],
    ['SECRET//SI', 'SECRET//SI/TK'],
    ['SECRET', 'SECRET//NOFORN'],
    ['SECRET//REL TO USA, GBR', 'SECRET//NOFORN'],
    ['SECRET//REL TO USA', 'SECRET//NOFORN'],
    ['SECRET//REL TO USA, GBR, AUS', 'SECRET//REL TO USA, GBR'],
    ['SECRET//REL TO USA, GBR', 'SECRET//REL TO USA, AUS'],
    ['SECRET', 'SECRET//REL TO USA, GBR'],
    ['SECRET', 'SECRET//ORCON'],
  ];
  it.each(yes)('%s dominates %s', (a, b) => expect(dominates(m(a), m(b))).toBe(true));
  it.each(no)('%s does not dominate %s', (a, b) => expect(dominates(m(a), m(b))).toBe(false));
});

describe('compareMarkings', () => {
  it('is a partial order', () => {
    expect(compareMarkings(m('SECRET//SI'), m('(S//SI)'))).toBe('equal');
    expect(compareMarkings(m('TOP SECRET//SI'), m('SECRET//SI'))).toBe('above');
    expect(compareMarkings(m('SECRET'), m('TOP SECRET'))).toBe('below');
    expect(compareMarkings(m('SECRET//SI'), m('TOP SECRET//TK'))).toBe('incomparable');
    expect(compareMarkings(m('SECRET//REL TO USA, GBR'), m('SECRET//REL TO USA, AUS'))).toBe('incomparable');
    expect(markingsEqual(m('SECRET//REL TO USA, FVEY'), m('SECRET//REL TO NZL, CAN, GBR, AUS'))).toBe(true);
  });
});

describe('rollUp', () => {
  it('takes the highest level', () => {
    expect(banner('CONFIDENTIAL', 'TOP SECRET', 'SECRET')).toBe('TOP SECRET');
    expect(banner('UNCLASSIFIED', 'CUI')).toBe('CUI');
  });

  it('unions compartments', () => {
    expect(banner('SECRET//SI', 'SECRET//TK', 'TOP SECRET//HCS/SI')).toBe('TOP SECRET//HCS/SI/TK');
  });

  it('unions other dissemination controls', () => {
    expect(banner('SECRET//IMCON', 'SECRET//ORCON')).toBe('SECRET//ORCON/IMCON');
  });

  it('NOFORN beats REL TO', () => {
    expect(banner('SECRET//REL TO USA, GBR', 'SECRET//NOFORN')).toBe('SECRET//NOFORN');
    expect(banner('SECRET//NOFORN', 'SECRET//REL TO USA, FVEY', 'CONFIDENTIAL')).toBe('SECRET//NOFORN');
  });

  it('intersects REL TO lists', () => {
    expect(banner('SECRET//REL TO USA, GBR, AUS', 'SECRET//REL TO USA, AUS, CAN')).toBe('SECRET//REL TO USA, AUS');
    expect(banner('SECRET//REL TO USA, FVEY', 'SECRET//REL TO USA, NATO')).toBe('SECRET//REL TO USA, CAN, GBR');
  });

  it('keeps REL TO USA when the intersection leaves only USA (does not invent NOFORN)', () => {
    const r = rollUp([m('SECRET//REL TO USA, GBR'), m('SECRET//REL TO USA, AUS')], policy);
    expect(r.noforn).toBe(false);
    expect(r.relTo).toEqual(['USA']);
    expect(formatBanner(r)).toBe('SECRET//REL TO USA');
  });

  it('a piece without a release marking does not widen or narrow REL TO', () => {
    expect(banner('SECRET//REL TO USA, GBR', 'UNCLASSIFIED')).toBe('SECRET//REL TO USA, GBR');
    expect(banner('UNCLASSIFIED', 'CONFIDENTIAL')).toBe('CONFIDENTIAL');
  });

  it('an empty list is UNCLASSIFIED', () => {
    expect(banner()).toBe('UNCLASSIFIED');
  });

  it('a single marking rolls up to itself', () => {
    expect(banner('TOP SECRET//SI/TK//ORCON/REL TO USA, GBR')).toBe('TOP SECRET//SI/TK//ORCON/REL TO USA, GBR');
  });

  it('the result dominates every input', () => {
    const inputs = [
      'SECRET//SI//REL TO USA, FVEY',
      'TOP SECRET//TK//REL TO USA, GBR, NZL',
      'CONFIDENTIAL//ORCON',
      'UNCLASSIFIED',
      'SECRET//HCS//REL TO USA, NATO',
    ].map(m);
    const r = rollUp(inputs, policy);
    for (const x of inputs) expect(dominates(r, x)).toBe(true);
    expect(formatBanner(r)).toBe('TOP SECRET//HCS/SI/TK//ORCON/REL TO USA, GBR');
  });
});
