import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../../main/api/ops.js';
import { opsArgument, OPS_ARG_PREFIX, windowOptions } from '../../main/electron/window-options.js';

describe('BrowserWindow options', () => {
  const prod = windowOptions({ preloadPath: '/app/dist/main/electron/preload.cjs', packaged: true, opNames: OP_NAMES });
  const dev = windowOptions({ preloadPath: '/app/dist/main/electron/preload.cjs', packaged: false, opNames: OP_NAMES });

  it('isolates and sandboxes the renderer, with no Node anywhere', () => {
    for (const o of [prod, dev]) {
      expect(o.webPreferences).toMatchObject({
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
        disableBlinkFeatures: 'Auxclick',
      });
      expect(o.webPreferences?.preload).toBe('/app/dist/main/electron/preload.cjs');
      expect(o.webPreferences).not.toHaveProperty('enableBlinkFeatures');
    }
  });

  it('has DevTools only when not packaged', () => {
    expect(prod.webPreferences?.devTools).toBe(false);
    expect(dev.webPreferences?.devTools).toBe(true);
  });

  it('is readable at 1280x800', () => {
    expect(prod).toMatchObject({ width: 1280, height: 800 });
    expect(prod.minWidth).toBeLessThanOrEqual(1280);
    expect(prod.minHeight).toBeLessThanOrEqual(800);
  });

  it('passes the registry operation names to the preload, and only names', () => {
    expect(prod.webPreferences?.additionalArguments).toEqual([`${OPS_ARG_PREFIX}${OP_NAMES.join(',')}`]);
    expect(() => opsArgument(['search', 'x,y'])).toThrow();
    expect(() => opsArgument(['search', '--inspect'])).toThrow();
    expect(() => opsArgument(['__proto__'])).toThrow();
  });
});
