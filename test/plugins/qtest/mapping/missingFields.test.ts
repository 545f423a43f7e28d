/** What the data needs from the project, and what to create: fields with values (≤ 100 per call), recovery keys always. */
import { describe, expect, it } from "@effect/vitest"
import { FieldNeeds, fieldNeeds, MAX_VALUES_PER_FIELD, missingFields } from "../../../../plugins/qtest/mapping/index.ts"
import { ACCOUNTS, customField, execution, testCase, vocabulary } from "./fixtures.ts"

const emptyProject = () => vocabulary({ fields: { "test-cases": [], "test-runs": [], releases: [] } })

describe("fieldNeeds", () => {
  it("collects the configured fields and infers custom field types from their values", () => {
    const vocab = emptyProject()
    const needs = fieldNeeds(
      {
        testCases: [testCase()],
        executions: [execution()],
        plans: [],
        coverage: true,
        customFields: [
          customField("TestCase", 1, "Build Number", 20),
          customField("TestCase", 1, "Release Date", "2024-01-02", "DATE"),
          customField("TestCase", 1, "Implemented", true),
          customField("TestCase", 2, "Implemented", false),
          customField("TestCase", 1, "Category", ["Performance", "Regression"]),
          customField("TestCase", 2, "Category", ["Functional"]),
          customField("TestCase", 1, "Short Note", "Note ✓"),
          customField("TestCase", 1, "Pre-Condition(s)", "User <br> logged in"),
          customField("TestCase", 1, "Long", "x".repeat(300)),
          customField("TestCase", 1, "Lines", "a\nb"),
          customField("TestCase", 1, "Tester", ACCOUNTS.bob, "USER"),
          customField("TestCase", 1, "Mixed", 1),
          customField("TestCase", 2, "Mixed", "one"),
          customField("TestCase", 1, "Nothing", null),
          customField("TestExecution", 1, "Browser", "Chrome"),
          customField("TestCycle", 1, "Sprint", 3),
          customField("TestStep", 1, "Step Type", "UI")
        ]
      },
      vocab
    )
    const summary = needs.map((n) => [n.objectType, n.label, n.dataType, n.always])
    expect(summary).toEqual([
      ["test-cases", "Build Number", 7, false],
      ["test-cases", "Category", 17, false],
      ["test-cases", "Implemented", 3, false],
      ["test-cases", "Lines", 2, false],
      ["test-cases", "Long", 2, false],
      ["test-cases", "Mixed", 2, false],
      ["test-cases", "Pre-Condition(s)", 6, false],
      ["test-cases", "Release Date", 4, false],
      ["test-cases", "Short Note", 1, false],
      ["test-cases", "Tester", 5, false],
      ["test-cases", "Zephyr Component", 1, false],
      ["test-cases", "Zephyr Coverage", 1, false],
      ["test-cases", "Zephyr Estimated Time", 7, false],
      ["test-cases", "Zephyr Key", 1, true],
      ["test-cases", "Zephyr Labels", 1, false],
      ["test-cases", "Zephyr Owner", 5, false],
      ["test-runs", "Assigned To", 5, false],
      ["test-runs", "Browser", 1, false],
      ["test-runs", "Zephyr Environment", 3, false],
      ["test-runs", "Zephyr Executed By", 5, false],
      ["test-runs", "Zephyr Execution Key", 1, true]
    ])
    expect(needs.find((n) => n.label === "Category")?.values).toEqual(["Performance", "Regression", "Functional"])
    expect(needs.find((n) => n.label === "Implemented")?.values).toEqual([true, false])
    expect(needs.find((n) => n.label === "Zephyr Environment")?.values).toEqual(["Chrome 120 / Windows 11"])
  })

  it("applies renames and skips plans when releases are off", () => {
    const vocab = vocabulary({ fields: {}, maps: { ...vocabulary().maps, customFields: { Browser: "Browser Used" } } })
    const needs = new FieldNeeds(vocab, { releases: false })
      .addCustomField(customField("TestExecution", 1, "Browser", "Chrome"))
      .addCustomField(customField("TestPlan", 1, "Risk Level", "High"))
      .needs()
    expect(needs.map((n) => n.label)).toEqual(["Browser Used"])
  })

  it("keeps at most MAX_VALUES_PER_FIELD distinct values, and says it truncated", () => {
    const needs = new FieldNeeds(emptyProject())
    for (let i = 0; i <= MAX_VALUES_PER_FIELD; i++) needs.addCustomField(customField("TestCase", i, "Tag", [`v${i}`, `V${i}`]))
    const [tag] = needs.needs()
    expect(tag?.values).toHaveLength(MAX_VALUES_PER_FIELD)
    expect(tag?.truncated).toBe(true)
  })
})

