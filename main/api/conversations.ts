/**
 * Conversations as `Cairn.ask` uses them: open (or start) one for the caller,
 * hand the agent its history, carry a follow-up's subject into retrieval on
 * the extractive path, and save after every turn. Passages above the caller's
 * clearance never come back out: they stay in the file (refs stable) but are
 * withheld from the conversation the caller sees.
 */
import { formatBanner, type MarkingPolicy, parseMarking, rollUp } from '../access/index.js';
import { Conversation } from '../agent/conversation.js';
import type { ConversationRecord, ConversationStore, ConversationSummary } from '../agent/conversation-store.js';
import { type FollowUp, followUpQuery } from '../agent/followup.js';
import { CairnError } from '../core/errors.js';
import type { AnswerSentence, ScoredChunk } from '../core/types.js';
import type { ConversationOutput } from './contract.js';

export interface ConversationAccess {
  actor: string;
  policy: MarkingPolicy;
  /** Of these markings, the ones the caller may read (null: all). */
  readable(markings: Iterable<string>): ReadonlySet<string> | null;
  /**
   * An ask limited to a time window: earlier passages outside it can be
   * neither carried into retrieval nor cited (as retrieval filters: an
   * undated passage never matches a window). They stay in the file.
   */
  window?: { from?: string; to?: string };
}

/** `--conversation last`: the caller's most recently updated conversation. */
export const LAST_CONVERSATION = 'last';

const WITHHELD_TEXT = '[withheld: cites a passage above your clearance]';

function visibility(chunks: readonly ScoredChunk[], access: ConversationAccess): (c: ScoredChunk) => boolean {
  const readable = access.readable(new Set(chunks.map((c) => c.marking)));
  return (c) => (readable === null || readable.has(c.marking)) && inWindow(c, access.window);
}

async function resolveId(store: ConversationStore, id: string, access: ConversationAccess): Promise<string> {
  if (id !== LAST_CONVERSATION) return id;
  const [latest] = await store.list(access.actor);
  if (!latest) throw new CairnError('NOT_FOUND', `${access.actor} has no conversation yet; ask without --conversation to start one`, { input: id });
  return latest.id;
}

/** One ask's view of a conversation. */
export class ConversationSession {
  private constructor(
    private readonly store: ConversationStore,
    private readonly record: ConversationRecord,
    readonly conversation: Conversation,
  ) {}

  get id(): string {
    return this.conversation.id;
  }

  /**
   * Opens the caller's conversation `id` (or "last"), or starts a new one,
   * and runs `fn` with it while no other ask touches the same conversation.
   */
  static async with<T>(store: ConversationStore, id: string | undefined, access: ConversationAccess, fn: (s: ConversationSession) => Promise<T>): Promise<T> {
    if (id === undefined) {
      const now = new Date().toISOString();
      const conversation = new Conversation();
      return fn(new ConversationSession(store, { format: 'cairn-conversation/1', owner: access.actor, createdAt: now, updatedAt: now, conversation: conversation.toJSON() }, conversation));
    }
    const resolved = await resolveId(store, id, access);
    return store.exclusive(resolved, async () => {
      const record = await store.get(resolved, access.actor);
      const conversation = Conversation.fromJSON(record.conversation, visibility(record.conversation.chunks, access));
      return fn(new ConversationSession(store, record, conversation));
    });
  }

  /** The question as retrieval should see it (a follow-up carries the earlier subject). */
  followUp(question: string): FollowUp {
    return followUpQuery(question, this.conversation);
  }

  /** Passages cited in the last turns the caller may still read (and in the ask's window), best (most recent) first. */
  earlierCited(turns = 2): ScoredChunk[] {
    const refs = this.conversation.turns.slice(-turns).reverse().flatMap((t) => t.sentences.flatMap((s) => s.refs));
    const out = new Map<string, ScoredChunk>();
    for (const ref of refs) {
      const c = this.conversation.resolve(ref);
      if (c && !out.has(c.id)) out.set(c.id, c);
    }
    return [...out.values()];
  }

