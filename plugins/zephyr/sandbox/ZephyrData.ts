/**
 * The Zephyr sandbox's data-file format (`--zephyr-data`; a file in Zephyr DC's own shapes is turned into it, see
 * dc/dcDataFile.ts): one JSON object — `projects, folders, statuses,
 * priorities, environments, testcases, teststeps: {caseKey: [...]}, testscripts: {caseKey: {...}}, testcycles,
 * testplans, testexecutions, executionsteps: {executionId: [...]}, attachments: {"testcases/KEY" |
 * "testexecutions/ID": [{id, name, contentType, base64}]}` — with every entity exactly in the Zephyr Scale Cloud v2
 * response shape (docs/vendors/zephyr.md §1.5), grouped by endpoint. Link `self` values in a file may be anything:
 * the sandbox rewrites them to its own base URL when serving, so a file captured from a real tenant (or
 * hand-written) works unchanged. Three additions the real API does not return: `statusType` on statuses (needed by
 * the `statusType` filter), `versions` (latest version number per test case; default 1) and `malformed` (below).
 *
 * `malformed`: the records a broken tenant returns as they are, listed by their JSON path in the file
 * (`testcases[3]`, `teststeps["PROJ-T7"][0]`, `testexecutions[12]`). The structural check forgives every problem
 * under a listed path and the sandbox serves those records as written — a missing name, a duplicate key, a date
 * that is no date — so the migrator can be tested against what a real tenant may send. Everything else in the
 * file is still checked.
 */
import { Data } from "effect"

export type FolderType = "TEST_CASE" | "TEST_PLAN" | "TEST_CYCLE"
export type StatusType = "TEST_CASE" | "TEST_PLAN" | "TEST_CYCLE" | "TEST_EXECUTION"
export type LinkType = "COVERAGE" | "BLOCKS" | "RELATED"

/** `{id, self}`: how Zephyr refers to every other entity. */
export interface Link {
  readonly id: number
  readonly self: string
}

export interface JiraUserLink {
  readonly accountId: string
  readonly self?: string | null | undefined
}

/** Values are keyed by the field's display name: number, "yyyy-MM-dd", boolean, string[], string or accountId. */
/** A multi-select in either edition's shape: option names (Scale Cloud) or `{id, name}` (Essential). */
export type CustomFieldValue = string | number | boolean | ReadonlyArray<string> | ReadonlyArray<{ readonly id: number; readonly name: string }> | null
export type CustomFields = Readonly<Record<string, CustomFieldValue>>

export interface IssueLink {
  readonly id: number
  readonly self: string
  readonly issueId: number
  readonly target: string
  readonly type: LinkType
  /** Not in Cloud's responses (stripped when serving): the issue's key, from a DC data file (dc/dcDataFile.ts). */
  readonly key?: string | undefined
}

export interface WebLink {
  readonly id: number
  readonly self: string
  readonly url: string
  readonly description?: string | null | undefined
  readonly type: LinkType
}

export interface ZephyrProject {
  readonly id: number
  readonly jiraProjectId: number
  readonly key: string
  readonly enabled: boolean
}

export interface ZephyrFolder {
  readonly id: number
  readonly parentId: number | null
  readonly name: string
  readonly index: number
  readonly folderType: FolderType
  readonly project: Link
}

interface OptionValue {
  readonly id: number
  readonly project: Link
  readonly name: string
  readonly description?: string | null | undefined
  readonly index: number
}

export interface ZephyrStatus extends OptionValue {
  readonly color?: string | null | undefined
  readonly archived?: boolean | undefined
  readonly default?: boolean | undefined
  /** Not in the API's responses (stripped when serving); the `statusType` filter needs it. */
  readonly statusType?: StatusType | undefined
}

export interface ZephyrPriority extends OptionValue {
  readonly color?: string | null | undefined
  readonly default?: boolean | undefined
}

export interface ZephyrEnvironment extends OptionValue {
  readonly archived?: boolean | undefined
}

export interface ZephyrTestCase {
  readonly id: number
  readonly key: string
  readonly name: string
  readonly project: Link
  readonly createdOn?: string | null | undefined
  readonly objective?: string | null | undefined
  readonly precondition?: string | null | undefined
  readonly estimatedTime?: number | null | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  readonly component?: Link | null | undefined
  readonly priority: Link
  readonly status: Link
  readonly folder?: Link | null | undefined
  readonly owner?: JiraUserLink | null | undefined
  readonly testScript?: { readonly self: string } | null | undefined
  readonly customFields?: CustomFields | undefined
  readonly links?:
    | {
        readonly self: string
        readonly issues: ReadonlyArray<IssueLink>
        readonly webLinks: ReadonlyArray<WebLink>
      }
    | undefined
  /** Not in Cloud's responses (stripped when serving): the parameters and test data table DC serves. */
  readonly parameters?: { readonly variables: ReadonlyArray<unknown>; readonly entries: ReadonlyArray<unknown> } | undefined
}

export interface StepParameter {
  readonly name: string
  readonly type: "MANUAL_INPUT" | "DEFAULT_VALUE"
  readonly value?: string | null | undefined
}

/** A test-case step: `inline` content, or a call to another test case (`testCase`), never both. */
export interface ZephyrTestStep {
  readonly id?: number | null | undefined
  readonly inline?:
    | {
        readonly description?: string | null | undefined
        readonly testData?: string | null | undefined
        readonly expectedResult?: string | null | undefined
        readonly customFields?: CustomFields | undefined
        readonly reflectRef?: string | null | undefined
      }
    | null
    | undefined
  readonly testCase?:
    | {
        readonly self: string
        readonly testCaseKey: string
        readonly parameters?: ReadonlyArray<StepParameter> | undefined
      }
    | null
    | undefined
}

