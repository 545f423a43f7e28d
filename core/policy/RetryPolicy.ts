/**
 * The named retry policy for remote calls — one Schedule (`retrySchedule`), used by every HTTP call, by database
 * drivers (`retryWhen`) and by the exactly-once write (writeOnce.ts). Retries what a later attempt can fix — rate
 * limits, timeouts, 5xx, dropped connections — and never what it cannot (400/401/403/404, decode errors). A positive `Retry-After`
 * wins over the computed backoff; `0` or absent falls back to it (Zephyr has sent `Retry-After: 0` on every 429).
 *
 * A 429 is not a failure but "not now": it spends a budget of its own, `THROTTLE_FACTOR` times `maxAttempts`,
 * and leaves the failures' budget (and their growing backoff) alone — so a gateway's storm of 429s longer than
 * `maxAttempts` is waited out, while a server that keeps failing still stops the call after `maxAttempts`.
 */
import { Duration, Effect, Random, Schedule, ScheduleDecision, ScheduleInterval } from "effect"
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

/** Failures and 429s met so far, and the last error: what the retry schedule decides on. */
interface Spent<E> {
  readonly failed: number
  readonly throttled: number
  readonly last: E | undefined
}

/**
 * The retry policy as one Schedule over a call's errors: go on while the error is `retryable` and its budget is not
 * spent — `maxAttempts` attempts for failures, `THROTTLE_FACTOR` times more for 429s (a 429 is "not now": a storm
 * longer than maxAttempts is waited out, a failing server still stops the call) — waiting a positive Retry-After,
 * else the backoff. The wait is a `retry.wait` span of its own (retryWait), so a trace, or a test's clock, tells a
 * backoff from any other sleep.
 */
export const retrySchedule = <E>(
  retryable: (error: E) => boolean,
  options: RetryOptions,
  observer?: { readonly onRetry: (error: E, attempt: number, delayMs: number) => Effect.Effect<void> }
): Schedule.Schedule<Spent<E>, E> => {
  const spentOn = (s: Spent<E>) => (isThrottle(s.last) ? s.throttled : s.failed)
  const budgetOf = (s: Spent<E>) => (isThrottle(s.last) ? options.maxAttempts * THROTTLE_FACTOR : options.maxAttempts)
  const counted = Schedule.makeWithState<Spent<E>, E, Spent<E>>({ failed: 0, throttled: 0, last: undefined }, (now, error, before) => {
    const s: Spent<E> = isThrottle(error) ? { ...before, throttled: before.throttled + 1, last: error } : { ...before, failed: before.failed + 1, last: error }
    const go = retryable(error) && spentOn(s) < budgetOf(s)
    return Effect.succeed([s, s, go ? ScheduleDecision.continueWith(ScheduleInterval.after(now)) : ScheduleDecision.done] as const)
  })
  // the wait happens here, in its span; the schedule's own delay is then none
  return Schedule.modifyDelayEffect(counted, (s) =>
    Effect.flatMap(Random.next, (random) => {
      const n = s.failed + s.throttled
      const delay = retryDelayMs(options, s.last as RetryableError, spentOn(s), random)
      return (observer ? observer.onRetry(s.last as E, n, delay) : Effect.void).pipe(Effect.zipRight(retryWait(delay, n)), Effect.as(Duration.zero))
    })
  )
}

const retrying =
  <E>(retryable: (error: E) => boolean) =>
  (options: RetryOptions, observer?: { readonly onRetry: (error: E, attempt: number, delayMs: number) => Effect.Effect<void> }) =>
  <A, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.retry(effect, retrySchedule(retryable, options, observer))

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
