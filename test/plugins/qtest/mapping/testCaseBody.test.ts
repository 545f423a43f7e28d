/** Test case bodies: fields by label, steps with test data, call-to-test, scripts, gaps. */
import { describe, expect, it } from "@effect/vitest"
import { toValueMap } from "../../../../plugins/qtest/QtestConfig.ts"
import { callParameters, estimatedMinutes, testCaseBody, type TestCaseIds } from "../../../../plugins/qtest/mapping/index.ts"
import { ACCOUNTS, customField, defaultMaps, step, testCase, vocabulary } from "./fixtures.ts"

const ids = (called: Record<string, number> = {}): TestCaseIds => ({ moduleId: 77, calledTestCaseId: (key) => called[key] })
const opts = { scripts: "description" } as const

describe("testCaseBody", () => {
  it("maps name, module, objective, precondition, every field and steps", () => {
    const tc = testCase()
    const result = testCaseBody(
      {
        testCase: tc,
        steps: [step(1, { test_data: "URL = <a href=\"https://x\">x</a>" }), step(0)],
        customFields: [
          customField("TestCase", 1001, "Risk", "High"),
          customField("TestCase", 1001, "Category", ["Functional", "Regression"]),
          customField("TestCase", 1001, "Implemented", true),
          customField("TestCase", 1001, "Release Date", "2024-02-03", "DATE"),
          customField("TestCase", 1001, "Tester", ACCOUNTS.bob, "USER"),
          customField("TestCase", 1001, "Short Note", null)
        ],
        coverage: ["PROJ-9", "PROJ-10"]
      },
      vocabulary(),
      ids(),
      opts
    )
    expect(result.gaps).toEqual([])
    expect(result.defaults).toEqual([])
    expect(result.body).toEqual({
      name: "Login with valid credentials",
      parent_id: 77,
      description: "<p>Checks the <b>login</b></p>",
      precondition: "User exists",
      properties: [
        { field_id: 7001, field_value: "12" },
        { field_id: 7002, field_value: "21" },
        { field_id: 7100, field_value: "PROJ-T1" },
        { field_id: 7101, field_value: "Smoke, Login" },
        { field_id: 7102, field_value: "10042" },
        { field_id: 7103, field_value: "1.5" },
        { field_id: 7104, field_value: "41" },
        { field_id: 7105, field_value: "PROJ-10, PROJ-9" },
        { field_id: 7111, field_value: "2024-02-03T00:00:00.000Z" },
        { field_id: 7112, field_value: "41" },
        { field_id: 7113, field_value: "[51,53]" },
        { field_id: 7116, field_value: "61" },
        { field_id: 7117, field_value: "42" }
      ],
      test_steps: [
        { description: "Step 1", expected: "Result 1", order: 1 },
        { description: 'Step 2<br/><br/><strong>Test data:</strong><br/>URL = <a href="https://x">x</a>', expected: "Result 2", order: 2 }
      ]
    })
  })

  it("escapes [~ in the description, precondition and steps, never in the name", () => {
    const { body } = testCaseBody(
      {
        testCase: testCase({ name: "Use [~param]", objective: "Type [~user]", precondition: "<p>[~p]</p>" }),
        steps: [step(0, { description: "Enter [~name]", expected_result: "Shows [~name]", test_data: "[~name] = x" })],
        customFields: []
      },
      vocabulary(),
      ids(),
      opts
    )
    expect(body.name).toBe("Use [~param]")
    expect(body.description).toBe("Type &#91;~user]")
    expect(body.precondition).toBe("<p>&#91;~p]</p>")
    expect(body.test_steps?.[0]).toEqual({
      description: "Enter &#91;~name]<br/><br/><strong>Test data:</strong><br/>&#91;~name] = x",
      expected: "Shows &#91;~name]",
      order: 1
    })
    expect(JSON.stringify(body)).not.toMatch(/\[~(?!param)/)
  })

  it("sends empty description, precondition and steps rather than leaving them out", () => {
    const { body } = testCaseBody(
      { testCase: testCase({ objective: null, precondition: null, labels: [], component: null, estimated_time_ms: null, owner_id: null, priority: null, status: null }), steps: [], customFields: [] },
      vocabulary(),
      ids(),
      opts
    )
    expect(body).toEqual({ name: "Login with valid credentials", parent_id: 77, description: "", precondition: "", properties: [{ field_id: 7100, field_value: "PROJ-T1" }], test_steps: [] })
  })

  it("keeps Unicode and HTML as they are", () => {
    const { body } = testCaseBody(
      {
        testCase: testCase({ name: "Internationalisation — 国際化 ☕", objective: "<p>Émoji 🔥 &amp; <i>more</i></p>" }),
        steps: [step(0, { description: "Öffne <b>die</b> Seite", expected_result: null })],
        customFields: [customField("TestCase", 1001, "Short Note", "Note — ✓")]
      },
      vocabulary(),
      ids(),
      opts
    )
    expect(body.name).toBe("Internationalisation — 国際化 ☕")
    expect(body.description).toBe("<p>Émoji 🔥 &amp; <i>more</i></p>")
    expect(body.test_steps).toEqual([{ description: "Öffne <b>die</b> Seite", expected: "", order: 1 }])
    expect(body.properties).toContainEqual({ field_id: 7114, field_value: "Note — ✓" })
  })

  it("turns call-to-test steps into called_test_case_id with the parameters in the description", () => {
    const { body, gaps } = testCaseBody(
      {
        testCase: testCase({ key: "PROJ-T11" }),
        steps: [
          step(0),
          step(1, {
            description: "",
            expected_result: null,
            called_test_case_key: "PROJ-T12",
            parameters: [
              { name: "item", type: "DEFAULT_VALUE", value: "Blue mug ☕" },
              { name: "quantity", type: "MANUAL_INPUT", value: "2" },
              { name: "password", type: "MANUAL_INPUT", value: "" }
            ]
          }),
          step(2, { description: "", expected_result: null, called_test_case_key: "PROJ-T13", parameters: [] })
        ],
        customFields: []
      },
      vocabulary(),
      ids({ "PROJ-T12": 9912, "PROJ-T13": 9913 }),
      opts
    )
    expect(gaps).toEqual([])
    expect(body.test_steps).toEqual([
      { description: "Step 1", expected: "Result 1", order: 1 },
      {
        description: "<strong>Parameters:</strong><br/>item = Blue mug ☕<br/>quantity = 2 (manual input)<br/>password = (empty) (manual input)",
        expected: "",
        order: 2,
        called_test_case_id: 9912
      },
      { description: "", expected: "", order: 3, called_test_case_id: 9913 }
    ])
  })

  it("reports a call to a case not in qTest and writes a text step instead", () => {
    const { body, gaps } = testCaseBody(
      { testCase: testCase(), steps: [step(0, { description: "", called_test_case_key: "PROJ-T404", parameters: null })], customFields: [] },
      vocabulary(),
      ids(),
      opts
    )
    expect(body.test_steps).toEqual([{ description: "Calls test case PROJ-T404 (not migrated)", expected: "", order: 1 }])
    expect(gaps).toEqual([expect.objectContaining({ kind: "call", value: "PROJ-T404", object: "PROJ-T1" })])
  })

  it("appends step custom fields to the step description", () => {
    const { body } = testCaseBody(
      {
        testCase: testCase(),
        steps: [step(0)],
        customFields: [],
        stepCustomFields: [customField("TestStep", 5000, "Step Type", "UI"), customField("TestStep", 5000, "Empty", null), customField("TestStep", 9999, "Other", "x")]
      },
      vocabulary(),
      ids(),
      opts
    )
    expect(body.test_steps?.[0]?.description).toBe("Step 1<br/><br/><strong>Step Type:</strong> UI")
  })

  it("puts plain-text and BDD scripts in the description or in one step", () => {
    const input = { testCase: testCase({ script_type: "BDD", script_text: "Given x\n  When y" }), steps: [], customFields: [] } as const
    const asDescription = testCaseBody(input, vocabulary(), ids(), { scripts: "description" }).body
    expect(asDescription.description).toBe("<p>Checks the <b>login</b></p><br/><br/><strong>Test script (BDD):</strong><br/>Given x<br/>&nbsp;&nbsp;When y")
    expect(asDescription.test_steps).toEqual([])
    const asStep = testCaseBody(input, vocabulary(), ids(), { scripts: "step" }).body
    expect(asStep.description).toBe("<p>Checks the <b>login</b></p>")
    expect(asStep.test_steps).toEqual([{ description: "Given x<br/>&nbsp;&nbsp;When y", expected: "", order: 1 }])
  })

  it("reports unmapped values and missing fields, and leaves them out", () => {
    const vocab = vocabulary({ maps: defaultMaps({ users: toValueMap({}), priority: toValueMap({}) }) })
    const { body, gaps, defaults } = testCaseBody(
      {
        testCase: testCase({ priority: "Blocker", status: "Review" }),
        steps: [],
        customFields: [customField("TestCase", 1001, "Sprint", 12), customField("TestCase", 1001, "Category", ["Security"])]
      },
      vocab,
      ids(),
      opts
    )
    expect(gaps.map((g) => [g.kind, g.field, g.value])).toEqual([
      ["priority", "maps.priority", "Blocker"],
      ["user", "maps.users", ACCOUNTS.alice],
      ["value", "Category", "Security"],
      ["field", "Sprint", "12"]
    ])
    expect(defaults).toEqual([{ field: "maps.testCaseStatus", from: "Review", to: "New", object: "PROJ-T1" }])
    expect(body.properties.map((p) => p.field_id)).toEqual([7002, 7100, 7101, 7102, 7103])
  })

  it("reports two Zephyr values renamed onto one qTest field and keeps the first", () => {
    const vocab = vocabulary({ maps: defaultMaps({ customFields: { "Old Key": "Zephyr Key" } }) })
    const { body, gaps } = testCaseBody({ testCase: testCase(), steps: [], customFields: [customField("TestCase", 1001, "Old Key", "X-1")] }, vocab, ids(), opts)
    expect(body.properties).toContainEqual({ field_id: 7100, field_value: "PROJ-T1" })
    expect(gaps).toEqual([expect.objectContaining({ kind: "field", field: 'custom field "Old Key"', value: "X-1" })])
  })

  it("is deterministic: the same input gives the same body whatever the input order", () => {
    const fields = [customField("TestCase", 1001, "Risk", "Low"), customField("TestCase", 1001, "Build Number", 3)]
    const a = testCaseBody({ testCase: testCase(), steps: [step(0), step(1)], customFields: fields }, vocabulary(), ids(), opts)
    const b = testCaseBody({ testCase: testCase(), steps: [step(1), step(0)], customFields: [...fields].reverse() }, vocabulary(), ids(), opts)
    expect(JSON.stringify(a)).toBe(JSON.stringify(b))
  })
})

describe("helpers", () => {
  it("converts milliseconds to minutes with two decimals", () => {
    expect(estimatedMinutes(90000)).toBe(1.5)
    expect(estimatedMinutes(1000)).toBe(0.02)
    expect(estimatedMinutes(0)).toBe(0)
  })

  it("formats call parameters, escaping their HTML", () => {
    expect(callParameters(null)).toBe("")
    expect(callParameters([])).toBe("")
    expect(callParameters([{ name: "a<b", type: "DEFAULT_VALUE", value: "[~x]" }])).toBe("<strong>Parameters:</strong><br/>a&lt;b = &#91;~x]")
  })
})
