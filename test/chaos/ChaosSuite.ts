/** What every scenario catalog shares: the clean run scenarios are compared with, and the summary table. */
import type { ChaosTable } from "./ChaosTable.ts"
import type { ScenarioResult } from "./chaosScenario.ts"

export interface ChaosSuite {
  /** The clean run (ready once the suite's beforeAll has run). */
  readonly clean: () => ScenarioResult
  readonly table: ChaosTable
}
