/**
 * Answers lost after the write was applied: qTest creates, qTest updates (and approvals: every write, PUT
 * included, can lose its answer), and Snowflake MERGEs (the statement commits, then the connection drops). The
 * run must not create anything twice, must end as a clean run does, and must count each object once: a create
 * whose answer was lost and that was found again is one created object, not two and not an unchanged one.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { makeChaosTable } from "./ChaosTable.ts"
import type { ChaosTargets } from "./ChaosTargets.ts"
import { cleanRun, expectSameEnd, expectTruthfulCounts, runScenario, type ScenarioResult } from "./chaosScenario.ts"
import { runChaos } from "./runChaos.ts"

const table = makeChaosTable()
let clean: ScenarioResult

beforeAll(async () => {
  clean = await cleanRun()
}, 300_000)
afterAll(() => table.print("chaos: answers lost after the write"))

const totals = (report: RunReport, sink: string) => report.load.find((l) => l.sink === sink)?.totals
/** A scenario's load counts, summed over its runs. */
const loadTotals = (r: ScenarioResult, sink: string) =>
  r.runs.map((run) => totals(run.report, sink)).reduce(
    (sum, t) => ({ created: sum.created + (t?.created ?? 0), updated: sum.updated + (t?.updated ?? 0), unchanged: sum.unchanged + (t?.unchanged ?? 0), recovered: sum.recovered + (t?.recovered ?? 0) }),
    { created: 0, updated: 0, unchanged: 0, recovered: 0 }
  )

/** A first load, then the tenant changes: the run under test updates what changed. */
const loadThenChange = async (t: ChaosTargets) => {
  const first = await runChaos(t)
  expect(first.failure).toBeUndefined()
  t.zephyr.current().mutate({ changeFraction: 0.3, deleteFraction: 0, addCount: 0, seed: 5 })
}

describe.concurrent("chaos: answers lost after the write was applied", () => {
  it("qTest creates", async () => {
    const r = await runScenario({ misbehaviour: { qtest: { faultAfterWriteRate: 0.1 } } })
    table.record("lost answers of qTest creates", r)
    expect(r.sandbox.qtest.faults).toBeGreaterThan(10)
    expectSameEnd(r.end, clean.end)
    expectTruthfulCounts(r, "qtest")
    expect(loadTotals(r, "qtest")).toEqual(loadTotals(clean, "qtest"))
  }, 300_000)

  it("qTest updates", async () => {
    const cleanUpdate = await runScenario({ misbehaviour: {}, before: loadThenChange })
    const r = await runScenario({ misbehaviour: { qtest: { faultAfterWriteRate: 0.25 } }, before: loadThenChange })
    table.record("lost answers of qTest updates", r)
    const updated = loadTotals(cleanUpdate, "qtest").updated
    expect(updated, "the change makes updates").toBeGreaterThan(20)
    expect(r.sandbox.qtest.faults).toBeGreaterThan(5)
    expectSameEnd(r.end, cleanUpdate.end)
    expectTruthfulCounts(r, "qtest")
    expect(loadTotals(r, "qtest")).toEqual(loadTotals(cleanUpdate, "qtest"))
  }, 400_000)

  it("Snowflake MERGEs", async () => {
    const r = await runScenario({ misbehaviour: { snowflake: { lostMergeAnswerRate: 0.1 } } })
    table.record("lost answers of Snowflake MERGEs", r)
    expect(r.sandbox.snowflake.faults).toBeGreaterThan(1)
    expectSameEnd(r.end, clean.end)
    expectTruthfulCounts(r, "snowflake")
    expect(loadTotals(r, "snowflake")).toEqual(loadTotals(clean, "snowflake"))
  }, 300_000)
})
