/**
 * main/audit: the append-only, hash-chained audit log. See log.ts for the
 * map of modules; record.ts for the record format and what an auditId is.
 */
export { AuditLog, AUDIT_DIR, AUDIT_FILE } from './log.js';
export { type AuditRecord, GENESIS_HASH, hashRecord, shortHash } from './record.js';
export { canonicalJson, CanonicalJsonError } from './canonical.js';
export type { BreakReason, BrokenRecord, VerifyResult } from './verify.js';
export type { RepairResult } from './repair.js';
export { describePayload, formatAuditRecord } from './format.js';
export type { AskPayload, IngestPayload } from './payloads.js';
export { type AuditLogOptions } from './log.js';
export { CHECKPOINT_ACTION, type CheckpointFile, checkpointFileOf, type CheckpointPayload, type CheckpointReason, DEFAULT_CHECKPOINT_EVERY, readCheckpointFile, writeCheckpointFile } from './checkpoint.js';
export type { KeptCheckpoint, SignatureReport, SignedVerifyResult, VerifiedCheckpoint } from './checkpoint-verify.js';
export { installationKeyFiles, readInstallationPublicKey } from './sign.js';
export { type AnswerSnapshot, diffAnswers, type ReplayDiff } from './replay-diff.js';
