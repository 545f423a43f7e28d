/**
 * Manual test logs (docs/vendors/qtest.md §4.7): `status` is an execution status object (`{id}`) of the project;
 * `exe_start_date` and `exe_end_date` are required; without `test_case_version_id` the log goes to the test
 * case's latest approved version (S1) — and a case with no approved version is refused with 400, the sandbox's
 * reading of "only approved versions are normally executed" (§3.3.4). Step logs name a step of that version by
 * `test_step_id`; a step that comes from a called test case must also carry `called_test_case_id` and
 * `parent_test_step_id` (the calling step), as S1 requires. Inline attachments above the limit are a 413.
 */
import { isObject, objectBody, optArray, optId, optInt, optString, reqDateTime, toId, type JsonObject } from "./Body.ts"
import { parseInlineAttachments, storeAttachment, type NewAttachment } from "./Attachments.ts"
import type { CaseVersion, TestLog, TestRun, TestStepLog } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { resolveProperties } from "./Properties.ts"
import { addLog, latestApproved, versionOfCase, versionsOf } from "./Queries.ts"
import { fail, found } from "./Reply.ts"

export interface LogWriteOptions {
  readonly maxAttachmentBytes: number
}

/** An execution status id from `{id}` (or a bare id); 400 when it is not one of the project's. */
export const statusIdOf = (state: ProjectState, v: unknown, where: string): number => {
  const id = isObject(v) ? toId(v.id) : toId(v)
  if (id === undefined) return fail(400, `'status' of ${where} is required: an execution status object {"id": …}`)
  return state.statuses.some((s) => s.id === id) ? id : fail(400, `'status' of ${where}: ${id} is not an execution status of project ${state.project.id}`)
}

const checkDates = (start: string, end: string): void => {
  if (end < start) fail(400, "'exe_end_date' must not be before 'exe_start_date'")
}

/** The step ids of every version of a case. */
const stepIdsOfCase = (state: ProjectState, caseId: number): Set<number> => {
  const tc = state.testCases.get(caseId)
  return new Set(tc === undefined ? [] : versionsOf(state, tc).flatMap((v) => v.steps.map((s) => s.id)))
}

const parseStepLogs = (
  state: ProjectState,
  version: CaseVersion,
  input: ReadonlyArray<unknown>,
  options: LogWriteOptions
): Array<{ readonly log: Omit<TestStepLog, "id">; readonly files: ReadonlyArray<NewAttachment> }> => {
  const own = new Map(version.steps.map((s) => [s.id, s]))
  // Calls nest (a called case may call another): every calling step reachable from this version, so a step log
  // of a nested called step names its immediate calling step as parent_test_step_id.
  const callingSteps: Array<CaseVersion["steps"][number]> = []
  const visited = new Set<number>()
  const collect = (steps: CaseVersion["steps"]) => {
    for (const s of steps) {
      if (s.calledTestCaseId === undefined) continue
      callingSteps.push(s)
      if (visited.has(s.calledTestCaseId)) continue
      visited.add(s.calledTestCaseId)
      const called = state.testCases.get(s.calledTestCaseId)
      if (called !== undefined) for (const v of versionsOf(state, called)) collect(v.steps)
    }
  }
  collect(version.steps)
  return input.map((item, i) => {
    const where = `test step log ${i + 1}`
    if (!isObject(item)) return fail(400, `The ${where} must be an object`)
    const stepId = optId(item, "test_step_id") ?? fail(400, `'test_step_id' of ${where} is required`)
    const statusId = statusIdOf(state, item.status, where)
    const calledId = optId(item, "called_test_case_id")
    const parentStepId = optId(item, "parent_test_step_id")
    let description = ""
    let expected = ""
    const step = own.get(stepId)
    if (step !== undefined && calledId === undefined) {
      description = step.description
      expected = step.expected
    } else {
      const callers = callingSteps.filter((s) => stepIdsOfCase(state, s.calledTestCaseId ?? 0).has(stepId))
      if (callers.length === 0) return fail(400, `The ${where}: test step ${stepId} is not a step of test case version ${version.id}`)
      if (calledId === undefined || parentStepId === undefined) {
        return fail(400, `The ${where}: test step ${stepId} comes from a called test case: called_test_case_id and parent_test_step_id are required`)
      }
      const caller = callers.find((s) => s.id === parentStepId && s.calledTestCaseId === calledId)
      if (caller === undefined) return fail(400, `The ${where}: step ${parentStepId} of this version does not call test case ${calledId} with step ${stepId}`)
    }
    const exeDate = item.exe_date === undefined || item.exe_date === null ? undefined : reqDateTime(item, "exe_date")
    return {
      log: {
        testStepId: stepId,
        order: optInt(item, "order") ?? i + 1,
        statusId,
        actualResult: optString(item, "actual_result") ?? "",
        expectedResult: optString(item, "expected_result") ?? expected,
        description,
        ...(calledId === undefined ? {} : { calledTestCaseId: calledId }),
        ...(parentStepId === undefined ? {} : { parentTestStepId: parentStepId }),
        ...(exeDate === undefined ? {} : { exeDate })
      },
      files: parseInlineAttachments(item.attachments, options.maxAttachmentBytes, where)
    }
  })
}

