/**
 * Portion markings in document text: `(S//NF) The convoy ...` at the start
 * of a paragraph. Each marks the text from itself up to the next portion
 * marking, so a chunk takes the roll-up of every portion it overlaps.
 */
import { CairnError } from '../core/errors.js';
import type { Marking } from './marking.js';
import { parseMarking } from './parse.js';
import type { MarkingPolicy } from './policy.js';
import { rollUp } from './rollup.js';

export interface PortionMatch {
  /** Offset of the `(`. */
  readonly start: number;
  /** Offset just past the `)`. */
  readonly end: number;
  /** The marking as written, parentheses included. */
  readonly text: string;
  readonly marking: Marking;
}

/**
 * A parenthesis at the start of a line (after optional spaces/tabs) holding
 * only upper-case marking characters. Lower case, as in `(see above)` or
 * `(a)`, never matches; the length cap keeps prose out.
 */
const CANDIDATE = /^[ \t]*(\(([A-Z][A-Z0-9 ,/-]{0,150})\))/gm;

/**
 * Finds portion markings at paragraph starts, in text order.
 *
 * A parenthetical is taken as a marking when it is a bare level (`(U)`,
 * `(TS)`; so an upper-case list item `(C)` reads as CONFIDENTIAL, which is
 * the convention in marked documents) or when it starts with a level and
 * uses `/`. Other upper-case parentheticals, `(A)`, `(NATO)`, `(N/A)`, are
 * prose. A candidate that contains `//`, or starts with a level and a `/`,
 * but does not parse throws BAD_INPUT naming its offset: skipping it would
 * leave its paragraph under-marked.
 */
export function findPortionMarkings(text: string, policy: MarkingPolicy): PortionMatch[] {
  const found: PortionMatch[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    const raw = m[1] ?? '';
    const inner = m[2] ?? '';
    const start = (m.index ?? 0) + m[0].length - raw.length;
    if (!looksLikeMarking(inner, policy)) continue;
    try {
      found.push({ start, end: start + raw.length, text: raw, marking: parseMarking(raw, policy) });
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new CairnError('BAD_INPUT', `Portion marking at character ${start}: ${reason}`, { input: raw, cause: e });
    }
  }
  return found;
}

function looksLikeMarking(inner: string, policy: MarkingPolicy): boolean {
  if (inner.includes('//')) return true;
  const head = inner.split('/')[0]?.trim() ?? '';
  return policy.levelByToken.has(head);
}

/**
 * The marking for text between `start` and `end` of the same string the
 * portions were found in: the roll-up of every portion whose paragraph
 * (from its marking up to the next one) overlaps the span, or null when the
 * span lies before the first portion marking (the caller then falls back to
 * the document banner). Overlap, not containment: a chunk that starts in the
 * middle of a SECRET paragraph is SECRET even though the `(S)` is outside it.
 */
export function markingForSpan(
  portions: readonly PortionMatch[],
  start: number,
  end: number,
  policy: MarkingPolicy,
): Marking | null {
  const ordered = [...portions].sort((a, b) => a.start - b.start);
  const spanEnd = Math.max(end, start + 1);
  const covering: Marking[] = [];
  ordered.forEach((p, i) => {
    const paragraphEnd = ordered[i + 1]?.start ?? Number.POSITIVE_INFINITY;
    if (p.start < spanEnd && start < paragraphEnd) covering.push(p.marking);
  });
  return covering.length === 0 ? null : rollUp(covering, policy);
}
