/**
 * How the bridge's answers cross the Playwright binding: as JSON text. Playwright's own
 * serializer, which also carries dates, cycles and the like, is parsed by script in the page, and
 * for a page of 60 rows that cost the page's main thread about 20 ms per window load in a trace;
 * Electron's IPC answers with a structured clone, which costs the renderer well under one. Every
 * answer of the API is plain JSON data (ids are strings), so nothing is lost.
 */

/** In the test process: the handler's answer as text (undefined stays undefined). */
export function encodeAnswer(answer: unknown): string | undefined {
  return answer === undefined ? undefined : JSON.stringify(answer);
}

/** In the page: the answer back from its text. */
export function decodeAnswer(raw: unknown): unknown {
  return typeof raw === 'string' ? JSON.parse(raw) : raw;
}
