/** DDL and DML options: schema growth, qualified names, the verify and staging statements. */
import { describe, expect, it } from "@effect/vitest"
import {
  addColumns,
  createStaging,
  createTable,
  deleteRows,
  dropStaging,
  insertStaging,
  listColumns,
  merge,
  snowflakeTable,
  targetRows
} from "../../../../plugins/snowflake/dialect/index.ts"

describe("addColumns", () => {
  const all = [...snowflakeTable("Project").columns.map((c) => c.name), "_LOADED_AT"]

  it("adds nothing to an up-to-date table", () => {
    expect(addColumns("Project", all)).toEqual([])
  })

  it("adds each missing column, without NOT NULL, one statement each", () => {
    const existing = all.filter((c) => c !== "ENABLED" && c !== "JIRA_PROJECT_ID")
    expect(addColumns("Project", existing)).toEqual([
      'ALTER TABLE "PROJECT" ADD COLUMN IF NOT EXISTS "JIRA_PROJECT_ID" NUMBER(38,0)',
      'ALTER TABLE "PROJECT" ADD COLUMN IF NOT EXISTS "ENABLED" BOOLEAN'
    ])
  })

  it("compares names exactly (quoted identifiers are case-sensitive)", () => {
    expect(addColumns("Project", [...all.filter((c) => c !== "ENABLED"), "enabled"])).toEqual([
      'ALTER TABLE "PROJECT" ADD COLUMN IF NOT EXISTS "ENABLED" BOOLEAN'
    ])
  })

  it("refuses a table without its natural key", () => {
    expect(() => addColumns("Project", ["NAME"])).toThrow(/natural-key column\(s\) "SOURCE_SYSTEM", "SOURCE_ID"/)
  })
})

describe("qualified names", () => {
  const options = { qualifier: { database: "MIGRATION", schema: "my schema" } }

  it("qualifies target and staging tables", () => {
    expect(createTable("Link", options)).toMatch(/^CREATE TABLE IF NOT EXISTS "MIGRATION"\."my schema"\."LINK" \(/)
    expect(createStaging("Link", options)).toMatch(/^CREATE OR REPLACE TEMPORARY TABLE "MIGRATION"\."my schema"\."LINK_STG" \(/)
    expect(insertStaging("Link", options)).toMatch(/^INSERT INTO "MIGRATION"\."my schema"\."LINK_STG" /)
    expect(merge("Link", options)).toContain('MERGE INTO "MIGRATION"."my schema"."LINK" AS t')
    expect(merge("Link", options)).toContain('  FROM "MIGRATION"."my schema"."LINK_STG"')
    expect(dropStaging("Link", options)).toBe('DROP TABLE IF EXISTS "MIGRATION"."my schema"."LINK_STG"')
    expect(targetRows("Link", [["zephyr", "1"]], options).sql).toContain('FROM "MIGRATION"."my schema"."LINK" WHERE')
  })

  it("lists columns with binds, never spliced names", () => {
    expect(listColumns("Link", options)).toEqual({
      sql: 'SELECT COLUMN_NAME FROM "MIGRATION".INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
      binds: ["my schema", "LINK"]
    })
    expect(listColumns("Link").binds).toEqual(["LINK"])
  })
})

describe("merge", () => {
  it("uses CustomField's three-column natural key", () => {
    const sql = merge("CustomField")
    expect(sql).toContain('PARTITION BY "OBJECT_TYPE", "OBJECT_ID", "FIELD_NAME" ORDER BY "_SEQ" DESC')
    expect(sql).toContain('ON t."OBJECT_TYPE" = s."OBJECT_TYPE" AND t."OBJECT_ID" = s."OBJECT_ID" AND t."FIELD_NAME" = s."FIELD_NAME"')
    expect(sql).toContain('PARSE_JSON("VALUE_JSON") AS "VALUE_JSON"')
  })

  it("casts every non-VARCHAR column in the SELECT and calls no function in VALUES of the INSERT into staging", () => {
    expect(insertStaging("TestExecution")).not.toMatch(/\w\(/)
    const sql = merge("TestExecution")
    expect(sql).toContain('TO_BOOLEAN("AUTOMATED") AS "AUTOMATED"')
    expect(sql).toContain('TO_TIMESTAMP_NTZ("ACTUAL_END_DATE") AS "ACTUAL_END_DATE"')
    expect(sql).toContain('TO_NUMBER("EXECUTION_TIME_MS") AS "EXECUTION_TIME_MS"')
  })

  it("updates every time when the table has no content hash", () => {
    const table = snowflakeTable("Link", { omit: ["content_hash"] })
    expect(merge(table)).toContain("WHEN MATCHED THEN UPDATE SET")
    expect(targetRows(table, [["zephyr", "1"]]).sql).toBe('SELECT "SOURCE_SYSTEM", "SOURCE_ID" FROM "LINK" WHERE ("SOURCE_SYSTEM" = ? AND "SOURCE_ID" IN (?))')
  })
})

describe("targetRows", () => {
  it("groups keys by their first column, matches the second with IN, binds every value", () => {
    const s = targetRows("TestCase", [["zephyr", "1"], ["zephyr", "2"], ["jira", "1"], ["zephyr", "2"]])
    expect(s.sql).toBe(
      'SELECT "SOURCE_SYSTEM", "SOURCE_ID", "CONTENT_HASH" FROM "TESTCASE" WHERE ("SOURCE_SYSTEM" = ? AND "SOURCE_ID" IN (?, ?)) OR ("SOURCE_SYSTEM" = ? AND "SOURCE_ID" IN (?))'
    )
    expect(s.binds).toEqual(["zephyr", "1", "2", "jira", "1"])
  })

  it("casts binds compared with a non-VARCHAR key column, and reports present flags", () => {
    const s = targetRows("CustomField", [["TestCase", "7", "Risk"]], { presentFlags: ["FIELD_VALUE"] })
    expect(s.sql).toBe(
      'SELECT "OBJECT_TYPE", "OBJECT_ID", "FIELD_NAME", "CONTENT_HASH", ("FIELD_VALUE" IS NOT NULL) AS "HAS_FIELD_VALUE" FROM "CUSTOMFIELD" WHERE ("OBJECT_TYPE" = ? AND "OBJECT_ID" IN (TO_NUMBER(?)))'
    )
    expect(s.binds).toEqual(["TestCase", "7"])
  })

  it("refuses an empty key list", () => {
    expect(() => targetRows("TestCase", [])).toThrow(/at least one key/)
  })
})

describe("deleteRows", () => {
  it("matches whole keys exactly, one predicate per key", () => {
    const s = deleteRows("CustomField", [["TestCase", "7", "Risk"], ["TestCase", "8", "select"]])
    expect(s.sql).toBe(
      'DELETE FROM "CUSTOMFIELD" WHERE ("OBJECT_TYPE" = ? AND "OBJECT_ID" = TO_NUMBER(?) AND "FIELD_NAME" = ?) OR ("OBJECT_TYPE" = ? AND "OBJECT_ID" = TO_NUMBER(?) AND "FIELD_NAME" = ?)'
    )
    expect(s.binds).toEqual(["TestCase", "7", "Risk", "TestCase", "8", "select"])
  })
})
