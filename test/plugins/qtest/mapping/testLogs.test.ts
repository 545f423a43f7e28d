/** Executions → manual test logs (step logs matched to expanded qTest steps) and batch automation logs. */
import { describe, expect, it } from "@effect/vitest"
import { toValueMap } from "../../../../plugins/qtest/QtestConfig.ts"
import {
  automationRequests,
  automationTestLogBody,
  executedSteps,
  executionWindow,
  manualTestLogBody,
  moduleNames,
  type QtestStepShape
} from "../../../../plugins/qtest/mapping/index.ts"
import type { AutomationTestLogBody } from "../../../../plugins/qtest/api/requests.ts"
import { ACCOUNTS, customField, defaultMaps, execution, stepResult, testCase, vocabulary } from "./fixtures.ts"

describe("executionWindow", () => {
  it("start = end − execution time; end when there is no time", () => {
    expect(executionWindow(execution())).toEqual({ start: "2024-03-01T10:00:00.000Z", end: "2024-03-01T10:05:00.000Z" })
    expect(executionWindow(execution({ execution_time_ms: null }))).toEqual({ start: "2024-03-01T10:05:00.000Z", end: "2024-03-01T10:05:00.000Z" })
  })

  it("never run: the cycle's planned end, else its planned start, else the case's creation — never the store's own timestamps", () => {
    const never = execution({ actual_end_date: null, execution_time_ms: null, updated_at: "2026-12-06T00:00:00.000Z", created_at: "2026-12-06T00:00:00.000Z" })
    const at = (end: string) => ({ start: end, end })
    expect(executionWindow(never, { cycle: { planned_end_date: "2024-05-31T00:00:00Z", planned_start_date: "2024-05-01T00:00:00Z" } })).toEqual(at("2024-05-31T00:00:00.000Z"))
    expect(executionWindow(never, { cycle: { planned_end_date: null, planned_start_date: "2024-05-01T00:00:00Z" } })).toEqual(at("2024-05-01T00:00:00.000Z"))
    expect(executionWindow(never, { cycle: null, testCase: { created_on: "2023-01-02T03:04:05Z" } })).toEqual(at("2023-01-02T03:04:05.000Z"))
    expect(executionWindow(never)).toEqual(at("1970-01-01T00:00:00.000Z"))
  })
})

describe("executedSteps", () => {
  // case 1: step 11, call to 2 (step 12), step 13; case 2: step 21, call to 3 (step 22); case 3: steps 31, 32
  const steps: Record<number, ReadonlyArray<QtestStepShape>> = {
    1: [{ id: 13, order: 3 }, { id: 11, order: 1 }, { id: 12, order: 2, called_test_case_id: 2 }],
    2: [{ id: 21, order: 1 }, { id: 22, order: 2, called_test_case_id: 3 }],
    3: [{ id: 31, order: 1 }, { id: 32, order: 2 }]
  }

  it("expands calls in order, with the owning case and the calling step", () => {
    expect(executedSteps(1, (id) => steps[id])).toEqual({
      steps: [
        { test_step_id: 11 },
        { test_step_id: 21, called_test_case_id: 2, parent_test_step_id: 12 },
        { test_step_id: 31, called_test_case_id: 3, parent_test_step_id: 22 },
        { test_step_id: 32, called_test_case_id: 3, parent_test_step_id: 22 },
        { test_step_id: 13 }
      ],
      problems: []
    })
  })

  it("stops at call loops and unknown cases, and says so", () => {
    const loop: Record<number, ReadonlyArray<QtestStepShape>> = { 1: [{ id: 1, called_test_case_id: 2 }], 2: [{ id: 2 }, { id: 3, called_test_case_id: 1 }] }
    expect(executedSteps(1, (id) => loop[id])).toEqual({ steps: [{ test_step_id: 2, called_test_case_id: 2, parent_test_step_id: 1 }], problems: ["call loop: 1 → 2 → 1"] })
    expect(executedSteps(1, () => undefined).problems).toEqual(["the steps of qTest test case 1 are unknown"])
  })
})

