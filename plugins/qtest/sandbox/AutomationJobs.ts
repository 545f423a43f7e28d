/**
 * Batch automation logs with tree (`POST /api/v3/projects/{id}/auto-test-logs?type=automation`, docs/vendors/qtest.md
 * §4.8) as a queued job. The submission answers 201 with a job in IN_WAITING; each `GET
 * /api/v3/projects/queue-processing/{id}` advances it (IN_WAITING, IN_PROCESSING, …) and the poll number
 * `jobPolls` finds it terminal: the whole batch is applied then, in one transaction — SUCCESS, or FAILED with
 * the reason in `content` and nothing applied. Until then nothing of the batch exists (the pain point of §6:
 * follow-up work must wait for the job).
 *
 * What a batch does (S1, S4): `module_names` become modules under the Test Design root (or `parent_module`)
 * and test cycles under `test_cycle`, reused when name and location match; `automation_content` is the test
 * case's fingerprint (an existing automation case with it is reused, else one is created — approved, of type
 * Automation, with the step logs as its steps); a run is reused when it has the same case in the same cycle;
 * one log per entry. Step `order` must be a continuous series from 0 (omitted everywhere: steps sort by
 * description); `test_case_version_id` must be absent for a case that does not exist yet; `status` values
 * must be the project's automation values (ProjectState.ts); a test-run property with an unknown field id is
 * ignored, one with an invalid value drops that log only. `escapeXml` (default true) encodes `<` and `>` in the
 * automation content, so lookups compare the encoded text.
 */
import { arrayBody, isObject, objectBody, optArray, optId, optString, queryBool, reqDateTime, toId, type JsonObject } from "./Body.ts"
import { parseInlineAttachments, storeAttachment } from "./Attachments.ts"
import type { Container, Job, Module, PropertyValue, TestCase, TestCycle, TestRun } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { fieldByLabel, fieldsOf, resolveProperties } from "./Properties.ts"
import { addLog, childModules, currentVersion, cyclesIn, latestApproved, runsIn, versionOfCase } from "./Queries.ts"
import { ApiFailure, fail } from "./Reply.ts"
import { createTestCase, createdViaApiModule } from "./TestCaseWrites.ts"

export interface AutomationOptions {
  readonly maxAttachmentBytes: number
  readonly jobPolls: number
}

/** The request as accepted at submission (checked again, fully, when the job runs). */
interface Submission {
  readonly body: JsonObject
  readonly escapeXml: boolean
}

const encode = (text: string, escapeXml: boolean): string => (escapeXml ? text.replace(/</g, "&lt;").replace(/>/g, "&gt;") : text)

/** `POST …/auto-test-logs?type=automation`: the checks a real server makes before queueing (400, 413). */
export const submitAutomation = (state: ProjectState, raw: unknown, query: URLSearchParams, options: AutomationOptions): Job => {
  if (query.get("type") !== "automation") fail(400, "Query parameter 'type' is required and must be 'automation'")
  const body = objectBody(raw)
  const logs = arrayBody(body.test_logs, "'test_logs'")
  if (logs.length === 0) fail(400, "'test_logs' must hold at least one test log")
  if (body.test_cycle === undefined || body.test_cycle === null || body.test_cycle === "") fail(400, "'test_cycle' is required: the PID or id of the parent test cycle")
  // Oversized attachments are refused at once (413), as the endpoint documents.
  logs.forEach((log, i) => {
    if (!isObject(log)) return
    parseInlineAttachments(log.attachments, options.maxAttachmentBytes, `test log ${i + 1}`)
    for (const step of optArray(log, "test_step_logs") ?? []) if (isObject(step)) parseInlineAttachments(step.attachments, options.maxAttachmentBytes, `a step of test log ${i + 1}`)
  })
  const id = state.ids.next()
  const request: Submission = { body, escapeXml: queryBool(query, "escapeXml", true) }
  return state.jobs.set(id, { id, state: "IN_WAITING", polls: 0, request, submitterId: state.apiUserId })
}

const cycleByRef = (state: ProjectState, ref: unknown): TestCycle => {
  const text = String(ref).trim()
  const id = toId(text)
  const cycle = id !== undefined ? state.testCycles.get(id) : state.testCycles.find((c) => c.pid === text.toUpperCase())
  return cycle ?? fail(400, `Test cycle '${text}' does not exist in project ${state.project.id}`)
}

const moduleByRef = (state: ProjectState, ref: unknown): Module => {
  const text = String(ref).trim()
  const id = toId(text)
  const m = id !== undefined ? state.modules.get(id) : state.modules.find((x) => x.pid === text.toUpperCase())
  return m ?? fail(400, `Module '${text}' does not exist in project ${state.project.id}`)
}

const moduleChain = (state: ProjectState, names: ReadonlyArray<string>, root: number | undefined): number | undefined => {
  let parentId = root
  for (const name of names) {
    const existing = childModules(state, parentId).find((m) => m.name === name)
    if (existing !== undefined) {
      parentId = existing.id
      continue
    }
    const now = state.now()
    const id = state.ids.next()
    state.modules.set(id, { id, pid: `MD-${state.pids.MD.next()}`, name, description: "", parentId, seq: state.seq.next(), createdDate: now, lastModifiedDate: now })
    parentId = id
  }
  return parentId
}

