/**
 * `cairn audit verify` with signatures: the chain walk of verify.ts plus, for
 * every checkpoint record, its signature against the trusted keys and the
 * head it names against the chain; and optionally a checkpoint a reviewer
 * kept outside the log (a file or a head hash) that the log must still hold.
 *
 * What each reason means for a reviewer:
 *   bad-signature        the checkpoint was forged or edited
 *   unknown-key          signed by a key this verification does not trust
 *   revoked-key          signed by a key on the revocation list
 *   checkpoint-mismatch  validly signed, but the chain before it was rewritten
 *   missing-checkpoint   the kept checkpoint is not in the log: cut back or replaced
 * A log cut back to before its last checkpoint is still a valid chain; only
 * something kept elsewhere (--checkpoint FILE, --expect-head HASH) shows it.
 */
import { CairnError } from '../core/errors.js';
import { formatFingerprint } from '../packages/keys.js';
import { CHECKPOINT_ACTION, type CheckpointFile, parseCheckpointPayload } from './checkpoint.js';
import type { AuditRecord } from './record.js';
import { verifyStatement } from './sign.js';
import type { AuditTrust } from './trust.js';
import { type BrokenRecord, verifyLog, type VerifyResult } from './verify.js';

export interface VerifiedCheckpoint {
  /** The checkpoint record's own seq and hash. */
  recordSeq: number;
  recordHash: string;
  ts: string;
  /** The head it signs. */
  seq: number;
  headHash: string;
  keyId: string;
  /** Name of the trusted key that verified it. */
  signer: string;
}

/** What `verify` adds to the chain result (older callers read only ok/records/headHash/firstBroken). */
export interface SignatureReport {
  /** Checkpoints that verified (before any break). */
  checkpoints: number;
  lastCheckpoint: VerifiedCheckpoint | null;
  /** Records after the last verified checkpoint: covered by the chain only, not yet by a signature. */
  unsignedTail: number;
  trust: { source: string; keys: number };
  /** The kept checkpoint or expected head, when one was given, and whether the log holds it. */
  kept?: { seq?: number; hash: string; found: boolean };
}

export type SignedVerifyResult = VerifyResult & SignatureReport;

export interface KeptCheckpoint {
  /** A record hash the log must contain (--expect-head). */
  expectHead?: string;
  /** A checkpoint file the log must contain (--checkpoint). */
  file?: CheckpointFile;
}

