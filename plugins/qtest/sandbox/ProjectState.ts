/**
 * One project of the sandbox's site (SiteState.ts), set up like a new qTest Manager project: system fields per object type
 * with their allowed values, the default execution statuses (601 Passed … 605 Unexecuted), automation settings
 * enabled with their automation status values, the API user plus any configured users, and optionally Jira-like
 * requirements. Ids are deliberately not small constants: field and value ids come from a counter at 800000,
 * entity ids from another in the millions (one sequence for every kind, so an id of the wrong kind is a 404,
 * never someone else's object); both are the site's (SiteCounters.ts), shared by its projects, so an id of
 * another project is one this project does not have. User ids come from a third, per project but drawn the same
 * way for the same configured users, so a user has one id in every project as on a site — a client that hard-codes an id fails here as it would
 * on a real site. Statuses keep the ids qTest is known to use (only 601 Passed is confirmed; clients must read
 * the list).
 */
import {
  containerKey,
  DATA_TYPES,
  type AllowedValue,
  type Attachment,
  type CaseVersion,
  type ExecutionStatus,
  type Field,
  type FieldObjectType,
  type JiraDefect,
  type Job,
  type Module,
  type Parameter,
  type Release,
  type Requirement,
  type RequirementLink,
  type TestCase,
  type TestCycle,
  type TestLog,
  type TestRun,
  type TestSuite,
  type User
} from "./Entities.ts"
import { makeSiteCounters, type SiteCounters } from "./SiteCounters.ts"
import { Counter, type Journal, Table } from "./Store.ts"

export type PidPrefix = "TC" | "MD" | "RL" | "CL" | "TS" | "TR" | "RQ"

export interface ProjectConfig {
  readonly projectId: number
  readonly projectName: string
  readonly apiUser: { readonly username: string; readonly email: string; readonly firstName: string; readonly lastName: string }
  readonly users: ReadonlyArray<{ readonly username: string; readonly email: string; readonly first_name?: string; readonly last_name?: string }>
  /** Labels of test-case fields the project requires (existing fields become required; others are created as text fields). */
  readonly requiredTestCaseFields: ReadonlyArray<string>
  /** Names of requirements present from the start (as a Jira integration would have synced them). */
  readonly requirements: ReadonlyArray<string>
  /** Execution statuses beyond the defaults (a project's custom statuses); their ids are allocated. */
  readonly extraStatuses: ReadonlyArray<{ readonly name: string; readonly color?: string }>
  /** A Jira defect integration: listed in `defect_tracking_systems`, and test logs can be linked to Jira issues. */
  readonly jiraDefects?: boolean | undefined
}

export interface ProjectState {
  readonly journal: Journal
  readonly project: { readonly id: number; readonly name: string; readonly description: string; readonly createdDate: string; readonly jiraDefects: boolean }
  readonly apiUserId: number
  readonly users: Table<number, User>
  readonly fields: Table<number, Field>
  readonly statuses: ReadonlyArray<ExecutionStatus>
  /** Automation settings: automation status value (e.g. `PASSED`) → execution status id. */
  readonly automationStatuses: ReadonlyMap<string, number>
  readonly modules: Table<number, Module>
  readonly testCases: Table<number, TestCase>
  readonly caseVersions: Table<number, CaseVersion>
  readonly releases: Table<number, Release>
  readonly testCycles: Table<number, TestCycle>
  readonly testSuites: Table<number, TestSuite>
  readonly testRuns: Table<number, TestRun>
  readonly testLogs: Table<number, TestLog>
  /** Index: run id → its log ids (oldest first), so a run's latest log is not a scan of every log. */
  readonly runLogs: Table<number, ReadonlyArray<number>>
  readonly requirements: Table<number, Requirement>
  /** Keyed `requirementId:testCaseId`. */
  readonly requirementLinks: Table<string, RequirementLink>
  /** Jira issues linked as defects, by the external id they were linked with. */
  readonly jiraDefects: Table<string, JiraDefect>
  /** Test log id → the external ids of the Jira issues it is linked to, in the order they were linked. */
  readonly defectLinks: Table<number, ReadonlyArray<string>>
  readonly attachments: Table<number, Attachment>
  /** Keyed by identifier. */
  readonly parameters: Table<string, Parameter>
  readonly jobs: Table<number, Job>
  /** Entity ids (every kind, versions, steps, logs, attachments, jobs): the site's, shared by its projects. */
  readonly ids: Counter
  /** Field ids and allowed-value ids: the site's, shared by its projects. */
  readonly fieldIds: Counter
  /** Sibling positions. */
  readonly seq: Counter
  readonly pids: Readonly<Record<PidPrefix, Counter>>
  readonly now: () => string
}

