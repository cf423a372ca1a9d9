/**
 * A conversation: the questions asked, the answers given and every passage
 * retrieved along the way. Only passages retrieved in this conversation may
 * be cited, so the conversation is also the citation whitelist. Passages get
 * short references (c1, c2, ...) that are stable for the conversation: small
 * models copy "c3" reliably, a 64-digit hash not.
 */
import { randomUUID } from 'node:crypto';
import type { ScoredChunk } from '../core/types.js';

export interface ConversationTurn {
  question: string;
  answer: string;
  /** The shown sentences with the references they cite. */
  sentences: { text: string; refs: string[] }[];
  at: string;
  /** The answer's audit record (its auditId), so a reopened turn can still be rated or reviewed. */
  auditId?: string;
}

export interface ConversationJSON {
  version: 1;
  id: string;
  turns: ConversationTurn[];
  /** Retrieved passages in the order their references were given. */
  chunks: ScoredChunk[];
}

const REF = /^c(\d+)$/i;

export class Conversation {
  readonly id: string;
  readonly turns: ConversationTurn[] = [];
  private readonly byId = new Map<string, ScoredChunk>();
  private readonly refOf = new Map<string, string>();
  private readonly idOfRef = new Map<string, string>();
  /** Passages kept for the record but hidden from this reader (above their clearance now): refs reserved, never resolvable. */
  private readonly withheld = new Map<string, ScoredChunk>();

  constructor(id: string = randomUUID()) {
    this.id = id;
  }

  /** Records a retrieved passage; returns its reference. */
  remember(chunk: ScoredChunk): string {
    const known = this.refOf.get(chunk.id);
    if (known) return known;
    const ref = `c${this.refOf.size + this.withheld.size + 1}`;
    this.byId.set(chunk.id, chunk);
    this.refOf.set(chunk.id, ref);
    this.idOfRef.set(ref, chunk.id);
    return ref;
  }

  refFor(chunkId: string): string | undefined {
    return this.refOf.get(chunkId);
  }

  /** A reference ("c3", "[c3]") or a full chunk id, if retrieved in this conversation. */
  resolve(reference: string): ScoredChunk | undefined {
    const r = reference.trim().replace(/^\[|\]$/g, '');
    const m = REF.exec(r);
    const id = m ? this.idOfRef.get(`c${Number(m[1])}`) : r;
    return id === undefined ? undefined : this.byId.get(id);
  }

  has(chunkId: string): boolean {
    return this.byId.has(chunkId);
  }

  get refs(): string[] {
    return [...this.idOfRef.keys()];
  }

  get chunks(): ScoredChunk[] {
    return [...this.byId.values()];
  }

  addTurn(turn: ConversationTurn): void {
    this.turns.push(turn);
  }

  /** References of passages withheld from this reader. */
  get withheldRefs(): string[] {
    return [...this.withheld.keys()];
  }

  /** Every passage, withheld ones included, in reference order (what is persisted). */
  toJSON(): ConversationJSON {
    const all = [...this.idOfRef.entries(), ...[...this.withheld.entries()].map(([ref, chunk]) => [ref, chunk.id] as const)]
      .sort((a, b) => Number(a[0].slice(1)) - Number(b[0].slice(1)))
      .map(([ref, id]) => this.byId.get(id) ?? this.withheld.get(ref)!);
    return { version: 1, id: this.id, turns: this.turns.map((t) => ({ ...t })), chunks: all };
  }

  /**
   * Restores a conversation. Passages `visible` rejects (e.g. above the
   * reader's clearance now) keep their references but cannot be resolved,
   * cited or shown; they are still written back by toJSON.
   */
  static fromJSON(json: ConversationJSON, visible: (chunk: ScoredChunk) => boolean = () => true): Conversation {
    const c = new Conversation(json.id);
    for (const chunk of json.chunks) {
      if (visible(chunk)) c.remember(chunk);
      else c.withheld.set(`c${c.refOf.size + c.withheld.size + 1}`, chunk);
    }
    for (const t of json.turns) c.addTurn(t);
    return c;
  }
}
