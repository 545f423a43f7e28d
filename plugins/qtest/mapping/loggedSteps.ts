/**
 * The steps a test log was recorded against, kept as the id map's memo of the log. qTest binds a log to the test
 * case version it was created on: an update (PUT) changes a step log's status and actual result but never which
 * step it belongs to, and a later update of the case (a new version, new step ids, maybe more or fewer steps)
 * leaves its existing logs as they were. So a log is always rebuilt against its own steps — those it was
 * created with — and only a new log is built against the case's current steps. Position i is the step of the
 * i-th step result; `null` where the log has no step log (the result's status had no mapping when it was made).
 */
import type { ExecutedStep } from "./executedSteps.ts"

export type LoggedSteps = ReadonlyArray<ExecutedStep | null>

type Encoded = ReadonlyArray<readonly [number] | readonly [number, number, number] | null>

export const encodeLoggedSteps = (steps: LoggedSteps): string =>
  JSON.stringify(
    steps.map((s): Encoded[number] =>
      s === null ? null : s.called_test_case_id !== undefined && s.parent_test_step_id !== undefined ? [s.test_step_id, s.called_test_case_id, s.parent_test_step_id] : [s.test_step_id]
    )
  )

/** The memo back as steps; undefined when it is not one (written by another version, or by hand). */
export const decodeLoggedSteps = (memo: string | undefined): LoggedSteps | undefined => {
  if (memo === undefined) return undefined
  try {
    const parsed = JSON.parse(memo) as unknown
    if (!Array.isArray(parsed)) return undefined
    const steps: Array<ExecutedStep | null> = []
    for (const item of parsed) {
      if (item === null) steps.push(null)
      else if (Array.isArray(item) && item.every((n) => typeof n === "number") && (item.length === 1 || item.length === 3)) {
        const [id, called, parent] = item as ReadonlyArray<number>
        steps.push(called === undefined || parent === undefined ? { test_step_id: id! } : { test_step_id: id!, called_test_case_id: called, parent_test_step_id: parent })
      } else return undefined
    }
    return steps
  } catch {
    return undefined
  }
}

/** The steps of a written body's step logs, by their order (what the log holds once created). */
export const loggedStepsOf = (
  stepLogs: ReadonlyArray<{
    readonly order?: number | null | undefined
    readonly test_step_id?: number | null | undefined
    readonly called_test_case_id?: number | null | undefined
    readonly parent_test_step_id?: number | null | undefined
  }>
): LoggedSteps => {
  const steps: Array<ExecutedStep | null> = []
  stepLogs.forEach((log, i) => {
    const position = (log.order ?? i + 1) - 1
    if (position < 0 || log.test_step_id === null || log.test_step_id === undefined) return
    while (steps.length < position) steps.push(null)
    steps[position] =
      log.called_test_case_id != null && log.parent_test_step_id != null
        ? { test_step_id: log.test_step_id, called_test_case_id: log.called_test_case_id, parent_test_step_id: log.parent_test_step_id }
        : { test_step_id: log.test_step_id }
  })
  return steps
}
