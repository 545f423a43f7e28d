import { describe, expect, it } from "@effect/vitest"
import { record } from "../../../core/index.ts"
import { repairText } from "../../../core/pipeline/repairText.ts"

const testCase = (name: string, labels: ReadonlyArray<string> = []) =>
  record("TestCase", { source_system: "zephyr", source_id: "1", source_key: "P-T1", test_case_id: 1, project_id: "1", folder_id: null, key: "P-T1", name, objective: null, precondition: null, estimated_time_ms: null, priority: null, status: null, owner_id: null, created_on: null, updated_at: null, labels: [...labels], component: null, script_type: "STEP_BY_STEP", script_text: null, version: null })

describe("repairText", () => {
  it("leaves well-formed text alone, surrogate pairs (emoji) included, and returns the same record", () => {
    const r = testCase("Login 🔑 パスワード", ["a"])
    expect(repairText(r)).toEqual({ record: r, nul: [], surrogates: [] })
    expect(repairText(r).record).toBe(r)
  })

  it("removes NUL characters and replaces unpaired surrogates with U+FFFD, naming the fields, also inside lists", () => {
    const repaired = repairText(testCase("a\u0000b \ud800 c", ["x\udc00", "ok"]))
    expect(repaired.record.data).toMatchObject({ name: "ab \ufffd c", labels: ["x\ufffd", "ok"] })
    expect(repaired.nul).toEqual(["name"])
    expect(repaired.surrogates).toEqual(["name", "labels"])
  })
})