const cycleChain = (state: ProjectState, names: ReadonlyArray<string>, top: TestCycle): Container => {
  let parent: Container = { type: "test-cycle", id: top.id }
  for (const name of names) {
    const existing = cyclesIn(state, parent).find((c) => c.name === name)
    if (existing !== undefined) {
      parent = { type: "test-cycle", id: existing.id }
      continue
    }
    const now = state.now()
    const id = state.ids.next()
    state.testCycles.set(id, { id, pid: `CL-${state.pids.CL.next()}`, name, description: "", parent, seq: state.seq.next(), createdDate: now, lastModifiedDate: now })
    parent = { type: "test-cycle", id }
  }
  return parent
}

interface StepEntry {
  readonly description: string
  readonly expected: string
  readonly actual: string
  readonly statusId: number
}

const automationStatus = (state: ProjectState, value: unknown, where: string): number => {
  if (typeof value !== "string") return fail(400, `'status' of ${where} is required: one of the automation values ${[...state.automationStatuses.keys()].join(", ")}`)
  return state.automationStatuses.get(value) ?? fail(400, `'status' of ${where}: '${value}' is not mapped in the project's automation settings (${[...state.automationStatuses.keys()].join(", ")})`)
}

const stepEntries = (state: ProjectState, input: ReadonlyArray<unknown>, where: string): Array<StepEntry> => {
  const parsed = input.map((item, i) => {
    const at = `step ${i + 1} of ${where}`
    if (!isObject(item)) return fail(400, `The ${at} must be an object`)
    const description = optString(item, "description") ?? fail(400, `'description' of the ${at} is required`)
    const expected = optString(item, "expected_result") ?? fail(400, `'expected_result' of the ${at} is required`)
    const order = item.order === undefined || item.order === null ? undefined : (toId(item.order) ?? fail(400, `'order' of the ${at} must be an integer`))
    return { order, entry: { description, expected, actual: optString(item, "actual_result") ?? "", statusId: automationStatus(state, item.status, at) } }
  })
  const withOrder = parsed.filter((p) => p.order !== undefined)
  if (withOrder.length === 0) return parsed.map((p) => p.entry).sort((a, b) => (a.description < b.description ? -1 : a.description > b.description ? 1 : 0))
  const orders = parsed.map((p) => p.order ?? -1).sort((a, b) => a - b)
  if (withOrder.length !== parsed.length || orders.some((o, i) => o !== i)) {
    return fail(400, `The test step orders of ${where} must be a continuous series of numbers starting from 0, got [${parsed.map((p) => (p.order === undefined ? "none" : p.order)).join(", ")}]`)
  }
  return [...parsed].sort((a, b) => (a.order ?? 0) - (b.order ?? 0)).map((p) => p.entry)
}

const sameSteps = (a: ReadonlyArray<{ description: string; expected: string }>, b: ReadonlyArray<StepEntry>): boolean =>
  a.length === b.length && a.every((s, i) => s.description === b[i]?.description && s.expected === b[i]?.expected)

