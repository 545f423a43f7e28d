/** Steps: inline HTML untouched, call-to-test, derived ids when the API gives none. */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { derivedId } from "../../../../core/index.ts"
import { TestStep } from "../../../../plugins/zephyr/api/index.ts"
import { mapTestStep } from "../../../../plugins/zephyr/mapping/index.ts"

const step = Schema.decodeUnknownSync(TestStep)

describe("mapTestStep", () => {
  it("inline: HTML and whitespace byte for byte, custom fields as TestStep fields", () => {
    const mapped = mapTestStep(step({ id: 7, inline: { description: " <b>Open</b>\n", testData: "", expectedResult: "שלום", customFields: { Kind: "UI" } } }), 50001, "DEMO-T1", 0)
    expect(mapped.step.data).toMatchObject({ step_id: 7, source_id: "7", description: " <b>Open</b>\n", test_data: "", expected_result: "שלום", called_test_case_key: null, parameters: null })
    expect(mapped.customFields.map((r) => r.data)).toEqual([expect.objectContaining({ object_type: "TestStep", object_id: 7, field_name: "Kind" })])
  })

  it("call-to-test: description '', the called key and parameters", () => {
    const mapped = mapTestStep(
      step({ id: 8, testCase: { self: "x", testCaseKey: "DEMO-T12", parameters: [{ name: "p", type: "MANUAL_INPUT" }] } }),
      50011,
      "DEMO-T11",
      1
    )
    expect(mapped.step.data).toMatchObject({
      description: "",
      expected_result: null,
      test_data: null,
      called_test_case_key: "DEMO-T12",
      parameters: [{ name: "p", type: "MANUAL_INPUT", value: null }]
    })
  })

  it("no id from the API: source_id <caseKey>#<order>, step_id its derived id", () => {
    const mapped = mapTestStep(step({ inline: { description: "x" } }), 50001, "DEMO-T1", 3)
    expect(mapped.step.data).toMatchObject({ source_id: "DEMO-T1#3", step_id: derivedId("DEMO-T1#3"), step_order: 3 })
  })

  it("a step with both or neither of inline and testCase does not decode", () => {
    expect(() => step({ id: 1 })).toThrow(/exactly one/)
    expect(() => step({ id: 1, inline: {}, testCase: { testCaseKey: "A-T1" } })).toThrow(/exactly one/)
  })
})
