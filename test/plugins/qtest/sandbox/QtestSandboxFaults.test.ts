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
