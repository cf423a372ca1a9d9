import { describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { defaultMarking, parseMarking } from '../../main/access/parse.js';
import { formatBanner, formatPortion } from '../../main/access/format.js';
import { defaultPolicy } from '../../main/access/policy.js';

const policy = defaultPolicy();
const FVEY = ['USA', 'AUS', 'CAN', 'GBR', 'NZL'];

describe('parseMarking: structure', () => {
  it('parses a banner with compartments and NOFORN', () => {
    const m = parseMarking('SECRET//SI/TK//NOFORN', policy);
    expect(m.level.name).toBe('SECRET');
    expect(m.compartments).toEqual(['SI', 'TK']);
    expect(m.noforn).toBe(true);
    expect(m.relTo).toBeNull();
    expect(m.controls).toEqual([]);
  });

  it('parses REL TO, putting USA first and the rest alphabetically', () => {
    const m = parseMarking('TOP SECRET//HCS//REL TO GBR, USA, AUS', policy);
    expect(m.level.name).toBe('TOP SECRET');
    expect(m.compartments).toEqual(['HCS']);
    expect(m.relTo).toEqual(['USA', 'AUS', 'GBR']);
  });

  it('expands tetragraphs to their member countries', () => {
    expect(parseMarking('(TS//SI//REL TO USA, FVEY)', policy).relTo).toEqual(FVEY);
    const nato = parseMarking('SECRET//REL TO NATO', policy).relTo ?? [];
    expect(nato[0]).toBe('USA');
    expect(nato).toContain('DEU');
    expect(nato).toHaveLength(32);
  });

  it('adds USA when REL TO omits it (the originator is always included)', () => {
    expect(parseMarking('SECRET//REL TO GBR', policy).relTo).toEqual(['USA', 'GBR']);
  });

  it('sorts compartments and keeps controls in policy order', () => {
    const m = parseMarking('TOP SECRET//TK/SI/HCS//NOFORN/ORCON', policy);
    expect(m.compartments).toEqual(['HCS', 'SI', 'TK']);
    expect(m.controls.map((c) => c.name)).toEqual(['ORCON']);
    expect(formatBanner(m)).toBe('TOP SECRET//HCS/SI/TK//ORCON/NOFORN');
  });

  it('parses portion forms', () => {
    expect(parseMarking('(U)', policy).level.name).toBe('UNCLASSIFIED');
    expect(parseMarking('(S//NF)', policy).noforn).toBe(true);
    expect(parseMarking('(CUI)', policy).level.name).toBe('CUI');
  });

  it('forgives case and spacing', () => {
    expect(formatBanner(parseMarking('  secret // si / tk // noforn ', policy))).toBe('SECRET//SI/TK//NOFORN');
    expect(formatBanner(parseMarking('top   secret', policy))).toBe('TOP SECRET');
    expect(formatBanner(parseMarking('SECRET//REL TO USA,GBR', policy))).toBe('SECRET//REL TO USA, GBR');
  });

  it('defaultMarking is the lowest level with nothing else', () => {
    expect(formatBanner(defaultMarking(policy))).toBe('UNCLASSIFIED');
    expect(formatPortion(defaultMarking(policy))).toBe('(U)');
  });
});

describe('round trips', () => {
  // [input, canonical banner, canonical portion]
  const cases: [string, string, string][] = [
    ['UNCLASSIFIED', 'UNCLASSIFIED', '(U)'],
    ['CUI', 'CUI', '(CUI)'],
    ['CONFIDENTIAL', 'CONFIDENTIAL', '(C)'],
    ['SECRET', 'SECRET', '(S)'],
    ['TOP SECRET', 'TOP SECRET', '(TS)'],
    ['SECRET//NOFORN', 'SECRET//NOFORN', '(S//NF)'],
    ['SECRET//SI/TK//NOFORN', 'SECRET//SI/TK//NOFORN', '(S//SI/TK//NF)'],
    ['TOP SECRET//HCS//REL TO USA, GBR', 'TOP SECRET//HCS//REL TO USA, GBR', '(TS//HCS//REL TO USA, GBR)'],
    ['TOP SECRET//SI-G/TK//ORCON/NOFORN', 'TOP SECRET//SI-G/TK//ORCON/NOFORN', '(TS//SI-G/TK//OC/NF)'],
    ['SECRET//IMCON/ORCON/REL TO CAN, USA', 'SECRET//ORCON/IMCON/REL TO USA, CAN', '(S//OC/IMC/REL TO USA, CAN)'],
    ['CONFIDENTIAL//REL TO USA, ACGU', 'CONFIDENTIAL//REL TO USA, AUS, CAN, GBR', '(C//REL TO USA, AUS, CAN, GBR)'],
    ['(U)', 'UNCLASSIFIED', '(U)'],
    ['(S//NF)', 'SECRET//NOFORN', '(S//NF)'],
    ['(TS//SI//REL TO USA, FVEY)', 'TOP SECRET//SI//REL TO USA, AUS, CAN, GBR, NZL', '(TS//SI//REL TO USA, AUS, CAN, GBR, NZL)'],
    ['(C//OC)', 'CONFIDENTIAL//ORCON', '(C//OC)'],
    ['(TS//G/HCS-P/SI//RS/OC/NF)', 'TOP SECRET//G/HCS-P/SI//RSEN/ORCON/NOFORN', '(TS//G/HCS-P/SI//RS/OC/NF)'],
    ['UNCLASSIFIED//PROPIN', 'UNCLASSIFIED//PROPIN', '(U//PR)'],
    ['CUI//NOFORN', 'CUI//NOFORN', '(CUI//NF)'],
    ['S//NOFORN', 'SECRET//NOFORN', '(S//NF)'],
  ];

  it.each(cases)('%s -> %s / %s', (input, banner, portion) => {
    const m = parseMarking(input, policy);
    expect(formatBanner(m)).toBe(banner);
    expect(formatPortion(m)).toBe(portion);
    // Both canonical strings parse back to the same structure.
    expect(parseMarking(banner, policy)).toEqual(m);
    expect(parseMarking(portion, policy)).toEqual(m);
    // And canonical strings are fixed points.
    expect(formatBanner(parseMarking(banner, policy))).toBe(banner);
    expect(formatPortion(parseMarking(portion, policy))).toBe(portion);
  });
});

describe('parseMarking: rejections name the reason', () => {
  const bad: [string, RegExp][] = [
    ['', /empty.*defaultMarking/],
    ['   ', /empty/],
    ['SEKRET', /unknown classification level 'SEKRET'/],
    ['RESTRICTED//NOFORN', /unknown classification level 'RESTRICTED'/],
    ['S/NF', /'\/\/', not '\/'/],
    ['SECRET//XX', /'XX' is neither a known compartment nor a dissemination control/],
    ['SECRET//SI/XX//NOFORN', /unknown compartment 'XX'/],
    ['SECRET//ORCON/XYZ', /unknown dissemination control 'XYZ'/],
    ['SECRET//REL TO USA, XYZ', /unknown country code 'XYZ' in REL TO/],
    ['SECRET//REL TO USA, FVEE', /unknown country code 'FVEE'/],
    ['SECRET//NOFORN/REL TO USA, GBR', /NOFORN and REL TO contradict/],
    ['(S//NF/REL TO USA, GBR)', /NOFORN and REL TO contradict/],
    ['SECRET//REL TO', /REL TO needs a comma-separated list/],
    ['SECRET//REL TO USA,, GBR', /REL TO needs a comma-separated list/],
    ['SECRET//NOFORN//SI', /compartments must come before dissemination/],
    ['SECRET//SI//TK', /more than one compartment segment/],
    ['SECRET//NOFORN//ORCON', /more than one dissemination segment/],
    ['SECRET//SI/NOFORN', /'NOFORN' is a dissemination control and 'SI' a compartment/],
    ['SECRET//SI/SI', /compartment 'SI' appears twice/],
    ['SECRET//NOFORN/NF', /NOFORN appears twice/],
    ['SECRET//ORCON/OC', /ORCON appears twice/],
    ['SECRET//REL TO USA/REL TO GBR', /REL TO appears twice/],
    ['UNCLASSIFIED//SI', /compartment 'SI' requires at least CONFIDENTIAL, not UNCLASSIFIED/],
    ['SECRET//SI-G', /compartment 'SI-G' requires at least TOP SECRET/],
    ['SECRET//', /empty segment/],
    ['SECRET////NOFORN', /empty segment/],
    ['SECRET//SI//NOFORN//ORCON', /too many segments/],
    ['(S//NF', /unbalanced parenthesis/],
    ['S//NF)', /unbalanced parenthesis/],
    ['(S//(NF))', /parentheses are allowed only around a whole portion/],
    ['(see above)', /unknown classification level 'SEE ABOVE'/],
  ];

  it.each(bad)('%j', (input, reason) => {
    let caught: unknown;
    try {
      parseMarking(input, policy);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(CairnError);
    const err = caught as CairnError;
    expect(err.code).toBe('BAD_INPUT');
    expect(err.isUserError).toBe(true);
    expect(err.message).toMatch(reason);
    expect(err.input).toBe(input);
  });

  it('rejects undefined instead of guessing UNCLASSIFIED', () => {
    expect(() => parseMarking(undefined as unknown as string, policy)).toThrow(/defaultMarking/);
  });

  it('lists the known levels when the level is unknown', () => {
    expect(() => parseMarking('RESTRICTED', policy)).toThrow(/known: UNCLASSIFIED \(U\), CUI, CONFIDENTIAL \(C\), SECRET \(S\), TOP SECRET \(TS\)/);
  });
});
