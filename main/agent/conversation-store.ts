/**
 * Conversations that outlive a call: kept in memory and as one JSON file per
 * conversation under DATA/conversations/ (written to a temporary file and
 * renamed, so a crash never leaves half a file; mode 0600, folder 0700: the
 * files hold marked passage text). A conversation belongs to the user who
 * started it.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import type { ConversationJSON } from './conversation.js';

export const CONVERSATIONS_DIR = 'conversations';

/** Conversation ids are UUIDs: nothing else may name a file. */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const recordSchema = z.object({
  format: z.literal('cairn-conversation/1'),
  owner: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  conversation: z.object({
    version: z.literal(1),
    id: z.string().regex(ID),
    turns: z.array(z.object({ question: z.string(), answer: z.string(), sentences: z.array(z.object({ text: z.string(), refs: z.array(z.string()) })), at: z.string(), auditId: z.string().optional() })),
    chunks: z.array(z.looseObject({ id: z.string(), sourceId: z.string(), text: z.string(), marking: z.string(), title: z.string(), page: z.number(), start: z.number(), end: z.number() })),
  }),
});

export interface ConversationRecord {
  format: 'cairn-conversation/1';
  /** The user who started it: only they may continue or read it. */
  owner: string;
  createdAt: string;
  updatedAt: string;
  conversation: ConversationJSON;
}

export interface ConversationSummary {
  id: string;
  createdAt: string;
  updatedAt: string;
  turns: number;
  /** The first question. */
  title: string;
}

const versionOf = (s: { mtimeMs: number; size: number }): string => `${s.mtimeMs}:${s.size}`;

export function isConversationId(id: string): boolean {
  return ID.test(id);
}

export class ConversationStore {
  /** Records by id, with the file's mtime and size when read or written: another process's write is noticed. */
  private readonly cache = new Map<string, { record: ConversationRecord; version: string }>();
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(readonly dir: string) {}

  static forDataDir(dataDir: string): ConversationStore {
    return new ConversationStore(path.join(dataDir, CONVERSATIONS_DIR));
  }

  private file(id: string): string {
    if (!isConversationId(id)) throw new CairnError('BAD_INPUT', `not a conversation id: ${JSON.stringify(id)} (see \`cairn conversations\`)`, { input: id });
    return path.join(this.dir, `${id}.json`);
  }

  /** The record, or NOT_FOUND; a conversation of another user is reported as not found. */
  async get(id: string, owner: string): Promise<ConversationRecord> {
    const r = await this.load(id);
    if (!r || r.owner !== owner) throw new CairnError('NOT_FOUND', `no conversation ${id} for ${owner}; start one without --conversation`, { input: id });
    return r;
  }

  /** From memory while the file is unchanged, else from the file. */
  private async load(id: string): Promise<ConversationRecord | undefined> {
    let version: string;
    try {
      version = versionOf(await stat(this.file(id)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const cached = this.cache.get(id);
    if (cached && cached.version === version) return cached.record;
    const record = await this.read(id);
    if (record) this.cache.set(id, { record, version });
    return record;
  }

  private async read(id: string): Promise<ConversationRecord | undefined> {
    let text: string;
    try {
      text = await readFile(this.file(id), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new CairnError('PARSE_FAILED', `conversation file ${this.file(id)} is not JSON; move it aside to continue`, { input: this.file(id), cause: e });
    }
    const r = recordSchema.safeParse(json);
    if (!r.success) throw new CairnError('PARSE_FAILED', `conversation file ${this.file(id)} is damaged (${r.error.issues[0]?.message ?? 'unreadable'}); move it aside to continue`, { input: this.file(id) });
    return r.data as unknown as ConversationRecord;
  }

  /** Writes the record atomically (temporary file, then rename). */
  async save(record: ConversationRecord): Promise<void> {
    const file = this.file(record.conversation.id);
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
      // writeFile's mode is masked by the umask; make sure.
      await chmod(tmp, 0o600);
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    this.cache.set(record.conversation.id, { record, version: versionOf(await stat(file)) });
  }

  /** Runs `fn` after any earlier call for the same conversation finished, so turns never interleave. */
  async exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const before = this.queues.get(id) ?? Promise.resolve();
    const run = before.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.queues.set(id, tail);
    try {
      return await run;
    } finally {
      if (this.queues.get(id) === tail) this.queues.delete(id);
    }
  }

  /** The owner's conversations, most recently updated first (damaged files are skipped). */
  async list(owner: string): Promise<ConversationSummary[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const out: ConversationSummary[] = [];
    for (const name of names) {
      const id = name.replace(/\.json$/, '');
      if (!name.endsWith('.json') || !isConversationId(id)) continue;
      let r: ConversationRecord | undefined;
      try {
        r = await this.load(id);
      } catch {
        continue;
      }
      if (!r || r.owner !== owner) continue;
      out.push({ id, createdAt: r.createdAt, updatedAt: r.updatedAt, turns: r.conversation.turns.length, title: r.conversation.turns[0]?.question ?? '' });
    }
    return out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  }
}
