/**
 * Incremental runs on Zephyr DC, whose searches take no date: after edits and additions in the tenant, an
 * incremental run reads the changed cases and plans (by DC's `updatedOn`) with their attachments, every run's
 * results again (results carry no update time) with the attachments of the new ones only, and ends with the store
 * a fresh full extract of the changed tenant gives — but for what an incremental run never removes: here the ad
 * hoc results a newer ad hoc result of their case now hides from DC's API, which the store keeps. The report says
 * what such a run reads.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/index.ts"
import { dumpStore, runInProcess, tempStatePath } from "../runInProcess.ts"

const dc = { config: { edition: "dc" } }

describe("incremental runs on Zephyr DC", () => {
  it.scopedLive("read what changed (cases and plans by updatedOn, every run's results) and end as a fresh extract", () =>
    Effect.gen(function* () {
      const sandbox = yield* startZephyrSandbox({ scale: "demo", edition: "dc" })
      const statePath = tempStatePath()
      const run = () => Effect.promise(() => runInProcess(sandbox, statePath, dc))
      expect((yield* run()).status).toBe("succeeded")
      const cases = (dumpStore(statePath)["TestCase"] ?? []).length

      const m = sandbox.mutate({ changeFraction: 0.2, deleteFraction: 0, addCount: 3, seed: 11 })
      expect(m.changed.testcases.length).toBeGreaterThan(0)
      expect(m.changed.executions.length).toBeGreaterThan(0)
      expect(m.added.testcases.length + m.added.executions.length).toBe(6)

      sandbox.resetStats()
      const incremental = yield* run()
      expect(incremental.status).toBe("succeeded")
      expect(incremental.extract?.mode).toBe("incremental")
      expect(incremental.totals.updated).toBeGreaterThan(0)
      expect(incremental.notes.some((n) => n.kind === "default" && n.message.includes("searches take no date"))).toBe(true)
      const byPath = sandbox.stats().byPath
      // only the changed and added cases had their attachment lists read; of results, only the new ones
      expect(byPath["/rest/atm/1.0/testcase/{testCaseKey}/attachments"]).toBe(new Set([...m.changed.testcases, ...m.added.testcases]).size)
      expect(byPath["/rest/atm/1.0/testcase/{testCaseKey}/attachments"]).toBeLessThan(cases)
      expect(byPath["/rest/atm/1.0/testresult/{testResultId}/attachments"] ?? 0).toBe(m.added.executions.length)

      const fresh = tempStatePath()
      expect((yield* Effect.promise(() => runInProcess(sandbox, fresh, dc))).status).toBe("succeeded")
      const kept = dumpStore(statePath, sandbox.baseUrl)
      const expected = dumpStore(fresh, sandbox.baseUrl)
      // what the store holds beyond the fresh extract: ad hoc results only, with their children
      const freshIds = new Set((expected["TestExecution"] ?? []).map((e) => e["execution_id"]))
      const hidden = (kept["TestExecution"] ?? []).filter((e) => !freshIds.has(e["execution_id"]))
      for (const e of hidden) expect(e["test_cycle_id"], `execution ${String(e["execution_id"])}`).toBeNull()
      expect(hidden.length).toBeGreaterThan(0)
      const hiddenIds = new Set(hidden.map((e) => e["execution_id"]))
      const ofHidden = (table: string, r: Record<string, unknown>) =>
        (table === "TestExecution" && hiddenIds.has(r["execution_id"])) ||
        (table === "ExecutionStepResult" && hiddenIds.has(r["execution_id"])) ||
        ((table === "CustomField" || table === "Link") && r["object_type"] === "TestExecution" && hiddenIds.has(r["object_id"])) ||
        (table === "Attachment" && r["related_type"] === "TestExecution" && hiddenIds.has(r["related_id"]))
      const withoutHidden = Object.fromEntries(Object.entries(kept).map(([t, rows]) => [t, rows.filter((r) => !ofHidden(t, r))]))
      expect(withoutHidden).toEqual(expected)
    })
  )
})
