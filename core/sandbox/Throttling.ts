/**
 * The sandboxes' two rate limits of `rateLimit` requests per second (not core/policy/RateLimiter.ts, the
 * client's own pacing).
 *
 * `gateway` — an API gateway's limits, as qTest's (docs/vendors/qtest.md §3.1): a throttled call gets 429 with
 * `retry-after` (seconds) and `x-ratelimit-{limit,remaining}-{minute,month}` plus the IETF `ratelimit-limit` /
 * `ratelimit-remaining` / `ratelimit-reset`; the same headers come on every response, so a client can slow
 * down before it is throttled. The quota is counted in fixed windows as a gateway does (a second for whole
 * rates; one call per 1/rate seconds otherwise, so 1.5 is one call per 667 ms), with the minute and month quotas
 * that follow from it. Throttled calls do not count against the quota.
 *
 * `token-bucket` — a plain per-second budget that refills continuously (bursts up to one second's worth), as
 * Zephyr's: the 429 carries only `Retry-After`, the whole seconds until a request would pass.
 */
import type { StormOptions } from "./RequestStorm.ts"

const MONTH_MS = 30 * 24 * 3600 * 1000
const MONTH_LIMIT = 1_000_000

export interface GatewayDecision {
  readonly allowed: boolean
  /** Whole seconds until the window that refused the call resets (at least 1); 0 when allowed. */
  readonly retryAfter: number
  readonly headers: Readonly<Record<string, string>>
}

export const makeGatewayLimiter = (perSecond: number) => {
  const whole = Number.isInteger(perSecond)
  const windowMs = whole ? 1000 : Math.ceil(1000 / perSecond)
  const windowLimit = whole ? perSecond : 1
  const minuteLimit = Math.max(1, Math.floor(perSecond * 60))
  const counts = { window: { start: 0, used: 0 }, minute: { start: 0, used: 0 }, month: { start: 0, used: 0 } }
  const roll = (c: { start: number; used: number }, length: number, now: number) => {
    const start = Math.floor(now / length) * length
    if (c.start !== start) {
      c.start = start
      c.used = 0
    }
  }
  return (now: number = Date.now()): GatewayDecision => {
    roll(counts.window, windowMs, now)
    roll(counts.minute, 60_000, now)
    roll(counts.month, MONTH_MS, now)
    const blockedBy =
      counts.window.used >= windowLimit
        ? counts.window.start + windowMs
        : counts.minute.used >= minuteLimit
          ? counts.minute.start + 60_000
          : counts.month.used >= MONTH_LIMIT
            ? counts.month.start + MONTH_MS
            : undefined
    if (blockedBy === undefined) {
      counts.window.used++
      counts.minute.used++
      counts.month.used++
    }
    const resetS = Math.max(1, Math.ceil(((blockedBy ?? counts.window.start + windowMs) - now) / 1000))
    const headers: Record<string, string> = {
      "x-ratelimit-limit-minute": String(minuteLimit),
      "x-ratelimit-remaining-minute": String(Math.max(0, minuteLimit - counts.minute.used)),
      "x-ratelimit-limit-month": String(MONTH_LIMIT),
      "x-ratelimit-remaining-month": String(Math.max(0, MONTH_LIMIT - counts.month.used)),
      "ratelimit-limit": String(windowLimit),
      "ratelimit-remaining": String(Math.max(0, windowLimit - counts.window.used)),
      "ratelimit-reset": String(resetS)
    }
    if (windowMs === 1000) {
      headers["x-ratelimit-limit-second"] = String(windowLimit)
      headers["x-ratelimit-remaining-second"] = String(Math.max(0, windowLimit - counts.window.used))
    }
    if (blockedBy === undefined) return { allowed: true, retryAfter: 0, headers }
    return { allowed: false, retryAfter: resetS, headers: { ...headers, "retry-after": String(resetS) } }
  }
}

export type GatewayLimiter = ReturnType<typeof makeGatewayLimiter>

/**
 * The same headers for a 429 storm scheduled by request count (core's RequestStorm): the quota is the requests
 * allowed between two storms, `remaining` what is left of it (0 on the last call before a storm and on every
 * refused one); `retry-after` and `ratelimit-reset` only on refused calls, and only when the storm sets them.
 */
export const stormHeaders = (storm: StormOptions, quota: number, remaining: number, used: number, throttled: boolean): Record<string, string> => {
  const limit = Math.max(1, quota)
  const headers: Record<string, string> = {
    "x-ratelimit-limit-minute": String(limit),
    "x-ratelimit-remaining-minute": String(Math.min(limit, remaining)),
    "x-ratelimit-limit-month": String(MONTH_LIMIT),
    "x-ratelimit-remaining-month": String(Math.max(0, MONTH_LIMIT - used)),
    "ratelimit-limit": String(limit),
    "ratelimit-remaining": String(Math.min(limit, remaining))
  }
  if (throttled && storm.retryAfterSeconds !== undefined) {
    headers["retry-after"] = String(storm.retryAfterSeconds)
    headers["ratelimit-reset"] = String(storm.retryAfterSeconds)
  }
  return headers
}

/**
 * Token bucket: `perSecond` tokens a second, bursts up to one second's worth (at least one request). Each call
 * takes a token, or answers how many milliseconds until one is there (then nothing is taken).
 */
export const makeTokenBucket = (perSecond: number) => {
  const burst = Math.max(1, perSecond)
  let tokens = burst
  let refilledAt = Date.now()
  return (now: number = Date.now()): number => {
    tokens = Math.min(burst, tokens + ((now - refilledAt) * perSecond) / 1000)
    refilledAt = now
    if (tokens >= 1) {
      tokens -= 1
      return 0
    }
    return ((1 - tokens) * 1000) / perSecond
  }
}

export type TokenBucket = ReturnType<typeof makeTokenBucket>
