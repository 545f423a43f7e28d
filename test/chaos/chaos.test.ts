/**
 * The chaos suite: the same complete migration — the tiny generated tenant extracted from Zephyr into the store,
 * loaded into qTest and Snowflake — against sandboxes misbehaving in every way a production run meets, on each
 * API where it applies, each scenario held to the clean run's end and to a truthful report. Scenarios run two at
 * a time (lanes.ts) under a compressed clock (CompressedClock.ts); the table at the end says how each ended and
 * what the reports and the sandboxes counted.
 */
import { afterAll, beforeAll, describe } from "@effect/vitest"
import { makeChaosTable } from "./ChaosTable.ts"
import type { ChaosSuite } from "./ChaosSuite.ts"
import { cleanRun, type ScenarioResult } from "./chaosScenario.ts"
import { expiryScenarios } from "./expiryScenarios.ts"
import { faultScenarios } from "./faultScenarios.ts"
import { lostAnswerScenarios } from "./lostAnswerScenarios.ts"
import { restartScenarios } from "./restartScenarios.ts"
import { throttlingScenarios } from "./throttlingScenarios.ts"

const table = makeChaosTable()
let clean: ScenarioResult | undefined

beforeAll(async () => {
  clean = await cleanRun()
}, 300_000)
afterAll(() => table.print("chaos: scenario × system — how it ended, what the reports and the sandboxes counted"))

const suite: ChaosSuite = {
  clean: () => {
    if (clean === undefined) throw new Error("the clean run has not run")
    return clean
  },
  table
}

describe.concurrent("chaos", () => {
  throttlingScenarios(suite)
  faultScenarios(suite)
  lostAnswerScenarios(suite)
  expiryScenarios(suite)
  restartScenarios(suite)
})
