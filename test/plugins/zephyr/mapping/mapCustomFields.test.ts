/** Custom field type inference and value text (the documented table in mapping/mapCustomFields.ts). */
import { describe, expect, it } from "@effect/vitest"
import { derivedId } from "../../../../core/index.ts"
import { fieldValueText, inferFieldType, mapCustomFields } from "../../../../plugins/zephyr/mapping/index.ts"

describe("inferFieldType", () => {
  it.each([
    [null, "NULL"],
    [20, "NUMBER"],
    [0.5, "NUMBER"],
    [-3, "NUMBER"],
    [false, "BOOLEAN"],
    [true, "BOOLEAN"],
    [["Performance", "Regression"], "MULTI_SELECT"],
    [[], "MULTI_SELECT"],
    ["2020-01-01", "DATE"],
    ["2024-02-29", "DATE"],
    ["2023-02-29", "TEXT"], // not a calendar date
    ["2020-13-01", "TEXT"],
    ["2020-01-01T10:00:00Z", "TEXT"], // Zephyr date fields are dates; a date-time in a text field stays text
    ["5d8f0e3b7c2a1f0012345678", "USER"], // classic 24-hex accountId
    ["5b10a2844c20165700ede21g", "USER"], // Zephyr's documentation example
    ["557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "USER"],
    ["fa2e582e-5e15-521e-92e3-47e6ca2e7256", "USER"], // bare UUID, as in the spec's Tester example
    ["abcdefghijklmnopqrstuvwx", "TEXT"], // 24 letters, no digit: a word, not a user
    ["5D8F0E3B7C2A1F0012345678", "TEXT"],
    ["User should have logged in. <br> Then…", "TEXT"],
    ["", "TEXT"],
    ["High", "TEXT"],
    [{ nested: 1 }, "TEXT"]
  ] as const)("%j → %s", (value, type) => {
    expect(inferFieldType(value)).toBe(type)
  })
})

describe("fieldValueText", () => {
  it("keeps strings byte for byte and writes everything else as JSON text (null stays null)", () => {
    expect(fieldValueText(" <b>x</b> é 🚀 ")).toBe(" <b>x</b> é 🚀 ")
    expect(fieldValueText(20)).toBe("20")
    expect(fieldValueText(false)).toBe("false")
    expect(fieldValueText(["a", "b"])).toBe('["a","b"]')
    expect(fieldValueText({ a: 1 })).toBe('{"a":1}')
    expect(fieldValueText(null)).toBeNull()
  })
})

describe("mapCustomFields", () => {
  it("emits one record per field with the natural key hashed into the id", () => {
    const records = mapCustomFields("TestStep", 70001, { "Step Type": "UI", Count: 3, Empty: null })
    expect(records.map((r) => r.data)).toEqual([
      {
        source_system: "zephyr-scale-cloud",
        source_id: "TestStep/70001/Step Type",
        source_key: null,
        custom_field_id: derivedId("TestStep/70001/Step Type"),
        object_type: "TestStep",
        object_id: 70001,
        field_name: "Step Type",
        field_value: "UI",
        field_type: "TEXT",
        value_json: "UI"
      },
      expect.objectContaining({ field_name: "Count", field_value: "3", field_type: "NUMBER", value_json: 3 }),
      expect.objectContaining({ field_name: "Empty", field_value: null, field_type: "NULL", value_json: null })
    ])
    expect(mapCustomFields("TestCase", 1, undefined)).toEqual([])
    expect(mapCustomFields("TestCase", 1, null)).toEqual([])
  })
})
