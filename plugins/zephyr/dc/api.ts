/**
 * The Zephyr DC REST API v1 bodies the DC edition of the source reads (docs/vendors/zephyr.md §2). DC names things by string — folder paths, status / priority / environment
 * names, Jira user keys and issue keys — and numbers only results, scripts, steps and attachments. Unset fields are
 * absent (sometimes null on older captures), so every optional field is `optional(NullOr(…))`. Lists are bare
 * arrays; items are decoded one by one so that a malformed one is quarantined, not the page.
 */
import { Schema } from "effect"

const optional = <S extends Schema.Schema.Any>(s: S) => Schema.optional(Schema.NullOr(s))
const Text = Schema.String
/** A Jira user key: `vitor.pelizza` for old users, `JIRAUSER10000` since Jira 8.4. */
const UserKey = Schema.String
/** A DC test case key, `PROJ-T12`. */
export const DcTestCaseKey = Schema.String.pipe(Schema.pattern(/^.+-T[0-9]+$/, { message: () => "expected a test case key like PROJ-T12" }))
/** Custom fields by name: DC's values are scalars (a multi-choice is one "a, b" string); kept raw, typed in mapping. */
const CustomFields = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** A step custom field as DC serves it: the value with the field's definition (`customFieldValues`). */
export const DcStepFieldValue = Schema.Struct({
  id: optional(Schema.Number),
  stringValue: optional(Schema.String),
  booleanValue: optional(Schema.Boolean),
  customField: Schema.Struct({ id: optional(Schema.Number), name: Schema.String, type: optional(Schema.String) })
})

export const DcStepParameter = Schema.Struct({
  id: optional(Schema.Number),
  value: optional(Schema.String),
  testCaseParameter: optional(Schema.Struct({ name: Schema.String, defaultValue: optional(Schema.String), index: optional(Schema.Number) }))
})

/** A step of a STEP_BY_STEP script: inline text, or a call to another test case (`testCaseKey`). */
export const DcStep = Schema.Struct({
  id: optional(Schema.Number),
  index: Schema.Number,
  description: optional(Text),
  testData: optional(Text),
  expectedResult: optional(Text),
  testCaseKey: optional(DcTestCaseKey),
  stepParameters: optional(Schema.Array(DcStepParameter)),
  customFieldValues: optional(Schema.Array(DcStepFieldValue))
})
export type DcStep = typeof DcStep.Type

export const DcTestScript = Schema.Struct({
  id: optional(Schema.Number),
  type: Schema.Literal("STEP_BY_STEP", "PLAIN_TEXT", "BDD"),
  text: optional(Text),
  // not in index order on real instances: sort by `index`
  steps: optional(Schema.Array(DcStep))
})

