/**
 * One append, assuming the caller holds the log lock: find the head from the
 * file's tail, seal the next record onto it, write it as one line, fsync.
 *
 * The head is read from disk every time (not cached) because another process
 * may have appended since; reading only the tail keeps that cheap.
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import { syncDir, writeAllAndSync } from './durable.js';
import { readLogTail } from './lines.js';
import { type AuditRecord, GENESIS_HASH, hashRecord, parseRecordLine, sealRecord, serializeRecord } from './record.js';

export interface ChainHead {
  seq: number;
  hash: string;
  /** File size the next line is appended after. */
  size: number;
}

/**
 * The record to chain onto. Refuses a damaged tail rather than chaining onto
 * it: a new record's prevHash would otherwise certify garbage, and the damage
 * would be buried under good records.
 */
export async function readChainHead(file: string): Promise<ChainHead> {
  const { size, last } = await readLogTail(file);
  if (last === undefined) return { seq: 0, hash: GENESIS_HASH, size };
  if (!last.terminated) {
    throw new CairnError(
      'AUDIT_BROKEN',
      `refusing to append to the audit log: its last line has no newline, so an earlier append was cut off (crash or full disk). ` +
        'Run `cairn audit verify` to see the damage, then `cairn audit repair` to move the cut-off line to a quarantine file and keep every intact record.',
      { input: file },
    );
  }
  const parsed = parseRecordLine(last.text);
  let ok = parsed.ok;
  if (parsed.ok) {
    try {
      ok = hashRecord(parsed.record) === parsed.record.hash;
    } catch {
      ok = false;
    }
  }
  if (!parsed.ok || !ok) {
    throw new CairnError(
      'AUDIT_BROKEN',
      `refusing to append to the audit log: its last record is damaged (${parsed.ok ? 'content does not match its hash' : parsed.error}). ` +
        'Run `cairn audit verify` to see where. This is not a cut-off append, so Cairn will not repair it automatically: keep a copy of the log as evidence and restore log.jsonl from a backup.',
      { input: file },
    );
  }
  return { seq: parsed.record.seq, hash: parsed.record.hash, size };
}

export async function appendRecord(file: string, actor: string, action: string, payload: unknown, now: Date = new Date()): Promise<AuditRecord> {
  // verify() treats a record without an action as unparsable; never write one.
  if (typeof action !== 'string' || action === '') throw new CairnError('INTERNAL', 'an audit record needs a non-empty action', { input: String(action) });
  if (typeof actor !== 'string') throw new CairnError('INTERNAL', 'an audit record needs an actor string', { input: String(actor) });
  const head = await readChainHead(file);
  // Seal before opening the file: a payload that is not JSON fails with no I/O done.
  let record: AuditRecord;
  try {
    record = sealRecord({ seq: head.seq + 1, ts: now.toISOString(), actor, action, payload, prevHash: head.hash });
  } catch (e) {
    throw new CairnError('INTERNAL', `the '${action}' audit payload is not plain JSON: ${e instanceof Error ? e.message : String(e)}`, { input: action, cause: e });
  }
  const line = Buffer.from(`${serializeRecord(record)}\n`, 'utf8');
  const fh = await open(file, 'a');
  try {
    await writeAllAndSync(fh, line);
  } catch (e) {
    // Undo a partial line (e.g. ENOSPC) so the next append is not refused; we
    // still hold the lock, so nothing else was written after head.size.
    await fh.truncate(head.size).then(() => fh.sync()).catch(() => undefined);
    throw new CairnError('INTERNAL', `could not write the audit record: ${e instanceof Error ? e.message : String(e)}`, { input: file, cause: e });
  } finally {
    await fh.close();
  }
  if (head.size === 0) await syncDir(path.dirname(file)); // new file: make its directory entry durable
  return record;
}
