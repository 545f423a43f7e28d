/** Type mapping read from the canonical schemas: every column of every schema maps, by the documented rules. */
import { describe, expect, it } from "@effect/vitest"
import { entityOrder } from "../../../../core/canonical/Canonical.ts"
import { canonicalSchemas, columns } from "../../../../core/canonical/schemas.ts"
import { snowflakeTable, snowflakeType } from "../../../../plugins/snowflake/dialect/index.ts"

const TYPES = new Set(["VARCHAR", "NUMBER(38,0)", "FLOAT", "BOOLEAN", "TIMESTAMP_NTZ", "DATE", "VARIANT"])

describe("snowflakeType", () => {
  it("follows the rules", () => {
    const c = (type: "string" | "integer" | "number" | "boolean" | "array" | "object" | "any", format?: string) => ({ name: "x", type, format })
    expect(snowflakeType(c("string"))).toBe("VARCHAR")
    expect(snowflakeType(c("string", "date-time"))).toBe("TIMESTAMP_NTZ")
    expect(snowflakeType(c("string", "date"))).toBe("DATE")
    expect(snowflakeType(c("string", "uri"))).toBe("VARCHAR")
    expect(snowflakeType(c("integer"))).toBe("NUMBER(38,0)")
    expect(snowflakeType(c("number"))).toBe("FLOAT")
    expect(snowflakeType(c("boolean"))).toBe("BOOLEAN")
    expect(snowflakeType(c("array"))).toBe("VARIANT")
    expect(snowflakeType(c("object"))).toBe("VARIANT")
    expect(snowflakeType(c("any"))).toBe("VARIANT")
  })

  for (const entity of entityOrder) {
    it(`${entity}: every schema property is a column with a Snowflake type, in schema order`, () => {
      const table = snowflakeTable(entity)
      expect(table.name).toBe(entity.toUpperCase())
      expect(table.columns.map((c) => c.field)).toEqual(Object.keys(canonicalSchemas[entity].properties))
      for (const col of table.columns) {
        expect(TYPES.has(col.type), `${entity}.${col.field}: ${col.type}`).toBe(true)
        expect(col.name).toBe(col.field.toUpperCase())
      }
      // Every date-time column is a timestamp, every JSON structure a VARIANT.
      for (const col of columns(entity)) {
        const mapped = table.columns.find((c) => c.field === col.name)?.type
        if (col.format === "date-time") expect(mapped).toBe("TIMESTAMP_NTZ")
        if (col.isArrayOrObject) expect(mapped).toBe("VARIANT")
      }
    })
  }

  it("maps the columns the issue names", () => {
    const type = (entity: Parameters<typeof snowflakeTable>[0], field: string) => snowflakeTable(entity).columns.find((c) => c.field === field)?.type
    expect(type("CustomField", "value_json")).toBe("VARIANT")
    expect(type("TestStep", "parameters")).toBe("VARIANT")
    expect(type("TestCase", "labels")).toBe("VARIANT")
    expect(type("TestExecution", "automated")).toBe("BOOLEAN")
    expect(type("TestCase", "test_case_id")).toBe("NUMBER(38,0)")
    expect(type("TestCase", "created_on")).toBe("TIMESTAMP_NTZ")
  })

  it("can leave the attachment bytes out", () => {
    const table = snowflakeTable("Attachment", { omit: ["attachment_blob"] })
    expect(table.columns.some((c) => c.field === "attachment_blob")).toBe(false)
    expect(() => snowflakeTable("Attachment", { omit: ["source_id"] })).toThrow(/natural-key/)
  })
})
