/**
 * The sandbox's transport misbehaviour, on purpose: rate limiting (429 + Retry-After, sometimes 0), injected
 * 5xx, dropped connections and responses slower than the client's timeout, latency, option validation and a
 * clean shutdown.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { DEFAULT_SLOW_RESPONSE_MS, startZephyrSandbox, type ZephyrSandboxOptions } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import { get } from "./helpers.ts"

/** fetch that reports a dropped connection as `"dropped"` instead of throwing. */
const attempt = (url: string, token: string) =>
  Effect.promise(async () => {
    try {
      const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
      return { status: r.status, body: await r.text(), retryAfter: r.headers.get("retry-after") }
    } catch {
      return "dropped" as const
    }
  })

/** fetch with a client timeout, as core's HTTP layer has: `"timeout"`, `"dropped"`, or the status and time. */
const timed = (url: string, token: string, timeoutMs: number) =>
  Effect.promise(async () => {
    const started = Date.now()
    try {
      const r = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) })
      await r.arrayBuffer()
      return { status: r.status, ms: Date.now() - started }
    } catch (e) {
      return e instanceof Error && (e.name === "TimeoutError" || e.name === "AbortError") ? ("timeout" as const) : ("dropped" as const)
    }
  })

describe("ZephyrSandbox faults", () => {
  it.scopedLive("rateLimit: requests beyond the budget get 429 with a whole-second Retry-After", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ rateLimit: 2, seed: 7 })
      const results = yield* Effect.all(
        Array.from({ length: 30 }, () => attempt(`${sb.baseUrl}/projects`, sb.token)),
        { concurrency: 30 }
      )
      const statuses = results.map((r) => (r === "dropped" ? 0 : r.status))
      expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1)
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(3)
      const throttled = results.filter((r) => r !== "dropped" && r.status === 429)
      expect(throttled.length).toBeGreaterThanOrEqual(27)
      for (const r of throttled) {
        if (r === "dropped") continue
        expect(r.retryAfter).toMatch(/^[0-9]+$/)
        expect(JSON.parse(r.body)).toMatchObject({ errorCode: 429 })
      }
      // Some 429s say `Retry-After: 0` (as Zephyr Cloud has done), some a positive value.
      const values = new Set(throttled.map((r) => (r === "dropped" ? "" : r.retryAfter)))
      expect(values.has("0")).toBe(true)
      expect([...values].some((v) => v !== "0")).toBe(true)
      expect(sb.stats().throttled).toBe(throttled.length)
    })
  )

  it.scopedLive("rateLimit: the budget refills over time", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ rateLimit: 20 })
      for (let i = 0; i < 20; i++) yield* get(sb, "/projects")
      yield* Effect.sleep("1100 millis")
      expect((yield* get(sb, "/projects")).status).toBe(200)
    })
  )

  it.scopedLive("faultRate=1: every request fails with a 5xx body or a dropped connection", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ faultRate: 1, seed: 3 })
      const results = yield* Effect.all(
        Array.from({ length: 40 }, (_, i) => attempt(`${sb.baseUrl}/testcases?startAt=${i}`, sb.token)),
        { concurrency: 4 }
      )
      const kinds = new Set<string>()
      for (const r of results) {
        if (r === "dropped") {
          kinds.add("dropped")
          continue
        }
        expect([500, 502, 503]).toContain(r.status)
        const body = JSON.parse(r.body)
        expect(body.errorCode).toBe(r.status)
        expect(typeof body.message).toBe("string")
        kinds.add(String(r.status))
      }
      expect(kinds.has("dropped")).toBe(true)
      expect([...kinds].filter((k) => k !== "dropped").length).toBeGreaterThanOrEqual(2)
      expect(sb.stats().faults).toBe(40)
    })
  )

  it.scopedLive("faultRate is deterministic by seed", () =>
    Effect.gen(function* () {
      const run = (seed: number) =>
        Effect.scoped(
          Effect.gen(function* () {
            const sb = yield* startZephyrSandbox({ faultRate: 0.5, seed })
            const out: Array<string> = []
            for (let i = 0; i < 20; i++) {
              const r = yield* attempt(`${sb.baseUrl}/projects`, sb.token)
              out.push(r === "dropped" ? "x" : String(r.status))
            }
            return out.join(",")
          })
        )
      const a = yield* run(11)
      expect(yield* run(11)).toBe(a)
      expect(a).toContain("200")
      expect(a).not.toMatch(/^(200,)*200$/)
    })
  )

  it.scopedLive("slowResponseMs: some faults are correct answers held longer than the client's timeout", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ faultRate: 1, seed: 5, slowResponseMs: 600 })
      const results = yield* Effect.all(
        Array.from({ length: 30 }, () => timed(`${sb.baseUrl}/projects`, sb.token, 250)),
        { concurrency: 30 }
      )
      const kinds = new Set(results.map((r) => (typeof r === "string" ? r : String(r.status))))
      expect(kinds.has("timeout")).toBe(true)
      expect(kinds.has("dropped")).toBe(true)
      expect([...kinds].some((k) => /^5\d\d$/.test(k))).toBe(true)
      expect(kinds.has("200")).toBe(false)
      // A client that waits long enough gets the real answer, late.
      const patient = yield* Effect.all(
        Array.from({ length: 12 }, () => timed(`${sb.baseUrl}/projects`, sb.token, 5_000)),
        { concurrency: 12 }
      )
      const slow = patient.filter((r) => typeof r !== "string" && r.status === 200)
      expect(slow.length).toBeGreaterThan(0)
      for (const r of slow) if (typeof r !== "string") expect(r.ms).toBeGreaterThanOrEqual(580)
      expect(DEFAULT_SLOW_RESPONSE_MS).toBeGreaterThan(30_000)
    })
  )

  it.scopedLive("Retry-After values (0 or whole seconds) are deterministic by seed", () =>
    Effect.gen(function* () {
      const run = (seed: number) =>
        Effect.scoped(
          Effect.gen(function* () {
            const sb = yield* startZephyrSandbox({ rateLimit: 1, seed })
            const out: Array<string> = []
            for (let i = 0; i < 25; i++) {
              const r = yield* attempt(`${sb.baseUrl}/projects`, sb.token)
              if (r !== "dropped" && r.status === 429) out.push(r.retryAfter === "0" ? "0" : "n")
            }
            return out.join("")
          })
        )
      const a = yield* run(21)
      expect(a.length).toBeGreaterThanOrEqual(20)
      expect(a).toContain("0")
      expect(a).toContain("n")
      expect(yield* run(21)).toBe(a)
    })
  )

  it.live("the new options are validated too (scale, seed, slowResponseMs)", () =>
    Effect.gen(function* () {
      const bad: ReadonlyArray<ZephyrSandboxOptions> = [{ scale: "huge" as never }, { seed: 1.5 }, { slowResponseMs: -1 }]
      for (const options of bad) {
        const exit = yield* Effect.exit(Effect.scoped(startZephyrSandbox(options)))
        expect(Exit.isFailure(exit), JSON.stringify(options)).toBe(true)
      }
    })
  )

  it.scopedLive("maxResults and limit never exceed 1000, even with a higher cap configured", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ scale: "small", maxResultsCap: 5000 })
      expect((yield* get(sb, "/testexecutions?maxResults=5000")).body.maxResults).toBe(1000)
      expect((yield* get(sb, "/testexecutions/nextgen?limit=5000")).body.limit).toBe(1000)
    })
  )

  it.scopedLive("latencyMs delays every response", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ latencyMs: 150 })
      const started = Date.now()
      expect((yield* get(sb, "/projects")).status).toBe(200)
      expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    })
  )

  it.live("invalid options fail with SandboxStartError", () =>
    Effect.gen(function* () {
      for (const options of [{ faultRate: 2 }, { rateLimit: 0 }, { port: -1 }, { maxResultsCap: 0 }, { token: "" }]) {
        const exit = yield* Effect.exit(Effect.scoped(startZephyrSandbox(options)))
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) expect(JSON.stringify(exit.cause)).toContain("SandboxStartError")
      }
    })
  )

  it.live("a port already in use fails with reason Listen", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const first = yield* startZephyrSandbox({}).pipe(Scope.extend(scope))
      const error = yield* Effect.flip(Effect.scoped(startZephyrSandbox({ port: first.port })))
      expect(error._tag).toBe("SandboxStartError")
      expect(error.reason).toBe("Listen")
      yield* Scope.close(scope, Exit.void)
    })
  )

  it.live("closing the scope closes the server, including kept-alive sockets", () =>
    Effect.gen(function* () {
      const scope = yield* Scope.make()
      const sb = yield* startZephyrSandbox({}).pipe(Scope.extend(scope))
      expect((yield* get(sb, "/projects")).status).toBe(200)
      yield* Scope.close(scope, Exit.void)
      const after = yield* attempt(`${sb.baseUrl}/projects`, sb.token)
      expect(after).toBe("dropped")
    })
  )
})

