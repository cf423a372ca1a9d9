import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The one BrowserWindow configuration: an isolated, sandboxed renderer with
 * no Node, no webviews, no insecure content, DevTools only in development.
 * The preload learns the operation names through `additionalArguments` (the
 * sandboxed preload cannot import the registry), see preload.cts.
 */

export const OPS_ARG_PREFIX = '--cairn-ops=';
const OP_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/** `--cairn-ops=ingest,search,...`; refuses a name that is not a plain identifier. */
export function opsArgument(names: readonly string[]): string {
  for (const n of names) if (!OP_NAME.test(n)) throw new Error(`not an operation name: ${JSON.stringify(n)}`);
  return `${OPS_ARG_PREFIX}${names.join(',')}`;
}

export interface WindowOptionsInput {
  /** Absolute path of the compiled preload (preload.cjs). */
  preloadPath: string;
  /** app.isPackaged: production builds get no DevTools. */
  packaged: boolean;
  /** The registry's operation names (OP_NAMES). */
  opNames: readonly string[];
}

/**
 * Builds the window. The options literal sits right at `new BrowserWindow`
 * so that Electronegativity's static checks (`npm run lint:electron`) read
 * these very values; the constructor is passed in so this module stays
 * testable without Electron (see windowOptions).
 */
export function createWindow<W>(BrowserWindow: new (options: BrowserWindowConstructorOptions) => W, i: WindowOptionsInput): W {
  return new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Cairn',
    webPreferences: {
      // Electronegativity asks for every preload to be reviewed. Reviewed: preload.cts exposes through the
      // context bridge one function per registry operation and the drop-ingest call, nothing else (no
      // ipcRenderer, no channel chosen by the page), and ipc.ts / drop-ingest.ts accept calls only from
      // the app's own top frame.
      preload: i.preloadPath, // eng-disable PRELOAD_JS_CHECK (reviewed, see above)
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      enableWebSQL: false,
      safeDialogs: true,
      // Middle-click (auxclick) can open links in new windows; the window-open handler denies them, this stops the event too.
      disableBlinkFeatures: 'Auxclick',
      devTools: !i.packaged,
      additionalArguments: [opsArgument(i.opNames)],
    },
  });
}

/** The options createWindow passes, without creating a window (for tests and review). */
export function windowOptions(i: WindowOptionsInput): BrowserWindowConstructorOptions {
  let captured: BrowserWindowConstructorOptions | undefined;
  createWindow(
    class {
      constructor(options: BrowserWindowConstructorOptions) {
        captured = options;
      }
    },
    i,
  );
  return captured!;
}
