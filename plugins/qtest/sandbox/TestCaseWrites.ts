/**
 * Writing test cases as qTest versions them (docs/vendors/qtest.md §3.3.4, S5): a new case is version 0.1; every save
 * adds 0.1 (1.2 → 1.3) under a new `test_case_version_id`; approving makes the next whole number (4.2 → 5.0),
 * again a new version id. A case without `parent_id` lands in the module "Created via API" (created at the
 * root the first time it is needed). Test steps: `description` and `expected` are required for ordinary
 * steps; a calling step (`called_test_case_id`, or `called_test_case: {id, approved}`) must call an approved
 * case — `approved: true` approves the called case first, as the S2 data model describes; `[~identifier]`
 * creates parameters (Parameters.ts).
 */
import { isObject, objectBody, optArray, optId, optName, optString, reqName, toId, type JsonObject } from "./Body.ts"
import { parseInlineAttachments, storeAttachment, type NewAttachment } from "./Attachments.ts"
import type { CaseVersion, Module, PropertyValue, TestCase, TestStep } from "./Entities.ts"
import { registerParameters } from "./Parameters.ts"
import type { ProjectState } from "./ProjectState.ts"
import { resolveProperties } from "./Properties.ts"
import { currentVersion, isApproved, latestApproved } from "./Queries.ts"
import { fail } from "./Reply.ts"

export const CREATED_VIA_API = "Created via API"

export interface CaseWriteOptions {
  readonly userId: number
  readonly maxAttachmentBytes: number
}

/** The root module "Created via API", created on first use. */
export const createdViaApiModule = (state: ProjectState): Module => {
  const existing = state.modules
    .filter((m) => m.parentId === undefined && m.name === CREATED_VIA_API)
    .sort((a, b) => a.seq - b.seq)[0]
  if (existing !== undefined) return existing
  const now = state.now()
  const id = state.ids.next()
  return state.modules.set(id, { id, pid: `MD-${state.pids.MD.next()}`, name: CREATED_VIA_API, description: "", parentId: undefined, seq: state.seq.next(), createdDate: now, lastModifiedDate: now })
}

interface ParsedSteps {
  readonly steps: Array<TestStep>
  readonly attachments: Array<{ readonly stepId: number; readonly files: ReadonlyArray<NewAttachment> }>
}

const parseSteps = (state: ProjectState, input: ReadonlyArray<unknown>, caseId: number, previous: ReadonlyArray<TestStep>, options: CaseWriteOptions): ParsedSteps => {
  const keep = new Set(previous.map((s) => s.id))
  const used = new Set<number>()
  const entries = input.map((item, index) => {
    const where = `test step ${index + 1}`
    if (!isObject(item)) return fail(400, `The ${where} must be an object`)
    const order = item.order === undefined || item.order === null ? index + 1 : (toId(item.order) ?? fail(400, `'order' of ${where} must be an integer`))
    return { item, order, index, where }
  })
  entries.sort((a, b) => a.order - b.order || a.index - b.index)
  const steps: Array<TestStep> = []
  const attachments: Array<{ stepId: number; files: ReadonlyArray<NewAttachment> }> = []
  for (const { item, where } of entries) {
    const calledObject = isObject(item.called_test_case) ? item.called_test_case : undefined
    const calledId = optId(item, "called_test_case_id") ?? (calledObject === undefined ? undefined : optId(calledObject, "id"))
    const requested = optId(item, "id")
    const id = requested !== undefined && keep.has(requested) && !used.has(requested) ? requested : state.ids.next()
    used.add(id)
    const description = optString(item, "description")
    const expected = optString(item, "expected")
    if (calledId === undefined) {
      if (description === undefined) return fail(400, `'description' of ${where} is required`)
      if (expected === undefined) return fail(400, `'expected' of ${where} is required`)
    } else {
      if (calledId === caseId) return fail(400, `The ${where} cannot call its own test case`)
      const called = state.testCases.get(calledId) ?? fail(400, `The ${where} calls test case ${calledId}, which does not exist`)
      if (latestApproved(state, called) === undefined) {
        if (calledObject?.approved === true) approveTestCase(state, called)
        else return fail(400, `The ${where} calls test case ${called.pid} (${called.id}), which has no approved version: approve it first or send called_test_case: {id, approved: true}`)
      }
    }
    registerParameters(state, description ?? "")
    registerParameters(state, expected ?? "")
    steps.push({ id, description: description ?? "", expected: expected ?? "", ...(calledId === undefined ? {} : { calledTestCaseId: calledId }) })
    const files = parseInlineAttachments(item.attachments, options.maxAttachmentBytes, where)
    if (files.length > 0) attachments.push({ stepId: id, files })
  }
  return { steps, attachments }
}

