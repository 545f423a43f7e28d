/**
 * 5% of requests failing — a 5xx, a dropped connection, or an answer slower than the client's timeout — on each
 * API in turn, through the complete migration: the run must end as a clean run does, and its report must count
 * what happened. Snowflake's client timeout is the driver's own (90 s, which the spec does not set): a request
 * that outlasts it is resent by the driver exactly as a dropped one is, so the drop scenario covers that path.
 */
import { describe, expect, it } from "@effect/vitest"
import type { FaultKind } from "../../core/sandbox.ts"
import { expectSameCounts, expectSameEnd, expectTruthfulCounts, runScenario } from "./chaosScenario.ts"
import type { ChaosSuite } from "./ChaosSuite.ts"
import { SYSTEMS, type System } from "./ChaosTargets.ts"

const SLOW_MS = 1500

const cases: ReadonlyArray<readonly [string, System, FaultKind]> = SYSTEMS.flatMap((s) =>
  (s === "snowflake" ? (["5xx", "drop"] as const) : (["5xx", "drop", "slow"] as const)).map((k) => [`5% ${k}`, s, k] as const)
)

/** Declares the scenarios; `suite` gives the clean run they are compared with and the table they fill. */
export const faultScenarios = (suite: ChaosSuite): void => {
  const { table } = suite
  describe("chaos: 5xx, dropped connections, slow answers", () => {
    it.each(cases)("%s on %s", async (name, system, kind) => {
      const options = { faultRate: 0.05, faultKinds: [kind], slowResponseMs: kind === "slow" ? SLOW_MS : undefined }
      const r = await runScenario({ misbehaviour: { [system]: options } })
      table.record(`${name} on ${system}`, r)
      expect(r.sandbox[system].faults, "faults injected").toBeGreaterThan(0)
      expectSameEnd(r.end, suite.clean().end)
      expectSameCounts(r, suite.clean())
      expectTruthfulCounts(r, system)
    }, 300_000)
  })
}
