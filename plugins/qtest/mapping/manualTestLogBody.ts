/**
 * A Zephyr execution (+ step results, custom fields) → the body of `POST/PUT …/test-runs/{id}/test-logs` on the
 * run of its (cycle, case) pair. One execution is one log; the sink writes a run's logs in time order.
 *
 * - status ← maps.executionStatus → the project's execution status (its id).
 * - exe_start_date / exe_end_date ← executionWindow.ts (start = end − execution time).
 * - note ← the comment as plain text (omitted when empty).
 * - test_case_version_id ← the approved version the run uses, when the sink knows it.
 * - properties ← executionProperties.ts (execution key, executed by, environment, custom fields).
 * - test_step_logs ← step results in order, the i-th matched to the i-th step of the executed steps
 *   (executedSteps.ts, calls expanded); `order` = i + 1; status mapped like the log's (a null step status
 *   takes the map's default); actual_result ← actual result + comment (actualResult.ts). A result with no
 *   step is a `step` gap, a step result whose status cannot be mapped is left out (its gap is reported).
 *
 * The body is null when the execution's own status cannot be mapped (qTest requires one); the gaps say why.
 */
import type { ManualTestLogBody, TestStepLogBody } from "../api/requests.ts"
import { actualResult } from "./actualResult.ts"
import type { CustomField, ExecutionStepResult, TestExecution } from "./canonical.ts"
import type { ExecutedStep } from "./executedSteps.ts"
import { addExecutionProperties } from "./executionProperties.ts"
import { executionLabel, executionWindow, type ExecutionContext } from "./executionWindow.ts"
import { htmlToText } from "./htmlToText.ts"
import { MappingNotes, type Mapped } from "./MappingGap.ts"
import { PropertyList } from "./PropertyList.ts"
import type { Vocabulary } from "./Vocabulary.ts"

export interface TestLogInput {
  readonly execution: TestExecution
  /** What dates an execution that never ran (executionWindow.ts). */
  readonly context?: ExecutionContext | undefined
  readonly stepResults: ReadonlyArray<ExecutionStepResult>
  /** The execution's custom fields (object_type TestExecution). */
  readonly customFields: ReadonlyArray<CustomField>
}

export interface ManualTestLogIds {
  /**
   * The steps the log reports against: for a new log the run's test case steps, calls expanded (executedSteps.ts);
   * for an existing one the steps it was created with (loggedSteps.ts), where `null` marks a result the log has
   * no step log for.
   */
  readonly steps: ReadonlyArray<ExecutedStep | null>
  readonly testCaseVersionId?: number | undefined
}

/** The comment → the note (plain text); undefined when there is none. */
export const logNote = (comment: string | null): string | undefined => {
  const text = comment === null ? "" : htmlToText(comment)
  return text.trim() === "" ? undefined : text
}

export const sortedResults = (results: ReadonlyArray<ExecutionStepResult>): ReadonlyArray<ExecutionStepResult> =>
  [...results].sort((a, b) => a.step_order - b.step_order || a.step_result_id - b.step_result_id)

export const manualTestLogBody = (input: TestLogInput, vocab: Vocabulary, ids: ManualTestLogIds): Mapped<ManualTestLogBody | null> => {
  const execution = input.execution
  const object = executionLabel(execution)
  const notes = new MappingNotes()
  const status = notes.take(vocab.executionStatus(execution.status, object))

  const properties = new PropertyList(notes, object)
  addExecutionProperties(properties, execution, input.customFields, vocab)

  const stepLogs: Array<TestStepLogBody> = []
  sortedResults(input.stepResults).forEach((result, i) => {
    const step = ids.steps[i]
    if (step === null) return
    if (step === undefined) {
      notes.gap({
        kind: "step",
        value: `step ${i + 1}`,
        object,
        hint: `the execution has ${input.stepResults.length} step results and the qTest test case ${ids.steps.length} steps (the case changed after it was executed, or its script is in the description); the result is not migrated`
      })
      return
    }
    const stepStatus = notes.take(vocab.executionStatus(result.status, `${object} step ${i + 1}`))
    if (stepStatus === undefined) return
    const actual = actualResult(result)
    stepLogs.push({
      test_step_id: step.test_step_id,
      order: i + 1,
      status: { id: stepStatus.id },
      ...(actual !== "" ? { actual_result: actual } : {}),
      ...(step.called_test_case_id !== undefined ? { called_test_case_id: step.called_test_case_id } : {}),
      ...(step.parent_test_step_id !== undefined ? { parent_test_step_id: step.parent_test_step_id } : {})
    })
  })

  if (status === undefined) return notes.result(null)
  const window = executionWindow(execution, input.context)
  const note = logNote(execution.comment)
  return notes.result({
    status: { id: status.id },
    exe_start_date: window.start,
    exe_end_date: window.end,
    ...(note !== undefined ? { note } : {}),
    ...(ids.testCaseVersionId !== undefined ? { test_case_version_id: ids.testCaseVersionId } : {}),
    properties: properties.toArray(),
    test_step_logs: stepLogs
  })
}
