/** Resolve hook: the bare specifier `electron` is the double's shim; everything else is untouched. */
const SHIM = new URL('./electronShim.mjs', import.meta.url).href;

export async function resolve(specifier, context, next) {
  if (specifier === 'electron') return { url: SHIM, shortCircuit: true };
  return next(specifier, context);
}
