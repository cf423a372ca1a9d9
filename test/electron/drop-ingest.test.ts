/**
 * Files dropped on the Library in the desktop shell, without the Electron
 * binary: the preload (compiled and run as Electron's sandbox runs it, with
 * webUtils.getPathForFile faked) turns dropped Files into paths, the main
 * side checks them (real files, folders, a FIFO, symlinks and the data
 * folder on disk) and ingests the rest into a real Cairn through the
 * ordinary ingest operation, streaming progress back.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cairn } from '../../main/api/cairn.js';
import type { IngestOutput, StreamEvent } from '../../main/api/contract.js';
import { isCairnError } from '../../main/core/errors.js';
import { DROP_CHANNEL, registerDropHandler } from '../../main/electron/drop-ingest.js';
import { checkDroppedPaths, MAX_DROPPED_PATHS } from '../../main/electron/dropped-paths.js';
import { isAppUrl } from '../../main/electron/navigation.js';
import { compilePreload, makeBus, PRELOAD_PATH, runPreload } from './ipc-harness.js';
import { readFileSync } from 'node:fs';

const APP = 'file:///opt/Cairn/renderer/dist/index.html';
const argv = ['/opt/Cairn/cairn', '--type=renderer', '--cairn-ops=ingest'];

/** A stand-in for a DOM File: the fake webUtils knows its path, as Electron knows a dropped file's. */
class FakeFile {
  constructor(
    readonly name: string,
    readonly diskPath: string,
  ) {}
}
const webUtils = { getPathForFile: (f: unknown): string => (f instanceof FakeFile ? f.diskPath : '') };

type Drop = { ingestFiles(files: unknown[], options: { marking?: string }, onEvent?: (e: StreamEvent) => void): Promise<{ ok: boolean; value?: IngestOutput; error?: { code: string; message: string } }> };

