/** Executions: the case version link, ad hoc executions, unresolvable status. */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { TestExecution } from "../../../../plugins/zephyr/api/index.ts"
import { mapTestExecution, parseCaseVersionSelf } from "../../../../plugins/zephyr/mapping/index.ts"

const lookups = { statuses: new Map([[1, "Pass"]]), priorities: new Map(), environments: new Map([[4, "Chrome"]]) }
const raw = {
  id: 100,
  project: { id: 10, self: "p" },
  testCase: { id: 50001001, self: "https://api.zephyrscale.smartbear.com/v2/testcases/DEMO-T1/versions/1" },
  testExecutionStatus: { id: 1, self: "s" },
  environment: { id: 4, self: "e" }
}

describe("parseCaseVersionSelf", () => {
  it("reads key and version from the version URL, and gives nulls for other shapes", () => {
    expect(parseCaseVersionSelf("https://x/v2/testcases/DEMO-T1/versions/3")).toEqual({ key: "DEMO-T1", version: 3 })
    expect(parseCaseVersionSelf("http://127.0.0.1:1/v2/testcases/A%20B-T2/versions/12/")).toEqual({ key: "A B-T2", version: 12 })
    expect(parseCaseVersionSelf("https://x/v2/testcases/DEMO-T1")).toEqual({ key: null, version: null })
    expect(parseCaseVersionSelf(undefined)).toEqual({ key: null, version: null })
  })
})

describe("mapTestExecution", () => {
  it("ad hoc (no cycle): test_cycle_id null; test_case_id is the version link's id; defaults for absent fields", () => {
    const [execution] = mapTestExecution(Schema.decodeUnknownSync(TestExecution)(raw), lookups, raw)
    expect(execution?.data).toMatchObject({
      execution_id: 100,
      test_cycle_id: null,
      test_case_id: 50001001,
      test_case_key: "DEMO-T1",
      test_case_version: 1,
      status: "Pass",
      environment: "Chrome",
      automated: false,
      key: null,
      comment: null,
      project_id: "10"
    })
  })

  it("a status id the project does not have: quarantined (status is NOT NULL), nothing invented", () => {
    const odd = { ...raw, testExecutionStatus: { id: 2, self: "s" } }
    const out = mapTestExecution(Schema.decodeUnknownSync(TestExecution)(odd), lookups, odd)
    expect(out).toEqual([{ entity: "Quarantine", data: { of: "TestExecution", source_id: "100", reason: "test execution 100: its status (id 2) is not one of the project's statuses, so its result is unknown — give it an existing status in Zephyr; the next run reads it again", payload: odd } }])
  })
})
