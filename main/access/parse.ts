/**
 * Parsing marking strings, banner form (`SECRET//SI/TK//NOFORN`) and portion
 * form (`(S//SI/TK//NF)`), into a Marking. Grammar:
 *
 *   LEVEL [ // COMPARTMENT{/COMPARTMENT} ] [ // CONTROL{/CONTROL} ]
 *
 * where CONTROL is NOFORN, `REL TO` + comma-separated codes, or a policy
 * control. Banner names and portion abbreviations are accepted in either
 * form (their meaning is the same); case and spacing are forgiven. Anything
 * else is rejected with the reason, because a marking guessed at is worse
 * than one refused.
 */
import { CairnError } from '../core/errors.js';
import {
  NOFORN,
  OWNER_COUNTRY,
  REL_TO,
  canonicalRelTo,
  sortedControls,
  sortedSet,
  type Control,
  type Level,
  type Marking,
} from './marking.js';
import { describeLevels, normalizeToken, type MarkingPolicy } from './policy.js';

/** Unmarked material is UNCLASSIFIED only when a caller says so by calling this. */
export function defaultMarking(policy: MarkingPolicy): Marking {
  const lowest = policy.levels[0];
  if (lowest === undefined) throw new CairnError('INTERNAL', 'Marking policy has no levels');
  return { level: lowest, compartments: [], noforn: false, relTo: null, controls: [] };
}

export function parseMarking(text: string, policy: MarkingPolicy): Marking {
  const fail = (reason: string): never => {
    throw new CairnError('BAD_INPUT', `Invalid marking '${String(text)}': ${reason}`, { input: String(text) });
  };
  if (typeof text !== 'string' || text.trim() === '') {
    return fail('the marking is empty; call defaultMarking(policy) if unmarked material is to be UNCLASSIFIED');
  }

  let body = normalizeToken(text);
  const open = body.startsWith('(');
  const close = body.endsWith(')');
  if (open !== close) return fail('unbalanced parenthesis');
  if (open) body = body.slice(1, -1).trim();
  if (/[()]/.test(body)) return fail('parentheses are allowed only around a whole portion marking');

  const segments = body.split('//').map((s) => s.trim());
  if (segments.some((s) => s === '')) return fail("empty segment (a '//' with nothing after it)");
  const [levelToken = '', ...rest] = segments;
  const level = parseLevel(levelToken, policy, fail);
  if (rest.length > 2) {
    return fail('too many segments; expected LEVEL//COMPARTMENTS//DISSEMINATION at most');
  }

  let compartments: string[] = [];
  let sawCompartments = false;
  let dissemination: Dissemination | null = null;
  for (const segment of rest) {
    const tokens = segment.split('/').map((t) => t.trim());
    if (tokens.some((t) => t === '')) fail(`empty entry in '${segment}'`);
    const kind = segmentKind(tokens, policy, fail);
    if (kind === 'compartments') {
      if (dissemination !== null) fail('compartments must come before dissemination controls');
      if (sawCompartments) fail('more than one compartment segment; separate compartments with a single /');
      compartments = parseCompartments(tokens, level, policy, fail);
      sawCompartments = true;
    } else {
      if (dissemination !== null) fail('more than one dissemination segment; separate controls with a single /');
      dissemination = parseDissemination(tokens, policy, fail);
    }
  }

  return {
    level,
    compartments,
    noforn: dissemination?.noforn ?? false,
    relTo: dissemination?.relTo ?? null,
    controls: dissemination?.controls ?? [],
  };
}

type Fail = (reason: string) => never;

function parseLevel(token: string, policy: MarkingPolicy, fail: Fail): Level {
  const level = policy.levelByToken.get(token);
  if (level !== undefined) return level;
  const head = token.split('/')[0]?.trim() ?? '';
  if (token.includes('/') && policy.levelByToken.has(head)) {
    return fail(`separate the level from what follows with '//', not '/'`);
  }
  return fail(`unknown classification level '${token}'; known: ${describeLevels(policy)}`);
}

