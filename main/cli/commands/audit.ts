/**
 * `cairn audit verify|checkpoint|export|replay`: signed checkpoints, checking
 * them, handing a reviewer an answer's provenance, and asking a recorded
 * question again. (`audit show` and `audit repair` are in cli/index.ts.)
 */
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { AuditLog, type AuditRecord } from '../../audit/index.js';
import { checkpointFileOf, lastCheckpointRecord, writeCheckpointFile } from '../../audit/checkpoint.js';
import { readInstallationPublicKey } from '../../audit/sign.js';
import { CairnError } from '../../core/errors.js';
import { sha256Hex } from '../../core/hash.js';
import { answerProvenance, exportProv } from '../../exports/index.js';
import { readPrivateKeyFile } from '../../packages/keys.js';
import { defaultActor } from '../../packages/store-ingest.js';
import { depsFor } from '../../reports/index.js';
import type { ReplayReport } from '../../api/replay.js';
import type { CliContext } from '../index.js';
import { formatReplay, formatVerify } from './audit-format.js';

export function registerAuditCommands(audit: Command, ctx: CliContext): void {
  audit
    .command('verify')
    .description('check the hash chain and every signed checkpoint; exit 1 naming the first broken record and why')
    .option('--trust <keys>', "verify checkpoint signatures against these keys (a .pub file, a folder of .pub files, or a trust JSON) instead of the installation's own key")
    .option('--expect-head <hash>', 'a record hash you kept (e.g. an earlier head): the log must still contain it')
    .option('--checkpoint <file>', 'a checkpoint file you kept (`cairn audit checkpoint --out`): the log must still contain it')
    .option('--json', 'print JSON')
    .action(async (o: { trust?: string; expectHead?: string; checkpoint?: string; json?: boolean }) => {
      const r = await (await ctx.open()).auditVerify({ trust: o.trust, expectHead: o.expectHead, checkpointFile: o.checkpoint });
      if (o.json) ctx.json(r);
      else if (r.ok) ctx.io.out(formatVerify(r));
      else ctx.io.err(formatVerify(r));
      if (!r.ok) ctx.setExit(1);
    });

  audit
    .command('checkpoint')
    .description('sign the audit log head now (the installation key unless --key); --out also writes it to a file a reviewer keeps')
    .option('--key <file>', 'sign with this Ed25519 private key (NAME.key from `cairn keys generate`) instead of the installation key')
    .option('--out <file>', 'also write the signed checkpoint to this file (keep it away from the data folder)')
    .option('--json', 'print JSON')
    .action(async (o: { key?: string; out?: string; json?: boolean }) => {
      const cairn = await ctx.open();
      let record = await cairn.auditCheckpoint({ keyFile: o.key, reason: 'requested' });
      const fresh = record !== null;
      // The head already is a checkpoint: hand that one out rather than sign a signature.
      record ??= await lastCheckpointRecord((await AuditLog.open(ctx.dataDir(), { checkpointEvery: 0 })).records());
      if (!record) throw new CairnError('BAD_INPUT', 'the audit log is empty: there is nothing to sign yet', { input: ctx.dataDir() });
      const file = o.out ? checkpointFileOf(record, await publicKeyPem(ctx.dataDir(), o.key)) : undefined;
      if (o.out && file) await writeCheckpointFile(o.out, file);
      if (o.json) {
        ctx.json({ created: fresh, record, ...(o.out ? { file: o.out } : {}) });
        return;
      }
      const p = record.payload as { seq: number; headHash: string; keyId: string };
      ctx.io.out(
        [
          `${fresh ? 'signed' : 'already signed'}: checkpoint record seq ${record.seq} covers seq ${p.seq} (head ${p.headHash})`,
          `key ${p.keyId}`,
          ...(o.out ? [`wrote ${o.out}; later, \`cairn audit verify --checkpoint ${o.out}\` proves the log still holds it`] : []),
        ].join('\n'),
      );
    });

  audit
    .command('export')
    .description("an answer's provenance as W3C PROV-JSON (--format prov --answer ID), or audit records as JSON Lines (--format jsonl)")
    .requiredOption('--format <format>', 'prov | jsonl')
    .option('--answer <auditId>', 'the answer (its auditId); required for prov, with jsonl only that record')
    .option('--out <file>', 'write here (default: standard output)')
    .option('--json', 'with --out, print a JSON summary')
    .action(async (o: { format: string; answer?: string; out?: string; json?: boolean }) => {
      const cairn = await ctx.open();
      const format = o.format.toLowerCase();
      if (format === 'prov' || format === 'prov-json') {
        if (!o.answer) throw new CairnError('BAD_INPUT', '--format prov needs --answer AUDIT_ID (the auditId `cairn ask --json` printed)', { input: o.format });
        await cairn.auditRecord(o.answer); // others' answers only for reviewers and administrators
        const deps = await depsFor(cairn);
        if (o.out) {
          const r = await exportProv(deps, o.answer, o.out);
          if (o.json) ctx.json(r);
          else ctx.io.out(`wrote ${r.file} (PROV-JSON for answer ${r.answer.slice(0, 12)}, ${r.bytes} bytes)\nsha256 ${r.sha256}\naudit ${r.auditId}`);
          return;
        }
        const { answer, document } = await answerProvenance(deps, o.answer);
        const text = JSON.stringify(document, null, 2);
        await deps.audit.append(cairn.actor, 'export', { format: 'prov-json', answers: [answer], file: '-', sha256: sha256Hex(`${text}\n`), bytes: Buffer.byteLength(`${text}\n`), user: cairn.actor });
        ctx.io.out(text);
        return;
      }
      if (format !== 'jsonl') throw new CairnError('BAD_INPUT', `--format must be prov or jsonl, got ${JSON.stringify(o.format)}`, { input: o.format });
      const records: AuditRecord[] = o.answer ? [await cairn.auditRecord(o.answer)] : await cairn.auditRecords();
      const text = records.map((r) => `${JSON.stringify(r)}\n`).join('');
      if (o.out) await writeFile(o.out, text);
      const log = await AuditLog.open(ctx.dataDir());
      const rec = await log.append(cairn.actor, 'export', { format: 'audit-jsonl', records: records.length, ...(o.answer ? { answers: [records[0]!.hash] } : {}), file: o.out ?? '-', sha256: sha256Hex(text), bytes: Buffer.byteLength(text), user: cairn.actor });
      if (!o.out) ctx.io.out(text.replace(/\n$/, ''));
      else if (o.json) ctx.json({ file: o.out, format: 'jsonl', records: records.length, sha256: sha256Hex(text), auditId: rec.hash });
      else ctx.io.out(`wrote ${o.out} (${records.length} audit records as JSON Lines)\nsha256 ${sha256Hex(text)}\naudit ${rec.hash}`);
    });

  audit
    .command('replay')
    .description('ask a recorded question again against the store as it is now; report whether the same passages and citations come back, and what changed')
    .argument('<auditId>', 'the answer (its auditId, or a unique prefix of 8+ hex digits)')
    .option('--json', 'print JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      const r: ReplayReport & { replayAuditId: string } = await (await ctx.open()).auditReplay(id);
      if (o.json) ctx.json(r);
      else ctx.io.out(formatReplay(r));
    });
}

async function publicKeyPem(dataDir: string, keyFile: string | undefined): Promise<string> {
  if (keyFile) return (await readPrivateKeyFile(keyFile)).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const own = await readInstallationPublicKey(dataDir);
  if (!own) throw new CairnError('NOT_FOUND', 'this installation has no audit key yet; run `cairn audit checkpoint` first', { input: dataDir });
  return own.key.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * At the end of `cairn serve` (and the desktop app): sign what was appended
 * since the last checkpoint. A failure is reported, not thrown: the records
 * are safe, and the next start or `cairn audit checkpoint` signs them.
 */
export async function shutdownCheckpoint(dataDir: string, warn: (m: string) => void, actor: string = defaultActor()): Promise<AuditRecord | null> {
  try {
    return await (await AuditLog.open(dataDir, { onWarning: warn })).checkpoint(actor, { reason: 'shutdown' });
  } catch (e) {
    warn(`could not sign the audit log at shutdown: ${e instanceof Error ? e.message : String(e)}; run \`cairn audit checkpoint\``);
    return null;
  }
}
