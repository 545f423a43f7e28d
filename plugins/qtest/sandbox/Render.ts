/**
 * The sandbox's entities as qTest resources (the swagger's definitions, docs/vendors/qtest.md): snake_case,
 * HATEOAS `links` with absolute `self` hrefs on the sandbox, PIDs, ISO dates and `properties` echoed with
 * `field_name` / `field_value_name`. Each resource carries only properties its definition declares (the
 * contract test closes every definition): `web_url`, in the portal's pattern, on test cases, requirements,
 * releases, test cycles, test suites and attachments, not on modules or test runs; a field's `attribute_type`
 * and `free_text_search` on the single-field GET only, its `allowed_values` on the list and the create answer
 * only. Optional values that are unset are left out (the description declares nothing nullable).
 */
import type {
  AllowedValue,
  Attachment,
  CaseVersion,
  ExecutionStatus,
  Field,
  JiraDefect,
  Job,
  Module,
  Release,
  Requirement,
  TestCase,
  TestCycle,
  TestLog,
  TestRun,
  TestStep,
  TestStepLog,
  TestSuite,
  User
} from "./Entities.ts"
import { DATA_TYPES } from "./Entities.ts"
import { displayParameters } from "./Parameters.ts"
import type { ProjectState } from "./ProjectState.ts"
import { isMultiple, isPicklist, renderProperties } from "./Properties.ts"
import {
  casesIn,
  childModules,
  currentVersion,
  cyclesIn,
  latestLog,
  orderAmong,
  runsIn,
  suitesIn,
  versionLabel
} from "./Queries.ts"

export interface CaseView {
  /** Render this version instead of the current one. */
  readonly version?: CaseVersion
  readonly steps?: boolean
  readonly properties?: boolean
  readonly showParamIdentifier?: boolean
}

/** Where the sandbox's Jira connection says Jira is; nothing is served there. */
const JIRA_URL = "https://sandbox-jira.atlassian.net"

const ATTRIBUTE_TYPES: Readonly<Record<number, string>> = {
  [DATA_TYPES.textBox]: "String",
  [DATA_TYPES.textArea]: "LongText",
  [DATA_TYPES.comboBox]: "Number",
  [DATA_TYPES.datePicker]: "DateTime",
  [DATA_TYPES.userList]: "Number",
  [DATA_TYPES.richText]: "LongText",
  [DATA_TYPES.number]: "Number",
  [DATA_TYPES.checkBox]: "ArrayNumber",
  [DATA_TYPES.dateTimePicker]: "DateTime",
  [DATA_TYPES.url]: "URL",
  [DATA_TYPES.multiSelect]: "ArrayNumber"
}

/** Keys whose value is undefined are left out of the JSON. */
const defined = <T extends Record<string, unknown>>(o: T): T => {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k]
  return o
}

