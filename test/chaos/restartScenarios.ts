/**
 * Each sandbox killed mid-run and started again on its port with its state — qTest's snapshot file, Snowflake's
 * DuckDB file, Zephyr's deterministic tenant: connections in flight are dropped, new ones refused for a moment,
 * and Snowflake's sessions are gone. The run must ride it out (or stop clearly and converge when run again).
 */
import { describe, expect, it } from "@effect/vitest"
import { expectSameCounts, expectSameEnd, expectTruthfulCounts, runScenario } from "./chaosScenario.ts"
import type { ChaosSuite } from "./ChaosSuite.ts"
import type { System } from "./ChaosTargets.ts"

/** Mid-run for each system: about half of what a clean run asks of it (Snowflake: HTTP requests, logins included). */
const AFTER: Record<System, number> = { zephyr: 150, qtest: 200, snowflake: 60 }
const DOWN_MS = 300
/**
 * The outage is real time (a restart takes ~100 ms, plus the time down): with the clock 20 times faster it lasts
 * seconds of virtual time, as a restarted server's would, not minutes.
 */
const COMPRESSION = 20

/** Declares the scenarios; `suite` gives the clean run they are compared with and the table they fill. */
export const restartScenarios = (suite: ChaosSuite): void => {
  const { table } = suite
  describe("chaos: a sandbox killed and restarted mid-run", () => {
    it.each(["zephyr", "qtest", "snowflake"] as const)("%s", async (system) => {
      let restarted = false
      const r = await runScenario({
        misbehaviour: {},
        run: { compression: COMPRESSION },
        during: async (t) => {
          restarted = await t[system].restartAfter(AFTER[system], {}, DOWN_MS)
        }
      })
      table.record(`${system} killed and restarted`, r)
      expect(restarted, "the restart happened during the run").toBe(true)
      expectSameEnd(r.end, suite.clean().end)
      expectSameCounts(r, suite.clean())
      expectTruthfulCounts(r, system)
    }, 300_000)
  })
}