const FIRST_USER_ID = 52_301

/** The default execution statuses of a new project. */
export const DEFAULT_STATUSES: ReadonlyArray<ExecutionStatus> = [
  { id: 601, name: "Passed", color: "#0cdda8", isDefault: false },
  { id: 602, name: "Failed", color: "#fc3d39", isDefault: false },
  { id: 603, name: "Incomplete", color: "#ffad0b", isDefault: false },
  { id: 604, name: "Blocked", color: "#8c8c8c", isDefault: false },
  { id: 605, name: "Unexecuted", color: "#c0c0c0", isDefault: true }
]

/** The project's automation settings: the automation values auto-test-logs accept, mapped to statuses. */
export const AUTOMATION_STATUSES: Readonly<Record<string, number>> = {
  PASSED: 601,
  FAILED: 602,
  INCOMPLETE: 603,
  BLOCKED: 604,
  SKIPPED: 605,
  UNEXECUTED: 605
}

interface FieldSpec {
  readonly label: string
  readonly originalName?: string
  readonly dataType: number
  readonly values?: ReadonlyArray<string>
  readonly defaultValue?: string
  readonly multiple?: boolean
  readonly derived?: boolean
  /** Fixed value ids (test-run Status uses the execution status ids). */
  readonly valueIds?: ReadonlyArray<number>
}

const PRIORITIES = ["Urgent", "High", "Medium", "Low"]

/** System fields of a new project, per object type (the subset a migration touches). */
const SYSTEM_FIELDS: Readonly<Record<FieldObjectType, ReadonlyArray<FieldSpec>>> = {
  "test-cases": [
    { label: "Status", dataType: DATA_TYPES.comboBox, values: ["New", "In Review", "Approved", "Ready for Baseline", "Baselined"], defaultValue: "New" },
    { label: "Type", dataType: DATA_TYPES.comboBox, values: ["Manual", "Automation", "Performance", "Scenario"], defaultValue: "Manual" },
    { label: "Priority", dataType: DATA_TYPES.comboBox, values: PRIORITIES, defaultValue: "Medium" },
    { label: "Assigned To", originalName: "AssignedTo", dataType: DATA_TYPES.userList },
    { label: "Automation Content", originalName: "AutomationContent", dataType: DATA_TYPES.textBox }
  ],
  "test-runs": [
    {
      label: "Status",
      originalName: "RunStatus",
      dataType: DATA_TYPES.comboBox,
      // The project's execution statuses (filled in per project, custom ones included).
      values: [],
      defaultValue: "Unexecuted",
      derived: true
    },
    { label: "Priority", dataType: DATA_TYPES.comboBox, values: PRIORITIES, defaultValue: "Medium" },
    { label: "Assigned To", originalName: "AssignedTo", dataType: DATA_TYPES.userList },
    { label: "Environment", dataType: DATA_TYPES.comboBox, values: [] },
    { label: "Execution Type", originalName: "ExecutionTypeTestRun", dataType: DATA_TYPES.comboBox, values: ["Functional", "Regression", "Smoke"] },
    { label: "Planned Start Date", originalName: "PlannedStartDate", dataType: DATA_TYPES.dateTimePicker },
    { label: "Planned End Date", originalName: "PlannedEndDate", dataType: DATA_TYPES.dateTimePicker }
  ],
  requirements: [
    { label: "Status", dataType: DATA_TYPES.comboBox, values: ["New", "In Review", "Approved", "Obsolete"], defaultValue: "New" },
    { label: "Priority", dataType: DATA_TYPES.comboBox, values: PRIORITIES, defaultValue: "Medium" },
    { label: "Assigned To", originalName: "AssignedTo", dataType: DATA_TYPES.userList }
  ],
  releases: [{ label: "Status", dataType: DATA_TYPES.comboBox, values: ["Planning", "Implementing", "Done"], defaultValue: "Planning" }],
  "test-suites": [
    { label: "Environment", dataType: DATA_TYPES.comboBox, values: [] },
    { label: "Assigned To", originalName: "AssignedTo", dataType: DATA_TYPES.userList }
  ],
  builds: [],
  "test-steps": [],
  defects: []
}

