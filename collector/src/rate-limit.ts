// Token buckets keyed by client IP or consent id: a burst is allowed, a sustained flood gets 429 + Retry-After.
// In memory, per instance: behind N instances a client gets at most N times the rate (documented in the README).

/** A limiter's answer: go ahead, or wait this many seconds. */
export type Admission = { allowed: true } | { allowed: false; retryAfter: number }

/** A set of buckets: `rate` tokens per second, at most `burst` saved up. */
export interface RateLimiter {
  /** @param now a monotonic time in ms (default `performance.now()`: wall-clock jumps must not refill or drain buckets) */
  take(key: string, now?: number): Admission
  /** Buckets currently tracked (full ones are forgotten). */
  readonly size: number
}

const SWEEP_EVERY = 10_000

/**
 * Creates token buckets refilled at `rate` per second up to `burst`.
 * @example
 * const perIp = createRateLimiter({ rate: 20, burst: 100 })
 * const a = perIp.take(req.socket.remoteAddress)
 * if (!a.allowed) res.writeHead(429, { 'Retry-After': String(a.retryAfter) })
 */
export function createRateLimiter({ rate, burst }: { rate: number; burst: number }): RateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>()
  let takes = 0
  const refill = (b: { tokens: number; at: number }, now: number) => {
    b.tokens = Math.min(burst, b.tokens + (Math.max(0, now - b.at) / 1000) * rate)
    b.at = Math.max(b.at, now)
  }
  return {
    take(key, now = performance.now()) {
      // A bucket that would be full again carries no information: drop it so the map cannot grow without bound.
      if (++takes % SWEEP_EVERY === 0) {
        for (const [k, b] of buckets) if (b.tokens + ((now - b.at) / 1000) * rate >= burst) buckets.delete(k)
      }
      let b = buckets.get(key)
      if (!b) buckets.set(key, b = { tokens: burst, at: now })
      refill(b, now)
      if (b.tokens >= 1) {
        b.tokens -= 1
        return { allowed: true }
      }
      return { allowed: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / rate)) }
    },
    get size() {
      return buckets.size
    },
  }
}
