/**
 * Words live in one place: a string in src/ that holds Chinese text belongs in the catalogue
 * (src/shared/i18n), where every language has it. Elsewhere it is an error, so no face grows its
 * own words again. Comments may quote the words they explain; the demo gateway (src/simulator)
 * speaks as the real gateway does, and data that is Chinese in any language (a demo shop's name, a
 * default memo written to Taobao) says so beside an eslint-disable comment or in src/shared/demo.ts.
 */
import { relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const EXEMPT = ['src/shared/i18n/', 'src/simulator/', 'src/shared/demo.ts'];

function checked(file) {
  const rel = relative(ROOT, file).split('\\').join('/');
  return rel.startsWith('src/') && !EXEMPT.some((e) => rel.startsWith(e));
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Chinese words live in the catalogue, src/shared/i18n (see eslint/words.js).' },
    schema: [],
    messages: {
      words: 'Words shown to the user go in the catalogue (src/shared/i18n), with every language: {{text}}',
    },
  },
  create(context) {
    if (!checked(context.filename)) return {};
    const report = (node, text) => {
      if (HAN.test(text)) context.report({ node, messageId: 'words', data: { text: text.slice(0, 40) } });
    };
    return {
      Literal: (node) => typeof node.value === 'string' && report(node, node.value),
      TemplateElement: (node) => report(node, node.value.cooked ?? node.value.raw),
      JSXText: (node) => report(node, node.value),
    };
  },
};