function hasMkfifo(): boolean {
  try {
    execFileSync('mkfifo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('drag-and-drop ingest in the desktop shell (preload + main, no Electron binary)', () => {
  let tmp: string;
  let data: string;
  let files: string;
  let cairn: Cairn;
  let fifo: string | undefined;

  beforeAll(async () => {
    tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'cairn-drop-')));
    data = path.join(tmp, 'data');
    files = path.join(tmp, 'files');
    await mkdir(path.join(files, 'folder'), { recursive: true });
    await writeFile(path.join(files, 'report.txt'), 'The trawler Sea Wren unloaded forty sealed crates at the east quay.');
    await writeFile(path.join(files, 'folder', 'note.md'), '# Note\n\nThe patrol boat Kestrel left the harbour at dawn.');
    await symlink(path.join(files, 'report.txt'), path.join(files, 'link-to-report.txt'));
    cairn = await Cairn.open(data, { actor: 'drop-test' });
    await writeFile(path.join(data, 'inside-data.txt'), 'not a source');
    await symlink(path.join(data, 'inside-data.txt'), path.join(files, 'sneaky-link.txt'));
    if (hasMkfifo()) {
      fifo = path.join(files, 'pipe');
      execFileSync('mkfifo', [fifo]);
    }
  }, 60_000);

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('keeps regular files and folders (real paths, each once) and refuses everything else with a reason', async () => {
    const r = await checkDroppedPaths(
      [
        path.join(files, 'report.txt'),
        path.join(files, 'folder'),
        path.join(files, 'link-to-report.txt'),
        '',
        'relative/report.txt',
        `${files}/bad\0name`,
        path.join(files, 'missing.txt'),
        data,
        path.join(data, 'inside-data.txt'),
        path.join(files, 'sneaky-link.txt'),
        ...(fifo ? [fifo] : []),
      ],
      data,
    );
    expect(r.paths).toEqual([path.join(files, 'report.txt'), path.join(files, 'folder')]);
    const why = Object.fromEntries(r.refused.map((x) => [x.file, x.code]));
    expect(why).toEqual({
      '': 'NOT_A_FILE',
      'relative/report.txt': 'BAD_INPUT',
      [`${files}/bad\\0name`]: 'BAD_INPUT',
      [path.join(files, 'missing.txt')]: 'NOT_FOUND',
      [data]: 'FORBIDDEN',
      [path.join(data, 'inside-data.txt')]: 'FORBIDDEN',
      [path.join(files, 'sneaky-link.txt')]: 'FORBIDDEN',
      ...(fifo ? { [fifo]: 'NOT_A_FILE' } : {}),
    });
    if (!fifo) console.warn('drop-ingest.test.ts: mkfifo is absent; the FIFO case was not tried');
  });

  it('refuses a malformed or oversized list outright', async () => {
    for (const raw of [undefined, 'a/path', [], [1, 2], Array.from({ length: MAX_DROPPED_PATHS + 1 }, () => '/x')]) {
      const e = await checkDroppedPaths(raw, data).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(isCairnError(e) && e.code, JSON.stringify(raw)?.slice(0, 40)).toBe('BAD_INPUT');
    }
  });

  it('the preload sends only paths from getPathForFile on the drop channel, and the main side ingests them with progress', async () => {
    const code = compilePreload();
    // The channel name in the preload matches the main side.
    expect(readFileSync(PRELOAD_PATH, 'utf8')).toContain(`'${DROP_CHANNEL}'`);
    const bus = makeBus(APP);
    registerDropHandler(bus.ipcMain, cairn, { isTrustedUrl: (u) => isAppUrl(u, APP), dataDir: data });
    const drop = runPreload(code, argv, bus.ipcRenderer, webUtils).exposed.get('cairnDrop') as Drop;
    expect(Object.isFrozen(drop)).toBe(true);
    expect(Object.keys(drop)).toEqual(['ingestFiles']);

    const events: StreamEvent[] = [];
    const dropped = [new FakeFile('report.txt', path.join(files, 'report.txt')), new FakeFile('folder', path.join(files, 'folder')), new FakeFile('inside-data.txt', path.join(data, 'inside-data.txt')), { name: 'from a web page' }];
    const r = await drop.ingestFiles(dropped, { marking: 'SECRET' }, (e) => events.push(e));
    expect(bus.ipcRenderer.invoked).toEqual([DROP_CHANNEL]);
    expect(r.ok).toBe(true);
    const summary = r.value!;
    expect(summary.ingested).toBe(2);
    expect(summary.failed).toBe(2);
    expect(summary.files.filter((f) => f.status === 'failed').map((f) => [f.file, f.error?.code])).toEqual([
      [path.join(data, 'inside-data.txt'), 'FORBIDDEN'],
      ['', 'NOT_A_FILE'],
    ]);
    expect(events.filter((e) => e.event === 'progress')).toHaveLength(2);
    expect(bus.ipcRenderer.listenerCount('cairn:event')).toBe(0);
    const sources = await cairn.sources();
    expect(sources.map((s) => s.title).sort()).toEqual(['Note', 'report.txt'].sort());
    expect(sources.every((s) => s.marking === 'SECRET')).toBe(true);
    // Ingested through the ordinary operation: audited like any ingest.
    expect((await cairn.auditRecords()).filter((a) => a.action === 'ingest')).toHaveLength(2);
  });

  it('refuses a drop from a frame that is not the app page, and a drop with nothing ingestible ingests nothing', async () => {
    const bus = makeBus('https://evil.example/');
    registerDropHandler(bus.ipcMain, cairn, { isTrustedUrl: (u) => isAppUrl(u, APP), dataDir: data });
    const drop = runPreload(compilePreload(), argv, bus.ipcRenderer, webUtils).exposed.get('cairnDrop') as Drop;
    expect(await drop.ingestFiles([new FakeFile('report.txt', path.join(files, 'report.txt'))], {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const ok = makeBus(APP);
    registerDropHandler(ok.ipcMain, cairn, { isTrustedUrl: (u) => isAppUrl(u, APP), dataDir: data });
    const drop2 = runPreload(compilePreload(), argv, ok.ipcRenderer, webUtils).exposed.get('cairnDrop') as Drop;
    const before = (await cairn.auditRecords()).length;
    const r = await drop2.ingestFiles([{ name: 'text' }, 'not a file'], {});
    expect(r).toMatchObject({ ok: true, value: { ingested: 0, exists: 0, failed: 2 } });
    expect((await cairn.auditRecords()).length).toBe(before);
    expect(await drop2.ingestFiles([], {})).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });
});
