/**
 * Electron main process: lifecycle wiring only. Every rule lives in a small
 * module with its own tests (window-options, csp, request-filter, navigation,
 * permissions, ipc, single-instance, menu). No auto-update, no crash
 * reporter, no network: the renderer loads the bundled build from disk and
 * talks to Cairn over IPC.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, session, type Session } from 'electron';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Cairn, SHUTDOWN_IDLE_MS } from '../api/cairn.js';
import { resolveDataDir } from '../api/data-dir.js';
import { OP_NAMES } from '../api/ops.js';
import { findPackageRoot, rendererDirOf } from './app-paths.js';
import { rendererCsp } from './csp.js';
import { registerIpcHandlers } from './ipc.js';
import { registerDropHandler } from './drop-ingest.js';
import { menuTemplate } from './menu.js';
import { guardNavigation, isAppUrl } from './navigation.js';
import { makeRequestPolicy } from './request-filter.js';
import { hardenSession } from './session-hardening.js';
import { claimSingleInstance } from './single-instance.js';
import { createWindow } from './window-options.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const packaged = app.isPackaged;
const log = (message: string): void => console.warn(`[cairn] ${message}`);
const logError = (error: unknown, where: string): void => console.error(`[cairn] internal error in ${where}:`, error);

const rendererDir = rendererDirOf(findPackageRoot(here) ?? app.getAppPath());
/** Development only: a loopback renderer dev server, e.g. CAIRN_RENDERER_URL=http://127.0.0.1:5173 */
const devServerOrigin = packaged ? undefined : process.env.CAIRN_RENDERER_URL || undefined;
const appUrl = devServerOrigin ? new URL('/', devServerOrigin).href : pathToFileURL(path.join(rendererDir, 'index.html')).href;
const policy = makeRequestPolicy({ rendererDir, dev: !packaged, devServerOrigin });
const csp = rendererCsp({ devServerOrigin });

let win: BrowserWindow | null = null;
/** Kept for the audit checkpoint signed at quit. */
let openCairn: Cairn | null = null;
let signedAtQuit = false;

const harden = (ses: Session): void => hardenSession(ses, { policy, csp, log });

async function start(): Promise<void> {
  harden(session.defaultSession);
  Menu.setApplicationMenu(Menu.buildFromTemplate(menuTemplate({ isMac: process.platform === 'darwin', devTools: !packaged })));
  if (!devServerOrigin && !existsSync(path.join(rendererDir, 'index.html'))) {
    dialog.showErrorBox('Cairn', `The user interface has not been built (${rendererDir} is missing).`);
    app.quit();
    return;
  }
  const dataDir = resolveDataDir();
  // The window gets ingest back once sources are searchable; the corpus model retrains behind it.
  const cairn = await Cairn.open(dataDir, { trainInBackground: true });
  openCairn = cairn;
  registerIpcHandlers(ipcMain, cairn, { isTrustedUrl: (url) => isAppUrl(url, appUrl), logError });
  registerDropHandler(ipcMain, cairn, { isTrustedUrl: (url) => isAppUrl(url, appUrl), logError, dataDir });
  win = createWindow(BrowserWindow, { preloadPath: path.join(here, 'preload.cjs'), packaged, opNames: OP_NAMES });
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => {
    win = null;
  });
  await win.loadURL(appUrl);
}

app.enableSandbox();
if (claimSingleInstance(app, () => win)) {
  app.on('session-created', harden);
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, appUrl, (what, url) => log(`blocked ${what} ${url.slice(0, 200)}`)));
  app.on('window-all-closed', () => app.quit());
  // Sign the audit log's head before exiting, so this session's records are covered by a checkpoint;
  // first give background upkeep and training a few seconds to finish (a cut-off run loses nothing written).
  app.on('will-quit', (event) => {
    const cairn = openCairn;
    if (signedAtQuit || !cairn) return;
    event.preventDefault();
    signedAtQuit = true;
    void cairn
      .idle({ maxWaitMs: SHUTDOWN_IDLE_MS })
      .then(() => cairn.auditCheckpoint({ reason: 'shutdown' }))
      .catch((e: unknown) => logError(e, 'audit checkpoint at quit'))
      .finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((e: unknown) => {
      logError(e, 'startup');
      app.exit(2);
    });
}
