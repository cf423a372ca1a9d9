/**
 * Who may read what. A user's clearance is checked against a marking's
 * level, compartments and release markings; anything unknown denies.
 */
import { CairnError } from '../core/errors.js';
import { OWNER_COUNTRY, sortedSet, type Level, type Marking } from './marking.js';
import { levelOf, normalizeToken, type MarkingPolicy } from './policy.js';

export interface UserAccess {
  readonly clearance: Level;
  /** Compartments the user is read into. */
  readonly compartments: readonly string[];
  /** Citizenship trigraph; without one, NOFORN and REL TO material is denied. */
  readonly nationality?: string | undefined;
}

export interface UserAccessInput {
  /** Level banner name or portion abbreviation, e.g. `TOP SECRET` or `TS`. */
  clearance: string;
  compartments?: readonly string[];
  nationality?: string;
}

/**
 * Builds a UserAccess from configuration text, rejecting unknown levels,
 * compartments and countries so a typo in a user file cannot silently
 * grant or withhold access.
 */
export function userAccess(input: UserAccessInput, policy: MarkingPolicy): UserAccess {
  const clearance = levelOf(policy, input.clearance);
  const compartments = (input.compartments ?? []).map(normalizeToken);
  for (const c of compartments) {
    if (!policy.compartments.has(c)) {
      throw new CairnError('BAD_INPUT', `Unknown compartment '${c}' in user clearance`, { input: c });
    }
  }
  let nationality: string | undefined;
  if (input.nationality !== undefined && input.nationality.trim() !== '') {
    nationality = normalizeToken(input.nationality);
    if (!policy.countries.has(nationality)) {
      throw new CairnError('BAD_INPUT', `Unknown nationality '${input.nationality}'; use a country trigraph such as USA`, {
        input: input.nationality,
      });
    }
  }
  return { clearance, compartments: sortedSet(compartments), nationality };
}

/**
 * True only when the clearance level is at least the marking's, every
 * compartment is covered, and the user's nationality is allowed: NOFORN
 * needs the owner country (USA), REL TO needs a listed country. Policy
 * controls such as ORCON govern onward dissemination, not reading, so they
 * do not affect access.
 */
export function canAccess(user: UserAccess, marking: Marking): boolean {
  if (user.clearance.rank < marking.level.rank) return false;
  const held = new Set(user.compartments);
  if (!marking.compartments.every((c) => held.has(c))) return false;
  if (marking.noforn) return user.nationality === OWNER_COUNTRY;
  if (marking.relTo !== null) return user.nationality !== undefined && marking.relTo.includes(user.nationality);
  return true;
}
