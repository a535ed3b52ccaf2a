/**
 * Loaded into a child process with `node --import`: moves its wall clock (Date.now) by
 * TRADEBELL_CLOCK_SHIFT_MS, as on a computer whose date is set wrong. Timers and
 * performance.now() are untouched, as they are on such a computer.
 */
const shift = Number(process.env.TRADEBELL_CLOCK_SHIFT_MS ?? 0);
const realNow = Date.now.bind(Date);
Date.now = () => realNow() + shift;
