/**
 * Signed checkpoints: an ordinary audit record (action 'audit.checkpoint')
 * whose payload says "the record before me is seq S with hash H", signed
 * with an Ed25519 key (sign.ts). The hash chain alone shows an edit only to
 * someone who kept a later hash; a rewritten, re-chained log is internally
 * consistent. A signature over the head makes re-chaining need the key, and a
 * checkpoint file kept outside the data folder (`--out`) makes cutting the
 * log back to before it detectable.
 *
 * A checkpoint is written while holding the log lock, directly after the
 * head it names, so in a valid log its seq is the checkpoint's seq - 1 and
 * its headHash the checkpoint's prevHash.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { CairnError } from '../core/errors.js';
import { appendRecord, readChainHead } from './append.js';
import { readLogTail } from './lines.js';
import { type AuditRecord, parseRecordLine } from './record.js';
import { CHECKPOINT_FORMAT, type CheckpointStatement, signStatement, type SigningKey } from './sign.js';

export const CHECKPOINT_ACTION = 'audit.checkpoint';
/** Default: one checkpoint after every 100 records (DATA/config.json `audit.checkpointEvery`). */
export const DEFAULT_CHECKPOINT_EVERY = 100;

export type CheckpointReason = 'interval' | 'shutdown' | 'requested';

export interface CheckpointPayload extends CheckpointStatement {
  format: typeof CHECKPOINT_FORMAT;
  alg: 'Ed25519';
  signature: string;
  reason: CheckpointReason;
}

const HEX64 = /^[0-9a-f]{64}$/;
const checkpointPayloadSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  alg: z.literal('Ed25519'),
  seq: z.number().int().min(1),
  headHash: z.string().regex(HEX64, '64 lowercase hex digits'),
  keyId: z.string().regex(HEX64, 'a 64-hex key fingerprint'),
  // An Ed25519 signature is 64 bytes: 88 base64 characters with padding.
  signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/, 'a base64 Ed25519 signature'),
  reason: z.string(),
});

export type ParsedCheckpoint = { ok: true; checkpoint: CheckpointPayload } | { ok: false; error: string };

export function parseCheckpointPayload(payload: unknown): ParsedCheckpoint {
  const r = checkpointPayloadSchema.safeParse(payload);
  if (r.success) return { ok: true, checkpoint: r.data as CheckpointPayload };
  const issue = r.error.issues[0];
  return { ok: false, error: `${issue?.path.join('.') || 'payload'}: ${issue?.message ?? 'invalid'}` };
}

/**
 * Signs the current head and appends the checkpoint record. Caller holds the
 * log lock. Returns null for an empty log (nothing to sign) or when the head
 * already is a checkpoint (signing a signature adds nothing), unless forced.
 */
export async function writeCheckpoint(file: string, actor: string, key: SigningKey, reason: CheckpointReason, opts: { force?: boolean } = {}): Promise<AuditRecord | null> {
  const head = await readChainHead(file);
  if (head.seq === 0) return null;
  if (!opts.force && (await headIsCheckpoint(file))) return null;
  const { statement, signature } = signStatement({ seq: head.seq, headHash: head.hash }, key);
  const payload: CheckpointPayload = { format: CHECKPOINT_FORMAT, alg: 'Ed25519', ...statement, signature, reason };
  return appendRecord(file, actor, CHECKPOINT_ACTION, payload);
}

async function headIsCheckpoint(file: string): Promise<boolean> {
  const { last } = await readLogTail(file);
  if (!last) return false;
  const p = parseRecordLine(last.text);
  return p.ok && p.record.action === CHECKPOINT_ACTION;
}

/** The newest checkpoint record, scanning back from the end (null when there is none). */
export async function lastCheckpointRecord(records: AsyncIterable<AuditRecord>): Promise<AuditRecord | null> {
  let found: AuditRecord | null = null;
  for await (const r of records) if (r.action === CHECKPOINT_ACTION) found = r;
  return found;
}

/**
 * A checkpoint as a file a reviewer keeps apart from the log: the signed
 * statement, the checkpoint record's own seq and hash, and the signer's
 * public key (for reading; trust still comes from --trust or the installation).
 */
export interface CheckpointFile extends CheckpointPayload {
  kind: 'cairn-audit-checkpoint-file/1';
  record: { seq: number; hash: string; ts: string };
  publicKey: string;
}

const checkpointFileSchema = checkpointPayloadSchema.extend({
  kind: z.literal('cairn-audit-checkpoint-file/1'),
  record: z.object({ seq: z.number().int().min(1), hash: z.string().regex(HEX64), ts: z.string() }),
  publicKey: z.string(),
});

export function checkpointFileOf(record: AuditRecord, publicKeyPem: string): CheckpointFile {
  const parsed = parseCheckpointPayload(record.payload);
  if (!parsed.ok) throw new CairnError('AUDIT_BROKEN', `audit record seq ${record.seq} is not a valid checkpoint: ${parsed.error}`, { input: record.hash });
  return { kind: 'cairn-audit-checkpoint-file/1', ...parsed.checkpoint, record: { seq: record.seq, hash: record.hash, ts: record.ts }, publicKey: publicKeyPem };
}

export async function writeCheckpointFile(out: string, cp: CheckpointFile): Promise<void> {
  await writeFile(out, `${JSON.stringify(cp, null, 2)}\n`, { mode: 0o644 });
}

export async function readCheckpointFile(file: string): Promise<CheckpointFile> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CairnError(code === 'ENOENT' ? 'NOT_FOUND' : 'BAD_INPUT', `cannot read checkpoint file ${file}: ${code ?? (e as Error).message}; it is the file \`cairn audit checkpoint --out FILE\` wrote`, { input: file, cause: e });
  }
  const r = checkpointFileSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CairnError('BAD_INPUT', `${file} is not a Cairn checkpoint file: ${issue?.path.join('.') || 'value'}: ${issue?.message ?? 'invalid'}`, { input: file });
  }
  return r.data as CheckpointFile;
}
