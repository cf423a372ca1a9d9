// Electronegativity over the Electron shell and the renderer, as
// `npm run lint:electron` runs it: a HIGH or MEDIUM finding that nobody
// suppressed (with a reason) fails the suite, and so does a file the checker
// could not parse. The control case shows the checker does flag a window
// that drops the hardening, so a pass here means something.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockingFindings, type EnegResult, runElectronegativity } from '../../scripts/security/electronegativity.js';
import { egressAttempts } from '../setup/no-egress.js';

const INSECURE = `import { app, BrowserWindow } from 'electron';
app.whenReady().then(() => {
  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });
  win.loadURL('http://example.org/');
});
`;

describe('Electronegativity (lint:electron)', () => {
  let app: EnegResult;
  let control: string;

  beforeAll(async () => {
    const before = egressAttempts.length;
    app = await runElectronegativity();
    // The tool's translation download is stubbed out: scanning opens no socket.
    expect(egressAttempts.length).toBe(before);
    control = await mkdtemp(path.join(os.tmpdir(), 'cairn-eneg-control-'));
  });
  afterAll(async () => {
    await rm(control, { recursive: true, force: true });
  });

  it('scans the Electron main process, the preload and the renderer', () => {
    expect(app.checks).toBeGreaterThan(30);
    for (const f of ['main/electron/main.ts', 'main/electron/window-options.ts', 'main/electron/preload.cts', 'renderer/index.html', 'renderer/src/main.tsx']) expect(app.files).toContain(f);
  });

  it('has no unsuppressed high or medium finding and no unparsed file', () => {
    expect(blockingFindings(app).map((f) => `${f.severity} ${f.id} ${f.file}:${f.line}`)).toEqual([]);
    expect(app.parseErrors).toEqual([]);
  });

  it('flags a window that drops the hardening (control)', async () => {
    await mkdir(path.join(control, 'app'), { recursive: true });
    await writeFile(path.join(control, 'app', 'main.ts'), INSECURE);
    const r = await runElectronegativity({ root: control, inputs: [{ from: 'app' }] });
    const ids = new Set(blockingFindings(r).map((f) => f.id));
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK']) expect(ids).toContain(id);
    expect(r.findings.every((f) => f.file === 'app/main.ts' || f.file === 'N/A')).toBe(true);
  });
});
