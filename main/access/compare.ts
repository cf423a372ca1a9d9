/**
 * Dominance between markings: `a` dominates `b` when anyone allowed to see
 * `a` is allowed to see `b`. That is a partial order (SECRET//SI and
 * TOP SECRET//TK are incomparable), so compareMarkings can say so.
 */
import type { Marking } from './marking.js';

export type MarkingOrder = 'equal' | 'above' | 'below' | 'incomparable';

/** a's level >= b's, a's compartments a superset of b's, a's dissemination at least as restrictive. */
export function dominates(a: Marking, b: Marking): boolean {
  return (
    a.level.rank >= b.level.rank &&
    isSubset(b.compartments, a.compartments) &&
    isSubset(
      b.controls.map((c) => c.name),
      a.controls.map((c) => c.name),
    ) &&
    releaseAtLeastAsNarrow(a, b)
  );
}

export function compareMarkings(a: Marking, b: Marking): MarkingOrder {
  const ab = dominates(a, b);
  const ba = dominates(b, a);
  if (ab && ba) return 'equal';
  if (ab) return 'above';
  if (ba) return 'below';
  return 'incomparable';
}

export function markingsEqual(a: Marking, b: Marking): boolean {
  return compareMarkings(a, b) === 'equal';
}

/**
 * Audiences by nationality: no release marking = everyone cleared, REL TO =
 * the listed countries, NOFORN = the owner country only. NOFORN counts as
 * narrower than any REL TO, even `REL TO USA`: the two reach the same people
 * today, but NOFORN also forbids a later release decision, so it is the
 * stronger marking.
 */
function releaseAtLeastAsNarrow(a: Marking, b: Marking): boolean {
  if (a.noforn) return true;
  if (b.noforn) return false;
  if (b.relTo === null) return true;
  if (a.relTo === null) return false;
  return isSubset(a.relTo, b.relTo);
}

function isSubset(small: readonly string[], big: readonly string[]): boolean {
  const set = new Set(big);
  return small.every((x) => set.has(x));
}
