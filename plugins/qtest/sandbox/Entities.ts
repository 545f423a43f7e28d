/**
 * What the sandbox's project holds, as immutable values (Store.ts replaces them on update). Field names are
 * the sandbox's own (camelCase); Render.ts turns them into qTest's snake_case resources. Dates are ISO strings
 * as qTest sends them (`2019-06-17T05:09:13.178Z`).
 */

/** The object types that have field settings (`/settings/{objectType}/fields`). */
export const FIELD_OBJECT_TYPES = ["releases", "builds", "requirements", "test-cases", "test-steps", "defects", "test-suites", "test-runs"] as const
export type FieldObjectType = (typeof FIELD_OBJECT_TYPES)[number]

/** qTest `data_type` codes (S1, createCustomField). */
export const DATA_TYPES = {
  textBox: 1,
  textArea: 2,
  comboBox: 3,
  datePicker: 4,
  userList: 5,
  richText: 6,
  number: 7,
  checkBox: 8,
  dateTimePicker: 9,
  url: 12,
  multiSelect: 17
} as const

export interface AllowedValue {
  readonly value: number
  readonly label: string
  readonly order: number
  readonly isDefault: boolean
  readonly isActive: boolean
  readonly color?: string
}

export interface Field {
  readonly id: number
  readonly objectType: FieldObjectType
  readonly label: string
  readonly originalName: string
  readonly dataType: number
  readonly required: boolean
  readonly multiple: boolean
  readonly systemField: boolean
  readonly isActive: boolean
  readonly order: number
  readonly searchable: boolean
  readonly allowedValues: ReadonlyArray<AllowedValue>
  /** Maintained by the server (e.g. a test run's Status follows its latest log): writes to it are ignored. */
  readonly derived?: boolean
}

/** A stored property: the raw `field_value` a client sent (picklists: the value id, as a string). */
export interface PropertyValue {
  readonly fieldId: number
  readonly value: string
}

export interface User {
  readonly id: number
  readonly username: string
  readonly email: string
  readonly firstName: string
  readonly lastName: string
}

export interface ExecutionStatus {
  readonly id: number
  readonly name: string
  readonly color: string
  readonly isDefault: boolean
}

export interface Module {
  readonly id: number
  readonly pid: string
  readonly name: string
  readonly description: string
  readonly parentId: number | undefined
  /** Position among siblings (creation or move order). */
  readonly seq: number
  readonly createdDate: string
  readonly lastModifiedDate: string
}

export interface TestStep {
  readonly id: number
  readonly description: string
  readonly expected: string
  readonly calledTestCaseId?: number
}

/** One saved version of a test case: `major.minor`, approved when minor is 0 and major > 0. */
export interface CaseVersion {
  readonly id: number
  readonly caseId: number
  readonly major: number
  readonly minor: number
  readonly name: string
  readonly description: string
  readonly precondition: string
  readonly properties: ReadonlyArray<PropertyValue>
  readonly steps: ReadonlyArray<TestStep>
  readonly createdDate: string
}

export interface TestCase {
  readonly id: number
  readonly pid: string
  readonly parentId: number
  readonly seq: number
  readonly creatorId: number
  readonly createdDate: string
  readonly lastModifiedDate: string
  /** Oldest first; the last one is the current version. */
  readonly versionIds: ReadonlyArray<number>
  /** Set for automation test cases (auto-test-logs): their fingerprint. */
  readonly automationContent?: string
}

export type ContainerType = "root" | "release" | "test-cycle" | "test-suite"

export interface Container {
  readonly type: ContainerType
  /** 0 for root. */
  readonly id: number
}

/** A container as one string, for indexing by parent. */
export const containerKey = (c: Container): string => (c.type === "root" ? "root" : `${c.type}:${c.id}`)

export interface Release {
  readonly id: number
  readonly pid: string
  readonly name: string
  readonly description: string
  readonly note: string
  readonly startDate?: string
  readonly endDate?: string
  readonly properties: ReadonlyArray<PropertyValue>
  readonly seq: number
  readonly createdDate: string
  readonly lastModifiedDate: string
}

