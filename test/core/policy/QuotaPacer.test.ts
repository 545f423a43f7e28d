/**
 * Pacing on the quota headers, through core's HTTP layer on TestClock, against a gateway at the HttpClient seam
 * that counts the sandboxes' fixed windows (core/sandbox/Throttling.ts) on the same virtual clock: a run of
 * requests with eight in flight meets no 429 where, without the headers, it meets many; it takes about what the
 * quota allows (its floor), no more; a 429's Retry-After pauses every request of the system; a system that
 * sends no headers is never delayed.
 */
import { describe, expect, it } from "@effect/vitest"
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { Clock, Effect, Fiber, TestClock } from "effect"
import { makeApiHttp } from "../../../core/http/ApiHttp.ts"
import { RequestMetrics } from "../../../core/http/RequestMetrics.ts"
import { makeSystemThrottle } from "../../../core/policy/SystemThrottle.ts"
import { makeGatewayLimiter, type GatewayQuotas } from "../../../core/sandbox/Throttling.ts"

/** The virtual clock advances in steps this long: each sleep still ends at its own time within a step. */
const STEP_MS = 1000

const retry = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 10_000 }

/** A gateway on the virtual clock; `headers: false` strips the quota headers (a 429 keeps its Retry-After). */
const gateway = (quotas: GatewayQuotas, o: { readonly headers?: boolean } = {}) => {
  const decide = makeGatewayLimiter(quotas)
  const seen = { calls: 0, refused: 0 }
  const client = HttpClient.make((request) =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      seen.calls++
      const d = decide(now)
      if (!d.allowed) seen.refused++
      const headers: Record<string, string> = o.headers === false ? (d.allowed ? {} : { "retry-after": d.headers["retry-after"] ?? "1" }) : { ...d.headers }
      return HttpClientResponse.fromWeb(request, new Response(d.allowed ? "{}" : JSON.stringify({ message: "API rate limit exceeded" }), { status: d.allowed ? 200 : 429, headers }))
    })
  )
  return { client, seen, decide }
}

const clientOf = (client: HttpClient.HttpClient, concurrency = 8) =>
  makeApiHttp(
    { system: "qtest", client, throttle: makeSystemThrottle({ system: "qtest", concurrency }), retry, timeoutMs: 60_000, metrics: new RequestMetrics() },
    { baseUrl: "http://qtest.test" }
  )

/** `n` requests, eight at a time, the clock driven in `stepMs` steps until they are done; the virtual time they took. */
const drive = (http: ReturnType<typeof clientOf>, n: number, stepMs: number) =>
  Effect.gen(function* () {
    const started = yield* Clock.currentTimeMillis
    const fiber = yield* Effect.fork(Effect.forEach(Array.from({ length: n }), () => http.send("GET", "/api/v3/projects"), { concurrency: 8, discard: true }))
    while ((yield* Fiber.poll(fiber))._tag === "None") yield* TestClock.adjust(stepMs)
    yield* Fiber.join(fiber)
    return (yield* Clock.currentTimeMillis) - started
  })

describe("QuotaPacer", () => {
  it.effect("20 requests/s in one-second windows: 200 requests, no 429, in about the floor of 10 s", () =>
    Effect.gen(function* () {
      const server = gateway({ perSecond: 20 })
      const ms = yield* drive(clientOf(server.client), 200, STEP_MS)
      expect(server.seen.refused).toBe(0)
      expect(server.seen.calls).toBe(200)
      expect(ms).toBeGreaterThanOrEqual(9_000)
      expect(ms).toBeLessThanOrEqual(10_000 * 1.1)
    })
  )

  it.effect("the same gateway without its headers: the burst runs into 429s (what the pacing prevents)", () =>
    Effect.gen(function* () {
      const server = gateway({ perSecond: 20 }, { headers: false })
      yield* drive(clientOf(server.client), 200, STEP_MS)
      expect(server.seen.refused).toBeGreaterThan(2)
    })
  )

  it.effect("no quota headers at all (as Zephyr): the first 429s teach the pace, and 1,000 requests at 20/s meet few more", () =>
    Effect.gen(function* () {
      const server = gateway({ perSecond: 20 }, { headers: false })
      const ms = yield* drive(clientOf(server.client), 1000, STEP_MS)
      // the floor is 50 s; the lesson costs a few 429s at the start and a few each time the pace tries higher
      expect(server.seen.refused / server.seen.calls).toBeLessThan(0.03)
      expect(ms).toBeLessThanOrEqual(50_000 * 1.15)
    })
  )

  it.effect("a quota per minute only (120/min, announced in x-ratelimit-*-minute and ratelimit-*): 200 requests over two minutes, no 429", () =>
    Effect.gen(function* () {
      const server = gateway({ perMinute: 120 })
      const ms = yield* drive(clientOf(server.client), 200, STEP_MS)
      expect(server.seen.refused).toBe(0)
      // 120 in the first minute, 80 in the second: spread, they end within the second minute
      expect(ms).toBeGreaterThan(60_000)
      expect(ms).toBeLessThanOrEqual(120_000)
    })
  )

  it.effect("a minute half spent by someone else: what remains is spread over what is left of the minute", () =>
    Effect.gen(function* () {
      const server = gateway({ perMinute: 100 })
      // another integration of the account spends 60 of the minute's 100 in its first second
      yield* TestClock.adjust(1000)
      for (let i = 0; i < 60; i++) server.decide(1000)
      const ms = yield* drive(clientOf(server.client), 60, STEP_MS)
      expect(server.seen.refused).toBe(0)
      // 40 left over the 59 s remaining, then the next minute's: paced at about 1.5 s per request first
      expect(ms).toBeGreaterThan(55_000)
      expect(ms).toBeLessThan(100_000)
    })
  )

  it.effect("a 429's Retry-After pauses every request of the system, not only the one that met it", () =>
    Effect.gen(function* () {
      let calls = 0
      let refused = 0
      const client = HttpClient.make((request) =>
        Effect.map(Clock.currentTimeMillis, (now) => {
          calls++
          const closed = now >= 1000 && now < 6000
          if (closed) refused++
          return HttpClientResponse.fromWeb(
            request,
            closed ? new Response("{}", { status: 429, headers: { "retry-after": String(Math.ceil((6000 - now) / 1000)) } }) : new Response("{}", { status: 200 })
          )
        })
      )
      const http = clientOf(client, 4)
      const worker = Effect.forEach(Array.from({ length: 10 }), () => http.send("GET", "/testcases").pipe(Effect.zipRight(Effect.sleep(300))), { discard: true })
      const fiber = yield* Effect.fork(Effect.all([worker, worker, worker, worker], { concurrency: "unbounded", discard: true }))
      while ((yield* Fiber.poll(fiber))._tag === "None") yield* TestClock.adjust(50)
      yield* Fiber.join(fiber)
      expect(calls - refused).toBe(40)
      expect(refused).toBe(1)
    })
  )

  it.effect("a system that sends no quota headers is not delayed", () =>
    Effect.gen(function* () {
      const client = HttpClient.make((request) => Effect.succeed(HttpClientResponse.fromWeb(request, new Response("{}", { status: 200 }))))
      const http = clientOf(client)
      yield* Effect.forEach(Array.from({ length: 100 }), () => http.send("GET", "/testcases"), { concurrency: 8, discard: true })
    })
  )
})
