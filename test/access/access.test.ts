import { describe, expect, it } from 'vitest';
import { canAccess, userAccess, type UserAccessInput } from '../../main/access/clearance.js';
import { parseMarking } from '../../main/access/parse.js';
import { defaultPolicy } from '../../main/access/policy.js';

const policy = defaultPolicy();

const users: Record<string, UserAccessInput> = {
  uncleared: { clearance: 'UNCLASSIFIED', nationality: 'USA' },
  usSecret: { clearance: 'SECRET', nationality: 'USA' },
  usTsSci: { clearance: 'TOP SECRET', compartments: ['SI', 'TK'], nationality: 'USA' },
  gbrTsSi: { clearance: 'TS', compartments: ['SI'], nationality: 'GBR' },
  deuSecret: { clearance: 'S', nationality: 'DEU' },
  noNationality: { clearance: 'TOP SECRET', compartments: ['SI', 'TK', 'HCS'] },
};

// Columns: uncleared, usSecret, usTsSci, gbrTsSi, deuSecret, noNationality
const matrix: [string, boolean[]][] = [
  ['UNCLASSIFIED', [true, true, true, true, true, true]],
  ['CUI', [false, true, true, true, true, true]],
  ['SECRET', [false, true, true, true, true, true]],
  ['TOP SECRET', [false, false, true, true, false, true]],
  ['SECRET//SI', [false, false, true, true, false, true]],
  ['SECRET//SI/TK', [false, false, true, false, false, true]],
  ['TOP SECRET//HCS', [false, false, false, false, false, true]],
  ['SECRET//NOFORN', [false, true, true, false, false, false]],
  ['SECRET//REL TO USA, GBR', [false, true, true, true, false, false]],
  ['SECRET//REL TO USA, FVEY', [false, true, true, true, false, false]],
  ['SECRET//REL TO USA, NATO', [false, true, true, true, true, false]],
  ['SECRET//REL TO USA', [false, true, true, false, false, false]],
  ['TOP SECRET//SI//REL TO USA, GBR', [false, false, true, true, false, false]],
  ['SECRET//ORCON', [false, true, true, true, true, true]],
  // Level and nationality are separate checks: an uncleared US user reads U//NOFORN.
  ['UNCLASSIFIED//NOFORN', [true, true, true, false, false, false]],
];

const names = Object.keys(users);

describe('canAccess matrix', () => {
  for (const [marking, expected] of matrix) {
    names.forEach((name, i) => {
      it(`${name} ${expected[i] ? 'can' : 'cannot'} read ${marking}`, () => {
        const user = userAccess(users[name]!, policy);
        expect(canAccess(user, parseMarking(marking, policy))).toBe(expected[i]);
      });
    });
  }
});

describe('userAccess', () => {
  it('normalises input', () => {
    const u = userAccess({ clearance: 'top secret', compartments: ['tk', 'si'], nationality: 'usa' }, policy);
    expect(u.clearance.name).toBe('TOP SECRET');
    expect(u.compartments).toEqual(['SI', 'TK']);
    expect(u.nationality).toBe('USA');
  });

  it('rejects unknown levels, compartments and countries', () => {
    expect(() => userAccess({ clearance: 'COSMIC' }, policy)).toThrow(/Unknown classification level 'COSMIC'/);
    expect(() => userAccess({ clearance: 'S', compartments: ['ZZ'] }, policy)).toThrow(/Unknown compartment 'ZZ'/);
    expect(() => userAccess({ clearance: 'S', nationality: 'XXX' }, policy)).toThrow(/Unknown nationality 'XXX'/);
  });
});
