/**
 * Tamper evidence by mutation (scripts/security/tamper.ts; every position in
 * `npm run verify:security`, one in 13 here), plus the byte classes the full
 * run found undetected before tar-layout.ts and canonical base64.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPackage } from '../../main/packages/index.js';
import { auditTamper, packageTamper } from '../../scripts/security/tamper.js';
import { dataTrust, makePackage, type Sandbox, sandbox, trustedPublisher, writeCorpus } from '../packages/helpers.js';

describe('tamper evidence by mutation', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'cairn-tamper-test-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('detects every sampled byte change, deletion, reorder, duplicate and truncation of a signed audit log', async () => {
    const rows = await auditTamper(work, { sample: 13 });
    expect(rows.map((r) => r.mutation).sort()).toEqual(['byte', 'delete', 'duplicate', 'reorder', 'truncate']);
    for (const r of rows) {
      expect(r.tried).toBeGreaterThan(0);
      expect(r.missed, `${r.target} ${r.mutation}`).toEqual([]);
      expect(r.detected).toBe(r.tried);
    }
  }, 120_000);

  it('detects every sampled byte change, block deletion, reorder and truncation of a signed package', async () => {
    const sb = await sandbox('cairn-tamper-pkg-test-');
    try {
      const rows = await packageTamper(sb, { sample: 13 });
      expect(rows.map((r) => r.mutation).sort()).toEqual(['byte', 'delete', 'reorder', 'truncate']);
      for (const r of rows) expect(r.detected, `${r.target} ${r.mutation}: ${r.missed.join('; ')}`).toBe(r.tried);
    } finally {
      await sb.cleanup();
    }
  }, 120_000);
});

describe('package bytes no tar reader looks at', () => {
  let sb: Sandbox;
  let good: Buffer;
  let goodFile: string;
  beforeAll(async () => {
    sb = await sandbox('cairn-tar-layout-');
    await writeCorpus(sb.src);
    const key = await trustedPublisher(sb);
    goodFile = (await makePackage(sb, key)).out;
    good = await readFile(goodFile);
  });
  afterAll(async () => sb.cleanup());

  const verifyBytes = async (bytes: Buffer) => {
    const file = path.join(sb.root, 'changed.tar');
    await writeFile(file, bytes);
    return verifyPackage(file, { trustStore: await dataTrust(sb) });
  };
  const changed = (at: number, value: number): Buffer => {
    const b = Buffer.from(good);
    b[at] = value;
    return b;
  };

  it('verifies the package as written', async () => {
    expect((await verifyBytes(good)).ok).toBe(true);
  });

  it('refuses a changed byte in the zero padding after a file, in the checksum terminator and after the end marker', async () => {
    // The first file's body starts at block 1; its padding runs to the next 512 boundary.
    const sizeOfFirst = Number.parseInt(good.subarray(124, 136).toString('latin1').replace(/[\0 ]/g, ''), 8);
    const padding = 512 + sizeOfFirst + 1;
    expect(good[padding]).toBe(0);
    for (const at of [padding, 154, 155, good.length - 1]) {
      const v = await verifyBytes(changed(at, good[at] === 0 ? 1 : 0));
      expect(v.ok, `byte ${at}`).toBe(false);
      expect(v.problems.map((p) => p.code)).toContain('ARCHIVE_UNREADABLE');
    }
  });
});