function isDissemToken(t: string, policy: MarkingPolicy): boolean {
  return t === NOFORN.name || t === NOFORN.portion || isRelTo(t) || policy.controlByToken.has(t);
}

function isRelTo(t: string): boolean {
  return t === REL_TO || t.startsWith(`${REL_TO} `);
}

/** A segment holds only compartments or only dissemination controls; which one decides the error wording. */
function segmentKind(tokens: string[], policy: MarkingPolicy, fail: Fail): 'compartments' | 'dissemination' {
  const known = tokens.filter((t) => policy.compartments.has(t) || isDissemToken(t, policy));
  const unknown = tokens.find((t) => !known.includes(t));
  const comps = known.filter((t) => policy.compartments.has(t));
  const dissem = known.filter((t) => !policy.compartments.has(t));
  if (unknown !== undefined) {
    if (comps.length > 0) return fail(`unknown compartment '${unknown}'`);
    if (dissem.length > 0) return fail(`unknown dissemination control '${unknown}'`);
    return fail(`'${unknown}' is neither a known compartment nor a dissemination control`);
  }
  if (comps.length > 0 && dissem.length > 0) {
    return fail(`'${dissem[0]}' is a dissemination control and '${comps[0]}' a compartment; put them in separate '//' segments`);
  }
  return comps.length > 0 ? 'compartments' : 'dissemination';
}

function parseCompartments(tokens: string[], level: Level, policy: MarkingPolicy, fail: Fail): string[] {
  const seen = new Set<string>();
  for (const t of tokens) {
    if (seen.has(t)) fail(`compartment '${t}' appears twice`);
    seen.add(t);
    const min = policy.compartments.get(t)?.minLevel;
    if (min && level.rank < min.rank) fail(`compartment '${t}' requires at least ${min.name}, not ${level.name}`);
  }
  return sortedSet(seen);
}

interface Dissemination {
  noforn: boolean;
  relTo: string[] | null;
  controls: Control[];
}

function parseDissemination(tokens: string[], policy: MarkingPolicy, fail: Fail): Dissemination {
  let noforn = false;
  let relTo: string[] | null = null;
  const controls: Control[] = [];
  for (const t of tokens) {
    if (t === NOFORN.name || t === NOFORN.portion) {
      if (noforn) fail('NOFORN appears twice');
      noforn = true;
    } else if (isRelTo(t)) {
      if (relTo !== null) fail('REL TO appears twice; list every country in one REL TO');
      relTo = parseRelTo(t, policy, fail);
    } else {
      const control = policy.controlByToken.get(t);
      if (control === undefined) return fail(`unknown dissemination control '${t}'`);
      if (controls.some((c) => c.name === control.name)) fail(`${control.name} appears twice`);
      controls.push(control);
    }
  }
  if (noforn && relTo !== null) fail('NOFORN and REL TO contradict each other; use one');
  return { noforn, relTo, controls: sortedControls(controls) };
}

/**
 * `REL TO USA, GBR, FVEY`: trigraphs must be in the policy, tetragraphs are
 * expanded to their members. USA may be omitted (it is the originator and is
 * always added), but an unknown code is rejected: a typo must not quietly
 * narrow or widen who may read the material.
 */
function parseRelTo(token: string, policy: MarkingPolicy, fail: Fail): string[] {
  const list = token.slice(REL_TO.length).trim();
  const codes = list === '' ? [] : list.split(',').map((c) => c.trim());
  if (codes.length === 0 || codes.some((c) => c === '')) {
    return fail('REL TO needs a comma-separated list of country codes, e.g. REL TO USA, GBR');
  }
  const countries: string[] = [OWNER_COUNTRY];
  for (const code of codes) {
    const group = policy.countryGroups.get(code);
    if (group !== undefined) countries.push(...group);
    else if (policy.countries.has(code)) countries.push(code);
    else fail(`unknown country code '${code}' in REL TO`);
  }
  return canonicalRelTo(countries);
}
