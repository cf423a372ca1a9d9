/**
 * Fast subset of the air-gap proof: the egress counter the proof relies on
 * really counts (from the main thread and from a worker thread), and a CLI
 * ingest + ask inside a network namespace with no interfaces attempts no
 * egress. `npm run verify:security` also runs the whole demo there.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlCount, measuredRunner, unshareWorks } from '../../scripts/security/airgap.js';
import { CAIRN_BIN } from '../../scripts/security/paths.js';

describe('air-gap proof (fast subset)', () => {
  let work: string;
  const ns = unshareWorks();

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'cairn-airgap-test-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('the egress counter catches a remote socket and a DNS lookup from a worker thread', async () => {
    const run = await controlCount(measuredRunner(work, { namespace: false }), work);
    expect(run.egress).toBe(2);
  });

  it.runIf(ns.ok)(`a CLI ingest and ask inside \`unshare -n\` work and attempt no egress${ns.ok ? '' : ` (skipped: ${ns.note})`}`, async () => {
    const measured = measuredRunner(work, { namespace: true, timeoutMs: 60_000 });
    const data = path.join(work, 'data');
    const file = path.join(work, 'note.txt');
    await writeFile(file, 'The ferry to Gray Island leaves at nine every morning.\n');
    const ingest = await measured('ingest', process.execPath, [CAIRN_BIN, '--data', data, 'ingest', file, '--json'], (_o, code) => (code === 0 ? null : `exit ${code}`));
    const ask = await measured('ask', process.execPath, [CAIRN_BIN, '--data', data, 'ask', 'When does the ferry to Gray Island leave?', '--json'], (out, code) =>
      code === 0 && out.includes('nine') ? null : `exit ${code}: ${out.slice(0, 200)}`,
    );
    expect([ingest, ask].map((r) => [r.name, r.ok, r.note])).toEqual([
      ['ingest', true, expect.any(String)],
      ['ask', true, expect.any(String)],
    ]);
    expect(ingest.egress + ask.egress).toBe(0);
  }, 90_000);
});
