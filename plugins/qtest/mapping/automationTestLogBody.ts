/**
 * `automatedExecutions: batch`: a Zephyr execution → one entry of `POST …/auto-test-logs?type=automation`
 * (the batch-with-tree endpoint), and the entries → requests of `batchSize` logs.
 *
 * - automation_content = "zephyr:" + the case key: qTest's test-case fingerprint, so every execution of a case
 *   lands on the same automation test case (qTest creates it on first sight; it is not the migrated manual
 *   case — README). name ← the case's name (used only when qTest creates the case).
 * - status ← the automation status string (Vocabulary.automationStatus: mapped status name, upper case).
 * - exe dates, note and properties as for a manual log (executionWindow.ts, executionProperties.ts).
 * - module_names ← the case's folder path split on "/" (qTest mirrors it as modules and as cycles under
 *   `test_cycle`); omitted for a case in no folder.
 * - test_step_logs ← the step results as executed (description + test data, expected, actual + comment), order
 *   from 0 and continuous, as the endpoint requires; a result whose status cannot be mapped is left out and the
 *   rest renumbered.
 * - test_case_version_id is never sent (the case may not exist yet).
 * The body is null when the execution's status cannot be mapped.
 */
import type { AutomationRequestBody, AutomationTestLogBody, AutomationTestStepLogBody } from "../api/requests.ts"
import { actualResult } from "./actualResult.ts"
import type { TestCase } from "./canonical.ts"
import { addExecutionProperties } from "./executionProperties.ts"
import { executionLabel, executionWindow } from "./executionWindow.ts"
import { logNote, sortedResults, type TestLogInput } from "./manualTestLogBody.ts"
import { MappingNotes, type Mapped } from "./MappingGap.ts"
import { PropertyList } from "./PropertyList.ts"
import { richText } from "./richText.ts"
import { stepDescription } from "./stepDescription.ts"
import type { Vocabulary } from "./Vocabulary.ts"

export const AUTOMATION_CONTENT_PREFIX = "zephyr:"

export const automationContent = (caseKey: string): string => AUTOMATION_CONTENT_PREFIX + caseKey

/** `/Regression/Login` → `["Regression", "Login"]`. */
export const moduleNames = (folderPath: string | null): ReadonlyArray<string> =>
  folderPath === null ? [] : folderPath.split("/").filter((segment) => segment.trim() !== "")

export interface AutomationTestLogInput extends TestLogInput {
  readonly testCase: TestCase
  /** The case's folder path (Folder.path), null for a case in no folder. */
  readonly folderPath: string | null
}

export const automationTestLogBody = (input: AutomationTestLogInput, vocab: Vocabulary): Mapped<AutomationTestLogBody | null> => {
  const execution = input.execution
  const object = executionLabel(execution)
  const notes = new MappingNotes()
  const status = notes.take(vocab.automationStatus(execution.status, object))

  const properties = new PropertyList(notes, object)
  addExecutionProperties(properties, execution, input.customFields, vocab)

  const stepLogs: Array<AutomationTestStepLogBody> = []
  sortedResults(input.stepResults).forEach((result, i) => {
    const stepStatus = notes.take(vocab.automationStatus(result.status, `${object} step ${i + 1}`))
    if (stepStatus === undefined) return
    const actual = actualResult(result)
    stepLogs.push({
      order: stepLogs.length,
      description: stepDescription(result.description, result.test_data),
      expected_result: richText(result.expected_result),
      ...(actual !== "" ? { actual_result: actual } : {}),
      status: stepStatus
    })
  })

  if (status === undefined) return notes.result(null)
  const window = executionWindow(execution, input.context ?? { testCase: input.testCase })
  const note = logNote(execution.comment)
  const modules = moduleNames(input.folderPath)
  return notes.result({
    name: input.testCase.name,
    automation_content: automationContent(input.testCase.key),
    status,
    exe_start_date: window.start,
    exe_end_date: window.end,
    ...(modules.length > 0 ? { module_names: modules } : {}),
    ...(note !== undefined ? { note } : {}),
    properties: properties.toArray(),
    test_step_logs: stepLogs
  })
}

/** The logs → requests of at most `batchSize` logs each, in order, all under `testCycle` (id or PID). */
export const automationRequests = (
  testCycle: string,
  logs: ReadonlyArray<AutomationTestLogBody>,
  batchSize: number
): ReadonlyArray<AutomationRequestBody> => {
  const size = Math.max(1, Math.floor(batchSize))
  const requests: Array<AutomationRequestBody> = []
  for (let i = 0; i < logs.length; i += size) requests.push({ test_cycle: testCycle, test_logs: logs.slice(i, i + size) })
  return requests
}
