/**
 * The named retry policy for remote calls. Retries what a later attempt can fix — rate limits, timeouts, 5xx,
 * dropped connections — and never what it cannot (400/401/403/404, decode errors). A positive `Retry-After`
 * wins over the computed backoff; `0` or absent falls back to it (Zephyr has sent `Retry-After: 0` on every 429).
 *
 * A 429 is not a failure but "not now": it spends a budget of its own, `THROTTLE_FACTOR` times `maxAttempts`,
 * and leaves the failures' budget (and their growing backoff) alone — so a gateway's storm of 429s longer than
 * `maxAttempts` is waited out, while a server that keeps failing still stops the call after `maxAttempts`.
 */
import { Effect, Random } from "effect"
import type { ApiError } from "../errors.ts"

export interface RetryOptions {
  readonly maxAttempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

export const defaultRetryOptions: RetryOptions = { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60_000 }

export const isTransient = (error: ApiError): boolean =>
  error.reason === "RateLimited" || error.reason === "Server" || error.reason === "Transport" || error.reason === "Timeout"

/** Exponential backoff with "equal jitter": half fixed, half random, so parallel workers spread out. */
export const backoffMs = (options: RetryOptions, attempt: number, random: number): number => {
  const exp = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (attempt - 1))
  return Math.round(exp / 2 + (exp / 2) * random)
}

/** The delay before retry number `attempt` (1-based) after `error`. */
export const retryDelayMs = (options: RetryOptions, error: { readonly retryAfterSeconds?: number | undefined }, attempt: number, random: number): number =>
  error.retryAfterSeconds !== undefined && error.retryAfterSeconds > 0
    ? error.retryAfterSeconds * 1000
    : backoffMs(options, attempt, random)

/**
 * The wait before a retry: a span of its own (`retry.wait`, with the attempt and the delay), so a trace — or a
 * test's clock — tells a backoff from any other sleep.
 */
export const retryWait = (delayMs: number, attempt: number): Effect.Effect<void> =>
  Effect.sleep(delayMs).pipe(Effect.withSpan("retry.wait", { attributes: { attempt, delayMs } }))

export interface RetryObserver {
  readonly onRetry: (error: ApiError, attempt: number, delayMs: number) => Effect.Effect<void>
}

/**
 * A write that is not idempotent (a POST that creates) may have been applied when the answer is a 5xx, a timeout
 * or a dropped connection; sending it again could create a second object. Only a 429 proves the server did
 * nothing. The other failures go back to the caller, whose exactly-once protocol (intent, look-up, then create)
 * decides.
 */
export const isUnapplied = (error: ApiError): boolean => error.reason === "RateLimited"

/** An error may carry a server's Retry-After: a positive `retryAfterSeconds` wins over the backoff. */
export interface RetryableError {
  readonly retryAfterSeconds?: number | undefined
}

/** How many more 429s than failures a call waits out. */
export const THROTTLE_FACTOR = 4

const isThrottle = (error: unknown): boolean => (error as { readonly reason?: unknown } | null)?.reason === "RateLimited"

const retrying =
  <E>(retryable: (error: E) => boolean) =>
  (options: RetryOptions, observer?: { readonly onRetry: (error: E, attempt: number, delayMs: number) => Effect.Effect<void> }) =>
  <A, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
    /** `failed` and `throttled`: attempts spent on failures and on 429s, each against its own budget. */
    const attempt = (failed: number, throttled: number): Effect.Effect<A, E, R> =>
      Effect.catchAll(effect, (error) => {
        const throttle = isThrottle(error)
        const spent = throttle ? throttled : failed
        const budget = throttle ? options.maxAttempts * THROTTLE_FACTOR : options.maxAttempts
        if (!retryable(error) || spent >= budget) return Effect.fail(error)
        const n = failed + throttled
        return Effect.flatMap(Random.next, (random) => {
          const delay = retryDelayMs(options, error as RetryableError, spent, random)
          return (observer ? observer.onRetry(error, n, delay) : Effect.void).pipe(
            Effect.zipRight(retryWait(delay, n)),
            Effect.zipRight(throttle ? attempt(failed, throttled + 1) : attempt(failed + 1, throttled))
          )
        })
      })
    return attempt(1, 1)
  }

export const Policies = {
  /** Retry transient failures up to `maxAttempts` attempts in all, honouring a positive Retry-After. */
  transient: retrying(isTransient),
  /** For non-idempotent writes: retry only what the server certainly did not apply (429). */
  unappliedOnly: retrying(isUnapplied),
  /**
   * The same backoff for a client that is not HTTP (a database driver): the plugin says which of its errors a
   * later attempt can fix, e.g. a dropped connection; the operation retried must be safe to repeat.
   */
  when: <E>(retryable: (error: E) => boolean) => retrying(retryable)
} as const
