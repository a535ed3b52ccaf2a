/** The gateway's own limit: at most `limit` accepted calls per endpoint in any second. */
import { SlidingWindow } from '../main/core/gateway/rate';

export class RateLimiter {
  private readonly accepted = new Map<string, SlidingWindow>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
  ) {}

  /** True when the call is within the limit (and then counts toward it). */
  admit(endpoint: string, now: number): boolean {
    let window = this.accepted.get(endpoint);
    if (!window) this.accepted.set(endpoint, (window = new SlidingWindow(this.limit, this.windowMs)));
    if (window.nextAt(now) > now) return false;
    window.record(now);
    return true;
  }
}