  /** Records an extractive turn: every retrieved passage, and the sentences with their refs. */
  addExtractiveTurn(question: string, answer: string, retrieved: readonly ScoredChunk[], sentences: readonly AnswerSentence[]): void {
    const byId = new Map(retrieved.map((c) => [c.id, c]));
    for (const c of retrieved) this.conversation.remember(c);
    this.conversation.addTurn({
      question,
      answer,
      sentences: sentences.map((s) => ({
        text: s.text,
        refs: s.citations.map((c) => {
          const chunk = byId.get(c.chunkId) ?? this.conversation.resolve(c.chunkId);
          return chunk ? this.conversation.remember(chunk) : c.chunkId;
        }),
      })),
      at: new Date().toISOString(),
    });
  }

  get turnCount(): number {
    return this.conversation.turns.length;
  }

  /** Ties the turns added since `before` to the answer's audit record, so a reopened turn can be rated or reviewed. */
  noteAudit(before: number, auditId: string): void {
    for (const t of this.conversation.turns.slice(before)) t.auditId = auditId;
  }

  async save(): Promise<void> {
    this.record.updatedAt = new Date().toISOString();
    this.record.conversation = this.conversation.toJSON();
    await this.store.save(this.record);
  }
}

function inWindow(c: ScoredChunk, window?: { from?: string; to?: string }): boolean {
  if (!window || (!window.from && !window.to)) return true;
  const t0 = c.t0 ? Date.parse(c.t0) : NaN;
  const t1 = c.t1 ? Date.parse(c.t1) : NaN;
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) return false;
  return (!window.from || t1 >= Date.parse(window.from)) && (!window.to || t0 <= Date.parse(window.to));
}

export async function listConversations(store: ConversationStore, access: ConversationAccess): Promise<ConversationSummary[]> {
  return store.list(access.actor);
}

/**
 * A conversation as its owner may see it now: passages above their
 * clearance are left out, and sentences citing them are withheld.
 */
export async function conversationView(store: ConversationStore, id: string, access: ConversationAccess): Promise<ConversationOutput> {
  const resolved = await resolveId(store, id, access);
  const record = await store.get(resolved, access.actor);
  const conversation = Conversation.fromJSON(record.conversation, visibility(record.conversation.chunks, access));
  const hidden = new Set(conversation.withheldRefs);
  const passages = conversation.refs.map((ref) => {
    const c = conversation.resolve(ref)!;
    return { ref, chunkId: c.id, sourceId: c.sourceId, title: c.title, page: c.page, start: c.start, end: c.end, marking: c.marking, text: c.text, ...(c.locator ? { locator: c.locator } : {}) };
  });
  const markingOf = new Map(passages.map((p) => [p.ref, p.marking]));
  const turns = conversation.turns.map((t) => {
    const sentences = t.sentences.map((s) => (s.refs.some((r) => hidden.has(r)) ? { text: WITHHELD_TEXT, refs: [], withheld: true } : { text: s.text, refs: s.refs, withheld: false }));
    const anyWithheld = sentences.some((s) => s.withheld);
    // The turn's banner as this reader may see it: the roll-up of the passages its shown sentences cite.
    const cited = sentences.flatMap((s) => s.refs.map((r) => markingOf.get(r) ?? '')).filter((m) => m !== '');
    const turnBanner = formatBanner(rollUp(cited.map((m) => parseMarking(m, access.policy)), access.policy));
    return { question: t.question, answer: anyWithheld ? sentences.map((s) => s.text).join(' ') : t.answer, at: t.at, sentences, banner: turnBanner, ...(t.auditId ? { auditId: t.auditId } : {}) };
  });
  const banner = formatBanner(rollUp(passages.map((p) => parseMarking(p.marking, access.policy)), access.policy));
  return { id: resolved, createdAt: record.createdAt, updatedAt: record.updatedAt, turns, passages, withheld: hidden.size, banner };
}