describe("manualTestLogBody", () => {
  const qtestSteps = [{ test_step_id: 11 }, { test_step_id: 21, called_test_case_id: 2, parent_test_step_id: 12 }, { test_step_id: 13 }]

  it("maps status, dates, note, fields and step results by order", () => {
    const result = manualTestLogBody(
      {
        execution: execution({ status: "Fail", comment: "<p>Failed: the <b>Pay</b> button.</p><p>See [~x] 🔥</p>" }),
        stepResults: [
          stepResult(2, { status: null }),
          stepResult(0, { actual_result: "<p>ok</p>" }),
          stepResult(1, { status: "Fail", actual_result: "error", comment: "flaky [~net]" })
        ],
        customFields: [customField("TestExecution", 100001, "Browser", "Chrome"), customField("TestExecution", 100001, "Build Number", 1001), customField("TestExecution", 100001, "Flaky", false)]
      },
      vocabulary(),
      { steps: qtestSteps, testCaseVersionId: 77 }
    )
    expect(result.gaps).toEqual([])
    expect(result.defaults).toEqual([{ field: "maps.executionStatus", from: "(none)", to: "Unexecuted", object: "PROJ-E1 step 3" }])
    expect(result.body).toEqual({
      status: { id: 602 },
      exe_start_date: "2024-03-01T10:00:00.000Z",
      exe_end_date: "2024-03-01T10:05:00.000Z",
      note: "Failed: the Pay button.\nSee [~x] 🔥",
      test_case_version_id: 77,
      properties: [
        { field_id: 8100, field_value: "PROJ-E1" },
        { field_id: 8101, field_value: "42" },
        { field_id: 8102, field_value: "91" },
        { field_id: 8110, field_value: "Chrome" },
        { field_id: 8111, field_value: "1001" },
        { field_id: 8112, field_value: "96" }
      ],
      test_step_logs: [
        { test_step_id: 11, order: 1, status: { id: 601 }, actual_result: "<p>ok</p>" },
        {
          test_step_id: 21,
          order: 2,
          status: { id: 602 },
          actual_result: "error<br/><br/><strong>Comment:</strong> flaky &#91;~net]",
          called_test_case_id: 2,
          parent_test_step_id: 12
        },
        { test_step_id: 13, order: 3, status: { id: 605 } }
      ]
    })
  })

  it("reports step results without a qTest step, and leaves out the log when its status cannot be mapped", () => {
    const vocab = vocabulary({ maps: defaultMaps({ executionStatus: toValueMap({ Pass: "Passed" }) }) })
    const more = manualTestLogBody({ execution: execution(), stepResults: [stepResult(0), stepResult(1)], customFields: [] }, vocab, { steps: [{ test_step_id: 11 }] })
    expect(more.body?.test_step_logs).toEqual([{ test_step_id: 11, order: 1, status: { id: 601 } }])
    expect(more.gaps).toEqual([expect.objectContaining({ kind: "step", value: "step 2", object: "PROJ-E1" })])

    const unmapped = manualTestLogBody({ execution: execution({ status: "Flaky" }), stepResults: [], customFields: [] }, vocab, { steps: [] })
    expect(unmapped.body).toBeNull()
    expect(unmapped.gaps).toEqual([expect.objectContaining({ kind: "status", value: "Flaky" })])
  })

  it("omits empty notes, unmapped users are gaps, and an execution without a key is named by id", () => {
    const result = manualTestLogBody(
      { execution: execution({ key: null, executed_by_id: ACCOUNTS.carol, environment: "Netscape 4", comment: "  " }), stepResults: [], customFields: [] },
      vocabulary(),
      { steps: [] }
    )
    expect(result.body).toEqual({ status: { id: 601 }, exe_start_date: "2024-03-01T10:00:00.000Z", exe_end_date: "2024-03-01T10:05:00.000Z", properties: [], test_step_logs: [] })
    expect(result.gaps.map((g) => [g.kind, g.object])).toEqual([
      ["user", "execution 100001"],
      ["value", "execution 100001"]
    ])
  })
})

describe("automation test logs (batch)", () => {
  const input = {
    execution: execution({ status: "Pass", automated: true, comment: "Passed on retry.<br>Build 2" }),
    stepResults: [stepResult(1, { status: "Fail", test_data: "x = 1" }), stepResult(0, { actual_result: "ok" })],
    customFields: [],
    testCase: testCase(),
    folderPath: "/Regression/Login — ログイン"
  }

  it("fingerprints the case, mirrors the folder path, numbers steps from 0 with status strings", () => {
    const result = automationTestLogBody(input, vocabulary())
    expect(result.gaps).toEqual([])
    expect(result.body).toEqual({
      name: "Login with valid credentials",
      automation_content: "zephyr:PROJ-T1",
      status: "PASSED",
      exe_start_date: "2024-03-01T10:00:00.000Z",
      exe_end_date: "2024-03-01T10:05:00.000Z",
      module_names: ["Regression", "Login — ログイン"],
      note: "Passed on retry.\nBuild 2",
      properties: [
        { field_id: 8100, field_value: "PROJ-E1" },
        { field_id: 8101, field_value: "42" },
        { field_id: 8102, field_value: "91" }
      ],
      test_step_logs: [
        { order: 0, description: "Step 1", expected_result: "Result 1", actual_result: "ok", status: "PASSED" },
        { order: 1, description: "Step 2<br/><br/><strong>Test data:</strong><br/>x = 1", expected_result: "Result 2", status: "FAILED" }
      ]
    })
  })

  it("keeps step order continuous when a step status cannot be mapped; no module names without a folder", () => {
    const vocab = vocabulary({ maps: defaultMaps({ executionStatus: toValueMap({ Pass: "Passed" }) }) })
    const result = automationTestLogBody({ ...input, stepResults: [stepResult(0, { status: "Weird" }), stepResult(1), stepResult(2)], folderPath: null }, vocab)
    expect(result.body?.test_step_logs?.map((s) => s.order)).toEqual([0, 1])
    expect(result.body?.module_names).toBeUndefined()
    expect(result.gaps).toEqual([expect.objectContaining({ kind: "status", value: "Weird", object: "PROJ-E1 step 1" })])
  })

  it("splits logs into requests of batchSize under one cycle", () => {
    const log = automationTestLogBody(input, vocabulary()).body as AutomationTestLogBody
    const requests = automationRequests("CL-12", Array.from({ length: 5 }, () => log), 2)
    expect(requests.map((r) => [r.test_cycle, r.test_logs.length])).toEqual([
      ["CL-12", 2],
      ["CL-12", 2],
      ["CL-12", 1]
    ])
    expect(automationRequests("CL-12", [], 100)).toEqual([])
  })

  it("module names drop empty segments", () => {
    expect(moduleNames("//A//B/")).toEqual(["A", "B"])
    expect(moduleNames(null)).toEqual([])
  })
})
