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

  constructor(id: string = randomUUID()) {
    this.id = id;
  }

  /** Records a retrieved passage; returns its reference. */
  remember(chunk: ScoredChunk): string {
    const known = this.refOf.get(chunk.id);
    if (known) return known;
    const ref = `c${this.refOf.size + 1}`;
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

  toJSON(): ConversationJSON {
    return { version: 1, id: this.id, turns: this.turns.map((t) => ({ ...t })), chunks: this.chunks };
  }

  static fromJSON(json: ConversationJSON): Conversation {
    const c = new Conversation(json.id);
    for (const chunk of json.chunks) c.remember(chunk);
    for (const t of json.turns) c.addTurn(t);
    return c;
  }
}
