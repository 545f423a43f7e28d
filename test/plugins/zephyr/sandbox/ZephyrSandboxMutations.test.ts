/**
 * Mutations for incremental-sync tests, on both kinds of tenant (data file and generator): what changed shows up
 * in `updatedAfter` (and nothing else does), deleted entities vanish from lists and answer 404, added ones get
 * new keys, a changed case's executions stay as they were, and the HTTP control endpoint behaves.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import { get, getAll } from "./helpers.ts"

const post = (sb: RunningZephyrSandbox, body: string | undefined, token: string | null = sb.token, method = "POST") =>
  Effect.promise(async () => {
    const origin = sb.baseUrl.replace(/\/v2$/, "")
    const r = await fetch(`${origin}/__sandbox/mutate`, {
      method,
      headers: { "content-type": "application/json", ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
      ...(body === undefined ? {} : { body })
    })
    return { status: r.status, body: (await r.json()) as any }
  })

/** Everything a cursor endpoint returns after `since`, by following `next`. */
const updatedSince = (sb: RunningZephyrSandbox, path: string, since: string) =>
  Effect.map(getAll(sb, `${path}?limit=1000&updatedAfter=${encodeURIComponent(since)}`), (r) => r.values)

const tenants: ReadonlyArray<[string, ZephyrSandboxOptions]> = [
  ["the demo (data file)", {}],
  ["a generated small tenant", { scale: "small", seed: 2 }]
]

for (const [name, options] of tenants) {
  describe(`ZephyrSandbox mutations on ${name}`, () => {
    it.scopedLive("changed and added entities appear in updatedAfter results, unchanged and deleted ones do not", () =>
      Effect.gen(function* () {
        const sb = yield* startZephyrSandbox(options)
        const since = new Date().toISOString()
        expect(yield* updatedSince(sb, "/testcases/nextgen", since)).toEqual([])
        expect(yield* updatedSince(sb, "/testexecutions/nextgen", since)).toEqual([])

        const casesBefore = (yield* getAll(sb, "/testcases?maxResults=1000")).values
        const executionsBefore = (yield* getAll(sb, "/testexecutions?maxResults=1000")).values
        const m = sb.mutate({ changeFraction: 0.2, deleteFraction: 0.1, addCount: 3, seed: 1 })
        expect(m.changed.testcases.length).toBeGreaterThan(0)
        expect(m.deleted.testcases.length).toBeGreaterThan(0)
        expect(m.added.testcases).toHaveLength(3)
        expect(m.added.executions).toHaveLength(3)

        const keys = (yield* updatedSince(sb, "/testcases/nextgen", since)).map((tc) => tc.key).sort()
        expect(keys).toEqual([...m.changed.testcases, ...m.added.testcases].sort())
        const ids = (yield* updatedSince(sb, "/testexecutions/nextgen", since)).map((e) => e.id).sort((a, b) => a - b)
        expect(ids).toEqual([...m.changed.executions, ...m.added.executions].sort((a, b) => a - b))
        expect((yield* updatedSince(sb, "/testcycles/nextgen", since)).map((c) => c.key).sort()).toEqual(m.changed.testcycles)
        expect((yield* updatedSince(sb, "/testplans/nextgen", since)).map((p) => p.key).sort()).toEqual(m.changed.testplans)

        // Deleted: gone from every list, 404 on GET (and on their children).
        const casesAfter = (yield* getAll(sb, "/testcases?maxResults=1000")).values
        expect(casesAfter).toHaveLength(casesBefore.length - m.deleted.testcases.length + m.added.testcases.length)
        for (const key of m.deleted.testcases) {
          expect(casesAfter.some((tc) => tc.key === key)).toBe(false)
          expect((yield* get(sb, `/testcases/${key}`)).status).toBe(404)
          expect((yield* get(sb, `/testcases/${key}/teststeps`)).status).toBe(404)
        }
        const executionsAfter = (yield* getAll(sb, "/testexecutions?maxResults=1000")).values
        expect(executionsAfter).toHaveLength(executionsBefore.length - m.deleted.executions.length + m.added.executions.length)
        for (const id of m.deleted.executions) {
          expect(executionsAfter.some((e) => e.id === id)).toBe(false)
          expect((yield* get(sb, `/testexecutions/${id}`)).status).toBe(404)
        }
        const nextgenAll = (yield* getAll(sb, "/testexecutions/nextgen?limit=1000")).values
        expect(nextgenAll.map((e) => e.id)).toEqual(executionsAfter.map((e) => e.id).sort((a, b) => a - b))

        // Changed cases differ (name, objective or steps); unchanged ones are byte-identical.
        for (const before of casesBefore) {
          if (m.deleted.testcases.includes(before.key)) continue
          const now = (yield* get(sb, `/testcases/${before.key}`)).body
          const changed = m.changed.testcases.includes(before.key)
          const stepsOrScript = (key: string) => Effect.all([get(sb, `/testcases/${key}/teststeps`), get(sb, `/testcases/${key}/testscript`)])
          if (!changed) expect(now).toEqual(before)
          else if (JSON.stringify(now) === JSON.stringify(before)) {
            // The edit was "add a step" (or a script line): the case itself is unchanged, its content is not.
            const [steps, script] = yield* stepsOrScript(before.key)
            expect(steps.body.values.some((s: any) => /Verify change 1/.test(s.inline?.description ?? "")) || /revised in change 1/.test(script.body?.text ?? "")).toBe(true)
          }
        }
        // A changed case's executions are not changed.
        for (const key of m.changed.testcases) {
          for (const e of executionsBefore.filter((x) => x.testCase.self.includes(`/testcases/${key}/`))) {
            if (m.changed.executions.includes(e.id) || m.deleted.executions.includes(e.id)) continue
            expect((yield* get(sb, `/testexecutions/${e.id}`)).body).toEqual(e)
          }
        }
        // Added entities have new keys (next numbers) and can be read with their children.
        for (const key of m.added.testcases) {
          expect(casesBefore.some((tc) => tc.key === key)).toBe(false)
          expect((yield* get(sb, `/testcases/${key}`)).body.key).toBe(key)
        }
        for (const id of m.added.executions) {
          const e = (yield* get(sb, `/testexecutions/${id}`)).body
          expect(e.id).toBe(id)
          expect((yield* get(sb, `/testexecutions/${id}/teststeps`)).status).toBe(200)
        }
      })
    )

    it.scopedLive("successive mutations: updatedAfter the first one's time returns only the second's changes", () =>
      Effect.gen(function* () {
        const sb = yield* startZephyrSandbox(options)
        const first = sb.mutate({ changeFraction: 0.1, deleteFraction: 0, addCount: 0 })
        const second = sb.mutate({ changeFraction: 0.1, deleteFraction: 0, addCount: 0 })
        expect(second.seed).not.toBe(first.seed)
        expect(Date.parse(second.at)).toBeGreaterThan(Date.parse(first.at))
        const keys = (yield* updatedSince(sb, "/testcases/nextgen", first.at)).map((tc) => tc.key).sort()
        expect(keys).toEqual(second.changed.testcases)
      })
    )

    it.scopedLive("mutations are deterministic by seed", () =>
      Effect.gen(function* () {
        const a = yield* startZephyrSandbox(options)
        const b = yield* startZephyrSandbox(options)
        const ma = a.mutate({ changeFraction: 0.3, deleteFraction: 0.05, addCount: 2, seed: 77 })
        const mb = b.mutate({ changeFraction: 0.3, deleteFraction: 0.05, addCount: 2, seed: 77 })
        expect({ ...mb, at: "" }).toEqual({ ...ma, at: "" })
        const key = ma.changed.testcases[0] ?? ""
        expect((yield* get(b, `/testcases/${key}`)).body.name).toBe((yield* get(a, `/testcases/${key}`)).body.name)
      })
    )

    it.scopedLive("an added execution becomes the last of its cycle item (onlyLastExecutions)", () =>
      Effect.gen(function* () {
        const sb = yield* startZephyrSandbox(options)
        const lastBefore = new Set((yield* getAll(sb, "/testexecutions?onlyLastExecutions=true&maxResults=1000")).values.map((e) => e.id))
        const m = sb.mutate({ changeFraction: 0, deleteFraction: 0, addCount: 5, seed: 3 })
        const lastAfter = new Set((yield* getAll(sb, "/testexecutions?onlyLastExecutions=true&maxResults=1000")).values.map((e) => e.id))
        for (const id of m.added.executions) expect(lastAfter.has(id)).toBe(true)
        const inCycle = []
        for (const id of m.added.executions) {
          const e = (yield* get(sb, `/testexecutions/${id}`)).body
          if (e.testCycle) inCycle.push(e)
        }
        // Each added cycle execution displaced one former "last" of its item; ad hoc ones displace nothing.
        expect(lastAfter.size).toBe(lastBefore.size + m.added.executions.length - inCycle.length)
      })
    )
  })
}

