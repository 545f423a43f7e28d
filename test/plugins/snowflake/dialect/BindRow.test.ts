/** Bind encoding: strings or null only, in staging column order, and every value read back exactly. */
import { describe, expect, it } from "@effect/vitest"
import { entityOrder } from "../../../../core/canonical/Canonical.ts"
import {
  type BindValue,
  insertStaging,
  snowflakeTable,
  type SnowflakeColumn,
  stagingColumns,
  toBindRow,
  utcTimestamp
} from "../../../../plugins/snowflake/dialect/index.ts"
import { canonicalSamples, valueJsonVariants } from "../../../fixtures/canonical-samples.ts"

/** What the MERGE's casts make of a bind, in JS terms: the inverse the encoding promises. */
const readBack = (column: SnowflakeColumn, text: BindValue): unknown => {
  if (text === null) return null
  switch (column.type) {
    case "NUMBER(38,0)":
    case "FLOAT":
      return Number(text)
    case "BOOLEAN":
      return text === "true"
    case "VARIANT":
      return JSON.parse(text)
    default:
      return text
  }
}

const testCase = (overrides: Record<string, unknown>) => ({ ...canonicalSamples.TestCase, ...overrides })
const bindOf = (overrides: Record<string, unknown>, field: string): BindValue => {
  const table = snowflakeTable("TestCase")
  const index = table.columns.findIndex((c) => c.field === field)
  return toBindRow("TestCase", testCase(overrides), 1)[index] ?? null
}

describe("toBindRow", () => {
  for (const entity of entityOrder) {
    it(`${entity}: one string-or-null per staging column, read back equal to the record`, () => {
      const table = snowflakeTable(entity)
      const record = canonicalSamples[entity] as unknown as Record<string, unknown>
      const row = toBindRow(entity, record, 7)
      const placeholders = insertStaging(entity).match(/\?/g)?.length
      expect(row.length).toBe(stagingColumns(table).length)
      expect(row.length).toBe(placeholders)
      expect(row.every((v) => v === null || typeof v === "string")).toBe(true)
      expect(row.at(-1)).toBe("7")
      table.columns.forEach((column, i) => {
        expect(readBack(column, row[i] ?? null), `${entity}.${column.field}`).toEqual(record[column.field] ?? null)
      })
    })
  }

  it("keeps quotes, backslashes, newlines, tabs and NUL-free control text unchanged", () => {
    const text = `it's "quoted" \\ back\\slash \\n not-a-newline\nreal newline\r\n\ttab '' "" \`tick\` $1 ? :1`
    expect(bindOf({ name: text }, "name")).toBe(text)
  })

  it("keeps Unicode unchanged: accents, CJK, RTL, emoji and combining marks", () => {
    const text = "Régression — 登录 ✅ مرحبا 👩🏽‍💻 e\u0301 \u{1F600}"
    expect(bindOf({ name: text }, "name")).toBe(text)
    expect(bindOf({ labels: [text, "ß"] }, "labels")).toBe(JSON.stringify([text, "ß"]))
    expect(JSON.parse(bindOf({ labels: [text] }, "labels") ?? "null")).toEqual([text])
  })

  it("binds a 1 MB text field whole", () => {
    const big = "é\"\\\n".repeat(256 * 1024) // 1 Mi characters, 1.25 MiB of UTF-8
    expect(big.length).toBe(1024 * 1024)
    const bound = bindOf({ script_text: big }, "script_text")
    expect(bound).toBe(big)
  })

  it("binds SQL NULL for null and absent values, JSON null text for any-JSON", () => {
    expect(bindOf({ objective: null }, "objective")).toBeNull()
    expect(bindOf({ objective: undefined }, "objective")).toBeNull()
    expect(bindOf({ folder_id: null }, "folder_id")).toBeNull()
    const cf = canonicalSamples.CustomField
    const valueIndex = snowflakeTable("CustomField").columns.findIndex((c) => c.field === "value_json")
    expect(toBindRow("CustomField", { ...cf, value_json: null }, 1)[valueIndex]).toBe("null")
    expect(toBindRow("CustomField", { ...cf, value_json: undefined }, 1)[valueIndex]).toBe("null")
    for (const variant of valueJsonVariants) {
      const bound = toBindRow("CustomField", { ...cf, value_json: variant }, 1)[valueIndex]
      expect(JSON.parse(bound ?? "")).toEqual(variant)
    }
    const stepParams = snowflakeTable("TestStep").columns.findIndex((c) => c.field === "parameters")
    expect(toBindRow("TestStep", { ...canonicalSamples.TestStep, parameters: null }, 1)[stepParams]).toBeNull()
  })

  it("writes numbers in decimal, booleans as true/false", () => {
    expect(bindOf({ test_case_id: 0 }, "test_case_id")).toBe("0")
    expect(bindOf({ test_case_id: -42 }, "test_case_id")).toBe("-42")
    expect(bindOf({ test_case_id: 1e21 }, "test_case_id")).toBe("1000000000000000000000")
    expect(bindOf({ test_case_id: 12345678901234567890n }, "test_case_id")).toBe("12345678901234567890")
    const index = snowflakeTable("TestExecution").columns.findIndex((c) => c.field === "automated")
    expect(toBindRow("TestExecution", { ...canonicalSamples.TestExecution, automated: true }, 1)[index]).toBe("true")
    expect(toBindRow("TestExecution", { ...canonicalSamples.TestExecution, automated: false }, 1)[index]).toBe("false")
  })

  it("writes timestamps as ISO-8601 UTC", () => {
    expect(bindOf({ created_on: "2024-03-01T09:15:00.000Z" }, "created_on")).toBe("2024-03-01T09:15:00.000Z")
    expect(bindOf({ created_on: "2024-03-01T09:15:00.123456789Z" }, "created_on")).toBe("2024-03-01T09:15:00.123456789Z")
    expect(bindOf({ created_on: "2024-03-01T09:15:00+00:00" }, "created_on")).toBe("2024-03-01T09:15:00Z")
    expect(bindOf({ created_on: "2024-03-01T11:15:00.500+02:00" }, "created_on")).toBe("2024-03-01T09:15:00.500Z")
    expect(utcTimestamp("not a date")).toBeNull()
  })

  it("refuses values that do not fit the column, naming it", () => {
    expect(() => bindOf({ test_case_id: 1.5 }, "test_case_id")).toThrow(/TestCase.test_case_id: cannot bind as NUMBER\(38,0\)/)
    expect(() => bindOf({ test_case_id: "1" }, "test_case_id")).toThrow(/expected an integer/)
    expect(() => bindOf({ name: 3 }, "name")).toThrow(/expected a string/)
    expect(() => bindOf({ created_on: "yesterday" }, "created_on")).toThrow(/not a date-time/)
    expect(() => toBindRow("TestCase", canonicalSamples.TestCase, 1.5)).toThrow(/seq must be an integer/)
  })

  it("omitted fields are not bound", () => {
    const table = snowflakeTable("Attachment", { omit: ["attachment_blob"] })
    const row = toBindRow(table, canonicalSamples.Attachment, 1)
    expect(row.length).toBe(table.columns.length + 1)
    expect(insertStaging(table)).not.toContain("ATTACHMENT_BLOB")
  })
})
