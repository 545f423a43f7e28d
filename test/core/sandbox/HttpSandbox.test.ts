/**
 * The sandbox kit (core/sandbox/HttpSandbox.ts) on a small sandbox of its own: latency, every fault kind, 429s
 * with `Retry-After` 0 / positive / absent, the gateway's `x-ratelimit-*` headers, body limits, statistics, the
 * `/__sandbox/*` control prefix, closing with a request in flight, and a busy port.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import * as http from "node:http"
import { type HttpSandboxConfig, type SandboxReply, type SandboxTransportOptions, startHttpSandbox } from "../../../core/sandbox.ts"

const json = (status: number, body: unknown): SandboxReply => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
const errorReply = (status: number, message: string) => json(status, { oops: message })

/** Routes: `GET /items` (gated), `POST /items` (gated, a write), `GET /open` (never gated), `POST /echo` (body ≤ 16 bytes), `GET /boom` (throws). */
const testSandbox = (options: SandboxTransportOptions, extra: Partial<HttpSandboxConfig> = {}) => {
  const items: Array<string> = []
  return startHttpSandbox({
    options,
    errorReply,
    throttle: { reply: json(429, { oops: "slow down" }) },
    faults: { reply: (status) => json(status, { oops: `fault ${status}` }) },
    control: {
      authorize: (req) => (req.headers.authorization === "Bearer admin" ? undefined : errorReply(401, "control needs the admin token")),
      handle: (action) => (action === "items" ? json(200, items) : errorReply(404, `no control ${action}`))
    },
    ...extra,
    serve: ({ origin }) => ({
      route: (_method, url) => ({ template: url.pathname.startsWith("/items") ? "/items" : url.pathname }),
      handle: async (request) => {
        if (request.url.pathname === "/open") return json(200, { origin })
        if (request.url.pathname === "/boom") throw new Error("handler failed")
        if (request.url.pathname === "/echo") {
          const read = await request.body(16)
          return "tooLarge" in read ? errorReply(413, `above ${read.tooLarge.limit} (declared ${read.tooLarge.declared})`) : json(200, { echo: read.bytes.toString("utf8") })
        }
        const refused = request.gate()
        if (refused !== undefined) return refused
        if (request.req.headers.authorization === "Bearer nobody") return { ...errorReply(401, "who?"), hold: false }
        if (request.method === "POST") {
          items.push(`item ${items.length + 1}`)
          return { ...json(201, { created: items.length }), wrote: true }
        }
        return json(200, items)
      }
    })
  })
}

type Outcome = { readonly status: number; readonly headers: Headers; readonly body: any; readonly ms: number } | "dropped" | "timeout"

const call = (origin: string, path: string, init: RequestInit & { readonly timeoutMs?: number } = {}) =>
  Effect.promise(async (): Promise<Outcome> => {
    const started = Date.now()
    try {
      const r = await fetch(`${origin}${path}`, { ...init, ...(init.timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(init.timeoutMs) }) })
      const text = await r.text()
      return { status: r.status, headers: r.headers, body: text === "" ? undefined : JSON.parse(text), ms: Date.now() - started }
    } catch (e) {
      return e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError") ? "timeout" : "dropped"
    }
  })

const answered = (o: Outcome) => {
  if (typeof o === "string") throw new Error(`expected an answer, got ${o}`)
  return o
}

