/**
 * writtenHash and the read-back projections: what qTest echoes (ids, pids, labels of values, every field of
 * the object type, reformatted dates and lists) projects onto exactly the body we sent — and an edit made in
 * qTest changes the hash.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  automationTestLogBody,
  automationTestLogWritten,
  canonicalJson,
  managedFields,
  manualTestLogBody,
  moduleBody,
  readBackProjection,
  releaseBody,
  testCaseBody,
  testCycleBody,
  testRunBody,
  writtenHash,
  type Folder
} from "../../../../plugins/qtest/mapping/index.ts"
import type { AutomationTestLogBody, ManualTestLogBody, PropertyValue, TestCaseBody } from "../../../../plugins/qtest/api/requests.ts"
import { customField, execution, step, stepResult, testCase, vocabulary } from "./fixtures.ts"

describe("canonicalJson / writtenHash", () => {
  it("sorts keys at every depth, keeps array order, drops undefined and the excluded keys", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined }, test_case_version_id: 5, attachments: [{ name: "x" }] })).toBe('{"a":{"d":[2,1]},"b":1}')
    expect(writtenHash({ a: 1, b: 2 })).toBe(writtenHash({ b: 2, a: 1 }))
    expect(writtenHash({ a: [1, 2] })).not.toBe(writtenHash({ a: [2, 1] }))
    expect(writtenHash({ name: "x", test_case_version_id: 1 })).toBe(writtenHash({ name: "x", test_case_version_id: 2 }))
    expect(writtenHash({ a: "☕" })).toMatch(/^[0-9a-f]{64}$/)
  })
})

const vocab = vocabulary()

/** qTest's echo of properties: every field of the type, labels of values, lists reformatted, dates without ms. */
const echoProperties = (written: ReadonlyArray<PropertyValue>, extra: ReadonlyArray<PropertyValue> = []) => [
  ...written.map((p) => ({
    field_id: p.field_id,
    field_name: `Field ${p.field_id}`,
    field_value: /^\[.*\]$/.test(p.field_value) ? p.field_value.replace(/^\[|\]$/g, "").split(",").reverse().join(", ").replace(/^/, "[").replace(/$/, "]") : p.field_value.replace(/\.000Z$/, "Z"),
    field_value_name: "label"
  })),
  ...extra.map((p) => ({ ...p, field_name: "Unmanaged", field_value_name: null })),
  { field_id: 7114, field_name: "Short Note", field_value: "", field_value_name: null },
  { field_id: 7118, field_name: "Reviewers", field_value: null, field_value_name: null }
]

const echoTestCase = (body: TestCaseBody) => ({
  id: 555,
  pid: "TC-9",
  name: body.name,
  order: 3,
  parent_id: body.parent_id,
  description: body.description === "" ? null : body.description,
  precondition: body.precondition,
  version: "1.0",
  test_case_version_id: 9999,
  web_url: "https://x/p/1/portal/project#tab=testdesign&object=1&id=555",
  links: [{ rel: "self", href: "…" }],
  properties: echoProperties(body.properties, [{ field_id: 7003, field_value: "31" }]),
  test_steps: [
    ...(body.test_steps ?? []).map((s, i) => ({ id: 800 + i, ...s, expected: s.expected === "" ? null : s.expected, links: [], plain_value_text: "x" })),
    // a step of a called case, listed expanded
    { id: 999, description: "inner", expected: "", order: 1, parent_test_step_id: 801 }
  ].reverse()
})

describe("test case read-back", () => {
  const { body } = testCaseBody(
    {
      testCase: testCase({ objective: null }),
      steps: [step(0, { test_data: "[~x] = 1" }), step(1, { called_test_case_key: "PROJ-T2", description: "", parameters: [{ name: "p", type: "DEFAULT_VALUE", value: "☕" }] })],
      customFields: [customField("TestCase", 1001, "Category", ["Functional", "Regression", "Performance"]), customField("TestCase", 1001, "Release Date", "2024-02-03", "DATE")]
    },
    vocab,
    { moduleId: 77, calledTestCaseId: () => 4242 },
    { scripts: "description" }
  )
  const managed = managedFields(vocab, "testCase", ["Category", "Release Date", "Short Note", "Reviewers"])

  it("projects qTest's echo onto the body we wrote", () => {
    const projected = readBackProjection.testCase(echoTestCase(body), managed)
    expect(projected).toEqual(body)
    expect(writtenHash(projected)).toBe(writtenHash(body))
  })

  it("detects an edit: a step, a field value, a cleared field, a moved case", () => {
    const hash = writtenHash(body)
    const edited = echoTestCase(body)
    const steps = edited.test_steps.map((s) => (s.id === 800 ? { ...s, description: "Edited in qTest" } : s))
    expect(writtenHash(readBackProjection.testCase({ ...edited, test_steps: steps }, managed))).not.toBe(hash)
    const props = edited.properties.map((p) => (p.field_id === 7001 ? { ...p, field_value: "11" } : p))
    expect(writtenHash(readBackProjection.testCase({ ...edited, properties: props }, managed))).not.toBe(hash)
    const cleared = edited.properties.map((p) => (p.field_id === 7113 ? { ...p, field_value: "[]" } : p))
    expect(writtenHash(readBackProjection.testCase({ ...edited, properties: cleared }, managed))).not.toBe(hash)
    expect(writtenHash(readBackProjection.testCase({ ...edited, parent_id: 78 }, managed))).not.toBe(hash)
  })

  it("ignores fields we do not manage, even when someone sets them", () => {
    const edited = echoTestCase(body)
    const props = [...edited.properties, { field_id: 7003, field_name: "Type", field_value: "32", field_value_name: "Automation" }]
    expect(writtenHash(readBackProjection.testCase({ ...edited, properties: props }, managed))).toBe(writtenHash(body))
  })
})

