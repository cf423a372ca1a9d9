/**
 * The banner for something built from several marked pieces (an answer from
 * its cited chunks, a chunk from its portions). The result dominates every
 * input: highest level, union of compartments and controls, NOFORN if any
 * piece is NOFORN, otherwise the intersection of the REL TO lists.
 */
import { canonicalRelTo, sortedControls, sortedSet, type Marking } from './marking.js';
import type { MarkingPolicy } from './policy.js';
import { defaultMarking } from './parse.js';

/**
 * An empty list rolls up to the policy's lowest level (an answer that cites
 * nothing carries no classified content).
 *
 * REL TO: a piece without any release marking restricts nobody by
 * nationality, so it does not narrow the list; pieces with REL TO intersect.
 * USA is in every REL TO list, so the intersection is never empty; when only
 * USA is left the result stays `REL TO USA` rather than becoming NOFORN:
 * NOFORN is a decision an originator makes, and a roll-up must not invent
 * one. `REL TO USA` reaches exactly the same readers (canAccess treats it so).
 */
export function rollUp(markings: readonly Marking[], policy: MarkingPolicy): Marking {
  const [first, ...others] = markings;
  if (first === undefined) return defaultMarking(policy);

  let level = first.level;
  let relTo: string[] | null = first.relTo === null ? null : [...first.relTo];
  for (const m of others) {
    if (m.level.rank > level.rank) level = m.level;
    if (m.relTo !== null) {
      const allowed = new Set(m.relTo);
      relTo = relTo === null ? [...m.relTo] : relTo.filter((c) => allowed.has(c));
    }
  }
  const noforn = markings.some((m) => m.noforn);
  return {
    level,
    compartments: sortedSet(markings.flatMap((m) => m.compartments)),
    noforn,
    relTo: noforn || relTo === null ? null : canonicalRelTo(relTo),
    controls: sortedControls(markings.flatMap((m) => m.controls)),
  };
}

/** Re-exported because a roll-up is nearly always printed as a banner next. */
export { formatBanner } from './format.js';
