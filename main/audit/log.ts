/**
 * The audit log of one data folder: `DATA/audit/log.jsonl`, one record per
 * line, each chained to the one before by hash. This class only wires the
 * pieces together; each job lives in its own module:
 *   record.ts (shape, hash, line format)   canonical.ts (bytes that are hashed)
 *   append.ts (one locked append)           lock.ts (cross-process lock)
 *   verify.ts (walk the chain)              repair.ts (quarantine a cut-off tail)
 *
 * Writers (append, repair) take the lock. Readers (read, verify, find) do not:
 * they must work on a copied or read-only log, and an append is one write of
 * a whole line, so a reader sees a complete line or none.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { CairnError } from '../core/errors.js';
import { appendRecord, readChainHead } from './append.js';
import { readLogLines, readLogTail } from './lines.js';
import { withLogLock } from './lock.js';
import { type AuditRecord, parseRecordLine } from './record.js';
import { type RepairResult, repairTruncatedTail } from './repair.js';
import { verifyLog, type VerifyResult } from './verify.js';

export const AUDIT_DIR = 'audit';
export const AUDIT_FILE = 'log.jsonl';

/** Shortest hash prefix find() accepts: shorter ones collide too easily to name a record. */
const MIN_PREFIX = 8;

export class AuditLog {
  private constructor(
    /** Absolute path of log.jsonl. */
    readonly file: string,
  ) {}

  /** Creates DATA/audit/ if needed; the log file itself appears with the first record. */
  static async open(dataDir: string): Promise<AuditLog> {
    const dir = path.resolve(dataDir, AUDIT_DIR);
    await mkdir(dir, { recursive: true });
    return new AuditLog(path.join(dir, AUDIT_FILE));
  }

  /**
   * Appends one record and returns it once it is on disk (fsynced). Its
   * `hash` is the record's auditId. Throws AUDIT_BROKEN if the log's last
   * line is damaged, rather than chaining onto it.
   */
  async append(actor: string, action: string, payload: unknown): Promise<AuditRecord> {
    return withLogLock(this.file, () => appendRecord(this.file, actor, action, payload));
  }

  /**
   * Every complete record in file order, without checking the chain (that is
   * verify's job). A cut-off final line is skipped: it never became a record.
   * Any other unreadable line throws AUDIT_BROKEN naming it.
   */
  async *records(): AsyncGenerator<AuditRecord> {
    for await (const l of readLogLines(this.file)) {
      if (!l.terminated) return;
      const p = parseRecordLine(l.text);
      if (!p.ok) {
        throw new CairnError('AUDIT_BROKEN', `audit log line ${l.line} is not a valid record (${p.error}); run \`cairn audit verify\``, { input: `${this.file}:${l.line}` });
      }
      yield p.record;
    }
  }

  /** All records in memory; use records() to stream a large log. */
  async read(): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for await (const r of this.records()) out.push(r);
    return out;
  }

  /** Walks the whole chain; names the first broken record and why. */
  async verify(): Promise<VerifyResult> {
    return verifyLog(this.file);
  }

  /**
   * A record by seq (number) or by auditId: the full hash or a unique prefix
   * of at least 8 hex digits. Undefined when absent. Does not verify.
   */
  async find(id: number | string): Promise<AuditRecord | undefined> {
    const { match, exact } = matcher(id);
    let found: AuditRecord | undefined;
    for await (const r of this.records()) {
      if (!match(r)) continue;
      if (exact) return r;
      if (found) throw new CairnError('BAD_INPUT', `audit id prefix '${id}' matches more than one record; give more digits`, { input: String(id) });
      found = r;
    }
    return found;
  }

  /**
   * Throws AUDIT_BROKEN, saying what to do, when the next append would be
   * refused. Reads only the tail, so writers call it before committing work
   * that must be audited.
   */
  async assertAppendable(): Promise<void> {
    await readChainHead(this.file);
  }

  /**
   * What the next start does after a crash mid-append: a cut-off last line
   * (never a record: it was not fsynced whole) is quarantined, as `repair`
   * does, and the repair itself is recorded. Any other damage is left for a
   * person to look at. Returns the quarantine file, or null when there was
   * nothing to do.
   */
  async recoverCutOffTail(actor: string): Promise<string | null> {
    const { last } = await readLogTail(this.file);
    if (last === undefined || last.terminated) return null;
    const quarantined = await withLogLock(this.file, async () => {
      const again = await readLogTail(this.file);
      if (again.last === undefined || again.last.terminated) return null;
      const verified = await verifyLog(this.file);
      if (verified.ok || verified.firstBroken.reason !== 'truncated') return null;
      return (await repairTruncatedTail(this.file)).quarantined;
    });
    if (quarantined !== null) await this.append(actor, 'audit.repaired', { quarantined: path.basename(quarantined), reason: 'cut-off last line found at start' });
    return quarantined;
  }

  /**
   * Moves a cut-off last line into DATA/audit/quarantine-<ts>.jsonl and keeps
   * the intact records before it. Refuses (AUDIT_BROKEN) any other damage,
   * and BAD_INPUT when the log is intact.
   */
  async repair(): Promise<RepairResult> {
    return withLogLock(this.file, () => repairTruncatedTail(this.file));
  }
}

function matcher(id: number | string): { match: (r: AuditRecord) => boolean; exact: boolean } {
  if (typeof id === 'number') {
    if (!Number.isSafeInteger(id) || id < 1) throw new CairnError('BAD_INPUT', `audit seq must be a positive integer, got ${id}`, { input: String(id) });
    return { match: (r) => r.seq === id, exact: true };
  }
  const hex = id.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex) || hex.length < MIN_PREFIX || hex.length > 64) {
    throw new CairnError('BAD_INPUT', `an audit id is a record hash (or at least its first ${MIN_PREFIX} hex digits), got '${id}'`, { input: id });
  }
  return { match: (r) => r.hash.startsWith(hex), exact: hex.length === 64 };
}
