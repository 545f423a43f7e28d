/**
 * ApiHttp against a real HTTP server on loopback: status mapping, Retry-After, retries, bearer auth, streaming.
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Stream } from "effect"
import { makePluginContext } from "../../../core/plugin/PluginContext.ts"
import { parseRetryAfter } from "../../../core/http/ApiHttp.ts"

let server: http.Server
let baseUrl = ""
const hits = new Map<string, number>()

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x")
    const n = (hits.get(url.pathname) ?? 0) + 1
    hits.set(url.pathname, n)
    if (url.pathname === "/basic") {
      const ok = req.headers.authorization === `Basic ${Buffer.from("svc-migrate:pa:ss").toString("base64")}`
      res.writeHead(ok ? 200 : 401, { "content-type": "application/json" }).end(JSON.stringify({ ok }))
      return
    }
    if (req.headers.authorization !== "Bearer s3cret") {
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: "bad token" }))
      return
    }
    switch (url.pathname) {
      case "/ok":
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ q: url.searchParams.get("q") }))
        return
      case "/throttle-then-ok":
        if (n < 3) res.writeHead(429, { "retry-after": "0", "content-type": "application/json" }).end(JSON.stringify({ errorCode: 429, message: "slow down" }))
        else res.writeHead(200, { "content-type": "application/json" }).end("[1,2,3]")
        return
      case "/drop-then-ok":
        if (n < 2) req.socket.destroy()
        else res.writeHead(200, { "content-type": "application/json" }).end("{}")
        return
      case "/slow-then-ok":
        // the first answer comes after the client's time limit: a 429 the client never reads
        if (n < 2) setTimeout(() => res.writeHead(429, { "content-type": "application/json" }).end("{}"), 300)
        else res.writeHead(200, { "content-type": "application/json" }).end("{}")
        return
      case "/slower-then-ok":
        // past a limit of 2 s (the client's own timers): headers after 4 s the first time
        if (n < 2) setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end("{}"), 4000)
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ second: true }))
        return
      case "/stall-then-ok":
        // headers at once, then half the body, then nothing for 4 s the first time
        if (n < 2) {
          res.writeHead(200, { "content-type": "application/json" }).write('{"half":')
          setTimeout(() => res.end("1}"), 4000)
        } else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ whole: true }))
        return
      case "/missing":
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ errorCode: 404, message: "no such thing" }))
        return
      case "/always-500":
        res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ errorCode: 500, message: "boom" }))
        return
      case "/bytes": {
        const body = Buffer.alloc(256 * 1024)
        for (let i = 0; i < body.length; i++) body[i] = i % 251
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(body.length) }).end(body)
        return
      }
      default:
        res.writeHead(404).end()
    }
  })
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((r) => server.close(() => r())))

const client = (token = "s3cret", errorMessage?: (body: string) => string | undefined) =>
  makePluginContext({ system: "test", stateDir: "/tmp/unused", retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 } }).pipe(
    Effect.map((ctx) => {
      const http = ctx.http({ baseUrl, bearer: Redacted.make(token), errorMessage })
      return { ctx, http, getJson: (path: string, query?: Readonly<Record<string, string | undefined>>) => Effect.map(http.send("GET", path, { query }), (r) => r.body) }
    })
  )

describe("ApiHttp", () => {
  it("parses Retry-After: seconds, 0 and junk mean backoff, HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3)
    expect(parseRetryAfter("0")).toBeUndefined()
    expect(parseRetryAfter(undefined)).toBeUndefined()
    expect(parseRetryAfter("soon")).toBeUndefined()
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThanOrEqual(9)
  })

  it("sends the bearer token and query, parses JSON", async () => {
    const body = await Effect.runPromise(client().pipe(Effect.flatMap(({ getJson }) => getJson("/ok", { q: "a b", skip: undefined }))))
    expect(body).toEqual({ q: "a b" })
  })

  it("sends Basic credentials when given them, instead of a bearer token; the password stays Redacted", async () => {
    const send = (password: string) =>
      makePluginContext({ system: "test", stateDir: "/tmp/unused", retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 20 } }).pipe(
        Effect.flatMap((ctx) => ctx.http({ baseUrl, bearer: Redacted.make("s3cret"), basic: { username: "svc-migrate", password: Redacted.make(password) } }).send("GET", "/basic")),
        Effect.map((r) => r.body),
        Effect.either
      )
    expect(await Effect.runPromise(send("pa:ss"))).toMatchObject({ right: { ok: true } })
    const refused = await Effect.runPromise(send("wrong-password"))
    expect(refused).toMatchObject({ left: { reason: "Unauthorized", status: 401 } })
    expect(JSON.stringify(refused)).not.toContain("wrong-password")
  })

  it("retries 429 with Retry-After: 0 on backoff, and dropped connections", async () => {
    const { result, retries } = await Effect.runPromise(
      client().pipe(Effect.flatMap(({ getJson, ctx }) => Effect.all({ a: getJson("/throttle-then-ok"), b: getJson("/drop-then-ok") }).pipe(Effect.map((result) => ({ result, retries: ctx.metrics.of("test") })))))
    )
    expect(result.a).toEqual([1, 2, 3])
    expect(result.b).toEqual({})
    expect(retries.throttled).toBe(2)
    expect(retries.retries).toBe(3)
  })

  it("counts an attempt that timed out among the failed ones, as timed out, and retries it", async () => {
    const ctxOf = makePluginContext({ system: "test", stateDir: "/tmp/unused", requestTimeoutMs: 100, retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 } })
    const counters = await Effect.runPromise(
      ctxOf.pipe(
        Effect.flatMap((ctx) => {
          const http = ctx.http({ baseUrl, bearer: Redacted.make("s3cret") })
          return Effect.as(http.send("GET", "/slow-then-ok"), ctx.metrics.of("test"))
        })
      )
    )
    expect(counters).toMatchObject({ requests: 2, retries: 1, failed: 1, timedOut: 1, throttled: 0 })
  })

  it("a limit of seconds is the client's own: headers that do not come, and a body that stalls, time the attempt out", async () => {
    const ctxOf = makePluginContext({ system: "test", stateDir: "/tmp/unused", requestTimeoutMs: 2000, retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } })
    const { bodies, counters } = await Effect.runPromise(
      ctxOf.pipe(
        Effect.flatMap((ctx) => {
          const http = ctx.http({ baseUrl, bearer: Redacted.make("s3cret") })
          return Effect.all([http.send("GET", "/slower-then-ok"), http.send("GET", "/stall-then-ok")], { concurrency: 2 }).pipe(
            Effect.map((answers) => ({ bodies: answers.map((a) => a.body), counters: ctx.metrics.of("test") }))
          )
        })
      )
    )
    expect(bodies).toEqual([{ second: true }, { whole: true }])
    // both retried; the attempt counters count an exchange that got no answer (a body that stalled came with one)
    expect(counters).toMatchObject({ requests: 4, retries: 2, failed: 1, timedOut: 1 })
  }, 15_000)

  it("a wait for a slot under the rate cap does not count against the request's time limit", async () => {
    // 30 requests at 20/s: a burst of 20, then one every 50 ms — the last waits half a second for its slot, while
    // each exchange is well inside its 100 ms
    const ctxOf = makePluginContext({ system: "test", stateDir: "/tmp/unused", requestTimeoutMs: 100, rateLimitPerSecond: 20, retry: { maxAttempts: 1 } })
    const { bodies, counters } = await Effect.runPromise(
      ctxOf.pipe(
        Effect.flatMap((ctx) => {
          const http = ctx.http({ baseUrl, bearer: Redacted.make("s3cret") })
          return Effect.forEach(Array.from({ length: 30 }, (_, i) => http.send("GET", "/ok", { query: { q: String(i) } })), (e) => e, { concurrency: 30 }).pipe(
            Effect.map((answers) => ({ bodies: answers.map((a) => a.body), counters: ctx.metrics.of("test") }))
          )
        })
      )
    )
    expect(bodies).toHaveLength(30)
    expect(counters).toMatchObject({ requests: 30, failed: 0, timedOut: 0 })
  })

  it("maps 401 and 404 to their reasons without retrying, and never echoes the token", async () => {
    const e401 = await Effect.runPromise(client("wrong-token").pipe(Effect.flatMap(({ getJson }) => Effect.flip(getJson("/ok")))))
    expect(e401.reason).toBe("Unauthorized")
    expect(e401.message).toContain("bad token")
    expect(JSON.stringify(e401)).not.toContain("wrong-token")
    const before = hits.get("/missing") ?? 0
    const e404 = await Effect.runPromise(client().pipe(Effect.flatMap(({ getJson }) => Effect.flip(getJson("/missing")))))
    expect(e404.reason).toBe("NotFound")
    expect(e404.message).toContain("no such thing")
    expect(hits.get("/missing")).toBe(before + 1)
  })

  it("an error's message is what the plugin reads in its system's body; core knows no vendor's format", async () => {
    const raw = await Effect.runPromise(client().pipe(Effect.flatMap(({ getJson }) => Effect.flip(getJson("/missing")))))
    expect(raw.message).toContain('{"errorCode":404,"message":"no such thing"}')
    const read = (body: string) => (JSON.parse(body) as { message?: string }).message
    const e = await Effect.runPromise(client("s3cret", read).pipe(Effect.flatMap(({ getJson }) => Effect.flip(getJson("/missing")))))
    expect(e.message).toMatch(/answered 404: no such thing$/)
    // a reader that throws on a body it does not know leaves the text
    const strict = (body: string) => String((JSON.parse(body) as { nope: { deeper: string } }).nope.deeper)
    const e2 = await Effect.runPromise(client("s3cret", strict).pipe(Effect.flatMap(({ getJson }) => Effect.flip(getJson("/missing")))))
    expect(e2.message).toContain('{"errorCode":404')
  })

  it("gives up on a persistent 5xx after maxAttempts", async () => {
    const e = await Effect.runPromise(client().pipe(Effect.flatMap(({ getJson }) => Effect.flip(getJson("/always-500")))))
    expect(e.reason).toBe("Server")
    expect(hits.get("/always-500")).toBe(4)
  })

  it("streams bytes", async () => {
    const size = await Effect.runPromise(
      client().pipe(
        Effect.flatMap(({ http }) => http.send("GET", "/bytes", { response: "bytes" })),
        Effect.flatMap((r) => Stream.runFold(r.stream, 0, (n, c) => n + c.byteLength))
      )
    )
    expect(size).toBe(256 * 1024)
  })
})
