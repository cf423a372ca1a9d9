/**
 * Loading a marking policy: the shipped default or an administrator's file.
 * A loaded policy is compiled into lookup tables once, so parsing a marking
 * is a few map lookups. The only I/O in access/ is reading the policy file.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { Control, Level } from './marking.js';
import { policySchema, type PolicyFile } from './policy-schema.js';
import defaultPolicyJson from './default-policy.json' with { type: 'json' };

export interface CompartmentRule {
  readonly name: string;
  /** The lowest level it may appear with, or null for any level. */
  readonly minLevel: Level | null;
}

export interface MarkingPolicy {
  readonly name: string;
  /** Where it came from: `default` or a file path. Quoted in error messages. */
  readonly origin: string;
  /** Lowest first; `levels[i].rank === i`. */
  readonly levels: readonly Level[];
  /** By banner name and by portion abbreviation. */
  readonly levelByToken: ReadonlyMap<string, Level>;
  readonly compartments: ReadonlyMap<string, CompartmentRule>;
  /** By banner name and by portion abbreviation. */
  readonly controlByToken: ReadonlyMap<string, Control>;
  readonly countries: ReadonlySet<string>;
  /** Tetragraph -> member trigraphs. */
  readonly countryGroups: ReadonlyMap<string, readonly string[]>;
}

/**
 * Validates and compiles policy JSON. `origin` names the file in errors so
 * the administrator knows which one to fix.
 */
export function parsePolicy(json: unknown, origin: string): MarkingPolicy {
  const result = policySchema.safeParse(json);
  if (!result.success) {
    throw new CairnError('BAD_INPUT', `Marking policy ${origin} is invalid:\n${z.prettifyError(result.error)}`, {
      input: origin,
    });
  }
  return compile(result.data, origin);
}

function compile(p: PolicyFile, origin: string): MarkingPolicy {
  const levels: Level[] = p.levels.map((l, rank) => ({ name: l.name, portion: l.portion, rank }));
  const levelByToken = new Map<string, Level>();
  for (const l of levels) {
    levelByToken.set(l.name, l);
    levelByToken.set(l.portion, l);
  }
  const compartments = new Map<string, CompartmentRule>();
  for (const c of p.compartments) {
    compartments.set(c.name, {
      name: c.name,
      minLevel: c.minLevel === undefined ? null : (levelByToken.get(c.minLevel) ?? null),
    });
  }
  const controlByToken = new Map<string, Control>();
  p.controls.forEach((c, rank) => {
    const control: Control = { name: c.name, portion: c.portion, rank };
    controlByToken.set(c.name, control);
    controlByToken.set(c.portion, control);
  });
  return {
    name: p.name,
    origin,
    levels,
    levelByToken,
    compartments,
    controlByToken,
    countries: new Set(p.countries),
    countryGroups: new Map(Object.entries(p.countryGroups)),
  };
}

let cachedDefault: MarkingPolicy | undefined;

/** The policy shipped in default-policy.json (validated like any other). */
export function defaultPolicy(): MarkingPolicy {
  cachedDefault ??= parsePolicy(defaultPolicyJson, 'default');
  return cachedDefault;
}

/** Reads an administrator's replacement policy. */
export async function loadPolicyFile(path: string): Promise<MarkingPolicy> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CairnError('NOT_FOUND', `Marking policy file not found: ${path}`, { input: path, cause: e });
    }
    throw new CairnError('BAD_INPUT', `Cannot read marking policy file ${path}: ${(e as Error).message}`, {
      input: path,
      cause: e,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CairnError('BAD_INPUT', `Marking policy ${path} is not valid JSON: ${(e as Error).message}`, {
      input: path,
      cause: e,
    });
  }
  return parsePolicy(json, path);
}

/** `path` when given (an administrator's file), else the shipped default. */
export async function loadPolicy(path?: string): Promise<MarkingPolicy> {
  return path === undefined || path === '' ? defaultPolicy() : loadPolicyFile(path);
}

/** Looks a level up by banner name or portion abbreviation. */
export function levelOf(policy: MarkingPolicy, token: string): Level {
  const level = policy.levelByToken.get(normalizeToken(token));
  if (level === undefined) {
    throw new CairnError('BAD_INPUT', `Unknown classification level '${token}'; known: ${describeLevels(policy)}`, {
      input: token,
    });
  }
  return level;
}

export function describeLevels(policy: MarkingPolicy): string {
  return policy.levels.map((l) => (l.name === l.portion ? l.name : `${l.name} (${l.portion})`)).join(', ');
}

/** Markings are upper case with single spaces; accept sloppy typing of either. */
export function normalizeToken(s: string): string {
  return s.trim().replace(/\s+/g, ' ').toUpperCase();
}
