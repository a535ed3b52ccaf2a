/**
 * `node --import ./register.mjs out/main/index.js`: makes `electron` resolve to the double, for
 * the bundle's ESM imports (a module.register() resolve hook) and for CommonJS requires inside
 * node_modules (electron-log, electron-updater: Node 20 has no synchronous require hook, so
 * Module._load answers 'electron' with the same object). The bundle itself is not touched.
 */
import Module, { register } from 'node:module';
import { tsImport } from 'tsx/esm/api';

const double = await tsImport('./electron.ts', import.meta.url);
globalThis[Symbol.for('tradebell.electronDouble')] = double.electron;

register('./hooks.mjs', import.meta.url);

const load = Module._load;
Module._load = function loadWithDouble(request, parent, isMain) {
  if (request === 'electron') return double.electron;
  return load.call(this, request, parent, isMain);
};
