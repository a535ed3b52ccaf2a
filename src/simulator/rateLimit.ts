/** The gateway's own limit: at most `limit` accepted calls per endpoint in any second. */
export class RateLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** True when the call is within the limit (and then counts toward it). */
  admit(endpoint: string, now: number): boolean {
    const times = (this.accepted.get(endpoint) ?? []).filter((t) => now - t < this.windowMs);
    const ok = times.length < this.limit;
    if (ok) times.push(now);
    this.accepted.set(endpoint, times);
    return ok;
  }
}
