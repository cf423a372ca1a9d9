/**
 * Chain verification: walks the log once and names the first record that
 * breaks the chain, with a reason that says what kind of tampering or damage
 * explains it. Checks run in this order per line, so the reason is the most
 * specific one: unterminated -> unparsable -> own hash -> seq -> prevHash.
 */
import { readLogLines, type LogLine } from './lines.js';
import { type AuditRecord, GENESIS_HASH, hashRecord, parseRecordLine } from './record.js';

export type BreakReason =
  /** The final line has no newline: an append was cut off (crash, full disk). */
  | 'truncated'
  /** A line is not JSON or not a record (bad fields, extra fields). */
  | 'unparsable'
  /** The record's content does not match its hash: it was edited. */
  | 'hash-mismatch'
  /** seq jumps forward and the missing seq is nowhere later: records were deleted. */
  | 'seq-gap'
  /** seq repeats, goes backwards, or the expected seq appears later: records were reordered or duplicated. */
  | 'seq-out-of-order'
  /** seq is right but prevHash is not the previous record's hash: appended without chaining. */
  | 'prev-hash-mismatch'
  // Signed checkpoints (checkpoint-verify.ts):
  /** A checkpoint record's payload is not a checkpoint (fields missing or malformed). */
  | 'bad-checkpoint'
  /** A checkpoint's signature does not verify with its key: the checkpoint (or what it names) was forged. */
  | 'bad-signature'
  /** A checkpoint is signed by a key that is neither the installation's nor trusted. */
  | 'unknown-key'
  /** A checkpoint is signed by a key on the revocation list. */
  | 'revoked-key'
  /** A validly signed checkpoint names a seq/hash the chain does not have: records before it were rewritten and re-chained. */
  | 'checkpoint-mismatch'
  /** A checkpoint the reviewer kept (a file, or --expect-head) is not in the log: the log was cut back or replaced. */
  | 'missing-checkpoint';

export interface BrokenRecord {
  /** 1-based line number in log.jsonl. */
  line: number;
  /** The record's seq, when it could be read. */
  seq?: number;
  reason: BreakReason;
  /** A sentence for a person: what is wrong and what to do. */
  message: string;
}

export type VerifyResult =
  | { ok: true; records: number; headHash: string }
  /** `records`: how many records before the break were checked and intact. */
  | { ok: false; records: number; firstBroken: BrokenRecord };

/**
 * Called for every record that passed the chain checks, in order; returning
 * a break stops the walk there. How checkpoint signatures are checked without
 * this module knowing about keys.
 */
export type RecordInspector = (r: AuditRecord, line: number) => BrokenRecord | undefined;

export async function verifyLog(file: string, inspect?: RecordInspector): Promise<VerifyResult> {
  const lines = readLogLines(file);
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let good = 0;
  const broken = (b: BrokenRecord): VerifyResult => ({ ok: false, records: good, firstBroken: b });

  for await (const l of lines) {
    const parsed = parseRecordLine(l.text);
    const seqKnown = parsed.ok ? parsed.record.seq : parsed.seq;
    const at = seqKnown === undefined ? { line: l.line } : { line: l.line, seq: seqKnown };
    if (!l.terminated) {
      return broken({ ...at, reason: 'truncated', message: `the last line (line ${l.line}) has no newline: an append was cut off. Run \`cairn audit repair\` to move it to quarantine and keep the intact records.` });
    }
    if (!parsed.ok) {
      return broken({ ...at, reason: 'unparsable', message: `line ${l.line} is not a valid audit record: ${parsed.error}.` });
    }
    const r = parsed.record;
    let computed: string | undefined;
    try {
      computed = hashRecord(r);
    } catch {
      computed = undefined; // e.g. a number edited to 1e400: not canonical JSON, so not what was hashed
    }
    if (computed !== r.hash) {
      return broken({ ...at, reason: 'hash-mismatch', message: `record seq ${r.seq} (line ${l.line}) does not match its hash: its content was changed after it was written.` });
    }
    if (r.seq > expectedSeq) {
      const laterLine = await findSeq(lines, expectedSeq);
      return laterLine !== undefined
        ? broken({ ...at, reason: 'seq-out-of-order', message: `line ${l.line} holds seq ${r.seq} where seq ${expectedSeq} was expected; seq ${expectedSeq} is at line ${laterLine}: records were reordered.` })
        : broken({ ...at, reason: 'seq-gap', message: `seq jumps from ${expectedSeq - 1} to ${r.seq} at line ${l.line}: ${r.seq - expectedSeq === 1 ? `record ${expectedSeq} is` : `records ${expectedSeq}-${r.seq - 1} are`} missing (deleted).` });
    }
    if (r.seq < expectedSeq) {
      return broken({ ...at, reason: 'seq-out-of-order', message: `line ${l.line} holds seq ${r.seq} after seq ${expectedSeq - 1}: records were reordered or duplicated.` });
    }
    if (r.prevHash !== prevHash) {
      return broken({ ...at, reason: 'prev-hash-mismatch', message: `record seq ${r.seq} (line ${l.line}) does not chain to the record before it: it was appended without chaining, or a record before it was replaced.` });
    }
    const problem = inspect?.(r, l.line);
    if (problem) return broken(problem);
    good++;
    expectedSeq++;
    prevHash = r.hash;
  }
  return { ok: true, records: good, headHash: prevHash };
}

/** Continues the same scan to tell a deletion (seq never appears) from a reorder (it appears later). */
async function findSeq(lines: AsyncIterator<LogLine>, seq: number): Promise<number | undefined> {
  for (let n = await lines.next(); !n.done; n = await lines.next()) {
    const p = parseRecordLine(n.value.text);
    if ((p.ok ? p.record.seq : p.seq) === seq) return n.value.line;
  }
  return undefined;
}
