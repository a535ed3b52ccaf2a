/** What `import ... from 'electron'` gets: the double's objects, put on globalThis by register.mjs. */
const e = globalThis[Symbol.for('tradebell.electronDouble')];
export default e;
export const {
  app,
  autoUpdater,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  net,
  Notification,
  powerMonitor,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  Tray,
  webContents,
} = e;
