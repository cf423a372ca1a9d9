/**
 * The audit log of one data folder: `DATA/audit/log.jsonl`, one record per
 * line, each chained to the one before by hash. This class only wires the
 * pieces together; each job lives in its own module:
 *   record.ts (shape, hash, line format)   canonical.ts (bytes that are hashed)
 *   append.ts (one locked append)           lock.ts (cross-process lock)
 *   verify.ts (walk the chain)              repair.ts (quarantine a cut-off tail)
 *   checkpoint.ts (signed checkpoint records, checkpoint files)
 *   sign.ts (installation key, signed bytes) trust.ts (keys a verifier accepts)
 *   checkpoint-verify.ts (chain + signatures + a kept checkpoint)
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
import { readConfigSection } from '../config/section.js';
import { z } from 'zod';
import { CHECKPOINT_ACTION, type CheckpointReason, DEFAULT_CHECKPOINT_EVERY, writeCheckpoint } from './checkpoint.js';
import { type KeptCheckpoint, type SignedVerifyResult, verifySignedLog } from './checkpoint-verify.js';
import { loadOrCreateInstallationKey, type SigningKey } from './sign.js';
import { loadAuditTrust } from './trust.js';

/** The "audit" section of DATA/config.json: `{ "audit": { "checkpointEvery": 100 } }` (0: only at shutdown and on demand). */
const auditConfigSchema = z.object({ checkpointEvery: z.number().int().min(0).default(DEFAULT_CHECKPOINT_EVERY) });

export interface AuditLogOptions {
  /** Sign a checkpoint after every N records; default DATA/config.json audit.checkpointEvery, else 100. 0 turns interval checkpoints off. */
  checkpointEvery?: number;
  /** Where a failed automatic checkpoint is reported (the record itself is already safe). Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

export const AUDIT_DIR = 'audit';
export const AUDIT_FILE = 'log.jsonl';

/** Shortest hash prefix find() accepts: shorter ones collide too easily to name a record. */
const MIN_PREFIX = 8;

export class AuditLog {
  private constructor(
    /** Absolute path of log.jsonl. */
    readonly file: string,
    /** The data folder (its keys/ hold the installation key that signs checkpoints). */
    readonly dataDir: string,
    /** 0: no interval checkpoints. */
    readonly checkpointEvery: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** Creates DATA/audit/ if needed; the log file itself appears with the first record. */
  static async open(dataDir: string, opts: AuditLogOptions = {}): Promise<AuditLog> {
    const dir = path.resolve(dataDir, AUDIT_DIR);
    await mkdir(dir, { recursive: true });
    const warn = opts.onWarning ?? ((m: string) => process.emitWarning(m, 'CairnAuditWarning'));
    let every = opts.checkpointEvery;
    if (every === undefined) {
      // A mistake elsewhere in config.json must not stop auditing: keep the default and say so.
      every = await readConfigSection(dataDir, 'audit', auditConfigSchema).then(
        (c) => c.checkpointEvery,
        (e: unknown) => {
          warn(`${e instanceof Error ? e.message : String(e)}; signing audit checkpoints every ${DEFAULT_CHECKPOINT_EVERY} records`);
          return DEFAULT_CHECKPOINT_EVERY;
        },
      );
    }
    return new AuditLog(path.join(dir, AUDIT_FILE), path.resolve(dataDir), every, warn);
  }

  /**
   * Appends one record and returns it once it is on disk (fsynced). Its
   * `hash` is the record's auditId. Throws AUDIT_BROKEN if the log's last
   * line is damaged, rather than chaining onto it. After every
   * `checkpointEvery`-th record a signed checkpoint follows, in the same lock.
   */
  async append(actor: string, action: string, payload: unknown): Promise<AuditRecord> {
    return withLogLock(this.file, async () => {
      const record = await appendRecord(this.file, actor, action, payload);
      if (this.checkpointEvery > 0 && record.seq % this.checkpointEvery === 0 && action !== CHECKPOINT_ACTION) {
        // The record is durable and its hash may already be someone's answer id:
        // a checkpoint that cannot be signed is reported, never turned into a failed append.
        await writeCheckpoint(this.file, actor, await loadOrCreateInstallationKey(this.dataDir), 'interval').catch((e: unknown) => {
          this.warn(`could not sign an audit checkpoint after seq ${record.seq}: ${e instanceof Error ? e.message : String(e)}; \`cairn audit verify\` shows the unsigned records`);
        });
      }
      return record;
    });
  }

  /**
   * Signs the current head now (at shutdown, or on request) with the
   * installation key or the given one. Null when the log is empty or its
   * last record already is a checkpoint (unless forced).
   */
  async checkpoint(actor: string, opts: { reason?: CheckpointReason; key?: SigningKey; force?: boolean } = {}): Promise<AuditRecord | null> {
    return withLogLock(this.file, async () => writeCheckpoint(this.file, actor, opts.key ?? (await loadOrCreateInstallationKey(this.dataDir)), opts.reason ?? 'requested', { force: opts.force }));
  }

  /**
   * The chain and every checkpoint signature, against the installation key
   * or the keys at `trust`; optionally a kept checkpoint the log must hold.
   */
  async verifySigned(opts: { trust?: string } & KeptCheckpoint = {}): Promise<SignedVerifyResult> {
    return verifySignedLog(this.file, await loadAuditTrust(this.dataDir, opts.trust), { expectHead: opts.expectHead, file: opts.file });
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
