/**
 * The throttles several projects share: one per system however many runs ask for it, at once or in turn, so that
 * their requests count against one rate limit and one budget.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { makeSystemThrottles } from "../../../core/policy/SystemThrottles.ts"

describe("SystemThrottles", () => {
  it.effect("gives every run the same throttle of a system, with the spec's rate and budget", () =>
    Effect.gen(function* () {
      const throttles = makeSystemThrottles({ concurrency: 3, rateLimits: { qtest: "20/s" }, budget: { qtest: { requests: 5 } } })
      expect(throttles.known("qtest")).toBeUndefined()
      // several projects asking at once
      const asked = yield* Effect.all([throttles.of("qtest"), throttles.of("qtest"), throttles.of("qtest")], { concurrency: "unbounded" })
      expect(new Set(asked).size).toBe(1)
      const qtest = asked[0]!
      expect(throttles.known("qtest")).toBe(qtest)
      expect(qtest.limiter.perSecond).toBe(20)
      // one budget: what one project spends, the other cannot
      yield* Effect.repeatN(asked[0]!.budget.spend(undefined), 2)
      yield* Effect.repeatN(asked[1]!.budget.spend(undefined), 1)
      expect(qtest.budget.requests()).toBe(5)
      const over = yield* Effect.exit(asked[2]!.budget.spend(undefined))
      expect(over._tag).toBe("Failure")
      const zephyr = yield* throttles.of("zephyr")
      expect(zephyr).not.toBe(qtest)
      expect(zephyr.limiter.perSecond).toBe(Number.POSITIVE_INFINITY)
    })
  )
})
