/**
 * Token-bucket rate limit per remote system (`runtime.rateLimits: { zephyr: 10/s }`). A caller that finds the
 * bucket empty reserves the next token (the balance goes negative) and sleeps until it is due, so waiters are
 * served in arrival order without a background refill fiber. Time comes from the Clock, so tests use TestClock.
 */
import { Clock, Effect, Ref } from "effect"

export interface RateLimiter {
  /** Waits until one request may be sent. */
  readonly take: Effect.Effect<void>
  readonly perSecond: number
}

export const unlimited: RateLimiter = { take: Effect.void, perSecond: Number.POSITIVE_INFINITY }

export const makeRateLimiter = (options: { readonly perSecond: number; readonly burst?: number | undefined }): Effect.Effect<RateLimiter> =>
  Effect.gen(function* () {
    const { perSecond } = options
    if (!Number.isFinite(perSecond) || perSecond <= 0) return unlimited
    const burst = Math.max(1, options.burst ?? Math.ceil(perSecond))
    const start = yield* Clock.currentTimeMillis
    const state = yield* Ref.make({ tokens: burst, at: start })
    const take = Effect.flatMap(Clock.currentTimeMillis, (now) =>
      Ref.modify(state, ({ tokens, at }) => {
        const refilled = Math.min(burst, tokens + ((now - at) * perSecond) / 1000)
        const left = refilled - 1
        const waitMs = left >= 0 ? 0 : Math.ceil((-left * 1000) / perSecond)
        return [waitMs, { tokens: left, at: now }] as const
      })
    ).pipe(Effect.flatMap((waitMs) => (waitMs > 0 ? Effect.sleep(waitMs) : Effect.void)))
    return { take, perSecond }
  })

/** Parses the spec's `10/s`, `600/min`, `3600/h` into requests per second. */
export const parseRate = (text: string): number | undefined => {
  const match = /^([0-9]+(?:\.[0-9]+)?)\/(s|min|h)$/.exec(text.trim())
  if (!match) return undefined
  const n = Number(match[1])
  const per = match[2] === "s" ? 1 : match[2] === "min" ? 60 : 3600
  return n / per
}
