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
