/**
 * Every permission request (camera, microphone, geolocation, notifications,
 * clipboard read, HID, serial, USB, openExternal, ...) and every permission
 * check is denied. The app needs none of them.
 */

export interface PermissionSession {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details: unknown) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string, requestingOrigin: string, details: unknown) => boolean) | null): void;
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void;
}

export function denyAllPermissions(ses: PermissionSession, onDenied: (permission: string) => void = () => undefined): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    onDenied(permission);
    callback(false);
  });
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}