export interface ZephyrTestScript {
  readonly id: number
  readonly type: "plain" | "bdd"
  readonly text: string
}

export interface ZephyrTestCycle {
  readonly id: number
  readonly key: string
  readonly name: string
  readonly project: Link
  readonly jiraProjectVersion?: Link | null | undefined
  readonly status: Link
  readonly folder?: Link | null | undefined
  readonly description?: string | null | undefined
  readonly plannedStartDate?: string | null | undefined
  readonly plannedEndDate?: string | null | undefined
  readonly owner?: JiraUserLink | null | undefined
  readonly customFields?: CustomFields | undefined
  readonly links?:
    | {
        readonly self: string
        readonly issues: ReadonlyArray<IssueLink>
        readonly webLinks: ReadonlyArray<WebLink>
        readonly testPlans: ReadonlyArray<{
          readonly id: number
          readonly self: string
          readonly testPlanId: number
          readonly type: LinkType
          readonly target: string
        }>
      }
    | undefined
}

export interface ZephyrTestPlan {
  readonly id: number
  readonly key: string
  readonly name: string
  readonly objective?: string | null | undefined
  readonly project: Link
  readonly status: Link
  readonly folder?: Link | null | undefined
  readonly owner?: JiraUserLink | null | undefined
  readonly customFields?: CustomFields | undefined
  readonly labels?: ReadonlyArray<string> | undefined
  readonly links?:
    | {
        readonly webLinks: ReadonlyArray<WebLink>
        readonly issues: ReadonlyArray<IssueLink>
        readonly testCycles: ReadonlyArray<{
          readonly id: number
          readonly self: string
          readonly testCycleId: number
          readonly type: LinkType
          readonly target: string
        }>
      }
    | undefined
}

export interface ZephyrTestExecution {
  readonly id: number
  readonly key?: string | undefined
  readonly project: Link
  /** A link to a specific version of the case: `self` is `…/testcases/{key}/versions/{n}`. */
  readonly testCase: Link
  readonly environment?: Link | null | undefined
  readonly jiraProjectVersion?: Link | null | undefined
  readonly testExecutionStatus: Link
  readonly actualEndDate?: string | null | undefined
  readonly estimatedTime?: number | null | undefined
  readonly executionTime?: number | null | undefined
  readonly executedById?: string | null | undefined
  readonly assignedToId?: string | null | undefined
  readonly comment?: string | null | undefined
  readonly automated?: boolean | undefined
  readonly testCycle?: Link | null | undefined
  readonly customFields?: CustomFields | undefined
  readonly links?: { readonly self: string; readonly issues: ReadonlyArray<IssueLink> } | undefined
}

/** An execution step result: always inline (calls to other cases are already expanded by Zephyr). */
export interface ZephyrExecutionStep {
  readonly id?: number | null | undefined
  readonly inline: {
    readonly description?: string | null | undefined
    readonly testData?: string | null | undefined
    readonly expectedResult?: string | null | undefined
    readonly actualResult?: string | null | undefined
    readonly testDataRowNumber?: number | null | undefined
    readonly reflectRef?: string | null | undefined
    readonly status: Link
  }
}

export interface ZephyrAttachmentData {
  readonly id: number
  readonly name: string
  readonly contentType: string
  readonly base64: string
}

export interface ZephyrData {
  readonly projects: ReadonlyArray<ZephyrProject>
  readonly folders: ReadonlyArray<ZephyrFolder>
  readonly statuses: ReadonlyArray<ZephyrStatus>
  readonly priorities: ReadonlyArray<ZephyrPriority>
  readonly environments: ReadonlyArray<ZephyrEnvironment>
  readonly testcases: ReadonlyArray<ZephyrTestCase>
  /** By test case key. */
  readonly teststeps: Readonly<Record<string, ReadonlyArray<ZephyrTestStep>>>
  /** By test case key: plain-text and BDD cases (these have no teststeps). */
  readonly testscripts: Readonly<Record<string, ZephyrTestScript>>
  readonly testcycles: ReadonlyArray<ZephyrTestCycle>
  readonly testplans: ReadonlyArray<ZephyrTestPlan>
  readonly testexecutions: ReadonlyArray<ZephyrTestExecution>
  /** By execution id (as a string, JSON object keys being strings). */
  readonly executionsteps: Readonly<Record<string, ReadonlyArray<ZephyrExecutionStep>>>
  /** By owner: `"testcases/KEY"` or `"testexecutions/ID"`. */
  readonly attachments: Readonly<Record<string, ReadonlyArray<ZephyrAttachmentData>>>
  /** Latest version number per test case key (default 1); not an API entity. */
  readonly versions?: Readonly<Record<string, number>> | undefined
  /** JSON paths of records served as written, however malformed (see the top of this file). */
  readonly malformed?: ReadonlyArray<string> | undefined
}

/** The data file cannot be read or does not have the expected structure; `problems` name JSON paths. */
export class SandboxDataError extends Data.TaggedError("SandboxDataError")<{
  readonly reason: "Read" | "Json" | "Structure"
  readonly file: string
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return `${this.file}: ${this.problems.join("; ")}`
  }
}
