/**
 * A qTest project set up like a new one plus the migration's fields, and canonical records to map. Ids are
 * deliberately unlike any real project's: the mapping must find everything by label.
 */
import type { QtestMaps } from "../../../../plugins/qtest/QtestConfig.ts"
import { qtestConfigDefaults, toValueMap } from "../../../../plugins/qtest/QtestConfig.ts"
import type {
  CustomField,
  ExecutionStepResult,
  FieldSetting,
  TestCase,
  TestExecution,
  TestStep,
  VocabularyInput
} from "../../../../plugins/qtest/mapping/index.ts"
import { makeVocabulary } from "../../../../plugins/qtest/mapping/index.ts"

export const ACCOUNTS = {
  alice: "5b10a2844c20165700ede21g",
  bob: "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077",
  carol: "6a1b2c3d4e5f60718293a4b5",
  unknown: "000000000000000000000000x1"
} as const

const values = (...labels: ReadonlyArray<string | [string, number, boolean?]>) =>
  labels.map((l, i) => (typeof l === "string" ? { value: 900 + i, label: l, is_active: true } : { value: l[1], label: l[0], is_active: l[2] ?? true }))

export const testCaseFields: ReadonlyArray<FieldSetting> = [
  { id: 7001, label: "Priority", data_type: 3, system_field: true, allowed_values: [
    { value: 11, label: "Urgent" }, { value: 12, label: "High" }, { value: 13, label: "Medium" }, { value: 14, label: "Low" }
  ] },
  { id: 7002, label: "Status", data_type: 3, system_field: true, allowed_values: [
    { value: 21, label: "New" }, { value: 22, label: "Approved" }, { value: 23, label: "Obsolete" }, { value: 24, label: "Retired", is_active: false }
  ] },
  { id: 7003, label: "Type", data_type: 3, system_field: true, allowed_values: [{ value: 31, label: "Manual" }, { value: 32, label: "Automation" }] },
  { id: 7100, label: "Zephyr Key", data_type: 1 },
  { id: 7101, label: "Zephyr Labels", data_type: 1 },
  { id: 7102, label: "Zephyr Component", data_type: 1 },
  { id: 7103, label: "Zephyr Estimated Time", data_type: 7 },
  { id: 7104, label: "Zephyr Owner", data_type: 5 },
  { id: 7105, label: "Zephyr Coverage", data_type: 1 },
  { id: 7110, label: "Build Number", data_type: 7 },
  { id: 7111, label: "Release Date", data_type: 4 },
  { id: 7112, label: "Implemented", data_type: 3, allowed_values: [{ value: 41, label: "Yes" }, { value: 42, label: "No" }] },
  { id: 7113, label: "Category", data_type: 17, multiple: true, allowed_values: [
    { value: 51, label: "Functional" }, { value: 52, label: "Performance" }, { value: 53, label: "Regression" }
  ] },
  { id: 7114, label: "Short Note", data_type: 1 },
  { id: 7115, label: "Pre-Condition(s)", data_type: 6 },
  { id: 7116, label: "Risk", data_type: 3, allowed_values: [{ value: 61, label: "High" }, { value: 62, label: "Medium" }, { value: 63, label: "Low" }] },
  { id: 7117, label: "Tester", data_type: 5 },
  { id: 7118, label: "Reviewers", data_type: 5, multiple: true },
  { id: 7119, label: "Smoke", data_type: 8, multiple: true, allowed_values: [{ value: 71, label: "Smoke" }] },
  { id: 7120, label: "Retired Field", data_type: 1, is_active: false }
]

export const testRunFields: ReadonlyArray<FieldSetting> = [
  { id: 8001, label: "Assigned To", data_type: 5, system_field: true },
  { id: 8002, label: "Execution Type", data_type: 3, system_field: true, allowed_values: [{ value: 81, label: "Functional" }] },
  { id: 8100, label: "Zephyr Execution Key", data_type: 1 },
  { id: 8101, label: "Zephyr Executed By", data_type: 5 },
  { id: 8102, label: "Zephyr Environment", data_type: 3, allowed_values: [{ value: 91, label: "Chrome 120 / Windows 11" }, { value: 92, label: "Firefox ESR / Ubuntu 22.04" }] },
  { id: 8110, label: "Browser", data_type: 1 },
  { id: 8111, label: "Build Number", data_type: 7 },
  { id: 8112, label: "Flaky", data_type: 8, multiple: false, allowed_values: [{ value: 95, label: "Yes" }, { value: 96, label: "No" }] }
]

export const releaseFields: ReadonlyArray<FieldSetting> = [
  { id: 9001, label: "Status", data_type: 3, system_field: true, allowed_values: [{ value: 1, label: "Planned" }] },
  { id: 9100, label: "Zephyr Labels", data_type: 1 },
  { id: 9101, label: "Zephyr Owner", data_type: 5 },
  { id: 9110, label: "Risk Level", data_type: 1 }
]

export const executionStatuses = [
  { id: 601, name: "Passed" },
  { id: 602, name: "Failed" },
  { id: 603, name: "Incomplete" },
  { id: 604, name: "Blocked" },
  { id: 605, name: "Unexecuted" },
  { id: 606, name: "Retest", active: false }
]