/** Applies one submission; throws an ApiFailure (rolling everything back) for the first invalid entry. */
const apply = (state: ProjectState, submission: Submission, options: AutomationOptions): Record<string, unknown> => {
  const { body, escapeXml } = submission
  const top = cycleByRef(state, body.test_cycle)
  const moduleRoot = body.parent_module === undefined || body.parent_module === null ? undefined : moduleByRef(state, body.parent_module).id
  const runFields = new Set(fieldsOf(state, "test-runs").map((f) => f.id))
  const typeField = fieldByLabel(state, "test-cases", "Type")
  const automationType = typeField?.allowedValues.find((v) => v.label === "Automation")
  const contentField = fieldByLabel(state, "test-cases", "Automation Content")
  const runIds: Array<number> = []
  const logIds: Array<number> = []
  const skipped: Array<{ index: number; reason: string }> = []

  arrayBody(body.test_logs, "'test_logs'").forEach((raw, index) => {
    const where = `test log ${index + 1}`
    if (!isObject(raw)) return fail(400, `The ${where} must be an object`)
    const name = optString(raw, "name") ?? fail(400, `'name' of ${where} is required`)
    const content = encode(optString(raw, "automation_content") ?? fail(400, `'automation_content' of ${where} is required`), escapeXml)
    if (content.trim() === "") return fail(400, `'automation_content' of ${where} must not be empty`)
    const statusId = automationStatus(state, raw.status, where)
    const start = reqDateTime(raw, "exe_start_date")
    const end = reqDateTime(raw, "exe_end_date")
    const moduleNames = (optArray(raw, "module_names") ?? []).map((n, i) => (typeof n === "string" && n.trim() !== "" ? n : fail(400, `module_names[${i}] of ${where} must be a non-empty string`)))
    const steps = stepEntries(state, optArray(raw, "test_step_logs") ?? [], where)
    const versionId = optId(raw, "test_case_version_id")

    let tc: TestCase | undefined = state.testCases.find((c) => c.automationContent === content)
    if (tc === undefined) {
      if (versionId !== undefined) return fail(400, `'test_case_version_id' of ${where} must be omitted: no test case has the automation content '${content}' yet`)
      const parentId = moduleNames.length > 0 ? moduleChain(state, moduleNames, moduleRoot) : moduleRoot ?? createdViaApiModule(state).id
      const properties: Array<PropertyValue> = resolveProperties(state, "test-cases", [
        ...(typeField && automationType ? [{ field_id: typeField.id, field_value: String(automationType.value) }] : []),
        ...(contentField ? [{ field_id: contentField.id, field_value: content }] : [])
      ])
      tc = createTestCase(
        state,
        { name, parent_id: parentId, test_steps: steps.map((s, i) => ({ description: s.description, expected: s.expected, order: i + 1 })) },
        { userId: state.apiUserId, maxAttachmentBytes: options.maxAttachmentBytes },
        { automationContent: content, properties, approved: true }
      )
    } else {
      if (versionId !== undefined) versionOfCase(state, tc, versionId)
      const current = currentVersion(state, tc)
      // The steps follow the latest submission, in place (S1's known issue: no new version).
      if (steps.length > 0 && !sameSteps(current.steps, steps)) {
        const kept = current.steps
        state.caseVersions.set(current.id, {
          ...current,
          steps: steps.map((s, i) => ({ id: kept[i]?.id ?? state.ids.next(), description: s.description, expected: s.expected }))
        })
      }
    }
    const caseNow = tc
    const version = versionId !== undefined ? versionOfCase(state, caseNow, versionId) : (latestApproved(state, caseNow) ?? currentVersion(state, caseNow))

    const container = cycleChain(state, moduleNames, top)
    const now = state.now()
    let run: TestRun | undefined = runsIn(state, container).find((r) => r.testCaseId === caseNow.id && r.automation)
    if (run === undefined) {
      const id = state.ids.next()
      run = state.testRuns.set(id, {
        id,
        pid: `TR-${state.pids.TR.next()}`,
        name,
        parent: container,
        testCaseId: caseNow.id,
        testCaseVersionId: version.id,
        properties: resolveProperties(state, "test-runs", []),
        creatorId: state.apiUserId,
        automation: true,
        seq: state.seq.next(),
        createdDate: now,
        lastModifiedDate: now
      })
    }
    const known = (optArray(raw, "properties") ?? []).filter((p) => isObject(p) && runFields.has(toId(p.field_id) ?? -1))
    let runProperties: Array<PropertyValue>
    try {
      runProperties = resolveProperties(state, "test-runs", known, run.properties)
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 400) {
        skipped.push({ index, reason: e.message })
        runIds.push(run.id)
        return
      }
      throw e
    }
    run = state.testRuns.set(run.id, { ...run, properties: runProperties, lastModifiedDate: now })
    const versionSteps = version.steps
    const log = addLog(state, {
      id: state.ids.next(),
      runId: run.id,
      testCaseVersionId: version.id,
      statusId,
      exeStartDate: start,
      exeEndDate: end,
      note: optString(raw, "note") ?? "",
      name,
      ...(optString(raw, "build_number") === undefined ? {} : { buildNumber: optString(raw, "build_number") as string }),
      ...(optString(raw, "build_url") === undefined ? {} : { buildUrl: optString(raw, "build_url") as string }),
      properties: [],
      stepLogs: steps.map((s, i) => ({
        id: state.ids.next(),
        testStepId: versionSteps[i]?.id ?? 0,
        order: i + 1,
        statusId: s.statusId,
        actualResult: s.actual,
        expectedResult: s.expected,
        description: s.description
      })),
      submitterId: state.apiUserId,
      automation: true,
      createdDate: now,
      lastModifiedDate: now
    })
    for (const f of parseInlineAttachments(raw.attachments, options.maxAttachmentBytes, where)) storeAttachment(state, "test-logs", log.id, f, state.apiUserId)
    runIds.push(run.id)
    logIds.push(log.id)
  })
  return { totalTestLogs: logIds.length, testCycleId: top.id, testRunIds: runIds, testLogIds: logIds, skipped }
}

/** `GET /api/v3/projects/queue-processing/{id}`: one poll of the job, which may complete it. */
export const pollJob = (state: ProjectState, job: Job, options: AutomationOptions): Job => {
  if (job.state === "SUCCESS" || job.state === "FAILED") return job
  const polls = job.polls + 1
  if (polls < options.jobPolls) return state.jobs.set(job.id, { ...job, polls, state: polls === 1 ? "IN_WAITING" : "IN_PROCESSING" })
  let done: Job
  try {
    const summary = state.journal.transaction(() => apply(state, job.request as Submission, options))
    done = { ...job, polls, state: "SUCCESS", content: JSON.stringify(summary) }
  } catch (e) {
    if (!(e instanceof ApiFailure)) throw e
    done = { ...job, polls, state: "FAILED", content: JSON.stringify({ message: e.message }) }
  }
  return state.jobs.set(job.id, done)
}