export interface TestCycle {
  readonly id: number
  readonly pid: string
  readonly name: string
  readonly description: string
  readonly parent: Container
  readonly targetReleaseId?: number
  readonly targetBuildId?: number
  readonly seq: number
  readonly createdDate: string
  readonly lastModifiedDate: string
}

export interface TestSuite {
  readonly id: number
  readonly pid: string
  readonly name: string
  readonly description: string
  readonly parent: Container
  readonly properties: ReadonlyArray<PropertyValue>
  readonly targetReleaseId?: number
  readonly targetBuildId?: number
  readonly seq: number
  readonly createdDate: string
  readonly lastModifiedDate: string
}

export interface TestRun {
  readonly id: number
  readonly pid: string
  readonly name: string
  readonly parent: Container
  readonly testCaseId: number
  readonly testCaseVersionId: number
  readonly properties: ReadonlyArray<PropertyValue>
  readonly creatorId: number
  /** Runs created by auto-test-logs, reused per automation content and cycle. */
  readonly automation: boolean
  readonly seq: number
  readonly createdDate: string
  readonly lastModifiedDate: string
}

export interface TestStepLog {
  readonly id: number
  readonly testStepId: number
  readonly order: number
  readonly statusId: number
  readonly actualResult: string
  readonly expectedResult: string
  readonly description: string
  readonly calledTestCaseId?: number
  readonly parentTestStepId?: number
  readonly exeDate?: string
}

export interface TestLog {
  readonly id: number
  readonly runId: number
  readonly testCaseVersionId: number
  readonly statusId: number
  readonly exeStartDate: string
  readonly exeEndDate: string
  readonly note: string
  readonly name: string
  readonly buildNumber?: string
  readonly buildUrl?: string
  readonly plannedExeTime?: number
  readonly actualExeTime?: number
  readonly properties: ReadonlyArray<PropertyValue>
  readonly stepLogs: ReadonlyArray<TestStepLog>
  readonly submitterId: number
  readonly automation: boolean
  readonly createdDate: string
  readonly lastModifiedDate: string
}

export interface Requirement {
  readonly id: number
  readonly pid: string
  readonly name: string
  readonly parentId?: number
  readonly properties: ReadonlyArray<PropertyValue>
  readonly seq: number
  readonly createdDate: string
  readonly lastModifiedDate: string
}

/** A requirement "is covered by" a test case. */
export interface RequirementLink {
  readonly requirementId: number
  readonly testCaseId: number
}

/** The object types attachments hang off (`/{objectType}/{objectId}/blob-handles`). */
/**
 * A Jira issue known to the project through its Jira defect integration, by the id it was linked with (the
 * issue id or key, as sent): qTest gives it an id of its own (S1 `LinkedDefect.id`) beside the external one.
 */
export interface JiraDefect {
  readonly id: number
  readonly externalId: string
}

export const ATTACHMENT_OBJECT_TYPES = ["releases", "builds", "requirements", "test-cases", "test-logs", "test-steps", "test-step-logs", "defects"] as const
export type AttachmentObjectType = (typeof ATTACHMENT_OBJECT_TYPES)[number]

export interface Attachment {
  readonly id: number
  readonly objectType: AttachmentObjectType
  readonly objectId: number
  readonly name: string
  readonly contentType: string
  readonly bytes: Uint8Array
  readonly authorId: number
  readonly createdDate: string
}

/** A project parameter, created by `[~identifier]` in a test step (docs/vendors/qtest.md §3.3.5). */
export interface Parameter {
  readonly id: number
  readonly identifier: string
  readonly createdDate: string
}

export type JobState = "IN_WAITING" | "IN_PROCESSING" | "PENDING" | "SUCCESS" | "FAILED"

/** A queued auto-test-logs submission (AutomationJobs.ts). */
export interface Job {
  readonly id: number
  readonly state: JobState
  readonly polls: number
  readonly request: unknown
  readonly submitterId: number
  readonly content?: string
}
