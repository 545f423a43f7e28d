/**
 * Each sandbox killed mid-run and started again on its port with its state — qTest's snapshot file, Snowflake's
 * DuckDB file, Zephyr's deterministic tenant: connections in flight are dropped, new ones refused for a moment,
 * and Snowflake's sessions are gone. The run must ride it out (or stop clearly and converge when run again).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { makeChaosTable } from "./ChaosTable.ts"
import type { System } from "./ChaosTargets.ts"
import { cleanRun, expectSameEnd, expectTruthfulCounts, runScenario, type ScenarioResult } from "./chaosScenario.ts"

const table = makeChaosTable()
let clean: ScenarioResult

beforeAll(async () => {
  clean = await cleanRun()
}, 300_000)
afterAll(() => table.print("chaos: sandboxes killed and restarted"))

/** Mid-run for each system: about half of what a clean run asks of it (Snowflake: HTTP requests, logins included). */
const AFTER: Record<System, number> = { zephyr: 150, qtest: 200, snowflake: 60 }
const DOWN_MS = 300
/**
 * The outage is real time (a restart takes ~100 ms, plus the time down): with the clock 20 times faster it lasts
 * seconds of virtual time, as a restarted server's would, not minutes.
 */
const COMPRESSION = 20

describe.concurrent("chaos: a sandbox killed and restarted mid-run", () => {
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
    expectSameEnd(r.end, clean.end)
    expectTruthfulCounts(r, system)
  }, 300_000)
})
