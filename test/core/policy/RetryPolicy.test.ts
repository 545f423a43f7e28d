import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Ref, TestClock } from "effect"
import { ApiError } from "../../../core/errors.ts"
import { backoffMs, isTransient, Policies, retryDelayMs } from "../../../core/policy/RetryPolicy.ts"

const err = (reason: ApiError["reason"], retryAfterSeconds?: number) =>
  new ApiError({ system: "t", reason, method: "GET", url: "http://x/", message: reason, retryAfterSeconds })

const options = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }

describe("RetryPolicy", () => {
  it("retries rate limits, 5xx, timeouts and dropped connections — never 400/401/403/404 or decode errors", () => {
    for (const r of ["RateLimited", "Server", "Timeout", "Transport"] as const) expect(isTransient(err(r))).toBe(true)
    for (const r of ["BadRequest", "Unauthorized", "Forbidden", "NotFound", "Decode"] as const) expect(isTransient(err(r))).toBe(false)
  })

  it("honours a positive Retry-After and falls back to backoff for 0 or absent", () => {
    expect(retryDelayMs(options, err("RateLimited", 7), 1, 0.5)).toBe(7000)
    expect(retryDelayMs(options, err("RateLimited", undefined), 1, 0)).toBe(backoffMs(options, 1, 0))
    expect(backoffMs(options, 1, 0)).toBe(50)
    expect(backoffMs(options, 3, 1)).toBe(400)
    expect(backoffMs(options, 10, 1)).toBe(1000) // capped
  })

  it.effect("retries a transient failure until it succeeds, sleeping Retry-After on virtual time", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make(0)
      const flaky = Ref.updateAndGet(calls, (n) => n + 1).pipe(
        Effect.flatMap((n) => (n < 3 ? Effect.fail(err("RateLimited", 2)) : Effect.succeed("ok")))
      )
      const fiber = yield* Effect.fork(Policies.transient(options)(flaky))
      yield* TestClock.adjust("1999 millis")
      expect(yield* Ref.get(calls)).toBe(1)
      yield* TestClock.adjust("2 seconds")
      expect(yield* Ref.get(calls)).toBe(2)
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok")
      expect(yield* Ref.get(calls)).toBe(3)
    }))

  it.effect("gives up after maxAttempts and fails at once on a permanent error", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make(0)
      const always = (e: ApiError) => Ref.update(calls, (n) => n + 1).pipe(Effect.zipRight(Effect.fail(e)))
      const fiber = yield* Effect.fork(Effect.flip(Policies.transient(options)(always(err("Server")))))
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(fiber)).reason).toBe("Server")
      expect(yield* Ref.get(calls)).toBe(4)
      yield* Ref.set(calls, 0)
      const e = yield* Effect.flip(Policies.transient(options)(always(err("Unauthorized"))))
      expect(e.reason).toBe("Unauthorized")
      expect(yield* Ref.get(calls)).toBe(1)
    }))

  it.effect("when: the same backoff for a non-HTTP client's own errors, retrying only what its predicate accepts", () =>
    Effect.gen(function* () {
      class DriverError {
        readonly code: string
        constructor(code: string) {
          this.code = code
        }
      }
      const calls = yield* Ref.make(0)
      const codes = ["401001", "401001", "ok"]
      const flaky = Ref.getAndUpdate(calls, (n) => n + 1).pipe(
        Effect.flatMap((n) => (codes[n] === "ok" ? Effect.succeed("merged") : Effect.fail(new DriverError(codes[n]!))))
      )
      const retry = Policies.when((e: DriverError) => e.code === "401001")(options)
      const fiber = yield* Effect.fork(retry(flaky))
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe("merged")
      expect(yield* Ref.get(calls)).toBe(3)
      yield* Ref.set(calls, 0)
      const refused = yield* Effect.flip(retry(Ref.update(calls, (n) => n + 1).pipe(Effect.zipRight(Effect.fail(new DriverError("390100"))))))
      expect(refused.code).toBe("390100")
      expect(yield* Ref.get(calls)).toBe(1)
    }))

  it.effect("a storm of 429s longer than maxAttempts is waited out on a budget of its own; failures keep theirs", () =>
    Effect.gen(function* () {
      const calls = yield* Ref.make(0)
      // ten 429s (Retry-After 1 s) then an answer: more than maxAttempts (4), within 4 × 4
      const storm = Ref.updateAndGet(calls, (n) => n + 1).pipe(Effect.flatMap((n) => (n <= 10 ? Effect.fail(err("RateLimited", 1)) : Effect.succeed("ok"))))
      const fiber = yield* Effect.fork(Policies.transient(options)(storm))
      yield* TestClock.adjust("10 seconds")
      expect(yield* Fiber.join(fiber)).toBe("ok")
      expect(yield* Ref.get(calls)).toBe(11)

      // 429s do not spend the failures' budget: a 5xx after a storm still gets its own retries
      yield* Ref.set(calls, 0)
      const mixed = Ref.updateAndGet(calls, (n) => n + 1).pipe(
        Effect.flatMap((n) => (n <= 6 ? Effect.fail(err("RateLimited", 1)) : n <= 9 ? Effect.fail(err("Server")) : Effect.succeed("ok")))
      )
      const second = yield* Effect.fork(Policies.transient(options)(mixed))
      yield* TestClock.adjust("1 minute")
      expect(yield* Fiber.join(second)).toBe("ok")

      // but 429s for ever end, after 4 × maxAttempts, and failures after maxAttempts
      yield* Ref.set(calls, 0)
      const endless = yield* Effect.fork(Effect.flip(Policies.transient(options)(Ref.update(calls, (n) => n + 1).pipe(Effect.zipRight(Effect.fail(err("RateLimited", 1)))))))
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(endless)).reason).toBe("RateLimited")
      expect(yield* Ref.get(calls)).toBe(16)
      yield* Ref.set(calls, 0)
      const failing = yield* Effect.fork(Effect.flip(Policies.transient(options)(Ref.update(calls, (n) => n + 1).pipe(Effect.zipRight(Effect.fail(err("Server")))))))
      yield* TestClock.adjust("1 minute")
      expect((yield* Fiber.join(failing)).reason).toBe("Server")
      expect(yield* Ref.get(calls)).toBe(4)
    }))
})
