/**
 * What the qTest sink learns of its target once per run and keeps between the passes of a load that follows the
 * extract (SinkInstance.follows): the project's vocabulary (re-read only after the load created fields or
 * values), the requirement each Jira issue key resolved to, the steps of migrated test cases, and whether this
 * run adopts what the project already holds (its census is taken once, before the first create), and how
 * execution defects are carried (the project's defect integration, read once: defectMode.ts).
 */
import type { Effect } from "effect"
import type { DefectMode, FieldSetting, UserSetting } from "../mapping/index.ts"
import type { QtestClientShape } from "../QtestClient.ts"
import { type CaseSteps, makeCaseSteps } from "./caseSteps.ts"

/** The project's fields, execution statuses and the mapped users, as read from qTest. */
export interface VocabularyParts {
  readonly fields: Readonly<Record<string, ReadonlyArray<FieldSetting>>>
  readonly executionStatuses: Effect.Effect.Success<ReturnType<QtestClientShape["listExecutionStatuses"]>>
  readonly users: ReadonlyArray<UserSetting>
  /** Logins the spec maps to that qTest does not know (a gap each pass reports again). */
  readonly unknownUsers: ReadonlyArray<string>
}

export interface QtestRunCache {
  vocabulary: VocabularyParts | undefined
  /** Jira issue key → the synced requirement's id, or null when none is synced. */
  readonly requirements: Map<string, number | null>
  /** The steps of migrated test cases (caseSteps.ts). */
  readonly steps: CaseSteps
  /**
   * Set by the first pass: the project holds objects of this migration the state did not know (true), or does
   * and they are to be adopted by the final pass, against the whole store ("later").
   */
  adopting: boolean | "later" | undefined
  /** Link or field: read from the project's defect_tracking_systems by the first pass. */
  defects: DefectMode | undefined
}

export const makeQtestRunCache = (client: QtestClientShape): QtestRunCache => ({
  vocabulary: undefined,
  requirements: new Map(),
  steps: makeCaseSteps(client),
  adopting: undefined,
  defects: undefined
})