/** The parameters and the test data table, which DC exposes and Cloud does not. */
export const DcParameters = Schema.Struct({
  variables: Schema.Array(Schema.Struct({ name: Schema.String, type: optional(Schema.String) })),
  entries: Schema.Array(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

const Audit = {
  createdOn: optional(Schema.String),
  createdBy: optional(UserKey),
  updatedOn: optional(Schema.String),
  updatedBy: optional(UserKey)
}

/** `GET /testcase/{key}` and items of `GET /testcase/search`: no numeric id — the key is the identity. */
export const DcTestCase = Schema.Struct({
  key: DcTestCaseKey,
  projectKey: Schema.String,
  name: Schema.String,
  objective: optional(Text),
  precondition: optional(Text),
  folder: optional(Schema.String),
  status: optional(Schema.String),
  priority: optional(Schema.String),
  component: optional(Schema.String),
  owner: optional(UserKey),
  estimatedTime: optional(Schema.Number),
  labels: optional(Schema.Array(Schema.String)),
  issueLinks: optional(Schema.Array(Schema.String)),
  customFields: optional(CustomFields),
  parameters: optional(DcParameters),
  testScript: optional(DcTestScript),
  majorVersion: optional(Schema.Number),
  latestVersion: optional(Schema.Boolean),
  lastTestResultStatus: optional(Schema.String),
  ...Audit
})
export type DcTestCase = typeof DcTestCase.Type

/** One test case of a run, with the id of its latest result. */
export const DcRunItem = Schema.Struct({
  id: optional(Schema.Number),
  testCaseKey: DcTestCaseKey,
  status: optional(Schema.String),
  environment: optional(Schema.String),
  executedBy: optional(UserKey),
  userKey: optional(UserKey),
  assignedTo: optional(UserKey),
  actualStartDate: optional(Schema.String),
  actualEndDate: optional(Schema.String),
  executionDate: optional(Schema.String)
})

/** A test run — what Cloud calls a test cycle: `GET /testrun/{key}` and `/testrun/search` items. No numeric id. */
export const DcTestRun = Schema.Struct({
  key: Schema.String,
  projectKey: Schema.String,
  name: Schema.String,
  status: optional(Schema.String),
  folder: optional(Schema.String),
  owner: optional(UserKey),
  description: optional(Text),
  plannedStartDate: optional(Schema.String),
  plannedEndDate: optional(Schema.String),
  estimatedTime: optional(Schema.Number),
  executionTime: optional(Schema.Number),
  version: optional(Schema.String),
  iteration: optional(Schema.String),
  customFields: optional(CustomFields),
  items: optional(Schema.Array(DcRunItem)),
  ...Audit
})
export type DcTestRun = typeof DcTestRun.Type

/** A step's result; a BDD or plain-text result may have one without `index`. */
export const DcScriptResult = Schema.Struct({
  index: optional(Schema.Number),
  status: optional(Schema.String),
  description: optional(Text),
  expectedResult: optional(Text),
  testData: optional(Text),
  comment: optional(Text)
})

/** A test result — what Cloud calls a test execution: every result of a run, history included. */
export const DcTestResult = Schema.Struct({
  id: Schema.Number,
  key: optional(Schema.String),
  projectId: optional(Schema.Number),
  testCaseKey: DcTestCaseKey,
  status: Schema.String,
  environment: optional(Schema.String),
  comment: optional(Text),
  executionTime: optional(Schema.Number),
  executedBy: optional(UserKey),
  userKey: optional(UserKey),
  assignedTo: optional(UserKey),
  actualStartDate: optional(Schema.String),
  actualEndDate: optional(Schema.String),
  executionDate: optional(Schema.String),
  automated: optional(Schema.Boolean),
  customFields: optional(CustomFields),
  issueLinks: optional(Schema.Array(Schema.String)),
  scriptResults: optional(Schema.Array(DcScriptResult))
})
export type DcTestResult = typeof DcTestResult.Type

/** A test plan, with the runs it links (their summaries, without items). No numeric id. */
export const DcTestPlan = Schema.Struct({
  key: Schema.String,
  projectKey: Schema.String,
  name: Schema.String,
  status: optional(Schema.String),
  objective: optional(Text),
  folder: optional(Schema.String),
  owner: optional(UserKey),
  labels: optional(Schema.Array(Schema.String)),
  issueLinks: optional(Schema.Array(Schema.String)),
  customFields: optional(CustomFields),
  testRuns: optional(Schema.Array(Schema.Struct({ key: Schema.String }))),
  ...Audit
})
export type DcTestPlan = typeof DcTestPlan.Type

/** An attachment of a case, step, run, result or plan; the file is read from `url` with the same credentials. */
export const DcAttachment = Schema.Struct({ id: Schema.Number, url: Schema.String, filename: Schema.String, filesize: optional(Schema.Number) })
export type DcAttachment = typeof DcAttachment.Type

/** `GET /environments?projectKey=X`: the one list DC has besides the searches; ids are strings. */
export const DcEnvironment = Schema.Struct({ id: Schema.Union(Schema.String, Schema.Number), projectKey: optional(Schema.String), name: Schema.String, description: optional(Schema.String) })