export async function verifySignedLog(logFile: string, trust: AuditTrust, kept: KeptCheckpoint = {}): Promise<SignedVerifyResult> {
  let checkpoints = 0;
  let last: VerifiedCheckpoint | null = null;
  let lastSeq = 0;
  let lastLine = 0;
  const want = keptTarget(kept);
  let keptFound = false;
  let keptProblem: BrokenRecord | undefined;

  // A kept checkpoint file must itself be signed by a trusted key, or it proves nothing.
  if (kept.file) keptProblem = checkSignature(kept.file, trust, 0, kept.file.record.seq, 'the kept checkpoint file');

  const inspect = (r: AuditRecord, line: number): BrokenRecord | undefined => {
    lastSeq = r.seq;
    lastLine = line;
    if (want && !keptFound) {
      if (r.hash === want.hash) keptFound = true;
      else if (want.seq === r.seq) {
        return { line, seq: r.seq, reason: 'missing-checkpoint', message: `record seq ${r.seq} (line ${line}) has hash ${r.hash.slice(0, 12)}…, but the checkpoint you kept says ${want.hash.slice(0, 12)}…: the log was replaced from that record on.` };
      }
    }
    if (r.action !== CHECKPOINT_ACTION) return undefined;
    const parsed = parseCheckpointPayload(r.payload);
    if (!parsed.ok) return { line, seq: r.seq, reason: 'bad-checkpoint', message: `checkpoint record seq ${r.seq} (line ${line}) is malformed: ${parsed.error}.` };
    const cp = parsed.checkpoint;
    const sig = checkSignature(cp, trust, line, r.seq, `checkpoint record seq ${r.seq} (line ${line})`);
    if (sig) return sig;
    if (cp.seq !== r.seq - 1 || cp.headHash !== r.prevHash) {
      return {
        line,
        seq: r.seq,
        reason: 'checkpoint-mismatch',
        message: `checkpoint record seq ${r.seq} (line ${line}) is validly signed for seq ${cp.seq} with hash ${cp.headHash.slice(0, 12)}…, but the chain has ${r.prevHash.slice(0, 12)}… before it: records up to seq ${cp.seq} were rewritten and re-chained after they were signed.`,
      };
    }
    checkpoints++;
    last = { recordSeq: r.seq, recordHash: r.hash, ts: r.ts, seq: cp.seq, headHash: cp.headHash, keyId: cp.keyId, signer: trust.keys.get(cp.keyId)?.name ?? '' };
    return undefined;
  };

  const chain = keptProblem ? null : await verifyLog(logFile, inspect);
  let result: VerifyResult = chain ?? { ok: false, records: 0, firstBroken: keptProblem! };
  if (result.ok && want && !keptFound) {
    result = {
      ok: false,
      records: result.records,
      firstBroken: {
        line: lastLine + 1,
        ...(want.seq !== undefined ? { seq: want.seq } : {}),
        reason: 'missing-checkpoint',
        message: `the checkpoint you kept (${want.seq !== undefined ? `seq ${want.seq}, ` : ''}hash ${want.hash.slice(0, 12)}…) is not in the log, which ends at seq ${lastSeq}: the log was cut back to before it, or replaced. The records a signed checkpoint covered are gone; restore log.jsonl from a backup and keep this copy as evidence.`,
      },
    };
  }
  const verifiedLast = last as VerifiedCheckpoint | null;
  return {
    ...result,
    checkpoints,
    lastCheckpoint: verifiedLast,
    unsignedTail: Math.max(0, result.records - (verifiedLast?.recordSeq ?? 0)),
    trust: { source: trust.source, keys: trust.keys.size },
    ...(want ? { kept: { ...(want.seq !== undefined ? { seq: want.seq } : {}), hash: want.hash, found: keptFound } } : {}),
  };
}

function keptTarget(kept: KeptCheckpoint): { seq?: number; hash: string } | undefined {
  // A kept file names the checkpoint record itself; a bare hash is any record the log must still contain.
  if (kept.file) return { seq: kept.file.record.seq, hash: kept.file.record.hash };
  if (kept.expectHead !== undefined) {
    const hash = kept.expectHead.trim().toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new CairnError('BAD_INPUT', `--expect-head takes a full record hash (64 hex digits), got ${JSON.stringify(kept.expectHead)}`, { input: kept.expectHead });
    return { hash };
  }
  return undefined;
}

function checkSignature(cp: { seq: number; headHash: string; keyId: string; signature: string }, trust: AuditTrust, line: number, seq: number, what: string): BrokenRecord | undefined {
  const revoked = trust.revoked.get(cp.keyId);
  if (revoked) {
    return { line, seq, reason: 'revoked-key', message: `${what} is signed by key ${formatFingerprint(cp.keyId)} (${revoked.name || 'unnamed'}), revoked ${revoked.revokedAt}${revoked.reason ? ` (${revoked.reason})` : ''}.` };
  }
  const trusted = trust.keys.get(cp.keyId);
  if (!trusted) {
    return {
      line,
      seq,
      reason: 'unknown-key',
      message: `${what} is signed by key ${formatFingerprint(cp.keyId)}, which is not among the ${trust.keys.size} trusted key(s) from ${trust.source}. If that is the installation key you were given, pass it with --trust; otherwise the checkpoint was made with another key.`,
    };
  }
  if (!verifyStatement({ seq: cp.seq, headHash: cp.headHash, keyId: cp.keyId }, cp.signature, trusted.key)) {
    return { line, seq, reason: 'bad-signature', message: `${what}: the signature does not verify with key ${trusted.name} (${formatFingerprint(cp.keyId).slice(0, 19)}…): the checkpoint, or the seq and hash it names, were changed after signing.` };
  }
  return undefined;
}
