/**
 * The sandboxes' two rate limits of `rateLimit` requests per second and their quotas per minute and month
 * (`quotaPerMinute`, `quotaPerMonth`) — not core/policy/RateLimiter.ts, the client's own pacing.
 *
 * `gateway` — an API gateway's limits, as qTest's (docs/vendors/qtest.md §3.1): a throttled call gets 429 with
 * `retry-after` (seconds) and `x-ratelimit-{limit,remaining}-{minute,month}` plus the IETF `ratelimit-limit` /
 * `ratelimit-remaining` / `ratelimit-reset`; the same headers come on every response, so a client can slow
 * down before it is throttled. The quota is counted in fixed windows as a gateway does (a second for whole
 * rates; one call per 1/rate seconds otherwise, so 1.5 is one call per 667 ms), with the minute quota that follows
 * from it unless `quotaPerMinute` sets one, and a month of `quotaPerMonth` (default 1,000,000). Throttled calls do
 * not count against the quota.
 *
 * `token-bucket` — a plain per-second budget that refills continuously (bursts up to one second's worth), as
 * Zephyr's: the 429 carries only `Retry-After`, the whole seconds until a request would pass. Quotas configured
 * on such a sandbox are counted by a gateway limiter without the short window: beyond them a 429 with a positive
 * `Retry-After`, and their `x-ratelimit-*` / `ratelimit-*` headers on every answer.
 */
import type { StormOptions } from "./RequestStorm.ts"

const MONTH_MS = 30 * 24 * 3600 * 1000
/** The month's quota when none is configured: the figure of qTest's documentation example. */
const MONTH_LIMIT = 1_000_000

export interface GatewayDecision {
  readonly allowed: boolean
  /** Whole seconds until the window that refused the call resets (at least 1); 0 when allowed. */
  readonly retryAfter: number
  readonly headers: Readonly<Record<string, string>>
}

export interface GatewayQuotas {
  /** The short window's rate (`rateLimit`): a second for whole rates, 1/rate seconds otherwise. */
  readonly perSecond?: number | undefined
  /** Default: `perSecond` × 60, or no minute window without either. */
  readonly perMinute?: number | undefined
  /** Default 1,000,000. */
  readonly perMonth?: number | undefined
}

interface Counter {
  readonly name: "second" | "short" | "minute" | "month"
  readonly length: number
  readonly limit: number
  start: number
  used: number
}

/**
 * Fixed windows counted as a gateway counts them: each call is allowed when every window has room, and counts in
 * all of them; the IETF `ratelimit-*` headers describe the window with the fewest calls left (the one a client
 * runs into first), `ratelimit-reset` its whole seconds to go (at least 1).
 */
export const makeGatewayLimiter = (quotas: GatewayQuotas | number) => {
  const q: GatewayQuotas = typeof quotas === "number" ? { perSecond: quotas } : quotas
  const counters: Array<Counter> = []
  if (q.perSecond !== undefined) {
    const whole = Number.isInteger(q.perSecond)
    counters.push({ name: whole ? "second" : "short", length: whole ? 1000 : Math.ceil(1000 / q.perSecond), limit: whole ? q.perSecond : 1, start: 0, used: 0 })
  }
  const minuteLimit = q.perMinute ?? (q.perSecond !== undefined ? Math.max(1, Math.floor(q.perSecond * 60)) : undefined)
  if (minuteLimit !== undefined) counters.push({ name: "minute", length: 60_000, limit: minuteLimit, start: 0, used: 0 })
  const month: Counter = { name: "month", length: MONTH_MS, limit: q.perMonth ?? MONTH_LIMIT, start: 0, used: 0 }
  counters.push(month)
  let monthStart: number | undefined
  const roll = (c: Counter, now: number) => {
    // the month counts from the first call (a sandbox's month starts with it); the others are calendar windows
    const start = c === month ? (monthStart ??= now) + Math.floor((now - monthStart) / c.length) * c.length : Math.floor(now / c.length) * c.length
    if (c.start !== start) {
      c.start = start
      c.used = 0
    }
  }
  const left = (c: Counter) => Math.max(0, c.limit - c.used)
  const resetSeconds = (c: Counter, now: number) => Math.max(1, Math.ceil((c.start + c.length - now) / 1000))
  const decide = (now: number = Date.now()): GatewayDecision => {
    for (const c of counters) roll(c, now)
    const blocking = counters.find((c) => c.used >= c.limit)
    if (blocking === undefined) for (const c of counters) c.used++
    const tightest = blocking ?? counters.reduce((a, b) => (left(b) < left(a) ? b : a))
    const headers: Record<string, string> = {}
    for (const c of counters)
      if (c.name !== "short") {
        headers[`x-ratelimit-limit-${c.name}`] = String(c.limit)
        headers[`x-ratelimit-remaining-${c.name}`] = String(left(c))
      }
    headers["ratelimit-limit"] = String(tightest.limit)
    headers["ratelimit-remaining"] = String(left(tightest))
    headers["ratelimit-reset"] = String(resetSeconds(tightest, now))
    if (blocking === undefined) return { allowed: true, retryAfter: 0, headers }
    const retryAfter = resetSeconds(blocking, now)
    return { allowed: false, retryAfter, headers: { ...headers, "retry-after": String(retryAfter) } }
  }
  /** A fresh quota: every window starts anew (the month too), as after the quota's reset. */
  const reset = () => {
    monthStart = undefined
    for (const c of counters) {
      c.start = 0
      c.used = 0
    }
  }
  return Object.assign(decide, { reset })
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