const commonFields = (body: JsonObject) => {
  const buildNumber = optString(body, "build_number")
  const buildUrl = optString(body, "build_url")
  const planned = optInt(body, "planned_exe_time", 0)
  const actual = optInt(body, "actual_exe_time", 0)
  return {
    ...(buildNumber === undefined ? {} : { buildNumber }),
    ...(buildUrl === undefined ? {} : { buildUrl }),
    ...(planned === undefined ? {} : { plannedExeTime: planned }),
    ...(actual === undefined ? {} : { actualExeTime: actual })
  }
}

/** `POST …/test-runs/{id}/test-logs`. */
export const createManualLog = (state: ProjectState, run: TestRun, raw: unknown, options: LogWriteOptions): TestLog => {
  const body = objectBody(raw)
  const tc = found(state.testCases.get(run.testCaseId), `The test case of test run ${run.pid} no longer exists`)
  const statusId = statusIdOf(state, body.status, "the test log")
  const start = reqDateTime(body, "exe_start_date")
  const end = reqDateTime(body, "exe_end_date")
  checkDates(start, end)
  const versionId = optId(body, "test_case_version_id")
  const version =
    versionId !== undefined
      ? versionOfCase(state, tc, versionId)
      : (latestApproved(state, tc) ??
        fail(400, `Test case ${tc.pid} (${tc.id}) has no approved version: approve it, or send the test_case_version_id the log is for`))
  const properties = resolveProperties(state, "test-runs", body.properties, [])
  const steps = parseStepLogs(state, version, optArray(body, "test_step_logs") ?? [], options)
  const files = parseInlineAttachments(body.attachments, options.maxAttachmentBytes, "the test log")
  const now = state.now()
  const log = addLog(state, {
    id: state.ids.next(),
    runId: run.id,
    testCaseVersionId: version.id,
    statusId,
    exeStartDate: start,
    exeEndDate: end,
    note: optString(body, "note") ?? "",
    name: optString(body, "name") ?? run.name,
    ...commonFields(body),
    properties,
    stepLogs: steps.map((s) => ({ ...s.log, id: state.ids.next() })),
    submitterId: state.apiUserId,
    automation: false,
    createdDate: now,
    lastModifiedDate: now
  })
  for (const f of files) storeAttachment(state, "test-logs", log.id, f, state.apiUserId)
  log.stepLogs.forEach((sl, i) => {
    for (const f of steps[i]?.files ?? []) storeAttachment(state, "test-step-logs", sl.id, f, state.apiUserId)
  })
  state.testRuns.set(run.id, { ...run, lastModifiedDate: now })
  return log
}

/**
 * `PUT …/test-runs/{id}/test-logs/{id}` (qTest 9.1.5+): status, dates, note and properties change; step logs
 * are matched by `order`, which cannot change, and only their status and actual result do; the test case
 * version, build number and build URL are read-only.
 */
export const updateManualLog = (state: ProjectState, log: TestLog, raw: unknown): TestLog => {
  const body = objectBody(raw)
  const statusId = statusIdOf(state, body.status, "the test log")
  const start = reqDateTime(body, "exe_start_date")
  const end = reqDateTime(body, "exe_end_date")
  checkDates(start, end)
  const versionId = optId(body, "test_case_version_id")
  if (versionId !== undefined && versionId !== log.testCaseVersionId) return fail(400, "The test case version of a test log cannot be changed")
  for (const key of ["build_number", "build_url"] as const) {
    const v = optString(body, key)
    if (v !== undefined && v !== (key === "build_number" ? log.buildNumber : log.buildUrl)) fail(400, `'${key}' of a test log cannot be changed`)
  }
  const stepInput = optArray(body, "test_step_logs") ?? []
  const byOrder = new Map(log.stepLogs.map((s) => [s.order, s]))
  const changes = new Map<number, { statusId: number; actualResult?: string }>()
  stepInput.forEach((item, i) => {
    const where = `test step log ${i + 1}`
    if (!isObject(item)) return fail(400, `The ${where} must be an object`)
    const order = optInt(item, "order") ?? fail(400, `'order' of ${where} is required`)
    if (!byOrder.has(order)) return fail(400, `The ${where}: the test log has no step with order ${order} (step order cannot change)`)
    const actual = optString(item, "actual_result")
    changes.set(order, { statusId: statusIdOf(state, item.status, where), ...(actual === undefined ? {} : { actualResult: actual }) })
  })
  const updated: TestLog = {
    ...log,
    statusId,
    exeStartDate: start,
    exeEndDate: end,
    note: optString(body, "note") ?? log.note,
    properties: resolveProperties(state, "test-runs", body.properties, log.properties),
    stepLogs: log.stepLogs.map((s) => {
      const change = changes.get(s.order)
      return change === undefined ? s : { ...s, statusId: change.statusId, actualResult: change.actualResult ?? s.actualResult }
    }),
    lastModifiedDate: state.now()
  }
  return state.testLogs.set(log.id, updated)
}
