import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';
import words from './eslint/words.js';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'release/', 'coverage/', 'node_modules/', 'test/fixtures/', '.bench-baseline/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    plugins: { tradebell: { rules: { layers, words } } },
    rules: {
      'tradebell/layers': 'error',
      'tradebell/words': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      eqeqeq: ['error', 'always'],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'test/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Advice for the React Compiler, which this app does not run; TanStack Virtual is the one hit.
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    // Faces and tools that talk on stdout.
    files: ['src/main/cli.ts', 'src/simulator/cli.ts', 'src/simulator/main.ts', 'bench/**', 'scripts/**', 'test/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests write lossy 19-digit numbers on purpose, to show they are refused.
      'no-loss-of-precision': 'off',
      // Tests read untyped JSON answers and hand-made fakes.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
