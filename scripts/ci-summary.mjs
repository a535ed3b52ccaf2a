// Prints the plain closing line CI reads: "N passed, N failed" (", N skipped" when any).
import { readFileSync } from 'node:fs';

const [file, statusArg] = process.argv.slice(2);
const status = Number(statusArg ?? 1);
let passed = 0;
let failed = 0;
let skipped = 0;
try {
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed = r.numPassedTests ?? 0;
  // A suite that fails to load has no failing test of its own: count it.
  failed = r.numFailedTests || r.numFailedTestSuites || 0;
  skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  if (failed === 0 && status !== 0) failed = 1;
} catch {
  // No report: the type check or the builder validation failed before vitest ran.
  failed = 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
