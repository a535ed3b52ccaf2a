/**
 * Resolve hook: the bare specifier `electron` is the double's shim.
 * Load hook: the app's entry module (the process's main script) ends by telling the double its
 * code has loaded, as Electron's lib/browser/init.ts calls process.appCodeLoaded() once the ESM
 * entry has been imported, its top-level awaits included; Electron emits `ready` only after that.
 * Everything else is untouched.
 */
const SHIM = new URL('./electronShim.mjs', import.meta.url).href;
let entry;

export function initialize(data) {
  entry = data?.entry;
}

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: SHIM, shortCircuit: true };
  return next(specifier, context);
}

export async function load(url, context, next) {
  const result = await next(url, context);
  if (url !== entry || result.format !== 'module') return result;
  const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
  return { ...result, source: `${source}\n;globalThis[Symbol.for('tradebell.appCodeLoaded')]?.();\n` };
}
