// Component tests run under happy-dom (per-file `// @vitest-environment happy-dom`); jest-dom matchers need a DOM.
if (typeof document !== 'undefined') {
  await import('@testing-library/jest-dom/vitest');
}
