/**
 * `cairn audit checkpoint|verify` as a reviewer uses them, through commander
 * and the real Cairn service on a temp data folder.
 */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import { verifyResultSchema } from '../../main/api/contract.js';
import { runOp } from '../../main/api/ops.js';
import { AuditLog } from '../../main/audit/log.js';
import { registerAuditCommands, shutdownCheckpoint } from '../../main/cli/commands/audit.js';
import type { CliContext } from '../../main/cli/index.js';
import { generateKeyFiles } from '../../main/packages/keys.js';
import { runCommand } from '../reports/fixtures.js';
import { lines, tempDataDir, writeLines } from './helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const register = (p: Command, ctx: CliContext): void => registerAuditCommands(p.command('audit'), ctx);

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDataDir()));
afterEach(async () => cleanup());

async function seed(n: number): Promise<AuditLog> {
  const log = await AuditLog.open(dir, { checkpointEvery: 0 });
  for (let i = 1; i <= n; i++) await log.append('analyst1', 'ask', { question: `q${i}?` });
  return log;
}

const cli = (argv: string[]): ReturnType<typeof runCommand> => runCommand(register, dir, ['audit', ...argv]);

describe('cairn audit checkpoint / verify', () => {
  it('a kept checkpoint file proves the log still holds it, and shows a log cut back before it', async () => {
    const log = await seed(4);
    const kept = path.join(dir, 'reviewer-kept-checkpoint.json');
    const made = await cli(['checkpoint', '--out', kept]);
    expect(made.code, made.err).toBe(0);
    expect(made.out).toContain('signed: checkpoint record seq 5 covers seq 4');
    const file = JSON.parse(await readFile(kept, 'utf8')) as { kind: string; seq: number; record: { seq: number }; publicKey: string };
    expect(file).toMatchObject({ kind: 'cairn-audit-checkpoint-file/1', seq: 4, record: { seq: 5 } });
    expect(file.publicKey).toContain('BEGIN PUBLIC KEY');
    // Asking again with nothing new hands out the same checkpoint.
    const again = await cli(['checkpoint', '--json']);
    expect(JSON.parse(again.out)).toMatchObject({ created: false, record: { seq: 5 } });

    await log.append('analyst1', 'ask', { question: 'after' });
    const ok = await cli(['verify', '--checkpoint', kept]);
    expect(ok.code, ok.err).toBe(0);
    expect(ok.out).toContain('signed checkpoints: 1 verified');
    expect(ok.out).toContain('unsigned tail: 1 record(s)');
    expect(ok.out).toContain('present in the log');

    await writeLines(log, (await lines(log)).slice(0, 3));
    expect((await cli(['verify'])).code).toBe(0); // the log alone cannot tell
    const cut = await cli(['verify', '--checkpoint', kept]);
    expect(cut.code).toBe(1);
    expect(cut.err).toContain('missing-checkpoint');
    const json = JSON.parse((await cli(['verify', '--checkpoint', kept, '--json'])).out) as unknown;
    expect(verifyResultSchema.parse(json)).toMatchObject({ ok: false, firstBroken: { reason: 'missing-checkpoint' }, kept: { found: false } });
  });

  it('--expect-head, --trust and --key', async () => {
    const log = await seed(3);
    const head = (await log.read()).at(-1)!.hash;
    expect((await cli(['checkpoint'])).code).toBe(0);
    expect((await cli(['verify', '--expect-head', head])).code).toBe(0);
    expect((await cli(['verify', '--expect-head', 'f'.repeat(64)])).err).toContain('missing-checkpoint');
    expect((await cli(['verify', '--expect-head', head.slice(0, 12)])).err).toContain('takes a full record hash');

    const other = await generateKeyFiles('reviewer', path.join(dir, 'other-keys'));
    const wrong = await cli(['verify', '--trust', other.publicKeyFile]);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('unknown-key');
    expect((await cli(['verify', '--trust', path.join(dir, 'keys', 'private', 'installation.pub')])).code).toBe(0);

    await log.append('analyst1', 'ask', { question: 'more' });
    const signed = await cli(['checkpoint', '--key', other.privateKeyFile, '--json']);
    expect(JSON.parse(signed.out)).toMatchObject({ created: true, record: { payload: { keyId: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    expect((await cli(['verify'])).err).toContain('unknown-key');
    // A trust folder holding both keys accepts both checkpoints.
    const both = path.join(dir, 'both');
    await generateKeyFiles('unused', both);
    await writeFile(path.join(both, 'installation.pub'), await readFile(path.join(dir, 'keys', 'private', 'installation.pub')));
    await writeFile(path.join(both, 'reviewer.pub'), await readFile(other.publicKeyFile));
    expect(JSON.parse((await cli(['verify', '--trust', both, '--json'])).out)).toMatchObject({ ok: true, checkpoints: 2 });
  });

  it('the auditVerify operation keeps its fields and adds the checkpoint report', async () => {
    await seed(2);
    const cairn = await Cairn.open(dir, { actor: 'analyst1' });
    await cairn.auditCheckpoint();
    const r = await runOp(cairn, 'auditVerify', {});
    expect(verifyResultSchema.parse(r)).toEqual({ ok: true, records: 3, headHash: expect.any(String), checkpoints: 1, lastCheckpoint: expect.objectContaining({ recordSeq: 3, seq: 2 }), unsignedTail: 0, trust: expect.objectContaining({ keys: 1 }) });
  });

  it('shutdown signs what was appended since the last checkpoint, once', async () => {
    const log = await seed(2);
    const warnings: string[] = [];
    expect(await shutdownCheckpoint(dir, (m) => warnings.push(m), 'analyst1')).toMatchObject({ seq: 3, payload: { reason: 'shutdown', seq: 2 } });
    expect(await shutdownCheckpoint(dir, (m) => warnings.push(m), 'analyst1')).toBeNull();
    expect(warnings).toEqual([]);
    // A broken log is reported, not thrown.
    await writeFile(log.file, `${(await readFile(log.file, 'utf8')).trimEnd()}`);
    expect(await shutdownCheckpoint(dir, (m) => warnings.push(m), 'analyst1')).toBeNull();
    expect(warnings[0]).toContain('could not sign the audit log at shutdown');
  });

  it('`cairn serve` signs the head when it is stopped (a real child process, SIGTERM)', async () => {
    const log = await seed(3);
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'cairn.mjs'), '--data', dir, 'serve', '--port', '0', '--json', '--static', path.join(dir, 'no-ui')], {
      cwd: repoRoot,
      env: { ...process.env, CAIRN_USER: 'analyst1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Stop it once it has printed where it listens (the whole JSON document).
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        try {
          JSON.parse(out);
          resolve();
        } catch {
          // not all of it yet
        }
      });
      void exited.then(() => reject(new Error(`serve exited early: ${err}`)));
    });
    child.kill('SIGTERM');
    expect(await exited, err).toBe(0);
    const last = (await log.read()).at(-1)!;
    expect(last).toMatchObject({ seq: 4, actor: 'analyst1', action: 'audit.checkpoint', payload: { reason: 'shutdown', seq: 3 } });
    expect(await log.verifySigned()).toMatchObject({ ok: true, checkpoints: 1, unsignedTail: 0 });
  }, 120_000);
});
