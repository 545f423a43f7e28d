/**
 * Answers lost after the write was applied: qTest creates, qTest updates (and approvals: every write, PUT
 * included, can lose its answer), and Snowflake MERGEs (the statement commits, then the connection drops). The
 * run must not create anything twice, must end as a clean run does, and must count each object once: a create
 * whose answer was lost and that was found again is one created object, not two and not an unchanged one.
 */
import { describe, expect, it } from "@effect/vitest"
import { expectSameCounts, expectSameEnd, expectTruthfulCounts, loadTotals, runScenario } from "./chaosScenario.ts"
import type { ChaosSuite } from "./ChaosSuite.ts"
import type { ChaosTargets } from "./ChaosTargets.ts"
import { runChaos } from "./runChaos.ts"

/** A first load, then the tenant changes: the run under test updates what changed. */
const loadThenChange = async (t: ChaosTargets) => {
  const first = await runChaos(t)
  expect(first.failure).toBeUndefined()
  t.zephyr.current().mutate({ changeFraction: 0.3, deleteFraction: 0, addCount: 0, seed: 5 })
}

/** Declares the scenarios; `suite` gives the clean run they are compared with and the table they fill. */
export const lostAnswerScenarios = (suite: ChaosSuite): void => {
  const { table } = suite
  describe("chaos: answers lost after the write was applied", () => {
    it("qTest creates", async () => {
      const r = await runScenario({ misbehaviour: { qtest: { faultAfterWriteRate: 0.1 } } })
      table.record("lost answers of qTest creates", r)
      expect(r.sandbox.qtest.faults).toBeGreaterThan(10)
      expectSameEnd(r.end, suite.clean().end)
      expectTruthfulCounts(r, "qtest")
      expectSameCounts(r, suite.clean())
    }, 300_000)

    it("qTest updates", async () => {
      // The clean update is this scenario's reference. Its own verify is not clean: it finds the test logs of the
      // updated cases recorded against their earlier steps (the qTest load's handling of that is being reworked
      // elsewhere); the lossy run is held to say exactly the same.
      const cleanUpdate = await runScenario({ misbehaviour: {}, before: loadThenChange })
      const r = await runScenario({ misbehaviour: { qtest: { faultAfterWriteRate: 0.25 } }, before: loadThenChange })
      table.record("lost answers of qTest updates", r)
      const updated = loadTotals(cleanUpdate, "qtest").updated
      expect(updated, "the change makes updates").toBeGreaterThan(20)
      expect(r.sandbox.qtest.faults).toBeGreaterThan(5)
      expectSameEnd(r.end, cleanUpdate.end)
      expectTruthfulCounts(r, "qtest")
      expectSameCounts(r, cleanUpdate)
    }, 400_000)

    it("Snowflake MERGEs", async () => {
      const r = await runScenario({ misbehaviour: { snowflake: { lostMergeAnswerRate: 0.1 } } })
      table.record("lost answers of Snowflake MERGEs", r)
      expect(r.sandbox.snowflake.faults).toBeGreaterThan(1)
      expectSameEnd(r.end, suite.clean().end)
      expectTruthfulCounts(r, "snowflake")
      expectSameCounts(r, suite.clean())
    }, 300_000)
  })
}