const moduleFor = (state: ProjectState, body: JsonObject): number | undefined => {
  const parentId = optId(body, "parent_id")
  if (parentId === undefined) return undefined
  return state.modules.has(parentId) ? parentId : fail(400, `Module ${parentId} does not exist in project ${state.project.id}`)
}

const addVersion = (state: ProjectState, tc: TestCase, content: Omit<CaseVersion, "id" | "caseId" | "createdDate">, parentId = tc.parentId): TestCase => {
  const now = state.now()
  const id = state.ids.next()
  state.caseVersions.set(id, { ...content, id, caseId: tc.id, createdDate: now })
  return state.testCases.set(tc.id, { ...tc, parentId, lastModifiedDate: now, versionIds: [...tc.versionIds, id] })
}

/** `POST …/test-cases`. `extra` lets auto-test-logs create automation cases (approved, with steps given). */
export const createTestCase = (
  state: ProjectState,
  raw: unknown,
  options: CaseWriteOptions,
  extra: { readonly automationContent?: string; readonly properties?: ReadonlyArray<PropertyValue>; readonly approved?: boolean } = {}
): TestCase => {
  const body = objectBody(raw)
  const name = reqName(body)
  const parentId = moduleFor(state, body) ?? createdViaApiModule(state).id
  const properties = extra.properties ?? resolveProperties(state, "test-cases", body.properties)
  const now = state.now()
  const id = state.ids.next()
  const parsed = parseSteps(state, optArray(body, "test_steps") ?? [], id, [], options)
  const files = parseInlineAttachments(body.attachments, options.maxAttachmentBytes, "the test case")
  const versionId = state.ids.next()
  const tc = state.testCases.set(id, {
    id,
    pid: `TC-${state.pids.TC.next()}`,
    parentId,
    seq: state.seq.next(),
    creatorId: options.userId,
    createdDate: now,
    lastModifiedDate: now,
    versionIds: [versionId],
    ...(extra.automationContent === undefined ? {} : { automationContent: extra.automationContent })
  })
  state.caseVersions.set(versionId, {
    id: versionId,
    caseId: id,
    major: extra.approved ? 1 : 0,
    minor: extra.approved ? 0 : 1,
    name,
    description: optString(body, "description") ?? "",
    precondition: optString(body, "precondition") ?? "",
    properties,
    steps: parsed.steps,
    createdDate: now
  })
  for (const f of files) storeAttachment(state, "test-cases", id, f, options.userId)
  for (const { stepId, files: stepFiles } of parsed.attachments) for (const f of stepFiles) storeAttachment(state, "test-steps", stepId, f, options.userId)
  return tc
}

/** `PUT …/test-cases/{id}`: what the body names changes, the rest carries over; always a new minor version. */
export const updateTestCase = (state: ProjectState, tc: TestCase, raw: unknown, options: CaseWriteOptions): TestCase => {
  const body = objectBody(raw)
  const current = currentVersion(state, tc)
  const name = optName(body) ?? current.name
  const parentId = moduleFor(state, body) ?? tc.parentId
  const properties = resolveProperties(state, "test-cases", body.properties, current.properties)
  const stepsInput = optArray(body, "test_steps")
  const parsed = stepsInput === undefined ? { steps: [...current.steps], attachments: [] } : parseSteps(state, stepsInput, tc.id, current.steps, options)
  const files = parseInlineAttachments(body.attachments, options.maxAttachmentBytes, "the test case")
  const updated = addVersion(
    state,
    tc,
    {
      major: current.major,
      minor: current.minor + 1,
      name,
      description: optString(body, "description") ?? current.description,
      precondition: optString(body, "precondition") ?? current.precondition,
      properties,
      steps: parsed.steps
    },
    parentId
  )
  for (const f of files) storeAttachment(state, "test-cases", tc.id, f, options.userId)
  for (const { stepId, files: stepFiles } of parsed.attachments) for (const f of stepFiles) storeAttachment(state, "test-steps", stepId, f, options.userId)
  return updated
}

/** Replaces the current version's steps with a new minor version (the test-step endpoints). */
export const saveSteps = (state: ProjectState, tc: TestCase, steps: ReadonlyArray<TestStep>): TestCase => {
  const current = currentVersion(state, tc)
  return addVersion(state, tc, { ...current, minor: current.minor + 1, steps })
}

/** Parses test steps for the step endpoints (same rules as in a case body). */
export const parseStepList = (state: ProjectState, tc: TestCase, input: ReadonlyArray<unknown>, previous: ReadonlyArray<TestStep>, options: CaseWriteOptions) =>
  parseSteps(state, input, tc.id, previous, options)

/** `PUT …/approve`: the next whole version; approving an approved current version changes nothing. */
export const approveTestCase = (state: ProjectState, tc: TestCase): TestCase => {
  const current = currentVersion(state, tc)
  if (isApproved(current)) return tc
  return addVersion(state, tc, { ...current, major: current.major + 1, minor: 0 })
}
