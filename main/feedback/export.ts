/**
 * Feedback as training data for an accredited environment: preference pairs
 * and corrected answers in the common chosen/rejected JSON Lines form
 * (`{prompt, chosen, rejected}`, as preference-tuning tools read it), each
 * line carrying its marking and provenance so it can be reviewed and traced.
 */
import type { FeedbackRow } from '../store/feedback.js';

export interface PreferenceLine {
  prompt: string;
  chosen: string;
  rejected: string;
  /** Banner of the answers the pair came from. */
  marking: string;
  provenance: {
    type: 'preference' | 'correction';
    feedbackId: string;
    /** Audit record of the feedback write. */
    feedbackAuditId: string;
    user: string;
    ts: string;
    /** Audit ids of the chosen / rejected answers (null: written by the analyst). */
    chosenAnswerId: string | null;
    rejectedAnswerId: string;
    chosenModel: string | null;
    rejectedModel: string;
  };
}

interface Summary {
  answerId: string;
  text: string;
  model: string;
}

function summaryOf(x: unknown): Summary | null {
  if (!x || typeof x !== 'object') return null;
  const s = x as Record<string, unknown>;
  if (typeof s.answerId !== 'string' || typeof s.text !== 'string') return null;
  return { answerId: s.answerId, text: s.text, model: String(s.model ?? 'unknown') };
}

/** One line per decided preference (ties skipped) and per correction that differs from the answer. */
export function preferenceLines(rows: readonly FeedbackRow[]): PreferenceLine[] {
  const out: PreferenceLine[] = [];
  for (const r of rows) {
    const base = { feedbackId: r.id, feedbackAuditId: r.auditId, user: r.user, ts: r.ts };
    const self = summaryOf(r.data.answer);
    if (!self) continue;
    if (r.kind === 'preference') {
      const other = summaryOf(r.data.other);
      const preferred = r.data.preferred;
      if (!other || (preferred !== 'this' && preferred !== 'other')) continue;
      const [chosen, rejected] = preferred === 'this' ? [self, other] : [other, self];
      if (chosen.text.trim() === rejected.text.trim()) continue;
      out.push({
        prompt: r.question,
        chosen: chosen.text,
        rejected: rejected.text,
        marking: r.marking,
        provenance: { type: 'preference', ...base, chosenAnswerId: chosen.answerId, rejectedAnswerId: rejected.answerId, chosenModel: chosen.model, rejectedModel: rejected.model },
      });
    } else if (r.kind === 'correction') {
      const correction = String(r.data.correction ?? '').trim();
      if (correction === '' || correction === self.text.trim()) continue;
      out.push({
        prompt: r.question,
        chosen: correction,
        rejected: self.text,
        marking: r.marking,
        provenance: { type: 'correction', ...base, chosenAnswerId: null, rejectedAnswerId: self.answerId, chosenModel: null, rejectedModel: self.model },
      });
    }
  }
  return out;
}

export function toJsonl(lines: readonly unknown[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length > 0 ? '\n' : '');
}