describe("other kinds round-trip", () => {
  const folder: Folder = {
    source_system: "z", source_id: "1", source_key: null, content_hash: "0", created_at: "x", updated_at: "x",
    folder_id: 1, project_id: "1", parent_folder_id: null, name: "Módulo ☕", type: "TEST_CASE", sort_order: 0, path: "/Módulo ☕"
  }

  it("modules", () => {
    const body = moduleBody(folder)
    const resource = { name: "Módulo ☕", pid: "MD-1", id: 5, description: null, children: [] }
    expect(writtenHash(readBackProjection.module(resource))).toBe(writtenHash(body))
    expect(writtenHash(readBackProjection.module({ ...resource, name: "Modulo" }))).not.toBe(writtenHash(body))
  })

  it("test cycles (null description, null release)", () => {
    const cycle = {
      source_system: "z", source_id: "1", source_key: "P-R1", content_hash: "0", created_at: "x", updated_at: "x",
      test_cycle_id: 1, project_id: "1", folder_id: null, key: "P-R1", name: "Cycle", description: null,
      planned_start_date: null, planned_end_date: null, status: null, owner_id: null, jira_project_version_id: null
    }
    const body = testCycleBody(cycle, []).body
    expect(writtenHash(readBackProjection.testCycle({ name: "Cycle", description: null, target_release_id: null }))).toBe(writtenHash(body))
    expect(writtenHash(readBackProjection.testCycle({ name: "Cycle", description: "x" }))).not.toBe(writtenHash(body))
  })

  it("releases", () => {
    const plan = {
      source_system: "z", source_id: "1", source_key: "P-P1", content_hash: "0", created_at: "x", updated_at: "x",
      test_plan_id: 1, project_id: "1", folder_id: null, key: "P-P1", name: "Plan", objective: "Goal", status: null, owner_id: null, labels: ["Q1"]
    }
    const body = releaseBody(plan, [], vocab).body
    const resource = { id: 1, pid: "RL-1", name: "Plan", description: "Goal", note: "Zephyr test plan P-P1", start_date: "2024-01-01T00:00:00Z", properties: echoProperties(body.properties) }
    expect(writtenHash(readBackProjection.release(resource, managedFields(vocab, "release")))).toBe(writtenHash(body))
  })

  it("test runs (test_case_version_id is qTest's business)", () => {
    const body = testRunBody({ testCase: testCase(), latest: execution() }, vocab, { testCaseId: 9, testCaseVersionId: 3 }).body
    const resource = { id: 1, pid: "TR-1", name: body.name, test_case: { id: 9, name: "x" }, test_case_version_id: 4, properties: echoProperties(body.properties, [{ field_id: 8002, field_value: "81" }]) }
    expect(writtenHash(readBackProjection.testRun(resource, managedFields(vocab, "testRun")))).toBe(writtenHash(body))
  })

  it("manual test logs (dates reformatted, statuses with names, read-only step text)", () => {
    const body = manualTestLogBody(
      {
        execution: execution({ comment: "<p>Broken</p>" }),
        stepResults: [stepResult(0, { actual_result: "ok" }), stepResult(1, { status: "Fail" })],
        customFields: [customField("TestExecution", 100001, "Build Number", 7)]
      },
      vocab,
      { steps: [{ test_step_id: 11 }, { test_step_id: 21, called_test_case_id: 2, parent_test_step_id: 12 }], testCaseVersionId: 3 }
    ).body as ManualTestLogBody
    const resource = {
      id: 1,
      status: { id: body.status.id, name: "Passed", color: "#0f0" },
      exe_start_date: "2024-03-01T10:00:00Z",
      exe_end_date: "2024-03-01T12:05:00+02:00",
      note: body.note,
      test_case_version_id: 77,
      properties: echoProperties(body.properties ?? []),
      test_step_logs: [...(body.test_step_logs ?? [])]
        .map((s) => ({ ...s, test_step_log_id: 5, description: "read-only", expected_result: "read-only", status: { id: s.status.id, name: "x" } }))
        .reverse()
    }
    const managed = managedFields(vocab, "testLog", ["Build Number"])
    expect(readBackProjection.manualTestLog(resource, managed)).toEqual({ ...body, test_case_version_id: undefined })
    expect(writtenHash(readBackProjection.manualTestLog(resource, managed))).toBe(writtenHash(body))
    expect(writtenHash(readBackProjection.manualTestLog({ ...resource, status: { id: 602 } }, managed))).not.toBe(writtenHash(body))
  })

  it("automation test logs, through the verifiable view", () => {
    const body = automationTestLogBody(
      { execution: execution(), stepResults: [stepResult(0, { actual_result: "fine" })], customFields: [], testCase: testCase(), folderPath: "/A" },
      vocab
    ).body as AutomationTestLogBody
    const resource = {
      id: 1,
      status: { id: 601, name: "Passed" },
      exe_start_date: body.exe_start_date,
      exe_end_date: body.exe_end_date,
      properties: echoProperties(body.properties ?? []),
      test_step_logs: [{ order: 1, status: { id: 601, name: "Passed" }, description: "Step 1", expected_result: "Result 1", actual_result: "fine" }]
    }
    const managed = managedFields(vocab, "testLog")
    expect(writtenHash(readBackProjection.automationTestLog(resource, managed))).toBe(writtenHash(automationTestLogWritten(body)))
  })
})
