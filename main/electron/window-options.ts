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

export function windowOptions(i: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Cairn',
    webPreferences: {
      preload: i.preloadPath,
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
      devTools: !i.packaged,
      additionalArguments: [opsArgument(i.opNames)],
    },
  };
}
