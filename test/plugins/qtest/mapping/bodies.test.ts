/** Modules, test cycles, releases and test runs. */
import { describe, expect, it } from "@effect/vitest"
import {
  cycleFolderBody,
  executionsWithoutCycleBody,
  latestExecution,
  moduleBody,
  releaseBody,
  testCycleBody,
  testRunBody,
  type Folder,
  type TestCycle,
  type TestPlan
} from "../../../../plugins/qtest/mapping/index.ts"
import { ACCOUNTS, customField, execution, testCase, vocabulary } from "./fixtures.ts"

const base = { source_system: "zephyr-scale-cloud", source_key: null, content_hash: "0", created_at: "2024-01-01T00:00:00.000Z", updated_at: "2024-01-01T00:00:00.000Z" }

const folder = (name: string): Folder => ({
  ...base,
  source_id: "5",
  folder_id: 5,
  project_id: "10",
  parent_folder_id: null,
  name,
  type: "TEST_CASE",
  sort_order: 0,
  path: `/${name}`
})

const cycle = (overrides: Partial<TestCycle> = {}): TestCycle => ({
  ...base,
  source_id: "300",
  source_key: "PROJ-R1",
  test_cycle_id: 300,
  project_id: "10",
  folder_id: null,
  key: "PROJ-R1",
  name: "Sprint 1 regression",
  description: "Runs <b>everything</b>",
  planned_start_date: null,
  planned_end_date: null,
  status: "Done",
  owner_id: null,
  jira_project_version_id: null,
  ...overrides
})

const plan = (overrides: Partial<TestPlan> = {}): TestPlan => ({
  ...base,
  source_id: "40",
  source_key: "PROJ-P1",
  test_plan_id: 40,
  project_id: "10",
  folder_id: null,
  key: "PROJ-P1",
  name: "Release 2024.1",
  objective: "Ship it\nsafely",
  status: "Done",
  owner_id: ACCOUNTS.alice,
  labels: ["Q1"],
  ...overrides
})

describe("moduleBody", () => {
  it("writes the folder name as it is", () => {
    expect(moduleBody(folder("Internationalisation — 国際化 / [~x]"))).toEqual({ name: "Internationalisation — 国際化 / [~x]" })
  })
})

describe("test cycles", () => {
  it("cycle folders and the executions-without-cycle cycle", () => {
    expect(cycleFolderBody(folder("Sprints"))).toEqual({ name: "Sprints", description: "" })
    expect(executionsWithoutCycleBody("Zephyr — executions without cycle")).toEqual({
      name: "Zephyr — executions without cycle",
      description: "Test runs of the Zephyr executions that belong to no test cycle."
    })
  })

  it("a cycle: name, rich-text description, target release; its custom fields are unsupported gaps", () => {
    const result = testCycleBody(
      cycle(),
      [customField("TestCycle", 300, "Sprint Number", 11), customField("TestCycle", 300, "Empty", null)],
      { targetReleaseId: 55 }
    )
    expect(result.body).toEqual({ name: "Sprint 1 regression", description: "Runs <b>everything</b>", target_release_id: 55 })
    expect(result.gaps).toEqual([expect.objectContaining({ kind: "unsupported", field: "Sprint Number", value: "11", object: "PROJ-R1" })])
    expect(testCycleBody(cycle({ description: null }), []).body).toEqual({ name: "Sprint 1 regression", description: "" })
  })
})

describe("releaseBody", () => {
  it("name, objective as rich text, the key in the note, labels, owner and custom fields", () => {
    const result = releaseBody(plan(), [customField("TestPlan", 40, "Risk Level", "High"), customField("TestPlan", 40, "Sign-off Date", "2024-02-28", "DATE")], vocabulary())
    expect(result.body).toEqual({
      name: "Release 2024.1",
      description: "Ship it<br/>safely",
      note: "Zephyr test plan PROJ-P1",
      properties: [
        { field_id: 9100, field_value: "Q1" },
        { field_id: 9101, field_value: "41" },
        { field_id: 9110, field_value: "High" }
      ]
    })
    expect(result.gaps).toEqual([expect.objectContaining({ kind: "field", field: "Sign-off Date", object: "PROJ-P1" })])
  })
})

describe("testRunBody", () => {
  it("names the run after the case, points at the case, carries the latest assignee", () => {
    const result = testRunBody({ testCase: testCase(), latest: execution() }, vocabulary(), { testCaseId: 9001, testCaseVersionId: 123 })
    expect(result.body).toEqual({ name: "Login with valid credentials", test_case: { id: 9001 }, test_case_version_id: 123, properties: [{ field_id: 8001, field_value: "41" }] })
    expect(testRunBody({ testCase: testCase(), latest: null }, vocabulary(), { testCaseId: 9001 }).body).toEqual({
      name: "Login with valid credentials",
      test_case: { id: 9001 },
      properties: []
    })
  })

  it("reports an unmapped assignee", () => {
    const result = testRunBody({ testCase: testCase(), latest: execution({ assigned_to_id: ACCOUNTS.carol }) }, vocabulary(), { testCaseId: 1 })
    expect(result.body.properties).toEqual([])
    expect(result.gaps).toEqual([expect.objectContaining({ kind: "user", value: ACCOUNTS.carol, object: "PROJ-E1" })])
  })

  it("latestExecution picks the one that ended last; one never run only when none ran, by id, whatever the store's timestamps", () => {
    const a = execution({ execution_id: 1, actual_end_date: "2024-03-02T00:00:00Z" })
    const b = execution({ execution_id: 2, actual_end_date: "2024-03-01T00:00:00Z" })
    const c = execution({ execution_id: 3, actual_end_date: null, updated_at: "2024-03-03T00:00:00.000Z" })
    const d = execution({ execution_id: 4, actual_end_date: null, updated_at: "2020-01-01T00:00:00.000Z" })
    expect(latestExecution([a, b])?.execution_id).toBe(1)
    expect(latestExecution([a, b, c])?.execution_id).toBe(1)
    expect(latestExecution([c, d])?.execution_id).toBe(4)
    expect(latestExecution([d, c])?.execution_id).toBe(4)
    expect(latestExecution([])).toBeNull()
  })
})
