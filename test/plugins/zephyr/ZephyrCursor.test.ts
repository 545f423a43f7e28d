/**
 * The cursor (`/nextgen`) side of the Zephyr source: the stop rule, resume points after every item and page,
 * resuming from any of them yields exactly the rest of the extraction, `updatedAfter` limits what is read, and
 * child sets name exactly the children the source read.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import type { SourceItem } from "../../../core/canonical/Canonical.ts"
import { nextCursor } from "../../../plugins/zephyr/ZephyrClient.ts"
import { demoData } from "../../../plugins/zephyr/sandbox/index.ts"
import { extractItems, harness, isRecord } from "./harness.ts"

const data = demoData()
const demoExecutions = data.testexecutions.filter((e) => e.project.id === 10000)

describe("nextCursor", () => {
  it("stops on next: null; else follows nextStartAtId, else the next link's startAtId", () => {
    expect(nextCursor(0, { next: null, nextStartAtId: null, values: [] })).toEqual({ next: null })
    expect(nextCursor(0, { next: "https://x/v2/testcases/nextgen?limit=2&startAtId=7", nextStartAtId: 7, values: [1, 2] })).toEqual({ next: 7 })
    expect(nextCursor(0, { next: "https://x/v2/testcases/nextgen?limit=2&startAtId=9", values: [1, 2] })).toEqual({ next: 9 })
    expect(nextCursor(0, { values: [] })).toEqual({ next: null })
  })

  it("a cursor that does not advance is a protocol problem, not an endless loop", () => {
    expect(nextCursor(7, { next: "https://x/v2/testcases/nextgen?startAtId=7", nextStartAtId: 7, values: [] })).toHaveProperty("problem")
    expect(nextCursor(0, { next: "https://x/v2/testcases/nextgen", values: [] })).toHaveProperty("problem")
  })
})

const keyOf = (item: SourceItem) => (isRecord(item) ? `${item.entity}:${item.entity === "Quarantine" ? item.data.source_id : item.data.source_id}` : item.entity)

describe("ZephyrSource resume points", () => {
  it.scopedLive("a checkpoint follows every item's group; resuming from any one yields exactly the rest", () =>
    Effect.gen(function* () {
      const h = yield* harness({}, { pageSize: 10 })
      const full = yield* extractItems(h.source)
      const checkpoints = full.flatMap((item, i) => (item.entity === "Checkpoint" ? [i] : []))
      // one per case, plan, cycle and execution, plus one per page
      expect(checkpoints.length).toBeGreaterThan(25 + 3 + 6 + demoExecutions.length)
      const prefix = full.findIndex((item) => item.entity === "TestCase")
      for (const at of [checkpoints[3]!, checkpoints[40]!, checkpoints[checkpoints.length - 2]!]) {
        const state = (full[at] as Extract<SourceItem, { entity: "Checkpoint" }>).data.state
        h.sandbox.resetStats()
        const rest = yield* extractItems(h.source, { resume: state })
        // Project and folders again (cheap, and the lookups are needed), then exactly the records that followed
        // the checkpoint (page-end checkpoints move: pages now start where the resume point is).
        const records = (items: ReadonlyArray<SourceItem>) => items.filter((i) => i.entity !== "Checkpoint").map(keyOf)
        expect(records(rest.slice(prefix))).toEqual(records(full.slice(at + 1)))
      }
    })
  )

  it.scopedLive("a resume state this version cannot read is reported and the extract starts over", () =>
    Effect.gen(function* () {
      const h = yield* harness()
      const items = yield* extractItems(h.source, { resume: { cursor: "from another version" } })
      expect(items.filter((i) => i.entity === "TestExecution")).toHaveLength(demoExecutions.length)
      expect(h.ctx.notes()).toMatchObject([{ kind: "warning", message: expect.stringContaining("starts from the beginning") }])
    })
  )
})

describe("ZephyrSource incremental reads", () => {
  it.scopedLive("with `since`, only items updated after it are read, each with its children; small lists whole", () =>
    Effect.gen(function* () {
      const h = yield* harness()
      yield* extractItems(h.source)
      const m = h.sandbox.mutate({ changeFraction: 0.1, deleteFraction: 0, addCount: 1, seed: 4 })
      h.sandbox.resetStats()
      const items = yield* extractItems(h.source, { since: new Date(Date.parse(m.at) - 1).toISOString() })
      // The mutation touches both demo projects; the source reads DEMO only.
      const demo = (keys: ReadonlyArray<string>) => keys.filter((k) => k.startsWith("DEMO-")).sort()
      const keys = (entity: string) => items.filter((i) => i.entity === entity).map((i) => String((i as { data: { source_key: string | null } }).data.source_key)).sort()
      expect(keys("TestCase")).toEqual(demo([...m.changed.testcases, ...m.added.testcases]))
      expect(keys("TestCycle")).toEqual(demo(m.changed.testcycles))
      expect(keys("TestPlan")).toEqual(demo(m.changed.testplans))
      const executions = items.filter((i) => i.entity === "TestExecution").map((i) => Number((i as { data: { source_id: string } }).data.source_id))
      const touched = [...m.changed.executions, ...m.added.executions]
      expect(executions.every((id) => touched.includes(id))).toBe(true)
      for (const id of m.changed.executions) if (demoExecutions.some((e) => e.id === id)) expect(executions).toContain(id)
      expect(items.filter((i) => i.entity === "Folder").length).toBe(data.folders.filter((f) => f.project.id === 10000).length)
      // Children were asked for the changed items only.
      const byPath = h.sandbox.stats().byPath
      expect(byPath["/v2/testcases/{testCaseKey}/teststeps"]).toBe(keys("TestCase").length)
      expect(byPath["/v2/testexecutions/{testExecutionIdOrKey}/teststeps"]).toBe(executions.length)
    })
  )

  it.scopedLive("every parent's child set names exactly the children emitted with it", () =>
    Effect.gen(function* () {
      const h = yield* harness()
      const items = yield* extractItems(h.source)
      const sets = items.filter((i): i is Extract<SourceItem, { entity: "ChildSet" }> => i.entity === "ChildSet")
      expect(sets).toHaveLength(25 + 3 + 6 + demoExecutions.length)
      const tc = sets.find((s) => s.data.parent === "TestCase" && (data.teststeps["DEMO-T5"] ?? []).length > 0 && s.data.parent_id === data.testcases.find((t) => t.key === "DEMO-T5")!.id)!
      expect(tc.data.children.TestStep).toEqual((data.teststeps["DEMO-T5"] ?? []).map((s) => String(s.id)))
      expect(Object.keys(tc.data.children).sort()).toEqual(["Attachment", "CustomField", "Link", "TestStep"])
    })
  )
})