describe("POST /__sandbox/mutate", () => {
  it.scopedLive("needs the bearer token, takes the options as JSON and answers the MutationResult", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ scale: "small", seed: 4 })
      sb.resetStats()
      expect((yield* post(sb, "{}", null)).status).toBe(401)
      expect((yield* post(sb, "{}", "wrong")).body).toHaveProperty("error")
      const bad = yield* post(sb, JSON.stringify({ changeFraction: 2, colour: "red" }))
      expect(bad.status).toBe(400)
      expect(bad.body.errorCode).toBe(400)
      expect(bad.body.message).toContain("changeFraction")
      expect(bad.body.message).toContain("colour")
      expect((yield* post(sb, "{not json")).status).toBe(400)
      expect((yield* post(sb, undefined, sb.token, "GET")).status).toBe(405)
      const ok = yield* post(sb, JSON.stringify({ changeFraction: 0.05, deleteFraction: 0.01, addCount: 1, seed: 9 }))
      expect(ok.status).toBe(200)
      expect(Object.keys(ok.body).sort()).toEqual(["added", "at", "changed", "deleted", "seed"])
      expect(ok.body.changed.testcases).toHaveLength(10)
      expect(ok.body.added.testcases).toEqual(["GEN-T201"])
      expect(ok.body.added.executions).toEqual([202001])
      expect((yield* get(sb, "/testcases/GEN-T201")).status).toBe(200)
      // Control requests are not API traffic: they never count, fault or throttle.
      expect(sb.stats().requests).toBe(1)
    })
  )

  it.scopedLive("an empty body applies the defaults", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({})
      const r = yield* post(sb, undefined)
      expect(r.status).toBe(200)
      expect(r.body.seed).toBe(1)
      expect(r.body.added.testcases).toHaveLength(5)
    })
  )
})
