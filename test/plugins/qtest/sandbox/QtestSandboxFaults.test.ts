/**
 * The sandbox's transport misbehaviour, on purpose: the gateway's rate limit (429 + `retry-after` +
 * `x-ratelimit-*`), injected 5xx and dropped connections that never leave a write half done, the "applied but
 * the response was lost" fault, latency, option validation and a clean shutdown.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import * as net from "node:net"
import { startQtestSandbox, type QtestSandboxOptions } from "../../../../plugins/qtest/sandbox/QtestSandbox.ts"
import { attempt, call, control, ok, p } from "./helpers.ts"

describe("QtestSandbox faults", () => {
  it.scopedLive("rateLimit: calls beyond the per-second budget get 429 with retry-after and the x-ratelimit headers", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ rateLimit: 2 })
      const results = yield* Effect.all(
        Array.from({ length: 30 }, () => attempt(sb, "GET", p(sb))),
        { concurrency: 30 }
      )
      const statuses = results.map((r) => (r === "dropped" ? 0 : r.status))
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1)
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(4)
      const throttled = results.filter((r) => r !== "dropped" && r.status === 429)
      for (const r of throttled) {
        if (r === "dropped") continue
        expect(r.body).toEqual({ message: "API rate limit exceeded" })
        expect(r.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/)
        expect(r.headers.get("ratelimit-remaining")).toBe("0")
        expect(Number(r.headers.get("ratelimit-reset"))).toBeGreaterThanOrEqual(1)
        expect(r.headers.get("x-ratelimit-limit-minute")).toBe("120")
      }
      expect(sb.stats().throttled).toBe(throttled.length)
      // The budget comes back with the next window.
      yield* Effect.sleep("1100 millis")
      expect((yield* call(sb, "GET", p(sb))).status).toBe(200)
    })
  )

  it.scopedLive("rateLimit: every response says how much is left; without a quota there are no such headers", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ rateLimit: 50 })
      const a = yield* call(sb, "GET", p(sb))
      const b = yield* call(sb, "GET", p(sb))
      expect(Number(b.headers.get("x-ratelimit-remaining-month"))).toBeLessThan(Number(a.headers.get("x-ratelimit-remaining-month")))
      expect(Number(b.headers.get("x-ratelimit-remaining-minute"))).toBeLessThan(Number(a.headers.get("x-ratelimit-remaining-minute")))
      expect(a.headers.get("x-ratelimit-limit-month")).toBe("1000000")
      const free = yield* startQtestSandbox({})
      expect((yield* call(free, "GET", p(free))).headers.get("x-ratelimit-remaining-minute")).toBeNull()
    })
  )

  it.scopedLive("faultRate=1: every call fails with a 500/502/503 {message} or a dropped connection; control endpoints are exempt", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ faultRate: 1, seed: 3, rateLimit: 1 })
      const results = yield* Effect.all(
        Array.from({ length: 40 }, () => attempt(sb, "GET", p(sb, "/modules"))),
        { concurrency: 1 }
      )
      const kinds = new Set<string>()
      for (const r of results) {
        if (r === "dropped") kinds.add("dropped")
        else if (r.status === 429) kinds.add("429")
        else {
          kinds.add(String(r.status))
          expect(Object.keys(r.body)).toEqual(["message"])
        }
      }
      // The quota is checked first (the first call passes it), then the fault.
      expect(kinds.has("429")).toBe(true)
      const faulty = yield* startQtestSandbox({ faultRate: 1, seed: 3 })
      const more = yield* Effect.all(
        Array.from({ length: 40 }, () => attempt(faulty, "GET", p(faulty, "/modules"))),
        { concurrency: 1 }
      )
      expect(new Set(more.map((r) => (r === "dropped" ? "dropped" : String(r.status))))).toEqual(new Set(["500", "502", "503", "dropped"]))
      expect(faulty.stats().faults).toBe(40)
      expect((yield* control(faulty, "POST", "reset")).status).toBe(200)
    })
  )

  it.scopedLive("faultRate never leaves a write half done: exactly the answered creates exist", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ faultRate: 0.5, seed: 11 })
      const results = yield* Effect.all(
        Array.from({ length: 30 }, (_, i) => attempt(sb, "POST", p(sb, "/modules"), { json: { name: `M${i}` } })),
        { concurrency: 1 }
      )
      const created = results.filter((r) => r !== "dropped" && r.status === 201)
      expect(created.length).toBeGreaterThan(5)
      expect(created.length).toBeLessThan(30)
      // Read back without faults: reset the fault stream by reading until a GET succeeds.
      let modules: any
      for (let i = 0; i < 50 && modules === undefined; i++) {
        const r = yield* attempt(sb, "GET", p(sb, "/modules"))
        if (r !== "dropped" && r.status === 200) modules = r.body
      }
      expect(modules.map((m: any) => m.name).sort()).toEqual(created.map((r) => (r === "dropped" ? "" : r.body.name)).sort())
    })
  )

  it.scopedLive("faultAfterWriteRate=1: a successful write is applied and its response lost; reads and refused writes answer", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ faultAfterWriteRate: 1 })
      expect(yield* attempt(sb, "POST", p(sb, "/test-cases"), { json: { name: "Lost answer", properties: [] } })).toBe("dropped")
      const cases = yield* ok(sb, "GET", p(sb, "/test-cases"))
      expect(cases.map((c: any) => c.name)).toEqual(["Lost answer"])
      expect(yield* attempt(sb, "PUT", p(sb, `/test-cases/${cases[0].id}/approve`))).toBe("dropped")
      expect((yield* ok(sb, "GET", p(sb, `/test-cases/${cases[0].id}`))).version).toBe("1.0")
      const refused = yield* attempt(sb, "POST", p(sb, "/test-runs"), { json: { name: "No case" } })
      expect(refused === "dropped" ? 0 : refused.status).toBe(400)
      // A search is a query sent with POST, not a write: its answer arrives.
      const found = yield* attempt(sb, "POST", p(sb, "/search"), { json: { object_type: "test-cases", query: "Name = 'Lost answer'" } })
      expect(found === "dropped" ? "dropped" : found.body.total).toBe(1)
      expect(sb.stats().faults).toBe(2)
    })
  )

  it.scopedLive("faultAfterWriteRate=0.5: every create is applied, about half of the answers are lost", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ faultAfterWriteRate: 0.5, seed: 5 })
      const results = yield* Effect.all(
        Array.from({ length: 30 }, (_, i) => attempt(sb, "POST", p(sb, "/requirements"), { json: { name: `REQ-${i}`, properties: [] } })),
        { concurrency: 1 }
      )
      const dropped = results.filter((r) => r === "dropped").length
      expect(dropped).toBeGreaterThan(5)
      expect(dropped).toBeLessThan(25)
      expect(yield* ok(sb, "GET", p(sb, "/requirements?size=100"))).toHaveLength(30)
    })
  )

  it.scopedLive("latencyMs delays every response", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ latencyMs: 150 })
      const started = Date.now()
      expect((yield* call(sb, "GET", p(sb))).status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    })
  )

  it.scopedLive("invalid options fail with QtestSandboxError Config; a taken port with Listen", () =>
    Effect.gen(function* () {
      const bad: ReadonlyArray<QtestSandboxOptions> = [
        { port: -1 },
        { rateLimit: 0 },
        { faultRate: 2 },
        { faultAfterWriteRate: -0.1 },
        { latencyMs: -5 },
        { maxAttachmentBytes: 0 },
        { jobPolls: 0 },
        { token: "" },
        { seed: 1.5 },
        { users: [{ username: "a@x", email: "a@x" }, { username: "A@x", email: "b@x" }] },
        { extraExecutionStatuses: [{ name: "Passed" }] }
      ]
      for (const options of bad) {
        const exit = yield* Effect.exit(startQtestSandbox(options))
        expect(Exit.isFailure(exit), JSON.stringify(options)).toBe(true)
        if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain('"reason":"Config"')
      }
      const first = yield* startQtestSandbox({})
      const taken = yield* Effect.exit(startQtestSandbox({ port: first.port }))
      expect(Exit.isFailure(taken) && JSON.stringify(taken.cause).includes('"reason":"Listen"')).toBe(true)
    })
  )

  it.live("closing the scope stops the server", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const sb = yield* startQtestSandbox({}).pipe(Scope.extend(scope))
      expect((yield* call(sb, "GET", p(sb))).status).toBe(200)
      yield* Scope.close(scope, Exit.void)
      const refused = yield* Effect.promise(
        () =>
          new Promise<boolean>((resolve) => {
            const socket = net.connect(sb.port, "127.0.0.1")
            socket.on("connect", () => {
              socket.destroy()
              resolve(false)
            })
            socket.on("error", () => resolve(true))
          })
      )
      expect(refused).toBe(true)
    })
  )
})

describe("QtestSandbox chaos options", () => {
  it.scopedLive("faultAfterWriteRate covers updates: a PUT of a test case is applied, its answer lost", () =>
    Effect.gen(function* () {
      const lossy = yield* startQtestSandbox({ faultAfterWriteRate: 1 })
      expect(yield* attempt(lossy, "POST", p(lossy, "/test-cases"), { json: { name: "Before", properties: [] } })).toBe("dropped")
      const [lost] = yield* ok(lossy, "GET", p(lossy, "/test-cases"))
      expect(yield* attempt(lossy, "PUT", p(lossy, `/test-cases/${lost.id}`), { json: { name: "After", properties: [] } })).toBe("dropped")
      expect((yield* ok(lossy, "GET", p(lossy, `/test-cases/${lost.id}`))).name).toBe("After")
      expect(lossy.stats().faults).toBe(2)
    })
  )

  it.scopedLive("storm: calls 3–4 and 8–9 get 429 with x-ratelimit-remaining-minute 0; the call before a storm says 0 left", () =>
    Effect.gen(function* () {
      for (const retryAfterSeconds of [30, 1, 0, undefined]) {
        const sb = yield* startQtestSandbox({ storm: { after: 2, length: 2, every: 5, retryAfterSeconds } })
        const results = yield* Effect.forEach(Array.from({ length: 10 }), () => call(sb, "GET", p(sb)))
        expect(results.map((r) => r.status)).toEqual([200, 200, 429, 429, 200, 200, 200, 429, 429, 200])
        expect(results.map((r) => r.headers.get("x-ratelimit-remaining-minute"))).toEqual(["1", "0", "0", "0", "2", "1", "0", "0", "0", "2"])
        for (const r of results) {
          expect(r.headers.get("x-ratelimit-limit-minute")).toBe("3")
          expect(r.headers.get("x-ratelimit-limit-month")).toBe("1000000")
          expect(Number(r.headers.get("x-ratelimit-remaining-month"))).toBeGreaterThan(999_990)
        }
        const refused = results.filter((r) => r.status === 429)
        for (const r of refused) {
          expect(r.body).toEqual({ message: "API rate limit exceeded" })
          expect(r.headers.get("retry-after")).toBe(retryAfterSeconds === undefined ? null : String(retryAfterSeconds))
          expect(r.headers.get("ratelimit-reset")).toBe(retryAfterSeconds === undefined ? null : String(retryAfterSeconds))
        }
        expect(results.filter((r) => r.status === 200).every((r) => r.headers.get("retry-after") === null)).toBe(true)
        expect(sb.stats().throttled).toBe(4)
      }
    })
  )

  it.scopedLive("tokenExpiresAfterRequests: the API token is refused with 401 after N calls; an issued token works", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ tokenExpiresAfterRequests: 3 })
      const statuses = []
      for (let i = 0; i < 5; i++) statuses.push((yield* call(sb, "GET", p(sb))).status)
      expect(statuses).toEqual([200, 200, 200, 401, 401])
      const refused = yield* call(sb, "GET", p(sb))
      expect(refused.body).toEqual({ message: "Invalid or expired access token" })
      const renewed = sb.issueToken()
      expect(renewed).not.toBe(sb.token)
      expect((yield* call(sb, "GET", p(sb), { token: renewed })).status).toBe(200)
      // the sandbox's own control endpoints keep accepting the configured token
      expect((yield* control(sb, "GET", "parameters")).status).toBe(200)
    })
  )

  it.scopedLive("faultKinds: slow handles the request — a create is applied — and holds the answer", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ faultRate: 1, faultKinds: ["slow"], slowResponseMs: 400 })
      const started = Date.now()
      const timedOut = yield* Effect.promise(() =>
        fetch(`${sb.baseUrl}${p(sb, "/test-cases")}`, {
          method: "POST",
          headers: { authorization: `Bearer ${sb.token}`, "content-type": "application/json" },
          body: JSON.stringify({ name: "Slow", properties: [] }),
          signal: AbortSignal.timeout(100)
        }).then(
          () => "answered",
          () => "timeout"
        )
      )
      expect(timedOut).toBe("timeout")
      expect(Date.now() - started).toBeLessThan(400)
      // the create was applied although its answer came too late
      yield* Effect.sleep("450 millis")
      const held = yield* call(sb, "GET", p(sb, "/test-cases"))
      expect(held.status).toBe(200)
      expect(held.body.map((c: { name: string }) => c.name)).toEqual(["Slow"])
    })
  )

  it.effect("chaos options are checked", () =>
    Effect.gen(function* () {
      for (const bad of [{ faultKinds: ["slow"] }, { storm: { after: -1, length: 1 } }, { tokenExpiresAfterRequests: 1.5 }, { slowResponseMs: -1 }] as const) {
        const e = yield* Effect.flip(Effect.scoped(startQtestSandbox(bad as QtestSandboxOptions)))
        expect(e.reason).toBe("Config")
      }
    })
  )
})
