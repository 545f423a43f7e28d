/**
 * Everything that decides when one system's next request may go, made once per system and run and shared by
 * every `ctx.http` of it: the number in flight (AdaptiveConcurrency), the pace its quota headers ask
 * (QuotaPacer), the spec's hard cap (`runtime.rateLimits`, RateLimiter) and its budget (RequestBudget).
 */
import { makeAdaptiveConcurrency, type AdaptiveConcurrency } from "./AdaptiveConcurrency.ts"
import { makeQuotaPacer, type QuotaPacer } from "./QuotaPacer.ts"
import { unlimited, type RateLimiter } from "./RateLimiter.ts"
import { makeRequestBudget, type BudgetRule, type RequestBudget } from "./RequestBudget.ts"

export interface SystemThrottle {
  readonly concurrency: AdaptiveConcurrency
  readonly pacer: QuotaPacer
  readonly limiter: RateLimiter
  readonly budget: RequestBudget
}

/** The schema's largest `runtime.concurrency`: the ceiling of a throttle made without one. */
export const MAX_CONCURRENCY = 64

export const makeSystemThrottle = (o: {
  readonly system: string
  readonly concurrency?: number | undefined
  readonly limiter?: RateLimiter | undefined
  readonly budget?: BudgetRule | undefined
}): SystemThrottle => ({
  concurrency: makeAdaptiveConcurrency(o.concurrency ?? MAX_CONCURRENCY),
  pacer: makeQuotaPacer(),
  limiter: o.limiter ?? unlimited,
  budget: makeRequestBudget(o.system, o.budget)
})