export const users = [
  { id: 41, username: "jane@acme.com", email: "jane@acme.com" },
  { id: 42, username: "bob", email: "bob@acme.com" },
  { id: 43, username: "bot", email: "migration-bot@acme.com" }
]

export const defaultMaps = (overrides: Partial<QtestMaps> = {}): QtestMaps => ({
  executionStatus: toValueMap(qtestConfigDefaults.maps.executionStatus),
  priority: toValueMap(qtestConfigDefaults.maps.priority),
  testCaseStatus: toValueMap(qtestConfigDefaults.maps.testCaseStatus),
  users: toValueMap({ [ACCOUNTS.alice]: "jane@acme.com", [ACCOUNTS.bob]: "BOB" }),
  customFields: {},
  ...overrides
})

export const vocabularyInput = (overrides: Partial<VocabularyInput> = {}): VocabularyInput => ({
  fields: { "test-cases": testCaseFields, "test-runs": testRunFields, releases: releaseFields },
  executionStatuses,
  users,
  maps: defaultMaps(),
  labels: qtestConfigDefaults.fields,
  ...overrides
})

export const vocabulary = (overrides: Partial<VocabularyInput> = {}) => makeVocabulary(vocabularyInput(overrides))

const provenance = (id: string, key: string | null = null) => ({
  source_system: "zephyr-scale-cloud",
  source_id: id,
  source_key: key,
  content_hash: "0".repeat(64)
})

export const testCase = (overrides: Partial<TestCase> = {}): TestCase => ({
  ...provenance("1001", "PROJ-T1"),
  test_case_id: 1001,
  project_id: "10",
  folder_id: 5,
  key: "PROJ-T1",
  name: "Login with valid credentials",
  objective: "<p>Checks the <b>login</b></p>",
  precondition: "User exists",
  estimated_time_ms: 90000,
  priority: "High",
  status: "Draft",
  owner_id: ACCOUNTS.alice,
  created_on: "2024-01-01T00:00:00.000Z",
  updated_at: "2024-01-02T00:00:00.000Z",
  labels: ["Smoke", "Login"],
  component: "10042",
  script_type: "STEP_BY_STEP",
  script_text: null,
  version: null,
  ...overrides
})

export const step = (order: number, overrides: Partial<TestStep> = {}): TestStep => ({
  ...provenance(String(5000 + order)),
  step_id: 5000 + order,
  test_case_id: 1001,
  step_order: order,
  description: `Step ${order + 1}`,
  expected_result: `Result ${order + 1}`,
  created_at: "2024-01-01T00:00:00.000Z",
  updated_at: "2024-01-01T00:00:00.000Z",
  test_data: null,
  called_test_case_key: null,
  parameters: null,
  ...overrides
})

type FieldType = CustomField["field_type"]

const inferType = (value: unknown): FieldType =>
  value === null ? "NULL" : typeof value === "number" ? "NUMBER" : typeof value === "boolean" ? "BOOLEAN" : Array.isArray(value) ? "MULTI_SELECT" : "TEXT"

export const customField = (
  objectType: CustomField["object_type"],
  objectId: number,
  name: string,
  value: unknown,
  type: FieldType = inferType(value)
): CustomField => ({
  ...provenance(`${objectType}/${objectId}/${name}`),
  custom_field_id: objectId * 100 + name.length,
  object_type: objectType,
  object_id: objectId,
  field_name: name,
  field_value: value === null ? null : typeof value === "string" ? value : JSON.stringify(value),
  field_type: type,
  value_json: value
})

export const execution = (overrides: Partial<TestExecution> = {}): TestExecution => ({
  ...provenance("100001", "PROJ-E1"),
  execution_id: 100001,
  test_cycle_id: 300,
  test_case_id: 1001,
  status: "Pass",
  executed_by_id: ACCOUNTS.bob,
  assigned_to_id: ACCOUNTS.alice,
  execution_time_ms: 300000,
  actual_end_date: "2024-03-01T10:05:00Z",
  environment: "Chrome 120 / Windows 11",
  comment: null,
  automated: false,
  created_at: "2024-03-01T09:00:00.000Z",
  updated_at: "2024-03-01T10:05:00.000Z",
  key: "PROJ-E1",
  project_id: "10",
  test_case_key: "PROJ-T1",
  test_case_version: 1,
  estimated_time_ms: null,
  jira_project_version_id: null,
  ...overrides
})

export const stepResult = (order: number, overrides: Partial<ExecutionStepResult> = {}): ExecutionStepResult => ({
  ...provenance(String(200000 + order)),
  step_result_id: 200000 + order,
  execution_id: 100001,
  step_order: order,
  description: `Step ${order + 1}`,
  test_data: null,
  expected_result: `Result ${order + 1}`,
  status: "Pass",
  actual_result: null,
  comment: null,
  test_data_row_number: null,
  created_at: "2024-03-01T10:00:00.000Z",
  updated_at: "2024-03-01T10:00:00.000Z",
  ...overrides
})
