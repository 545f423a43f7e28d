/**
 * The throttle of every system a run talks to, made on first use: one per system, so its pace, its requests in
 * flight and its budget are the system's. A run makes its own; several projects migrating at once share one, so
 * together they stay within the system's rate limit, concurrency and budget, as one run would.
 */
import { Effect } from "effect"
import type { BudgetRule } from "./RequestBudget.ts"
import { makeRateLimiter, parseRate } from "./RateLimiter.ts"
import { makeSystemThrottle, type SystemThrottle } from "./SystemThrottle.ts"

export interface SystemThrottles {
  readonly of: (system: string) => Effect.Effect<SystemThrottle>
  /** The throttle of a system already used, for figures after the run (the month's remaining budget). */
  readonly known: (system: string) => SystemThrottle | undefined
}

export const makeSystemThrottles = (runtime: {
  readonly concurrency: number
  readonly rateLimits: Readonly<Record<string, string>>
  readonly budget?: Readonly<Record<string, BudgetRule>> | undefined
}): SystemThrottles => {
  const throttles = new Map<string, SystemThrottle>()
  return {
    of: (system) =>
      Effect.gen(function* () {
        const known = throttles.get(system)
        if (known !== undefined) return known
        const rate = runtime.rateLimits[system]
        const limiter = yield* makeRateLimiter({ perSecond: rate === undefined ? 0 : (parseRate(rate) ?? 0) })
        // the map is checked again: two projects may have asked at once, and a system must have one throttle
        const raced = throttles.get(system)
        if (raced !== undefined) return raced
        const made = makeSystemThrottle({ system, concurrency: runtime.concurrency, limiter, budget: runtime.budget?.[system] })
        throttles.set(system, made)
        return made
      }),
    known: (system) => throttles.get(system)
  }
}
