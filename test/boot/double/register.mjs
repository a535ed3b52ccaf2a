/**
 * `node --import ./register.mjs out/main/index.js`: makes `electron` resolve to the double, for
 * the bundle's ESM imports (a module.register() resolve hook) and for CommonJS requires inside
 * node_modules (electron-log, electron-updater: Node 20 has no synchronous require hook, so
 * Module._load answers 'electron' with the same object). The bundle itself is not changed on disk;
 * as it loads, one call is added at its end: the double's `ready` waits for it, as Electron's does
 * (hooks.mjs).
 */
import Module, { register } from 'node:module';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const double = await tsImport('./electron.ts', import.meta.url);
globalThis[Symbol.for('tradebell.electronDouble')] = double.electron;

register('./hooks.mjs', import.meta.url, { data: { entry: pathToFileURL(process.argv[1]).href } });

const load = Module._load;
Module._load = function loadWithDouble(request, parent, isMain) {
  if (request === 'electron') return double.electron;
  return load.call(this, request, parent, isMain);
};
