/**
 * The structured form of a classification marking, and the canonical orders
 * every other module relies on. Plain data only: a Marking carries the names
 * it needs to be printed and compared, so formatting and comparison need no
 * policy at hand (the policy is only needed to parse and to validate).
 */

/** A classification level as the policy defines it. `rank` orders levels (0 = lowest). */
export interface Level {
  /** Banner name, e.g. `TOP SECRET`. */
  readonly name: string;
  /** Portion abbreviation, e.g. `TS`. */
  readonly portion: string;
  readonly rank: number;
}

/** A dissemination control other than NOFORN and REL TO (e.g. ORCON). */
export interface Control {
  /** Banner name, e.g. `ORCON`. */
  readonly name: string;
  /** Portion abbreviation, e.g. `OC`. */
  readonly portion: string;
  /** Position in the policy's list; fixes the printed order. */
  readonly rank: number;
}

export interface Marking {
  readonly level: Level;
  /** SCI controls / compartments, sorted, no duplicates. */
  readonly compartments: readonly string[];
  /** Not releasable to foreign nationals. Never true together with `relTo`. */
  readonly noforn: boolean;
  /**
   * Countries the material may be released to, expanded from tetragraphs
   * (FVEY, NATO) at parse time, always containing USA, ordered USA first then
   * alphabetically. `null` means no REL TO marking.
   */
  readonly relTo: readonly string[] | null;
  /** Other dissemination controls (ORCON, IMCON, ...), in policy order. */
  readonly controls: readonly Control[];
}

/**
 * The originating country. NOFORN and REL TO semantics are written from its
 * point of view (NOFORN = its nationals only; REL TO always includes it), so
 * it is fixed in code rather than left to a policy file that could break them.
 */
export const OWNER_COUNTRY = 'USA';

/** Built-in dissemination controls: their meaning is code, not configuration. */
export const NOFORN = { name: 'NOFORN', portion: 'NF' } as const;
export const REL_TO = 'REL TO';

/** Sorted copy with duplicates removed; code-unit order so it never depends on locale. */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The canonical REL TO order: the owner country first, then alphabetical. */
export function canonicalRelTo(countries: Iterable<string>): string[] {
  const rest = sortedSet(countries).filter((c) => c !== OWNER_COUNTRY);
  return [OWNER_COUNTRY, ...rest];
}

export function sortedControls(controls: Iterable<Control>): Control[] {
  const byName = new Map<string, Control>();
  for (const c of controls) byName.set(c.name, c);
  return [...byName.values()].sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
