/**
 * The dialect's project scope (`sharedSchema`, `DialectOptions.project`): `_PROJECT` in the table, staging, MERGE
 * and binds, every read and delete confined to the project by a bind. Without it the SQL is the golden files'.
 */
import { describe, expect, it } from "@effect/vitest"
import {
  addColumns,
  countRows,
  createStaging,
  deleteRows,
  insertStaging,
  keyPage,
  merge,
  scopeBinds,
  snowflakeTable,
  snowflakeTableOf,
  targetRows,
  toBindRow,
  upsertOne
} from "../../../../plugins/snowflake/dialect/index.ts"
import { canonicalSamples } from "../../../fixtures/canonical-samples.ts"

const scoped = snowflakeTable("Project", { project: "ORGA" })

describe("project scope (sharedSchema)", () => {
  it("staging carries _PROJECT before _SEQ, and the bind row the project's key", () => {
    expect(createStaging(scoped)).toContain(`  "_PROJECT" VARCHAR,\n  "_SEQ" NUMBER(38,0)\n)`)
    expect(insertStaging(scoped)).toContain(`"CONTENT_HASH", "_PROJECT", "_SEQ") VALUES (`)
    const row = toBindRow(scoped, canonicalSamples.Project, 7)
    expect(row.slice(-2)).toEqual(["ORGA", "7"])
    expect(row.length).toBe(toBindRow("Project", canonicalSamples.Project, 7).length + 1)
  })

  it("the MERGE dedupes and matches on _PROJECT first, inserts it, never updates it", () => {
    const sql = merge(scoped)
    expect(sql).toContain(`QUALIFY ROW_NUMBER() OVER (PARTITION BY "_PROJECT", "SOURCE_SYSTEM", "SOURCE_ID" ORDER BY "_SEQ" DESC) = 1`)
    expect(sql).toContain(`ON t."_PROJECT" = s."_PROJECT" AND t."SOURCE_SYSTEM" = s."SOURCE_SYSTEM" AND t."SOURCE_ID" = s."SOURCE_ID"`)
    expect(sql).toContain(`"_LOADED_AT", "_PROJECT")`)
    expect(sql).toContain(`SYSDATE(), s."_PROJECT")`)
    expect(sql).not.toContain(`"_PROJECT" = s."_PROJECT",`)
    expect(sql).not.toContain("ORGA")
  })

  it("reads and deletes are confined to the project by a bind", () => {
    expect(countRows(scoped)).toBe(`SELECT COUNT(*) AS "N" FROM "PROJECT" WHERE "_PROJECT" = ?`)
    expect(scopeBinds(scoped)).toEqual(["ORGA"])
    expect(scopeBinds(snowflakeTable("Project"))).toEqual([])
    expect(keyPage(scoped, 10, 20)).toBe(`SELECT "SOURCE_SYSTEM", "SOURCE_ID" FROM "PROJECT" WHERE "_PROJECT" = ? ORDER BY "SOURCE_SYSTEM", "SOURCE_ID" LIMIT 10 OFFSET 20`)
    const rows = targetRows(scoped, [["zephyr", "1"], ["zephyr", "2"]])
    expect(rows.sql).toMatch(/ WHERE "_PROJECT" = \? AND \(\("SOURCE_SYSTEM" = \? AND "SOURCE_ID" IN \(\?, \?\)\)\)$/)
    expect(rows.binds).toEqual(["ORGA", "zephyr", "1", "2"])
    const gone = deleteRows(scoped, [["zephyr", "1"]])
    expect(gone).toEqual({ sql: `DELETE FROM "PROJECT" WHERE "_PROJECT" = ? AND (("SOURCE_SYSTEM" = ? AND "SOURCE_ID" = ?))`, binds: ["ORGA", "zephyr", "1"] })
  })

  it("a row upserted alone takes the project as its last bind", () => {
    const loads = snowflakeTableOf("_MIGRATE_LOADS", [{ name: "table_name", type: "string", nullable: true, format: undefined, isArrayOrObject: false, seed: false, description: "" }], ["table_name"], { project: "ORGA" })
    expect(upsertOne(loads)).toContain(`    ? AS "TABLE_NAME",\n    ? AS "_PROJECT"\n) AS s\nON t."_PROJECT" = s."_PROJECT" AND t."TABLE_NAME" = s."TABLE_NAME"`)
  })

  it("an empty table made without _PROJECT gets it NOT NULL, with the key declared again; one that has it, nothing", () => {
    const without = [...scoped.columns.map((c) => c.name), "_LOADED_AT"]
    expect(addColumns(scoped, without)).toEqual([
      `ALTER TABLE "PROJECT" DROP PRIMARY KEY`,
      `ALTER TABLE "PROJECT" ADD COLUMN IF NOT EXISTS "_PROJECT" VARCHAR NOT NULL`,
      `ALTER TABLE "PROJECT" ADD PRIMARY KEY ("_PROJECT", "SOURCE_SYSTEM", "SOURCE_ID")`
    ])
    expect(addColumns(scoped, [...without, "_PROJECT"])).toEqual([])
    expect(addColumns("Project", without)).toEqual([])
  })

  it("a canonical field cannot take the dialect's _PROJECT column", () => {
    const field = { name: "_project", type: "string" as const, nullable: true, format: undefined, isArrayOrObject: false, seed: false, description: "" }
    expect(() => snowflakeTableOf("X", [field], ["_project"])).toThrow(/dialect column "_PROJECT"/)
  })
})
