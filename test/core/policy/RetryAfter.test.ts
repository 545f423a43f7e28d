/**
 * `Retry-After` end to end through core's HTTP layer, on virtual time: a 429 with `Retry-After: 30` is retried
 * after exactly 30 seconds, `1` after one, while `0` (as Zephyr Cloud sent on every 429 until March 2025) and an
 * absent header fall back to the exponential backoff instead of retrying at once. The server is a fake at the
 * HttpClient seam, answering 429 once and then 200.
 */
import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Effect, Fiber, TestClock } from "effect"
import { makeApiHttp } from "../../../core/http/ApiHttp.ts"
import { RequestMetrics } from "../../../core/http/RequestMetrics.ts"
import { unlimited } from "../../../core/policy/RateLimiter.ts"

const retry = { maxAttempts: 4, baseDelayMs: 400, maxDelayMs: 60_000 }

/** A server that throttles the first request with `retryAfter` (absent: no header) and answers the others. */
const throttlingOnce = (retryAfter: string | undefined) => {
  const calls: Array<number> = []
  const client = HttpClient.make((request) =>
    Effect.sync(() => {
      calls.push(calls.length + 1)
      const headers: Record<string, string> = { "content-type": "application/json" }
      if (calls.length === 1 && retryAfter !== undefined) headers["retry-after"] = retryAfter
      return calls.length === 1
        ? HttpClientResponse.fromWeb(request, new Response(JSON.stringify({ errorCode: 429, message: "Rate limit exceeded" }), { status: 429, headers }))
        : HttpClientResponse.fromWeb(request, new Response("{}", { status: 200, headers }))
    })
  )
  const metrics = new RequestMetrics()
  const http = makeApiHttp({ system: "zephyr", client, limiter: unlimited, retry, timeoutMs: 120_000, metrics }, { baseUrl: "http://zephyr.test" })
  return { http, calls, counters: () => metrics.of("zephyr") }
}

describe("Retry-After on virtual time", () => {
  for (const [header, seconds] of [
    ["30", 30],
    ["1", 1]
  ] as const)
    it.effect(`Retry-After: ${header} — the retry comes after exactly ${seconds} s`, () =>
      Effect.gen(function* () {
        const server = throttlingOnce(header)
        const fiber = yield* Effect.fork(Effect.map(server.http.send("GET", "/testcases"), (r) => r.body))
        yield* TestClock.adjust(seconds * 1000 - 1)
        expect(server.calls).toHaveLength(1)
        yield* TestClock.adjust(1)
        expect(yield* Fiber.join(fiber)).toEqual({})
        expect(server.calls).toHaveLength(2)
        expect(server.counters()).toMatchObject({ requests: 2, retries: 1, throttled: 1, failed: 1 })
      })
    )

  for (const header of ["0", undefined])
    it.effect(`Retry-After: ${header ?? "absent"} — not at once, but after the backoff (half to all of baseDelayMs)`, () =>
      Effect.gen(function* () {
        const server = throttlingOnce(header)
        const fiber = yield* Effect.fork(Effect.map(server.http.send("GET", "/testcases"), (r) => r.body))
        // equal jitter: the first retry waits between 200 and 400 ms
        yield* TestClock.adjust(199)
        expect(server.calls).toHaveLength(1)
        yield* TestClock.adjust(201)
        expect(yield* Fiber.join(fiber)).toEqual({})
        expect(server.calls).toHaveLength(2)
        expect(server.counters()).toMatchObject({ requests: 2, retries: 1, throttled: 1 })
      })
    )
})