describe("missingFields", () => {
  it("plans nothing but the recovery keys when createMissingFields is false", () => {
    const vocab = emptyProject()
    const needs = fieldNeeds({ testCases: [testCase()], executions: [execution()], plans: [], customFields: [customField("TestCase", 1, "Risk", "High")] }, vocab)
    const plan = missingFields(needs, vocab, { createMissingFields: false })
    expect(plan.create.map((c) => [c.objectType, c.body, c.always])).toEqual([
      ["test-cases", { label: "Zephyr Key", data_type: 1 }, true],
      ["test-runs", { label: "Zephyr Execution Key", data_type: 1 }, true]
    ])
    expect(plan.addValues).toEqual([])
  })

  it("plans nothing at all when the project already has every field and value", () => {
    const vocab = vocabulary()
    const needs = fieldNeeds(
      { testCases: [testCase()], executions: [execution()], plans: [], customFields: [customField("TestCase", 1, "Category", ["Functional"]), customField("TestCase", 1, "Implemented", true)] },
      vocab
    )
    expect(missingFields(needs, vocab, { createMissingFields: true })).toEqual({ create: [], addValues: [] })
  })

  it("creates missing fields with their values, multiple for multi-select, more than 100 values in chunks", () => {
    const vocab = emptyProject()
    const many = Array.from({ length: 250 }, (_, i) => `Value ${i}`)
    const needs = fieldNeeds(
      {
        testCases: [],
        executions: [],
        plans: [],
        customFields: [customField("TestCase", 1, "Tags", many), customField("TestCase", 1, "Implemented", true), customField("TestCase", 1, "Note", "x")]
      },
      vocab
    )
    const plan = missingFields(needs, vocab, { createMissingFields: true })
    const tags = plan.create.find((c) => c.body.label === "Tags")
    expect(tags?.body.data_type).toBe(17)
    expect(tags?.body.multiple).toBe(true)
    expect(tags?.body.allowed_values).toHaveLength(100)
    expect(tags?.moreValues.map((c) => c.length)).toEqual([100, 50])
    expect(tags?.moreValues[1]?.[49]).toEqual({ label: "Value 249" })
    expect(plan.create.find((c) => c.body.label === "Implemented")?.body).toEqual({ label: "Implemented", data_type: 3, allowed_values: [{ label: "Yes" }, { label: "No" }] })
    expect(plan.create.find((c) => c.body.label === "Note")?.body).toEqual({ label: "Note", data_type: 1 })
  })

  it("adds missing values to existing picklists only, matching labels case-insensitively and booleans as Yes/True", () => {
    const vocab = vocabulary()
    const needs = fieldNeeds(
      {
        testCases: [],
        executions: [execution({ environment: "Safari 17 / macOS" }), execution({ environment: "chrome 120 / windows 11" })],
        plans: [],
        customFields: [
          customField("TestCase", 1, "Category", ["functional", "Security"]),
          customField("TestCase", 1, "Risk", "Critical"),
          customField("TestCase", 1, "Short Note", "free text"),
          customField("TestExecution", 1, "Flaky", true)
        ]
      },
      vocab
    )
    const plan = missingFields(needs, vocab, { createMissingFields: true })
    expect(plan.create).toEqual([])
    expect(plan.addValues.map((a) => [a.objectType, a.fieldId, a.label, a.chunks])).toEqual([
      ["test-cases", 7113, "Category", [[{ label: "Security" }]]],
      ["test-cases", 7116, "Risk", [[{ label: "Critical" }]]],
      ["test-runs", 8102, "Zephyr Environment", [[{ label: "Safari 17 / macOS" }]]]
    ])
  })

  it("never creates test-step fields", () => {
    const vocab = emptyProject()
    expect(missingFields([{ objectType: "test-steps", label: "X", dataType: 1, values: [], always: true, truncated: false }], vocab, { createMissingFields: true }).create).toEqual([])
  })
})