describe("ZephyrSandbox chaos options", () => {
  it.scopedLive("storm: requests 4–6 and 11–13 answer 429, with the Retry-After asked for, or none", () =>
    Effect.gen(function* () {
      for (const retryAfterSeconds of [30, 0, undefined]) {
        const sb = yield* startZephyrSandbox({ storm: { after: 3, length: 3, every: 7, retryAfterSeconds } })
        const results = yield* Effect.forEach(Array.from({ length: 14 }), () => attempt(`${sb.baseUrl}/projects`, sb.token))
        const statuses = results.map((r) => (r === "dropped" ? 0 : r.status))
        expect(statuses).toEqual([200, 200, 200, 429, 429, 429, 200, 200, 200, 200, 429, 429, 429, 200])
        for (const r of results) if (r !== "dropped" && r.status === 429) expect(r.retryAfter).toBe(retryAfterSeconds === undefined ? null : String(retryAfterSeconds))
        expect(sb.stats().throttled).toBe(6)
      }
    })
  )

  it.scopedLive("faultKinds: only the kinds asked for — 5xx only, drops only", () =>
    Effect.gen(function* () {
      const fives = yield* startZephyrSandbox({ faultRate: 0.5, faultKinds: ["5xx"], seed: 3 })
      const drops = yield* startZephyrSandbox({ faultRate: 0.5, faultKinds: ["drop"], seed: 3 })
      const a = yield* Effect.forEach(Array.from({ length: 30 }), () => attempt(`${fives.baseUrl}/projects`, fives.token))
      const b = yield* Effect.forEach(Array.from({ length: 30 }), () => attempt(`${drops.baseUrl}/projects`, drops.token))
      expect(a.every((r) => r !== "dropped" && [200, 500, 502, 503].includes(r.status))).toBe(true)
      expect(a.filter((r) => r !== "dropped" && r.status >= 500).length).toBe(fives.stats().faults)
      expect(b.every((r) => r === "dropped" || r.status === 200)).toBe(true)
      expect(b.filter((r) => r === "dropped").length).toBe(drops.stats().faults)
      expect(fives.stats().faults).toBeGreaterThan(5)
      expect(drops.stats().faults).toBeGreaterThan(5)
    })
  )

  it.scopedLive("faultKinds: slow holds a correct answer past a client's timeout", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ faultRate: 1, faultKinds: ["slow"], slowResponseMs: 400 })
      expect(yield* timed(`${sb.baseUrl}/projects`, sb.token, 150)).toBe("timeout")
      const patient = yield* timed(`${sb.baseUrl}/projects`, sb.token, 5000)
      expect(patient).toMatchObject({ status: 200 })
    })
  )

  it.effect("chaos options are checked", () =>
    Effect.gen(function* () {
      for (const bad of [{ faultKinds: ["slow"] }, { faultKinds: [] }, { storm: { after: 1, length: 0 } }, { storm: { after: 1, length: 3, every: 2 } }, { storm: { after: 0, length: 1, retryAfterSeconds: 1.5 } }] as const) {
        const e = yield* Effect.flip(Effect.scoped(startZephyrSandbox(bad as ZephyrSandboxOptions)))
        expect(e.reason).toBe("Options")
      }
    })
  )
})