describe("startHttpSandbox", () => {
  it.scopedLive("listens on a free port, answers the routes and counts requests by template", () =>
    Effect.gen(function* () {
      const sb = yield* testSandbox({})
      expect(sb.port).toBeGreaterThan(0)
      expect(sb.origin).toBe(`http://127.0.0.1:${sb.port}`)
      expect(answered(yield* call(sb.origin, "/open")).body).toEqual({ origin: sb.origin })
      expect(answered(yield* call(sb.origin, "/items", { method: "POST" })).status).toBe(201)
      expect(answered(yield* call(sb.origin, "/items?x=1")).body).toEqual(["item 1"])
      expect(sb.stats()).toEqual({ requests: 3, byPath: { "/open": 1, "/items": 2 }, faults: 0, throttled: 0 })
      sb.resetStats()
      expect(sb.stats()).toEqual({ requests: 0, byPath: {}, faults: 0, throttled: 0 })
    })
  )

  it.scopedLive("latencyMs delays every answer", () =>
    Effect.gen(function* () {
      const sb = yield* testSandbox({ latencyMs: 150 })
      expect(answered(yield* call(sb.origin, "/items")).ms).toBeGreaterThanOrEqual(140)
      expect(answered(yield* call(sb.origin, "/open")).ms).toBeGreaterThanOrEqual(140)
      const quick = yield* testSandbox({})
      expect(answered(yield* call(quick.origin, "/items")).ms).toBeLessThan(140)
    })
  )

  it.scopedLive("a handler that throws answers 500 in the sandbox's error shape", () =>
    Effect.gen(function* () {
      const sb = yield* testSandbox({})
      const r = answered(yield* call(sb.origin, "/boom"))
      expect(r.status).toBe(500)
      expect(r.body).toEqual({ oops: "Sandbox error: handler failed" })
    })
  )

  describe("faults", () => {
    it.scopedLive("5xx: the statuses asked for, with the sandbox's body, counted", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ faultRate: 1, faultKinds: ["5xx"], seed: 4 }, { faults: { statuses: [502, 503], reply: (status) => json(status, { oops: `fault ${status}` }) } })
        const results = yield* Effect.forEach(Array.from({ length: 20 }), () => call(sb.origin, "/items"))
        const statuses = new Set(results.map((r) => answered(r).status))
        expect(statuses).toEqual(new Set([502, 503]))
        for (const r of results) expect(answered(r).body).toEqual({ oops: `fault ${answered(r).status}` })
        expect(sb.stats().faults).toBe(20)
        // never for what the handler does not gate
        expect(answered(yield* call(sb.origin, "/open")).status).toBe(200)
      })
    )

    it.scopedLive("drop: the connection is reset, no status", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ faultRate: 1, faultKinds: ["drop"] })
        expect(yield* call(sb.origin, "/items")).toBe("dropped")
        expect(sb.stats().faults).toBe(1)
      })
    )

    it.scopedLive("slow: the request is handled — a write applied — and the answer held; a refusal after the gate is not held", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ faultRate: 1, faultKinds: ["slow"], slowResponseMs: 400 })
        expect(yield* call(sb.origin, "/items", { method: "POST", timeoutMs: 150 })).toBe("timeout")
        const patient = answered(yield* call(sb.origin, "/items", { timeoutMs: 5000 }))
        expect(patient.ms).toBeGreaterThanOrEqual(380)
        expect(patient.body).toEqual(["item 1"])
        const refused = answered(yield* call(sb.origin, "/items", { headers: { authorization: "Bearer nobody" } }))
        expect(refused.status).toBe(401)
        expect(refused.ms).toBeLessThan(300)
      })
    )

    it.scopedLive("lost answer: a write is applied and its connection dropped; reads answer", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({}, { lostAnswerRate: 1 })
        expect(yield* call(sb.origin, "/items", { method: "POST" })).toBe("dropped")
        expect(answered(yield* call(sb.origin, "/items")).body).toEqual(["item 1"])
        expect(sb.stats().faults).toBe(1)
      })
    )

    it.scopedLive("without faultKinds: the default mix (5xx statuses and drops), the same sequence for the same seed", () =>
      Effect.gen(function* () {
        const run = (seed: number) =>
          Effect.scoped(
            Effect.gen(function* () {
              const sb = yield* testSandbox({ faultRate: 0.6, seed })
              const out = yield* Effect.forEach(Array.from({ length: 30 }), () => call(sb.origin, "/items"))
              return out.map((r) => (typeof r === "string" ? r : String(r.status))).join(",")
            })
          )
        const a = yield* run(9)
        expect(yield* run(9)).toBe(a)
        expect(new Set(a.split(","))).toEqual(new Set(["200", "500", "502", "503", "dropped"]))
      })
    )
  })

  describe("429", () => {
    it.scopedLive("storm: the refused requests carry the Retry-After asked for — positive, 0, or none", () =>
      Effect.gen(function* () {
        for (const retryAfterSeconds of [7, 0, undefined]) {
          const sb = yield* testSandbox({ storm: { after: 1, length: 2, every: 4, retryAfterSeconds } })
          const results = (yield* Effect.forEach(Array.from({ length: 6 }), () => call(sb.origin, "/items"))).map(answered)
          expect(results.map((r) => r.status)).toEqual([200, 429, 429, 200, 200, 429])
          for (const r of results.filter((r) => r.status === 429)) {
            expect(r.body).toEqual({ oops: "slow down" })
            expect(r.headers.get("retry-after")).toBe(retryAfterSeconds === undefined ? null : String(retryAfterSeconds))
            expect(r.headers.get("x-ratelimit-remaining-minute")).toBeNull()
          }
          expect(results[0]?.headers.get("retry-after")).toBeNull()
          expect(sb.stats().throttled).toBe(3)
        }
      })
    )

    it.scopedLive("token bucket: beyond rateLimit a 429 with a whole-second Retry-After; zeroRetryAfterShare 1 says 0", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ rateLimit: 2 })
        const results = (yield* Effect.forEach(Array.from({ length: 5 }), () => call(sb.origin, "/items"))).map(answered)
        expect(results.map((r) => r.status)).toEqual([200, 200, 429, 429, 429])
        for (const r of results.slice(2)) expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
        const zero = yield* testSandbox({ rateLimit: 1 }, { throttle: { reply: json(429, { oops: "slow down" }), zeroRetryAfterShare: 1 } })
        const z = (yield* Effect.forEach(Array.from({ length: 3 }), () => call(zero.origin, "/items"))).map(answered)
        expect(z.map((r) => [r.status, r.headers.get("retry-after")])).toEqual([[200, null], [429, "0"], [429, "0"]])
      })
    )

    it.scopedLive("gateway style: x-ratelimit headers on every gated answer, retry-after on refused ones", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ rateLimit: 2 }, { throttle: { reply: json(429, { oops: "slow down" }), style: "gateway" } })
        const results = (yield* Effect.forEach(Array.from({ length: 3 }), () => call(sb.origin, "/items"))).map(answered)
        expect(results.map((r) => r.status)).toEqual([200, 200, 429])
        expect(results.map((r) => r.headers.get("x-ratelimit-remaining-minute"))).toEqual(["119", "118", "118"])
        expect(results.map((r) => r.headers.get("ratelimit-remaining"))).toEqual(["1", "0", "0"])
        expect(results[0]?.headers.get("x-ratelimit-limit-month")).toBe("1000000")
        expect(results[2]?.headers.get("retry-after")).toMatch(/^[1-9]\d*$/)
        expect(results[1]?.headers.get("retry-after")).toBeNull()
        // a route the handler does not gate carries none
        expect(answered(yield* call(sb.origin, "/open")).headers.get("x-ratelimit-limit-minute")).toBeNull()
        const storm = yield* testSandbox({ storm: { after: 1, length: 1, retryAfterSeconds: 3 } }, { throttle: { reply: json(429, {}), style: "gateway" } })
        const s = (yield* Effect.forEach(Array.from({ length: 2 }), () => call(storm.origin, "/items"))).map(answered)
        expect(s.map((r) => [r.status, r.headers.get("x-ratelimit-remaining-minute"), r.headers.get("retry-after"), r.headers.get("ratelimit-reset")])).toEqual([
          [200, "0", null, null],
          [429, "0", "3", "3"]
        ])
      })
    )
  })

  describe("quotas per minute and month", () => {
    it.scopedLive("token bucket style: beyond quotaPerMinute a 429 with a positive Retry-After; the headers on every gated answer", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ quotaPerMinute: 3 })
        const results = (yield* Effect.forEach(Array.from({ length: 4 }), () => call(sb.origin, "/items"))).map(answered)
        expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429])
        expect(results.map((r) => r.headers.get("x-ratelimit-remaining-minute"))).toEqual(["2", "1", "0", "0"])
        expect(results.map((r) => r.headers.get("x-ratelimit-limit-minute"))).toEqual(["3", "3", "3", "3"])
        expect(results[0]?.headers.get("x-ratelimit-remaining-month")).toBe("999999")
        expect(results[0]?.headers.get("retry-after")).toBeNull()
        const retryAfter = Number(results[3]?.headers.get("retry-after"))
        expect(retryAfter).toBeGreaterThanOrEqual(1)
        expect(retryAfter).toBeLessThanOrEqual(60)
        // IETF headers: the window with the fewest left, the minute here
        expect([results[2]?.headers.get("ratelimit-limit"), results[2]?.headers.get("ratelimit-remaining")]).toEqual(["3", "0"])
        expect(sb.stats().throttled).toBe(1)
      })
    )

    it.scopedLive("gateway style: a small month quota runs out for good until resetQuota, also by POST /__sandbox/quota/reset", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ rateLimit: 100, quotaPerMonth: 2 }, { throttle: { reply: json(429, { oops: "slow down" }), style: "gateway" } })
        const results = (yield* Effect.forEach(Array.from({ length: 3 }), () => call(sb.origin, "/items"))).map(answered)
        expect(results.map((r) => r.status)).toEqual([200, 200, 429])
        expect(results.map((r) => r.headers.get("x-ratelimit-remaining-month"))).toEqual(["1", "0", "0"])
        expect(results.map((r) => r.headers.get("x-ratelimit-limit-month"))).toEqual(["2", "2", "2"])
        // the month, not the second, refused it: days to wait
        expect(Number(results[2]?.headers.get("retry-after"))).toBeGreaterThan(24 * 3600)
        const denied = answered(yield* call(sb.origin, "/__sandbox/quota/reset", { method: "POST" }))
        expect(denied.status).toBe(401)
        expect(answered(yield* call(sb.origin, "/items")).status).toBe(429)
        const reset = answered(yield* call(sb.origin, "/__sandbox/quota/reset", { method: "POST", headers: { authorization: "Bearer admin" } }))
        expect(reset.status).toBe(204)
        const after = answered(yield* call(sb.origin, "/items"))
        expect([after.status, after.headers.get("x-ratelimit-remaining-month")]).toEqual([200, "1"])
        sb.resetQuota()
        expect(answered(yield* call(sb.origin, "/items")).headers.get("x-ratelimit-remaining-month")).toBe("1")
      })
    )
  })

  it.scopedLive("request bodies above the limit are refused — by Content-Length or while streaming — and the refusal arrives", () =>
    Effect.gen(function* () {
      const sb = yield* testSandbox({})
      expect(answered(yield* call(sb.origin, "/echo", { method: "POST", body: "hello" })).body).toEqual({ echo: "hello" })
      const declared = answered(yield* call(sb.origin, "/echo", { method: "POST", body: "x".repeat(100_000) }))
      expect(declared).toMatchObject({ status: 413, body: { oops: "above 16 (declared 100000)" } })
      const chunked = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode("0123456789"))
          controller.close()
        }
      })
      const streamed = answered(yield* call(sb.origin, "/echo", { method: "POST", body: chunked, duplex: "half" } as RequestInit))
      expect(streamed).toMatchObject({ status: 413, body: { oops: "above 16 (declared undefined)" } })
    })
  )

  describe("the control prefix", () => {
    it.scopedLive("/__sandbox/* goes to the control endpoints: authorised, never gated, delayed or counted", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({ faultRate: 1, latencyMs: 300, storm: { after: 0, length: 1 } })
        const denied = answered(yield* call(sb.origin, "/__sandbox/items"))
        expect(denied).toMatchObject({ status: 401, body: { oops: "control needs the admin token" } })
        const ok = answered(yield* call(sb.origin, "/__sandbox/items", { headers: { authorization: "Bearer admin" } }))
        expect(ok).toMatchObject({ status: 200, body: [] })
        expect(ok.ms).toBeLessThan(250)
        expect(answered(yield* call(sb.origin, "/__sandbox/nothing", { headers: { authorization: "Bearer admin" } })).status).toBe(404)
        expect(sb.stats()).toEqual({ requests: 0, byPath: {}, faults: 0, throttled: 0 })
      })
    )

    it.scopedLive("without control endpoints the prefix is an ordinary path", () =>
      Effect.gen(function* () {
        const sb = yield* testSandbox({}, { control: undefined })
        expect(answered(yield* call(sb.origin, "/__sandbox/items")).status).toBe(200)
        expect(sb.stats().byPath).toEqual({ "/__sandbox/items": 1 })
      })
    )
  })

  it.live("closing the scope destroys open sockets, a request in flight included, and stops listening", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const sb = yield* testSandbox({ latencyMs: 10_000 }).pipe(Scope.extend(scope))
      const agent = new http.Agent({ keepAlive: true })
      const inFlight = new Promise<string>((resolve) => {
        http.get(`${sb.origin}/items`, { agent }, () => resolve("answered")).on("error", () => resolve("reset"))
      })
      while (sb.stats().requests === 0) yield* Effect.sleep("10 millis")
      const started = Date.now()
      // a server that waited for its sockets would wait for the held answer (timed out here rather than hang)
      yield* Scope.close(scope, Exit.void).pipe(Effect.timeout("3 seconds"))
      expect(Date.now() - started).toBeLessThan(2000)
      expect(yield* Effect.promise(() => inFlight)).toBe("reset")
      expect(yield* call(sb.origin, "/open")).toBe("dropped")
      agent.destroy()
    })
  )

  it.live("a busy port fails with SandboxStartError Listen", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const first = yield* testSandbox({}).pipe(Scope.extend(scope))
      const error = yield* Effect.flip(Effect.scoped(testSandbox({ port: first.port })))
      expect(error._tag).toBe("SandboxStartError")
      expect(error.reason).toBe("Listen")
      expect(error.message).toContain(`cannot listen on 127.0.0.1:${first.port}`)
      yield* Scope.close(scope, Exit.void)
    })
  )
})
