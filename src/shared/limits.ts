/** Limits that more than one process checks (the window, the core, the local gateway), each set once. */

/** The gateway accepts 10..200 messages per consume call. */
export const MIN_QUANTITY = 10;
export const MAX_QUANTITY = 200;

/** A custom ceiling below 1 s would be realtime's cost without its reason; above an hour a
 * "listening" app no longer listens. */
export const MIN_CUSTOM_CEILING_MS = 1_000;
export const MAX_CUSTOM_CEILING_MS = 3_600_000;

/** Rows in the inbox's first page: a few screens. The fewer rows travel, the sooner the list shows
 * (B4 in docs/benchmarks.md); the window asks for more as it scrolls near the end. */
export const FIRST_PAGE = 60;
