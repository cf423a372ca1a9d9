/**
 * The shape of a marking policy file, checked with zod. An administrator can
 * replace the shipped default, so every cross-reference (a compartment's
 * minimum level, a tetragraph's members) and every ambiguity the parser would
 * trip over (two meanings for one token) is rejected here, at load time,
 * rather than discovered when a document fails to parse.
 */
import { z } from 'zod';
import { NOFORN, OWNER_COUNTRY, REL_TO } from './marking.js';

/** Upper case words; no `/`, `,` or parentheses, which are marking syntax. */
const token = z
  .string()
  .regex(/^[A-Z0-9](?:[A-Z0-9 -]*[A-Z0-9])?$/, 'must be upper-case letters/digits (inner spaces or hyphens allowed)');

const trigraph = z.string().regex(/^[A-Z]{3}$/, 'a country code must be a three-letter trigraph such as GBR');
/** Checked in superRefine: zod's own record-key error does not say what a key should look like. */
const TETRAGRAPH = /^[A-Z]{4}$/;

const levelSchema = z.strictObject({ name: token, portion: token });

const compartmentSchema = z.strictObject({
  name: token,
  description: z.string().optional(),
  /** Lowest level this compartment may appear with (e.g. SCI needs CONFIDENTIAL). */
  minLevel: z.string().optional(),
});

const controlSchema = z.strictObject({ name: token, portion: token, description: z.string().optional() });

export const policySchema = z
  .strictObject({
    version: z.literal(1),
    name: z.string().min(1),
    /** Lowest first. */
    levels: z.array(levelSchema).min(1),
    compartments: z.array(compartmentSchema),
    /** Dissemination controls besides NOFORN and REL TO, in the order they are printed. */
    controls: z.array(controlSchema),
    countries: z.array(trigraph).min(1),
    countryGroups: z.record(z.string(), z.array(trigraph).min(1)),
  })
  .superRefine((p, ctx) => {
    const issue = (path: (string | number)[], message: string): void => {
      ctx.addIssue({ code: 'custom', path, message });
    };

    // Levels are looked up by banner name and by portion abbreviation alike.
    const levelTokens = new Set<string>();
    p.levels.forEach((l, i) => {
      for (const [key, t] of [['name', l.name], ['portion', l.portion]] as const) {
        if (levelTokens.has(t) && !(key === 'portion' && t === l.name)) {
          issue(['levels', i, key], `level token '${t}' is used twice`);
        }
        levelTokens.add(t);
      }
    });

    // Compartments and controls share the segments after the level, so one
    // token must never mean both, nor shadow the built-in NOFORN / REL TO.
    const builtIn = new Set<string>([NOFORN.name, NOFORN.portion, REL_TO, 'REL']);
    const controlTokens = new Set<string>();
    p.controls.forEach((c, i) => {
      for (const [key, t] of [['name', c.name], ['portion', c.portion]] as const) {
        if (builtIn.has(t)) issue(['controls', i, key], `'${t}' is built in and cannot be redefined`);
        else if (controlTokens.has(t) && !(key === 'portion' && t === c.name)) {
          issue(['controls', i, key], `control token '${t}' is used twice`);
        }
        controlTokens.add(t);
      }
    });
    const compartmentNames = new Set<string>();
    p.compartments.forEach((c, i) => {
      if (compartmentNames.has(c.name)) issue(['compartments', i, 'name'], `compartment '${c.name}' is listed twice`);
      compartmentNames.add(c.name);
      if (builtIn.has(c.name) || controlTokens.has(c.name)) {
        issue(['compartments', i, 'name'], `'${c.name}' is already a dissemination control`);
      }
      if (c.minLevel !== undefined && !levelTokens.has(c.minLevel)) {
        issue(['compartments', i, 'minLevel'], `unknown level '${c.minLevel}'`);
      }
    });

    const countries = new Set(p.countries);
    if (countries.size !== p.countries.length) issue(['countries'], 'a country is listed twice');
    if (!countries.has(OWNER_COUNTRY)) issue(['countries'], `must include ${OWNER_COUNTRY}`);
    for (const [group, members] of Object.entries(p.countryGroups)) {
      if (!TETRAGRAPH.test(group)) {
        issue(['countryGroups', group], `'${group}' must be a four-letter tetragraph such as FVEY`);
      }
      members.forEach((m, i) => {
        if (!countries.has(m)) issue(['countryGroups', group, i], `'${m}' is not in countries`);
      });
    }
  });

export type PolicyFile = z.infer<typeof policySchema>;
