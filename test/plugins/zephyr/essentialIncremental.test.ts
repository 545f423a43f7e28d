/**
 * Incremental runs on Zephyr Essential, which has no modification dates: after edits, deletions and additions in
 * the tenant, `add-only` brings the new records complete (with their steps, step results and attachment names)
 * and leaves the known ones as they were — which the report says — unless the read must see every change (a
 * cut-over), while `reread` ends with the store a fresh full extract of the changed tenant gives (deletions aside:
 * an incremental run never removes; `--full` does).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { startZephyrSandbox } from "../../../plugins/zephyr/sandbox/index.ts"
import { dumpStore, runInProcess, tempStatePath } from "./runInProcess.ts"

const essential = (incremental: "reread" | "add-only") => ({ config: { edition: "essential", incremental } })

describe("incremental runs on Zephyr Essential", () => {
  it.scopedLive("add-only: new records complete, known ones untouched; reread: every edit", () =>
    Effect.gen(function* () {
      const sandbox = yield* startZephyrSandbox({ scale: "demo", edition: "essential" })
      const statePath = tempStatePath()
      const run = (incremental: "reread" | "add-only", everyChange = false) => Effect.promise(() => runInProcess(sandbox, statePath, { ...essential(incremental), everyChange }))
      expect((yield* run("add-only")).status).toBe("succeeded")
      const before = dumpStore(statePath, sandbox.baseUrl)

      const m = sandbox.mutate({ changeFraction: 0.2, deleteFraction: 0, addCount: 3, seed: 11 })
      expect(m.added.testcases.length + m.added.executions.length).toBe(6)
      expect(m.changed.testcases.length).toBeGreaterThan(0)

      // add-only: the new cases and executions arrive with their children; nothing known is read again
      sandbox.resetStats()
      const addOnly = yield* run("add-only")
      expect(addOnly.status).toBe("succeeded")
      expect(addOnly.notes.some((n) => n.kind === "warning" && n.message.startsWith("incremental: add-only"))).toBe(true)
      const afterAddOnly = dumpStore(statePath, sandbox.baseUrl)
      const keys = (table: string, store: typeof before) => new Set((store[table] ?? []).map((r) => String(r["source_key"])))
      for (const key of m.added.testcases) expect(keys("TestCase", afterAddOnly).has(key), key).toBe(true)
      // the known cases are byte for byte what the first run stored, though the tenant edited some of them
      const known = (store: typeof before) => (store["TestCase"] ?? []).filter((r) => !m.added.testcases.includes(String(r["source_key"])))
      expect(known(afterAddOnly)).toEqual(known(before))
      // the new cases' steps came too; only theirs were asked for
      const addedIds = new Set((afterAddOnly["TestCase"] ?? []).filter((c) => m.added.testcases.includes(String(c["source_key"]))).map((c) => c["test_case_id"]))
      expect((afterAddOnly["TestStep"] ?? []).filter((s) => addedIds.has(s["test_case_id"])).length).toBeGreaterThan(0)
      expect(sandbox.stats().byPath["/v2/testcases/{testCaseKey}/teststeps"]).toBe(m.added.testcases.length)
      expect(sandbox.stats().byPath["/v2/testexecutions/{testExecutionIdOrKey}/teststeps"]).toBe(m.added.executions.length)

      // a read that must see every change (the cut-over's) does not trust add-only: it sees the edits, and says why
      const cutover = yield* run("add-only", true)
      expect(cutover.status).toBe("succeeded")
      expect(cutover.totals.updated).toBeGreaterThan(0)
      expect(cutover.notes.some((n) => n.kind === "warning" && n.message.includes("must see every change (a cut-over)"))).toBe(true)

      // reread: every edit is seen; the store then equals a fresh full extract of the changed tenant
      sandbox.mutate({ changeFraction: 0.2, deleteFraction: 0, addCount: 0, seed: 12 })
      const reread = yield* run("reread")
      expect(reread.status).toBe("succeeded")
      expect(reread.totals.updated).toBeGreaterThan(0)
      const fresh = tempStatePath()
      yield* Effect.promise(() => runInProcess(sandbox, fresh, essential("reread")))
      expect(dumpStore(statePath, sandbox.baseUrl)).toEqual(dumpStore(fresh, sandbox.baseUrl))
    })
  )
})
