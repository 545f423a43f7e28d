/** Identifiers: upper-cased, always double-quoted, `"` doubled; keywords and odd names survive every statement. */
import { describe, expect, it } from "@effect/vitest"
import type { Column } from "../../../../core/canonical/schemas.ts"
import {
  addColumns,
  createStaging,
  createTable,
  insertStaging,
  merge,
  quoteIdent,
  quoteName,
  snowflakeName,
  snowflakeTableOf,
  targetRows,
  toBindRow
} from "../../../../plugins/snowflake/dialect/index.ts"

const column = (name: string, type: Column["type"] = "string", format?: string): Column => ({
  name,
  type,
  nullable: true,
  format,
  isArrayOrObject: type === "array" || type === "object" || type === "any",
  seed: false,
  description: ""
})

// A table whose every name is hostile: SQL keywords, mixed case, a quote, a space, Unicode.
const hostile = snowflakeTableOf(
  "Select",
  [column("SELECT"), column("order", "integer"), column("MixedCase", "any"), column('say "hi"'), column("from where"), column("größe", "number"), column("content_hash")],
  ["SELECT", "order"]
)

describe("quoteIdent", () => {
  it("quotes and doubles embedded quotes, without changing case", () => {
    expect(quoteIdent("SELECT")).toBe('"SELECT"')
    expect(quoteIdent("MixedCase")).toBe('"MixedCase"')
    expect(quoteIdent('a"b')).toBe('"a""b"')
    expect(quoteIdent('""')).toBe('""""""')
    expect(quoteIdent("a.b")).toBe('"a.b"')
  })

  it("refuses an empty identifier", () => {
    expect(() => quoteIdent("")).toThrow(/empty/)
  })

  it("quoteName upper-cases first (what Snowflake folds unquoted names to)", () => {
    expect(snowflakeName("TestCase")).toBe("TESTCASE")
    expect(quoteName("order")).toBe('"ORDER"')
    expect(quoteName('say "hi"')).toBe('"SAY ""HI"""')
    expect(quoteName("größe")).toBe('"GRÖSSE"')
  })
})

describe("keywords and odd names in every statement", () => {
  it("names the table and columns quoted and upper-cased", () => {
    expect(hostile.name).toBe("SELECT")
    expect(hostile.columns.map((c) => c.name)).toEqual(["SELECT", "ORDER", "MIXEDCASE", 'SAY "HI"', "FROM WHERE", "GRÖSSE", "CONTENT_HASH"])
    expect(hostile.naturalKey).toEqual(["SELECT", "ORDER"])
  })

  it("CREATE TABLE", () => {
    expect(createTable(hostile)).toBe(
      [
        'CREATE TABLE IF NOT EXISTS "SELECT" (',
        '  "SELECT" VARCHAR,',
        '  "ORDER" NUMBER(38,0),',
        '  "MIXEDCASE" VARIANT,',
        '  "SAY ""HI""" VARCHAR,',
        '  "FROM WHERE" VARCHAR,',
        '  "GRÖSSE" FLOAT,',
        '  "CONTENT_HASH" VARCHAR,',
        '  "_LOADED_AT" TIMESTAMP_NTZ,',
        '  PRIMARY KEY ("SELECT", "ORDER")',
        ")"
      ].join("\n")
    )
  })

  it("ALTER TABLE ADD COLUMN, staging, INSERT, MERGE and verify", () => {
    expect(addColumns(hostile, ["SELECT", "ORDER", "MIXEDCASE", "FROM WHERE", "GRÖSSE", "CONTENT_HASH", "_LOADED_AT"])).toEqual([
      'ALTER TABLE "SELECT" ADD COLUMN IF NOT EXISTS "SAY ""HI""" VARCHAR'
    ])
    expect(createStaging(hostile)).toContain('CREATE OR REPLACE TEMPORARY TABLE "SELECT_STG" (\n  "SELECT" VARCHAR,')
    expect(createStaging(hostile)).toContain('  "SAY ""HI""" VARCHAR,')
    expect(insertStaging(hostile)).toBe(
      'INSERT INTO "SELECT_STG" ("SELECT", "ORDER", "MIXEDCASE", "SAY ""HI""", "FROM WHERE", "GRÖSSE", "CONTENT_HASH", "_SEQ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    )
    const sql = merge(hostile)
    expect(sql).toContain('MERGE INTO "SELECT" AS t')
    expect(sql).toContain('    TO_NUMBER("ORDER") AS "ORDER",')
    expect(sql).toContain('    PARSE_JSON("MIXEDCASE") AS "MIXEDCASE",')
    expect(sql).toContain('    "SAY ""HI""",')
    expect(sql).toContain('QUALIFY ROW_NUMBER() OVER (PARTITION BY "SELECT", "ORDER" ORDER BY "_SEQ" DESC) = 1')
    expect(sql).toContain('ON t."SELECT" = s."SELECT" AND t."ORDER" = s."ORDER"')
    expect(sql).toContain('  "SAY ""HI""" = s."SAY ""HI""",')
    expect(sql).not.toContain('  "SELECT" = s."SELECT"') // keys are not updated
    expect(targetRows(hostile, [["a", "1"]]).sql).toBe('SELECT "SELECT", "ORDER", "CONTENT_HASH" FROM "SELECT" WHERE ("SELECT" = ? AND "ORDER" IN (TO_NUMBER(?)))')
  })

  it("no unquoted identifier: every name in the SQL sits inside quotes", () => {
    // Strip quoted identifiers; what remains must be keywords, functions, aliases and punctuation only.
    const rest = merge(hostile).replace(/"(?:[^"]|"")*"/g, "")
    expect(rest).not.toMatch(/SAY|HI|WHERE|MIXEDCASE|GRÖSSE/)
  })

  it("a custom field named like a keyword is data: bound, never spliced into SQL", () => {
    const row = toBindRow("CustomField", {
      custom_field_id: 1,
      object_type: "TestCase",
      object_id: 7,
      field_name: "SELECT",
      field_value: "x'); DROP TABLE \"TESTCASE\"; --",
      field_type: "string",
      value_json: { order: "1", "from": null },
      source_system: "zephyr",
      source_id: "cf-1",
      source_key: null,
      content_hash: "h"
    }, 1)
    expect(row[3]).toBe("SELECT")
    expect(row[4]).toBe("x'); DROP TABLE \"TESTCASE\"; --")
    expect(row[6]).toBe('{"order":"1","from":null}')
    expect(insertStaging("CustomField")).not.toContain("SELECT\"")
  })

  it("refuses fields that collide once upper-cased, or with a dialect column", () => {
    expect(() => snowflakeTableOf("T", [column("Order"), column("order")], ["Order"])).toThrow(/both column "ORDER"/)
    expect(() => snowflakeTableOf("T", [column("id"), column("_seq")], ["id"])).toThrow(/dialect column "_SEQ"/)
    expect(() => snowflakeTableOf("T", [column("id")], ["missing"])).toThrow(/not a column/)
  })
})