export const makeRenderer = (state: () => ProjectState, base: string) => {
  const s = () => state()
  const api = (path: string) => `${base}/api/v3/projects/${s().project.id}${path}`
  const portal = (tab: string, object: number, id: number) => `${base}/p/${s().project.id}/portal/project#tab=${tab}&object=${object}&id=${id}`
  const self = (href: string) => [{ rel: "self", href }]

  /** What both user shapes of S1 share (`UserResource`, `UserResourceExtension`). */
  const userCommon = (u: User) => ({
    links: self(`${base}/api/v3/users/${u.id}`),
    id: u.id,
    username: u.username,
    email: u.email,
    first_name: u.firstName,
    last_name: u.lastName,
    status: 1,
    avatar: `${base}/api/v3/users/${u.id}/avatar`
  })

  const user = (u: User) => ({ ...userCommon(u), user_group_ids: [] })

  /** A user as `/users/search` lists them (S1 `UserResourceExtension`). */
  const userExtension = (u: User) => ({ ...userCommon(u), authentication_system: "qTest" })

  const status = (st: ExecutionStatus) => ({ links: [], id: st.id, name: st.name, is_default: st.isDefault, color: st.color, active: true })
  const statusById = (id: number) => {
    const st = s().statuses.find((x) => x.id === id)
    return st === undefined ? { links: [], id } : status(st)
  }

  const allowedValue = (v: AllowedValue) =>
    defined({ links: [], value: v.value, label: v.label, order: v.order, is_default: v.isDefault, is_active: v.isActive, color: v.color })

  /** What both field shapes of the description share (`FieldResource`, `FieldResourceSwagger`). */
  const fieldCommon = (f: Field) => ({
    links: self(api(`/settings/${f.objectType}/fields/${f.id}`)),
    id: f.id,
    label: f.label,
    required: f.required,
    constrained: isPicklist(f) || f.dataType === DATA_TYPES.userList,
    order: f.order,
    multiple: isMultiple(f),
    data_type: f.dataType,
    searchable: f.searchable,
    system_field: f.systemField,
    original_name: f.originalName,
    is_active: f.isActive
  })

  /** A field as the list and the create answer it (`FieldResource`): with its allowed values. */
  const field = (f: Field) => defined({ ...fieldCommon(f), allowed_values: isPicklist(f) ? f.allowedValues.map(allowedValue) : undefined })

  /**
   * A field as `GET …/fields/{fieldId}` answers it (`FieldResourceSwagger`): with `attribute_type` and
   * `free_text_search`, without allowed values (they have an endpoint of their own).
   */
  const fieldDetail = (f: Field) =>
    defined({
      ...fieldCommon(f),
      attribute_type: isMultiple(f) && f.dataType === DATA_TYPES.userList ? "ArrayNumber" : (ATTRIBUTE_TYPES[f.dataType] ?? "String"),
      free_text_search: f.dataType === DATA_TYPES.textBox || f.dataType === DATA_TYPES.textArea
    })

  const attachment = (a: Attachment) => {
    const author = s().users.get(a.authorId)
    return {
      links: self(api(`/${a.objectType}/${a.objectId}/attachments/${a.id}`)),
      id: a.id,
      name: a.name,
      content_type: a.contentType,
      web_url: `${base}/p/${s().project.id}/portal/attachment/${a.objectType.replace(/-/g, "").replace(/s$/, "")}/attachmentId/${a.id}`,
      created_date: a.createdDate,
      author: author === undefined ? { id: a.authorId } : { id: author.id, email: author.email, first_name: author.firstName, last_name: author.lastName },
      artifact_id: a.objectId
    }
  }
  const attachmentsOf = (objectType: string, objectId: number) =>
    s()
      .attachments.inGroup(`${objectType}:${objectId}`)
      .sort((a, b) => a.id - b.id)
      .map(attachment)

  const module = (m: Module, descendants = false): Record<string, unknown> =>
    defined({
      links: self(api(`/modules/${m.id}`)),
      id: m.id,
      name: m.name,
      order: orderAmong(childModules(s(), m.parentId), m),
      pid: m.pid,
      created_date: m.createdDate,
      last_modified_date: m.lastModifiedDate,
      parent_id: m.parentId,
      description: m.description,
      shared: false,
      projects_shared_to: [],
      recursive: false,
      children: descendants ? childModules(s(), m.id).map((c) => module(c, true)) : undefined
    })

  const testStep = (caseId: number, step: TestStep, index: number, showIdentifier: boolean) => {
    const called = step.calledTestCaseId === undefined ? undefined : s().testCases.get(step.calledTestCaseId)
    return defined({
      links: self(api(`/test-cases/${caseId}/test-steps/${step.id}`)),
      id: step.id,
      description: displayParameters(s(), step.description, showIdentifier),
      expected: displayParameters(s(), step.expected, showIdentifier),
      order: index + 1,
      attachments: attachmentsOf("test-steps", step.id),
      called_test_case_id: step.calledTestCaseId,
      called_test_case_name: called === undefined ? undefined : currentVersion(s(), called).name,
      root_called_test_case_id: step.calledTestCaseId,
      plain_value_text: displayParameters(s(), step.description, showIdentifier).replace(/<[^>]*>/g, "")
    })
  }

  const testCase = (tc: TestCase, view: CaseView = {}) => {
    const v = view.version ?? currentVersion(s(), tc)
    return defined({
      links: [
        { rel: "self", href: api(`/test-cases/${tc.id}`) },
        { rel: "test-steps", href: api(`/test-cases/${tc.id}/test-steps`) }
      ],
      id: tc.id,
      name: v.name,
      order: orderAmong(casesIn(s(), tc.parentId), tc),
      pid: tc.pid,
      created_date: tc.createdDate,
      last_modified_date: tc.lastModifiedDate,
      properties: view.properties === false ? undefined : renderProperties(s(), v.properties),
      web_url: portal("testdesign", 1, tc.id),
      attachments: attachmentsOf("test-cases", tc.id),
      parent_id: tc.parentId,
      test_case_version_id: v.id,
      version: versionLabel(v),
      description: v.description,
      precondition: v.precondition,
      creator_id: tc.creatorId,
      agent_ids: [],
      test_steps: view.steps ? v.steps.map((st, i) => testStep(tc.id, st, i, view.showParamIdentifier ?? false)) : undefined,
      last_modified_date_utc: tc.lastModifiedDate
    })
  }

  const release = (r: Release) =>
    defined({
      links: self(api(`/releases/${r.id}`)),
      id: r.id,
      name: r.name,
      order: orderAmong(s().releases.values(), r),
      pid: r.pid,
      created_date: r.createdDate,
      last_modified_date: r.lastModifiedDate,
      properties: renderProperties(s(), r.properties),
      web_url: portal("testplan", 8, r.id),
      description: r.description,
      note: r.note,
      start_date: r.startDate,
      end_date: r.endDate
    })

  const testSuite = (t: TestSuite) =>
    defined({
      links: self(api(`/test-suites/${t.id}`)),
      id: t.id,
      name: t.name,
      order: orderAmong(suitesIn(s(), t.parent), t),
      pid: t.pid,
      created_date: t.createdDate,
      last_modified_date: t.lastModifiedDate,
      properties: renderProperties(s(), t.properties),
      web_url: portal("testexecution", 2, t.id),
      parentId: t.parent.id,
      parentType: t.parent.type,
      target_release_id: t.targetReleaseId,
      target_build_id: t.targetBuildId
    })

  const testCycle = (c: TestCycle, descendants = false): Record<string, unknown> => {
    const here = { type: "test-cycle" as const, id: c.id }
    return defined({
      links: self(api(`/test-cycles/${c.id}`)),
      id: c.id,
      name: c.name,
      order: orderAmong(cyclesIn(s(), c.parent), c),
      pid: c.pid,
      created_date: c.createdDate,
      last_modified_date: c.lastModifiedDate,
      web_url: portal("testexecution", 4, c.id),
      description: c.description,
      target_release_id: c.targetReleaseId,
      target_build_id: c.targetBuildId,
      "test-cycles": descendants ? cyclesIn(s(), here).map((x) => testCycle(x, true)) : undefined,
      "test-suites": descendants ? suitesIn(s(), here).map(testSuite) : undefined
    })
  }

  /** A run's properties plus its derived Status (the latest log's, else the default status). */
  const runProperties = (r: TestRun) => {
    const statusField = s().fields.find((f) => f.objectType === "test-runs" && f.derived === true)
    const last = latestLog(s(), r.id)
    const statusId = last?.statusId ?? s().statuses.find((x) => x.isDefault)?.id
    const derived = statusField === undefined || statusId === undefined ? [] : [{ fieldId: statusField.id, value: String(statusId) }]
    return renderProperties(s(), [...derived, ...r.properties])
  }

  const testRun = (r: TestRun, options: { readonly steps?: boolean } = {}) => {
    const tc = s().testCases.get(r.testCaseId)
    const version = s().caseVersions.get(r.testCaseVersionId)
    const last = latestLog(s(), r.id)
    return defined({
      links: [
        { rel: "self", href: api(`/test-runs/${r.id}`) },
        { rel: "test-logs", href: api(`/test-runs/${r.id}/test-logs`) }
      ],
      id: r.id,
      name: r.name,
      order: orderAmong(runsIn(s(), r.parent), r),
      pid: r.pid,
      parentId: r.parent.id,
      parentType: r.parent.type,
      created_date: r.createdDate,
      last_modified_date: r.lastModifiedDate,
      properties: runProperties(r),
      test_case: tc === undefined ? { id: r.testCaseId, properties: [] } : testCase(tc, { ...(version ? { version } : {}), steps: options.steps ?? false }),
      test_case_version_id: r.testCaseVersionId,
      test_case_version: version === undefined ? undefined : versionLabel(version),
      creator_id: r.creatorId,
      latest_test_log:
        last === undefined
          ? undefined
          : { id: last.id, status: s().statuses.find((x) => x.id === last.statusId)?.name ?? String(last.statusId), exe_start_date: last.exeStartDate, exe_end_date: last.exeEndDate }
    })
  }

  const testStepLog = (log: TestLog, sl: TestStepLog, withStep: boolean) => {
    let step: Record<string, unknown> | undefined
    if (withStep) {
      const caseId = sl.calledTestCaseId ?? s().caseVersions.get(log.testCaseVersionId)?.caseId
      const version = sl.calledTestCaseId === undefined ? s().caseVersions.get(log.testCaseVersionId) : undefined
      const tc = caseId === undefined ? undefined : s().testCases.get(caseId)
      const steps = version?.steps ?? (tc === undefined ? [] : currentVersion(s(), tc).steps)
      const index = steps.findIndex((x) => x.id === sl.testStepId)
      const found = steps[index]
      if (found !== undefined && caseId !== undefined) step = testStep(caseId, found, index, false)
    }
    return defined({
      links: [],
      test_step_id: sl.testStepId,
      test_step_log_id: sl.id,
      user_id: log.submitterId,
      status: statusById(sl.statusId),
      expected_result: sl.expectedResult,
      actual_result: sl.actualResult,
      called_test_case_id: sl.calledTestCaseId,
      parent_test_step_id: sl.parentTestStepId,
      order: sl.order,
      exe_date: sl.exeDate,
      attachments: attachmentsOf("test-step-logs", sl.id),
      test_step: step
    })
  }

  const testLog = (l: TestLog, options: { readonly testCase?: boolean; readonly steps?: boolean; readonly details?: boolean } = {}) => {
    const version = s().caseVersions.get(l.testCaseVersionId)
    const tc = version === undefined ? undefined : s().testCases.get(version.caseId)
    const details = options.details ?? true
    return defined({
      links: self(api(`/test-runs/${l.runId}/test-logs/${l.id}`)),
      id: l.id,
      test_run_id: l.runId,
      test_case_version_id: l.testCaseVersionId,
      name: l.name,
      exe_start_date: l.exeStartDate,
      exe_end_date: l.exeEndDate,
      note: l.note,
      status: statusById(l.statusId),
      build_number: l.buildNumber,
      build_url: l.buildUrl,
      planned_exe_time: l.plannedExeTime,
      actual_exe_time: l.actualExeTime,
      properties: details ? renderProperties(s(), l.properties) : undefined,
      attachments: attachmentsOf("test-logs", l.id),
      test_step_logs: details ? l.stepLogs.map((sl) => testStepLog(l, sl, options.steps ?? false)) : undefined,
      defects: defectsOfLog(l.id).map(logDefect),
      test_case: options.testCase && tc !== undefined ? testCase(tc, { ...(version ? { version } : {}), steps: true }) : undefined
    })
  }

  const requirement = (r: Requirement) =>
    defined({
      links: self(api(`/requirements/${r.id}`)),
      id: r.id,
      name: r.name,
      order: orderAmong(
        s().requirements.filter((x) => x.parentId === r.parentId),
        r
      ),
      pid: r.pid,
      created_date: r.createdDate,
      last_modified_date: r.lastModifiedDate,
      properties: renderProperties(s(), r.properties),
      web_url: portal("requirements", 5, r.id),
      parent_id: r.parentId
    })

  const job = (j: Job) => defined({ id: j.id, type: "AUTOMATION_TEST_LOG", state: j.state, contentType: "application/json", content: j.content })

  /**
   * The project's Jira connection (S1 `DefectTrackingSystem`), when it has one: its id is the project's own
   * number past 900000 [sandbox choice], its URL a Jira Cloud site's.
   */
  const jiraConnection = () => {
    const st = s()
    return { defect_mappings: [], connection_name: "Jira Cloud", url: JIRA_URL, system_name: "JIRA", active: true, id: 900_000 + st.project.id }
  }
  /** A Jira issue linked as a defect, as `POST …/defects` answers it (S1 `LinkedDefect`). */
  const linkedDefect = (d: JiraDefect) => ({
    id: d.id,
    pid: d.externalId,
    link_type: "is_associated_with",
    external_defect_id: d.externalId,
    connection_id: jiraConnection().id
  })
  /** The same as a linked artifact (`GET …/linked-artifacts`, S1 `LinkedArtifact`). */
  const linkedDefectArtifact = (d: JiraDefect) => ({ id: d.id, pid: d.externalId, link_type: "is_associated_with", self: `${JIRA_URL}/browse/${encodeURIComponent(d.externalId)}` })
  /** On a test log (`TestLogResource.defects`, S1 `LinkedDefectResource`). */
  const logDefect = (d: JiraDefect) => ({
    links: self(`${JIRA_URL}/browse/${encodeURIComponent(d.externalId)}`),
    id: d.id,
    external_defect_id: d.externalId,
    connection_id: jiraConnection().id,
    pid: d.externalId
  })
  const defectsOfLog = (logId: number): ReadonlyArray<JiraDefect> =>
    (s().defectLinks.get(logId) ?? []).flatMap((externalId) => {
      const d = s().jiraDefects.get(externalId)
      return d === undefined ? [] : [d]
    })

  const project = () => {
    const st = s()
    const admin = st.users.get(st.apiUserId)
    return {
      links: self(`${base}/api/v3/projects/${st.project.id}`),
      id: st.project.id,
      name: st.project.name,
      description: st.project.description,
      status_id: 101,
      start_date: st.project.createdDate,
      sample: false,
      admins: admin === undefined ? [] : [admin.username],
      admin_ids: [st.apiUserId],
      defect_tracking_systems: st.project.jiraDefects ? [jiraConnection()] : [],
      x_explorer_access_level: 7,
      date_format: "yyyy/MM/dd",
      // Automation settings are enabled (docs/vendors/qtest.md §3.3.9): auto-test-logs works in this project.
      automation: true
    }
  }

  return {
    base,
    api,
    user,
    userExtension,
    status,
    allowedValue,
    field,
    fieldDetail,
    attachment,
    module,
    testStep,
    testCase,
    release,
    testSuite,
    testCycle,
    testRun,
    testLog,
    requirement,
    job,
    project,
    linkedDefect,
    linkedDefectArtifact,
    defectsOfLog
  }
}

export type Renderer = ReturnType<typeof makeRenderer>
