/**
 * The layering as a lint error (after Signal Desktop's .eslint/rules/file-suffix.js): each folder
 * of src/ may import only from the layers below it.
 *
 *   src/shared      → nothing of ours but itself; no node:*, no electron (every process loads it)
 *   src/main/core   → shared; never electron, the faces, or the demo gateway (it comes in as a factory)
 *   src/simulator   → shared and core's pure helpers; never electron or the faces
 *   src/main/electron, src/main/cli.ts → anything in main, shared, simulator
 *   src/preload     → electron and shared only
 *   src/renderer    → shared only; no electron, no node:*
 *
 * Relative imports are resolved against the importing file, so the rule holds at any depth.
 */
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BUILTINS = new Set(builtinModules);

/** The layer a repository path belongs to, or undefined outside src/. */
function layerOf(path) {
  // A trailing slash, so a folder import ('../simulator') counts as inside that folder.
  const rel = relative(ROOT, path).split('\\').join('/') + '/';
  if (rel.startsWith('src/shared/')) return 'shared';
  if (rel.startsWith('src/main/core/')) return 'core';
  if (rel.startsWith('src/main/electron/')) return 'electron';
  if (rel === 'src/main/cli.ts/' || rel === 'src/main/cli/') return 'cli';
  if (rel.startsWith('src/main/')) return 'main';
  if (rel.startsWith('src/simulator/')) return 'simulator';
  if (rel.startsWith('src/preload/')) return 'preload';
  if (rel.startsWith('src/renderer/')) return 'renderer';
  return undefined;
}

/** Per importing layer: the layers of ours it may import, and whether electron / node built-ins are allowed. */
const RULES = {
  shared: { layers: ['shared'], electron: false, node: false },
  core: { layers: ['shared', 'core'], electron: false, node: true },
  simulator: { layers: ['shared', 'core', 'simulator'], electron: false, node: true },
  electron: { layers: ['shared', 'core', 'simulator', 'electron', 'main'], electron: true, node: true },
  cli: { layers: ['shared', 'core', 'simulator', 'main'], electron: false, node: true },
  main: { layers: ['shared', 'core', 'simulator', 'main'], electron: false, node: true },
  preload: { layers: ['shared', 'preload'], electron: true, node: false },
  renderer: { layers: ['shared', 'renderer'], electron: false, node: false },
};

const isNodeBuiltin = (spec) => spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]);
const isElectron = (spec) => spec === 'electron' || spec.startsWith('electron/');

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer of src/ imports only the layers below it (see eslint/layers.js).' },
    schema: [],
    messages: {
      layer: "{{from}} may not import {{to}} ('{{spec}}'): {{why}}",
    },
  },
  create(context) {
    const file = context.filename;
    const from = layerOf(file);
    if (!from) return {};
    const rule = RULES[from];
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let to;
      let why;
      if (spec.startsWith('.')) {
        to = layerOf(resolve(dirname(file), spec));
        if (to === undefined || rule.layers.includes(to)) return;
        why = `${from} imports only ${rule.layers.join(', ')}`;
      } else if (isElectron(spec)) {
        if (rule.electron) return;
        // A type from electron costs nothing at run time; core and shared stay free even of those.
        to = 'electron';
        why = 'Electron objects come in through constructors (ports), never by import';
      } else if (isNodeBuiltin(spec)) {
        if (rule.node) return;
        to = 'node built-ins';
        why = `${from} runs where Node is not available`;
      } else {
        return;
      }
      context.report({ node, messageId: 'layer', data: { from, to, spec, why } });
    };
    const fromSource = (node) => node.source && check(node, node.source.value);
    return {
      ImportDeclaration: fromSource,
      ExportNamedDeclaration: fromSource,
      ExportAllDeclaration: fromSource,
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      CallExpression: (node) => {
        const callee = node.callee;
        const isRequire = callee.type === 'Identifier' && callee.name === 'require';
        const isMock = callee.type === 'MemberExpression' && callee.property.name === 'mock';
        if ((isRequire || isMock) && node.arguments[0]?.type === 'Literal')
          check(node.arguments[0], node.arguments[0].value);
      },
    };
  },
};
