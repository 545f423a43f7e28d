/**
 * The adaptive limit of requests in flight, on TestClock: it starts at `runtime.concurrency`, halves on a 429 /
 * 5xx / timeout (once for the requests that were in flight together), never below one, climbs back by one after
 * `growAfterSuccesses` successes in a row and never above the ceiling; waiters get their place in order, and an
 * interrupted waiter gives its place back.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { makeAdaptiveConcurrency, type Outcome } from "../../../core/policy/AdaptiveConcurrency.ts"
import { ThrottlePolicy } from "../../../core/policy/ThrottlePolicy.ts"

describe("AdaptiveConcurrency", () => {
  it.effect("halves on overload down to 1, once per generation of requests in flight", () =>
    Effect.gen(function* () {
      const c = makeAdaptiveConcurrency(8)
      expect(c.limit()).toBe(8)
      const permits = yield* Effect.forEach(Array.from({ length: 8 }), () => c.acquire)
      expect(c.inFlight()).toBe(8)
      // eight requests sent together all meet the 429: one halving, not eight
      for (const p of permits) yield* p.release("overload")
      expect(c.limit()).toBe(4)
      // a new request (of the new generation) failing halves again, down to 1 and no further
      for (const expected of [2, 1, 1]) {
        const p = yield* c.acquire
        yield* p.release("overload")
        expect(c.limit()).toBe(expected)
      }
      expect(ThrottlePolicy.minConcurrency).toBe(1)
    })
  )

  it.effect("climbs back by one per run of successes, never above the ceiling; other failures change nothing", () =>
    Effect.gen(function* () {
      const c = makeAdaptiveConcurrency(3)
      yield* Effect.flatMap(c.acquire, (p) => p.release("overload"))
      yield* Effect.flatMap(c.acquire, (p) => p.release("overload"))
      expect(c.limit()).toBe(1)
      const run = (n: number, outcome: Outcome) => Effect.forEach(Array.from({ length: n }), () => Effect.flatMap(c.acquire, (p) => p.release(outcome)), { discard: true })
      yield* run(ThrottlePolicy.growAfterSuccesses - 1, "success")
      expect(c.limit()).toBe(1)
      // a 404 is the request's fault, not the server's load
      yield* run(1, "other")
      yield* run(1, "success")
      expect(c.limit()).toBe(2)
      yield* run(ThrottlePolicy.growAfterSuccesses * 5, "success")
      expect(c.limit()).toBe(3)
    })
  )

  it.effect("at most `limit` in flight; the others wait in order, and take the freed places", () =>
    Effect.gen(function* () {
      const c = makeAdaptiveConcurrency(2)
      const order = yield* Ref.make<Array<number>>([])
      const fiber = yield* Effect.fork(
        Effect.forEach(
          Array.from({ length: 6 }, (_, i) => i),
          (i) =>
            Effect.flatMap(c.acquire, (p) =>
              Ref.update(order, (o) => [...o, i]).pipe(Effect.zipRight(Effect.sleep(100)), Effect.zipRight(p.release("success")))
            ),
          { concurrency: "unbounded", discard: true }
        )
      )
      yield* TestClock.adjust(1)
      expect(yield* Ref.get(order)).toEqual([0, 1])
      expect(c.inFlight()).toBe(2)
      yield* TestClock.adjust(100)
      expect(yield* Ref.get(order)).toEqual([0, 1, 2, 3])
      yield* TestClock.adjust(200)
      yield* Fiber.join(fiber)
      expect(yield* Ref.get(order)).toEqual([0, 1, 2, 3, 4, 5])
      expect(c.inFlight()).toBe(0)
    })
  )

  it.effect("a halving takes effect on the waiters: after a 429 at 4 in flight only 2 go at a time", () =>
    Effect.gen(function* () {
      const c = makeAdaptiveConcurrency(4)
      const peak = yield* Ref.make(0)
      const track = Effect.sync(() => c.inFlight()).pipe(Effect.flatMap((n) => Ref.update(peak, (p) => Math.max(p, n))))
      const first = yield* Effect.forEach(Array.from({ length: 4 }), () => c.acquire)
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 6 }), () => Effect.flatMap(c.acquire, (p) => track.pipe(Effect.zipRight(Effect.sleep(10)), Effect.zipRight(p.release("success")))), {
          concurrency: "unbounded",
          discard: true
        })
      )
      yield* TestClock.adjust(1)
      for (const p of first) yield* p.release("overload")
      yield* TestClock.adjust(100)
      yield* Fiber.join(fiber)
      expect(c.limit()).toBe(2)
      expect(yield* Ref.get(peak)).toBe(2)
    })
  )

  it.effect("an interrupted waiter leaves the queue; the place goes to the next", () =>
    Effect.gen(function* () {
      const c = makeAdaptiveConcurrency(1)
      const held = yield* c.acquire
      const waiter = yield* Effect.fork(c.acquire)
      const next = yield* Effect.fork(c.acquire)
      yield* TestClock.adjust(1)
      yield* Fiber.interrupt(waiter)
      yield* held.release("success")
      const p = yield* Fiber.join(next)
      expect(c.inFlight()).toBe(1)
      yield* p.release("success")
      expect(c.inFlight()).toBe(0)
    })
  )
})
