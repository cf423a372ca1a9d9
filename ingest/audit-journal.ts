/**
 * A write-ahead note that makes "source written" and "ingest audited" one
 * step as far as anyone can tell afterwards. The store and the audit log are
 * two files, so a crash (SIGKILL, power cut) between the store commit and the
 * audit append would otherwise leave a source analysts can read that no
 * reviewer can account for, and re-running the ingest would only say
 * `exists`. The note is written (fsynced) before the store write and removed
 * after the audit append; whoever opens the data folder next finishes the
 * job: it appends the missing `ingest` record (marked `recovered`) when the
 * source was committed, or drops the uncommitted rows when it was not.
 */
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Store } from '../main/store/store.js';

const DIR = 'ingest-pending';

export interface JournalSink {
  append(actor: string, action: string, payload: unknown): Promise<unknown>;
  /** Whether an `ingest` record for this source is already in the log. */
  hasIngestRecord(sourceId: string): Promise<boolean>;
}

interface PendingNote {
  sourceId: string;
  actor: string;
  payload: Record<string, unknown>;
}

const notePath = (dataDir: string, sourceId: string): string => path.join(dataDir, DIR, `${sourceId}.json`);

/** Records the intent durably. Call inside the store's write lock, before writeSource. */
export async function beginIngest(dataDir: string, note: PendingNote): Promise<void> {
  await mkdir(path.join(dataDir, DIR), { recursive: true });
  const fh = await open(notePath(dataDir, note.sourceId), 'w', 0o600);
  try {
    await fh.writeFile(JSON.stringify(note));
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** The source is written and audited (or was never written): the note has done its job. */
export async function endIngest(dataDir: string, sourceId: string): Promise<void> {
  await rm(notePath(dataDir, sourceId), { force: true });
}

export interface JournalRecovery {
  /** Sources committed before a crash whose audit record this run appended. */
  audited: string[];
  /** Sources whose write never committed; their leftover rows were removed. */
  discarded: string[];
}

/**
 * Finishes what a crashed writer left. Takes the store's write lock, so it
 * never races a live writer (whose note is still legitimately present only
 * while it holds that lock).
 */
export async function recoverIngestJournal(dataDir: string, store: Store, audit: JournalSink): Promise<JournalRecovery> {
  const out: JournalRecovery = { audited: [], discarded: [] };
  let names: string[];
  try {
    names = (await readdir(path.join(dataDir, DIR))).filter((n) => n.endsWith('.json'));
  } catch {
    return out;
  }
  if (names.length === 0) return out;
  await store.withWriteLock(async () => {
    for (const name of names) {
      const file = path.join(dataDir, DIR, name);
      let note: PendingNote;
      try {
        note = JSON.parse(await readFile(file, 'utf8')) as PendingNote;
      } catch {
        // Cut off while being written: the store write had not started.
        await rm(file, { force: true });
        continue;
      }
      if (typeof note.sourceId !== 'string' || `${note.sourceId}.json` !== name) {
        await rm(file, { force: true });
        continue;
      }
      if (await store.hasSource(note.sourceId)) {
        if (!(await audit.hasIngestRecord(note.sourceId))) {
          await audit.append(note.actor, 'ingest', { ...note.payload, recovered: true });
          out.audited.push(note.sourceId);
        }
      } else {
        await store.discardUncommitted(note.sourceId);
        out.discarded.push(note.sourceId);
      }
      await rm(file, { force: true });
    }
  });
  return out;
}
