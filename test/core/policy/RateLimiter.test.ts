import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { makeRateLimiter, parseRate } from "../../../core/policy/RateLimiter.ts"

describe("RateLimiter", () => {
  it("parses the spec's rates", () => {
    expect(parseRate("10/s")).toBe(10)
    expect(parseRate("600/min")).toBe(10)
    expect(parseRate("3600/h")).toBe(1)
    expect(parseRate("0.5/s")).toBe(0.5)
    expect(parseRate("ten per second")).toBeUndefined()
  })

  it.effect("lets a burst through, then one request per 1/rate seconds", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ perSecond: 2, burst: 2 })
      const done = yield* Ref.make(0)
      const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: 6 }), () => limiter.take.pipe(Effect.zipRight(Ref.update(done, (n) => n + 1))), { concurrency: "unbounded" }))
      yield* TestClock.adjust("1 millis")
      expect(yield* Ref.get(done)).toBe(2)
      yield* TestClock.adjust("500 millis")
      expect(yield* Ref.get(done)).toBe(3)
      yield* TestClock.adjust("1500 millis")
      expect(yield* Ref.get(done)).toBe(6)
      yield* Fiber.join(fiber)
    }))

  it.effect("a rate of 0 means unlimited", () =>
    Effect.gen(function* () {
      const limiter = yield* makeRateLimiter({ perSecond: 0 })
      yield* Effect.forEach(Array.from({ length: 1000 }), () => limiter.take)
    }))
})
