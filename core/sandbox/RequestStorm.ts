/**
 * A 429 storm for sandboxes, scheduled by request count rather than by the wall clock, so a scenario throttles
 * the same requests whatever the machine's speed (and a client sleeping a `Retry-After: 30` on virtual time sees
 * the same answers as one sleeping for real). Requests are numbered from 1 as the sandbox receives them; with
 * `after: 40, length: 6, every: 100` requests 41–46, 141–146, … are refused.
 */
export interface StormOptions {
  /** Requests answered normally before the first storm. */
  readonly after: number
  /** Consecutive requests refused with 429 in each storm (at least 1). */
  readonly length: number
  /** A storm starts every `every` requests, counted from the first storm's start; absent: a single storm. */
  readonly every?: number | undefined
  /** The `Retry-After` the 429s carry, in whole seconds (0 allowed); absent: no `Retry-After` header. */
  readonly retryAfterSeconds?: number | undefined
}

export interface StormDecision {
  /** Whether this request is refused. */
  readonly throttled: boolean
  /** Requests left before the next storm refuses one (0 on a refused request and on the last one allowed). */
  readonly remaining: number
  /** Requests allowed between two storms (the quota a gateway would announce as its limit). */
  readonly quota: number
}

export const checkStormOptions = (o: StormOptions | undefined): string | undefined => {
  if (o === undefined) return undefined
  if (!Number.isInteger(o.after) || o.after < 0) return `storm.after must be an integer >= 0, got ${o.after}`
  if (!Number.isInteger(o.length) || o.length < 1) return `storm.length must be an integer >= 1, got ${o.length}`
  if (o.every !== undefined && !(Number.isInteger(o.every) && o.every > o.length)) return `storm.every must be an integer above storm.length, got ${o.every}`
  if (o.retryAfterSeconds !== undefined && !(Number.isInteger(o.retryAfterSeconds) && o.retryAfterSeconds >= 0))
    return `storm.retryAfterSeconds must be a whole number of seconds >= 0, got ${o.retryAfterSeconds}`
  return undefined
}

/** The storm's verdict for each request in turn; `count` is how many requests it has judged. */
export const makeRequestStorm = (o: StormOptions) => {
  let n = 0
  const quota = o.every === undefined ? o.after : o.every - o.length
  const next = (): StormDecision => {
    n++
    if (n <= o.after) return { throttled: false, remaining: o.after - n, quota }
    const offset = n - o.after - 1
    const cycle = o.every === undefined ? offset : offset % o.every
    if (cycle < o.length) return { throttled: true, remaining: 0, quota }
    // after a single storm nothing is refused again: an unbounded quota
    return { throttled: false, remaining: o.every === undefined ? Number.MAX_SAFE_INTEGER : o.every - 1 - cycle, quota }
  }
  return { next, count: () => n }
}

export type RequestStorm = ReturnType<typeof makeRequestStorm>
