import { describe, expect, it } from "@effect/vitest"
import { completeProperties, decodeLoggedSteps, encodeLoggedSteps, loggedStepsOf } from "../../../../plugins/qtest/mapping/index.ts"
import { targetHash } from "../../../../plugins/qtest/load/targetHash.ts"

describe("loggedSteps: the steps a test log was created against", () => {
  it("round-trips steps, steps of called cases and holes through the memo", () => {
    const steps = [{ test_step_id: 11 }, null, { test_step_id: 13, called_test_case_id: 7, parent_test_step_id: 12 }]
    expect(decodeLoggedSteps(encodeLoggedSteps(steps))).toEqual(steps)
  })

  it("reads a log's step logs by order, leaving a hole where the log has none", () => {
    const steps = loggedStepsOf([
      { order: 3, test_step_id: 30, called_test_case_id: 5, parent_test_step_id: 29 },
      { order: 1, test_step_id: 10 }
    ])
    expect(steps).toEqual([{ test_step_id: 10 }, null, { test_step_id: 30, called_test_case_id: 5, parent_test_step_id: 29 }])
  })

  it("answers undefined for a memo it cannot read", () => {
    expect(decodeLoggedSteps(undefined)).toBeUndefined()
    expect(decodeLoggedSteps("not json")).toBeUndefined()
    expect(decodeLoggedSteps(JSON.stringify([["x"]]))).toBeUndefined()
    expect(decodeLoggedSteps(JSON.stringify({ a: 1 }))).toBeUndefined()
  })
})

describe("completeProperties: every managed field named, so an update clears what the source no longer has", () => {
  const managed = new Map([
    [1, "text" as const],
    [2, "picklist" as const],
    [3, "user" as const]
  ])
  const defaults = new Map([[2, "201"]])

  it("adds the managed fields a body lacks: the default value where the field has one, else empty", () => {
    const body = { name: "x", properties: [{ field_id: 3, field_value: "52301" }] }
    expect(completeProperties(body, managed, defaults).properties).toEqual([
      { field_id: 1, field_value: "" },
      { field_id: 2, field_value: "201" },
      { field_id: 3, field_value: "52301" }
    ])
  })

  it("never changes the target hash: an empty or default value is no value", () => {
    const body = { name: "x", properties: [{ field_id: 3, field_value: "52301" }] }
    expect(targetHash(completeProperties(body, managed, defaults), defaults)).toBe(targetHash(body, defaults))
  })
})
