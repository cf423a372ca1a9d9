import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CairnError } from '../../main/core/errors.js';
import { formatBanner } from '../../main/access/format.js';
import { parseMarking } from '../../main/access/parse.js';
import { defaultPolicy, loadPolicy, loadPolicyFile, parsePolicy } from '../../main/access/policy.js';
import defaultJson from '../../main/access/default-policy.json' with { type: 'json' };

/** A small NATO-style replacement scheme. */
const replacement = {
  version: 1,
  name: 'Test coalition scheme',
  levels: [
    { name: 'UNCLASSIFIED', portion: 'U' },
    { name: 'RESTRICTED', portion: 'R' },
    { name: 'SECRET', portion: 'S' },
    { name: 'COSMIC TOP SECRET', portion: 'CTS' },
  ],
  compartments: [{ name: 'ATOMAL', minLevel: 'SECRET' }],
  controls: [{ name: 'EYES ONLY', portion: 'EO' }],
  countries: ['USA', 'GBR', 'FRA'],
  countryGroups: { TRIO: ['USA', 'GBR', 'FRA'] },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-policy-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, content: unknown): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

async function rejection(p: Promise<unknown>): Promise<CairnError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(CairnError);
    return e as CairnError;
  }
  throw new Error('expected a rejection');
}

describe('default policy', () => {
  it('loads the shipped file with the five levels in order', () => {
    const p = defaultPolicy();
    expect(p.origin).toBe('default');
    expect(p.levels.map((l) => `${l.name}/${l.portion}`)).toEqual([
      'UNCLASSIFIED/U',
      'CUI/CUI',
      'CONFIDENTIAL/C',
      'SECRET/S',
      'TOP SECRET/TS',
    ]);
    expect(p.countryGroups.get('FVEY')).toEqual(['USA', 'AUS', 'CAN', 'GBR', 'NZL']);
  });

  it('loadPolicy() without a path is the default', async () => {
    expect(await loadPolicy()).toBe(defaultPolicy());
    expect(await loadPolicy('')).toBe(defaultPolicy());
  });
});

describe('replacement policy file', () => {
  it('loads from a path and drives parsing', async () => {
    const path = await write('coalition.json', replacement);
    const p = await loadPolicy(path);
    expect(p.origin).toBe(path);
    expect(p.name).toBe('Test coalition scheme');
    const m = parseMarking('(CTS//ATOMAL//EO/REL TO TRIO)', p);
    expect(formatBanner(m)).toBe('COSMIC TOP SECRET//ATOMAL//EYES ONLY/REL TO USA, FRA, GBR');
    expect(() => parseMarking('TOP SECRET', p)).toThrow(/unknown classification level 'TOP SECRET'/);
    expect(() => parseMarking('RESTRICTED//ATOMAL', p)).toThrow(/requires at least SECRET/);
  });

  it('a missing file is NOT_FOUND', async () => {
    const err = await rejection(loadPolicyFile(join(dir, 'absent.json')));
    expect(err.code).toBe('NOT_FOUND');
    expect(err.input).toBe(join(dir, 'absent.json'));
  });

  it('a file that is not JSON is BAD_INPUT', async () => {
    const path = await write('broken.json', '{ "version": 1, ');
    const err = await rejection(loadPolicyFile(path));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toMatch(/is not valid JSON/);
    expect(err.input).toBe(path);
  });

  const invalid: [string, (p: typeof replacement) => unknown, RegExp][] = [
    ['wrong version', (p) => ({ ...p, version: 2 }), /version/],
    ['no levels', (p) => ({ ...p, levels: [] }), /levels/],
    ['lower-case level', (p) => ({ ...p, levels: [{ name: 'secret', portion: 'S' }] }), /upper-case[\s\S]*at levels\[0\]\.name/],
    ['slash in a token', (p) => ({ ...p, controls: [{ name: 'A/B', portion: 'AB' }] }), /controls\[0\]\.name/],
    [
      'duplicate level token',
      (p) => ({ ...p, levels: [...p.levels, { name: 'SUPER', portion: 'S' }] }),
      /level token 'S' is used twice/,
    ],
    [
      'compartment with an unknown minimum level',
      (p) => ({ ...p, compartments: [{ name: 'ATOMAL', minLevel: 'ULTRA' }] }),
      /unknown level 'ULTRA'/,
    ],
    [
      'compartment that collides with a control',
      (p) => ({ ...p, compartments: [{ name: 'EO' }] }),
      /'EO' is already a dissemination control/,
    ],
    ['redefining NOFORN', (p) => ({ ...p, controls: [{ name: 'NOFORN', portion: 'NF' }] }), /'NOFORN' is built in/],
    ['country group with an unknown member', (p) => ({ ...p, countryGroups: { TRIO: ['USA', 'DEU'] } }), /'DEU' is not in countries/],
    ['bad trigraph', (p) => ({ ...p, countries: ['USA', 'GB'] }), /three-letter trigraph/],
    ['bad tetragraph', (p) => ({ ...p, countryGroups: { FIVE: ['USA'], EYES5: ['USA'] } }), /four-letter tetragraph/],
    ['no USA', (p) => ({ ...p, countries: ['GBR', 'FRA'], countryGroups: {} }), /must include USA/],
    ['unknown field', (p) => ({ ...p, colour: 'red' }), /colour/],
  ];

  it.each(invalid)('rejects %s with the reason and the file', async (name, mutate, reason) => {
    const path = await write(`${name.replace(/\W+/g, '-')}.json`, mutate(replacement));
    const err = await rejection(loadPolicyFile(path));
    expect(err.code).toBe('BAD_INPUT');
    expect(err.message).toContain(`Marking policy ${path} is invalid`);
    expect(err.message).toMatch(reason);
    expect(err.input).toBe(path);
  });

  it('parsePolicy validates in-memory JSON the same way', () => {
    expect(() => parsePolicy({ ...defaultJson, levels: [] }, 'inline')).toThrow(/Marking policy inline is invalid/);
  });
});
