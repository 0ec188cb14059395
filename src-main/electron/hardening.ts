import { app, session } from 'electron';
import { isAllowedPermission, isAppUrl } from './trust';

/**
 * Applies Electron's checklist to every web contents, present and future: no navigation away
 * from the app, no new windows, no <webview>, and every permission request (camera, geolocation,
 * notifications from the page…) denied but the clipboard write the log view's Copy button needs.
 */
export function hardenContents(): void {
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback) =>
    callback(isAllowedPermission(permission, contents.getURL())),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isAllowedPermission(permission, requestingOrigin));

  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-redirect', (event) => {
      if (!isAppUrl(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}
