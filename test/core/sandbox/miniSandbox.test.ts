/**
 * The walk-through's sandbox (examples/sandbox-kit/MiniSandbox.ts, docs/sandbox-kit.md) does what the doc says:
 * its routes, a 429 with Retry-After from a storm, an injected fault in its own error body, the statistics, its
 * control endpoint, and its capability.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { miniSandboxCapability, type RunningMiniSandbox, startMiniSandbox } from "../../../examples/sandbox-kit/MiniSandbox.ts"

const get = (sb: RunningMiniSandbox, path: string, token: string = sb.token) =>
  Effect.promise(async () => {
    try {
      const r = await fetch(`${sb.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })
      return { status: r.status, retryAfter: r.headers.get("retry-after"), body: (await r.json()) as any }
    } catch {
      return "dropped" as const
    }
  })

describe("the mini sandbox of the walk-through", () => {
  it.scopedLive("serves its routes behind its token, counted by template", () =>
    Effect.gen(function* () {
      const sb = yield* startMiniSandbox({ cases: 3 })
      expect(yield* get(sb, "/cases?limit=2")).toMatchObject({ status: 200, body: { total: 3, offset: 0, items: [{ id: 1, title: "Case 1" }, { id: 2, title: "Case 2" }] } })
      expect(yield* get(sb, "/cases/3")).toMatchObject({ status: 200, body: { id: 3 } })
      expect(yield* get(sb, "/cases/9")).toMatchObject({ status: 404, body: { error: "nothing at /api/cases/9" } })
      expect(yield* get(sb, "/cases", "wrong")).toMatchObject({ status: 401, body: { error: "a valid bearer token is required" } })
      expect(sb.stats()).toEqual({ requests: 4, byPath: { "/api/cases": 2, "/api/cases/{id}": 2 }, faults: 0, throttled: 0 })
    })
  )

  it.scopedLive("a storm answers 429 with the Retry-After it asks for, in the tracker's error body", () =>
    Effect.gen(function* () {
      const sb = yield* startMiniSandbox({ storm: { after: 2, length: 1, retryAfterSeconds: 2 } })
      const results = yield* Effect.forEach(Array.from({ length: 4 }), () => get(sb, "/cases"))
      expect(results.map((r) => (r === "dropped" ? 0 : r.status))).toEqual([200, 200, 429, 200])
      expect(results[2]).toEqual({ status: 429, retryAfter: "2", body: { error: "too many requests" } })
      expect(sb.stats().throttled).toBe(1)
    })
  )

  it.scopedLive("faults: 5xx in the tracker's body, dropped connections, counted", () =>
    Effect.gen(function* () {
      const fives = yield* startMiniSandbox({ faultRate: 1, faultKinds: ["5xx"], seed: 2 })
      const r = yield* get(fives, "/cases")
      expect(r === "dropped" ? 0 : r.status).toBeGreaterThanOrEqual(500)
      expect(r === "dropped" ? undefined : r.body).toEqual({ error: "the tracker is having a bad day" })
      const drops = yield* startMiniSandbox({ faultRate: 1, faultKinds: ["drop"] })
      expect(yield* get(drops, "/cases")).toBe("dropped")
      expect(fives.stats().faults + drops.stats().faults).toBe(2)
    })
  )

  it.scopedLive("its control endpoint adds a case, uncounted and never faulted", () =>
    Effect.gen(function* () {
      const sb = yield* startMiniSandbox({ cases: 0, faultRate: 1 })
      const origin = sb.baseUrl.replace(/\/api$/, "")
      const added = yield* Effect.promise(() =>
        fetch(`${origin}/__sandbox/cases`, { method: "POST", headers: { authorization: `Bearer ${sb.token}` }, body: JSON.stringify({ title: "Checkout" }) }).then((r) => r.json())
      )
      expect(added).toEqual({ id: 1, title: "Checkout" })
      expect(sb.stats().requests).toBe(0)
    })
  )

  it.scopedLive("its capability passes the common options on and checks its own", () =>
    Effect.gen(function* () {
      const running = yield* miniSandboxCapability.start({ latencyMs: 0, extra: { "mini-cases": 4 } })
      const r = yield* Effect.promise(() => fetch(`${running.baseUrl}/cases`, { headers: { authorization: "Bearer mini-token" } }).then((x) => x.json() as Promise<{ total: number }>))
      expect(r.total).toBe(4)
      const bad = yield* Effect.flip(miniSandboxCapability.start({ faultRate: 3, extra: {} }))
      expect(bad.message).toContain("faultRate must be between 0 and 1, got 3")
    })
  )
})