/** A new project; alone on its site unless `site` gives the counters it shares with the others. */
export const makeProjectState = (config: ProjectConfig, site: SiteCounters = makeSiteCounters()): ProjectState => {
  const { journal, ids, fieldIds } = site
  const now = () => new Date().toISOString()
  const created = now()
  const userIds = new Counter(journal, FIRST_USER_ID)
  const pid = (): Counter => new Counter(journal, 1)

  const users = new Table<number, User>(journal)
  const apiUserId = userIds.next()
  users.set(apiUserId, { id: apiUserId, ...config.apiUser })
  for (const u of config.users) {
    if (u.username === config.apiUser.username) continue
    const id = userIds.next()
    users.set(id, { id, username: u.username, email: u.email, firstName: u.first_name ?? "", lastName: u.last_name ?? "" })
  }

  // Custom statuses take ids from the field counter, like other per-project values.
  const statuses: Array<ExecutionStatus> = [
    ...DEFAULT_STATUSES,
    ...config.extraStatuses.map((x) => ({ id: fieldIds.next(), name: x.name, color: x.color ?? "#7f7f7f", isDefault: false }))
  ]
  const fields = new Table<number, Field>(journal)
  for (const [objectType, declared] of Object.entries(SYSTEM_FIELDS) as Array<[FieldObjectType, ReadonlyArray<FieldSpec>]>) {
    const specs = declared.map((spec) =>
      spec.label === "Status" && objectType === "test-runs" ? { ...spec, values: statuses.map((x) => x.name), valueIds: statuses.map((x) => x.id) } : spec
    )
    specs.forEach((spec: FieldSpec, i) => {
      const id = fieldIds.next()
      const allowedValues: Array<AllowedValue> = (spec.values ?? []).map((label, j) => ({
        value: spec.valueIds?.[j] ?? fieldIds.next(),
        label,
        order: j + 1,
        isDefault: label === spec.defaultValue,
        isActive: true
      }))
      fields.set(id, {
        id,
        objectType,
        label: spec.label,
        originalName: spec.originalName ?? spec.label.replace(/\s+/g, ""),
        dataType: spec.dataType,
        required: false,
        multiple: spec.multiple ?? false,
        systemField: true,
        isActive: true,
        order: i + 1,
        searchable: true,
        allowedValues,
        ...(spec.derived ? { derived: true } : {})
      })
    })
  }
  for (const label of config.requiredTestCaseFields) {
    const existing = fields.find((f) => f.objectType === "test-cases" && f.label.toLowerCase() === label.toLowerCase())
    if (existing !== undefined) {
      fields.set(existing.id, { ...existing, required: true })
      continue
    }
    const id = fieldIds.next()
    const order = fields.filter((f) => f.objectType === "test-cases").length + 1
    fields.set(id, {
      id,
      objectType: "test-cases",
      label,
      originalName: label,
      dataType: DATA_TYPES.textBox,
      required: true,
      multiple: false,
      systemField: false,
      isActive: true,
      order,
      searchable: true,
      allowedValues: []
    })
  }

  const seq = new Counter(journal, 1)
  const pids: Record<PidPrefix, Counter> = { TC: pid(), MD: pid(), RL: pid(), CL: pid(), TS: pid(), TR: pid(), RQ: pid() }
  const requirements = new Table<number, Requirement>(journal)
  for (const name of config.requirements) {
    const id = ids.next()
    requirements.set(id, { id, pid: `RQ-${pids.RQ.next()}`, name, properties: [], seq: seq.next(), createdDate: created, lastModifiedDate: created })
  }

  return {
    journal,
    project: { id: config.projectId, name: config.projectName, description: `${config.projectName} (qTest sandbox)`, createdDate: created, jiraDefects: config.jiraDefects ?? false },
    apiUserId,
    users,
    fields,
    statuses,
    automationStatuses: new Map(Object.entries(AUTOMATION_STATUSES)),
    modules: new Table<number, Module>(journal),
    testCases: new Table<number, TestCase>(journal),
    caseVersions: new Table<number, CaseVersion>(journal),
    releases: new Table<number, Release>(journal),
    testCycles: new Table<number, TestCycle>(journal),
    testSuites: new Table<number, TestSuite>(journal),
    // by parent: a run's order among its siblings is asked on every answer that shows a run
    testRuns: new Table<number, TestRun>(journal, (r) => containerKey(r.parent)),
    testLogs: new Table<number, TestLog>(journal),
    runLogs: new Table<number, ReadonlyArray<number>>(journal),
    requirements,
    requirementLinks: new Table<string, RequirementLink>(journal),
    jiraDefects: new Table<string, JiraDefect>(journal),
    defectLinks: new Table<number, ReadonlyArray<string>>(journal),
    // by object: every answer that shows an object lists its attachments
    attachments: new Table<number, Attachment>(journal, (a) => `${a.objectType}:${a.objectId}`),
    parameters: new Table<string, Parameter>(journal),
    jobs: new Table<number, Job>(journal),
    ids,
    fieldIds,
    seq,
    pids,
    now
  }
}
