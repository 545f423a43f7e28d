/**
 * The Snowflake → DuckDB rewrites of the sandbox (translateToDuckDb): types, functions, binds and the clauses
 * DuckDB spells differently — and never anything inside a string literal, a quoted identifier or a comment.
 * The last block runs the translated text on DuckDB itself, outside the HTTP server.
 */
import { describe, expect, it } from "@effect/vitest"
import { DuckDBInstance } from "@duckdb/node-api"
import { translateToDuckDb } from "../../../../plugins/snowflake/sandbox/index.ts"
import { MACROS } from "../../../../plugins/snowflake/sandbox/Macros.ts"

describe("translateToDuckDb", () => {
  it("rewrites Snowflake column types", () => {
    expect(translateToDuckDb(`CREATE TABLE IF NOT EXISTS "T" ("A" NUMBER(38,0), "B" NUMBER, "C" FLOAT, "D" TIMESTAMP_NTZ, "E" TIMESTAMP_NTZ(9), "F" VARIANT, "G" OBJECT, "H" ARRAY, "I" TIMESTAMP_TZ, "J" TIMESTAMP_LTZ(3), "K" INTEGER, "L" STRING, "M" BOOLEAN, "N" DATE, "O" VARCHAR(100))`)).toBe(
      `CREATE TABLE IF NOT EXISTS "T" ("A" DECIMAL(38,0), "B" DECIMAL(38,0), "C" DOUBLE, "D" TIMESTAMP, "E" TIMESTAMP, "F" JSON, "G" JSON, "H" JSON, "I" TIMESTAMPTZ, "J" TIMESTAMPTZ, "K" DECIMAL(38,0), "L" VARCHAR, "M" BOOLEAN, "N" DATE, "O" VARCHAR(100))`
    )
    expect(translateToDuckDb(`ALTER TABLE "T" ADD COLUMN IF NOT EXISTS "X" VARIANT`)).toBe(`ALTER TABLE "T" ADD COLUMN IF NOT EXISTS "X" JSON`)
    expect(translateToDuckDb(`SELECT CAST(x AS NUMBER(10,2)), y::TIMESTAMP_NTZ, z::VARIANT FROM t`)).toBe(`SELECT CAST(x AS DECIMAL(10,2)), y::TIMESTAMP, z::JSON FROM t`)
  })

  it("rewrites functions and :N binds", () => {
    expect(translateToDuckDb(`SELECT PARSE_JSON(:1), TRY_TO_TIMESTAMP_NTZ(:2), IFF(:3 > 0, 'a', 'b'), to_timestamp_ntz(?), CURRENT_TIMESTAMP()`)).toBe(
      `SELECT sf_parse_json($1), sf_try_to_timestamp_ntz($2), IF($3 > 0, 'a', 'b'), sf_to_timestamp_ntz(?), CURRENT_TIMESTAMP`
    )
    expect(translateToDuckDb(`SELECT a::VARCHAR FROM t`)).toBe(`SELECT a::VARCHAR FROM t`)
  })

  it("answers the session's context functions, and keeps INFORMATION_SCHEMA to one database", () => {
    const session = { database: "QA", schema: "PUBLIC", role: "LOADER", warehouse: undefined }
    expect(translateToDuckDb(`SELECT CURRENT_DATABASE(), CURRENT_SCHEMA(), CURRENT_ROLE(), CURRENT_WAREHOUSE()`, session)).toBe(`SELECT 'QA', 'PUBLIC', 'LOADER', CAST(NULL AS VARCHAR)`)
    expect(translateToDuckDb(`SELECT COLUMN_NAME FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_NAME = ?`, session)).toBe(
      `SELECT COLUMN_NAME FROM (SELECT * FROM information_schema.columns WHERE table_catalog = 'QA') AS "COLUMNS" WHERE TABLE_NAME = ?`
    )
    expect(translateToDuckDb(`SELECT c.COLUMN_NAME FROM "OTHER".INFORMATION_SCHEMA.COLUMNS c`, session)).toBe(`SELECT c.COLUMN_NAME FROM (SELECT * FROM information_schema.columns WHERE table_catalog = 'OTHER') c`)
    // without a session (the sandbox's own queries) nothing changes
    expect(translateToDuckDb(`SELECT CURRENT_DATABASE() FROM INFORMATION_SCHEMA.COLUMNS`)).toBe(`SELECT CURRENT_DATABASE() FROM INFORMATION_SCHEMA.COLUMNS`)
  })

  it("leaves string literals untouched", () => {
    const sql = `SELECT 'NUMBER(38,0) VARIANT :1 ? PARSE_JSON(x) TIMESTAMP_NTZ', 'it''s' FROM t WHERE a = 'IFF(1,2,3)'`
    expect(translateToDuckDb(sql)).toBe(sql)
  })

  it("re-encodes backslash-escaped and $$ literals with the same value", () => {
    expect(translateToDuckDb(`SELECT 'it\\'s', 'a\\\\b', 'x\\ny', $$it's$$`)).toBe(`SELECT 'it''s', 'a\\b', 'x\ny', 'it''s'`)
  })

  it("leaves quoted identifiers and comments untouched", () => {
    const sql = `CREATE TABLE "VARIANT" ("NUMBER" VARCHAR, "TIMESTAMP_NTZ" VARCHAR, "PARSE_JSON" VARCHAR, "a""b" VARCHAR) -- NUMBER VARIANT :1\n/* IFF(:2) */`
    expect(translateToDuckDb(sql)).toBe(sql)
  })

  it("does not take a column or a qualified name for a type", () => {
    expect(translateToDuckDb(`SELECT number, s.variant, variant.x FROM s`)).toBe(`SELECT number, s.variant, variant.x FROM s`)
    expect(translateToDuckDb(`INSERT INTO t (ID, TEXT) VALUES (?, ?)`)).toBe(`INSERT INTO t (ID, TEXT) VALUES (?, ?)`)
  })

  it("drops TRANSIENT and the target qualifier in UPDATE SET, keeps QUALIFY and MERGE", () => {
    expect(translateToDuckDb(`CREATE OR REPLACE TRANSIENT TABLE x (a VARCHAR)`)).toBe(`CREATE OR REPLACE  TABLE x (a VARCHAR)`)
    const merge = `MERGE INTO "T" AS T USING (SELECT * FROM "S" QUALIFY ROW_NUMBER() OVER (PARTITION BY "K" ORDER BY "SEQ" DESC) = 1) AS S ON T."K" = S."K" WHEN MATCHED THEN UPDATE SET T."V" = S."V", T."W" = S."W" WHEN NOT MATCHED THEN INSERT ("K", "V") VALUES (S."K", S."V")`
    expect(translateToDuckDb(merge)).toBe(merge.replace(`SET T."V" = S."V", T."W" = S."W"`, `SET "V" = S."V", "W" = S."W"`))
    expect(translateToDuckDb(`UPDATE "T" SET "T"."A" = 1 WHERE "T"."B" = 2`)).toBe(`UPDATE "T" SET "A" = 1 WHERE "T"."B" = 2`)
  })

  it("the translated SQL runs on DuckDB with the sandbox's macros", async () => {
    const instance = await DuckDBInstance.create(":memory:")
    const c = await instance.connect()
    try {
      for (const m of MACROS) await c.run(m)
      await c.run(translateToDuckDb(`CREATE TABLE "T" ("K" VARCHAR, "N" NUMBER(38,0), "F" FLOAT, "V" VARIANT, "TS" TIMESTAMP_NTZ, "D" DATE)`))
      await c.run(translateToDuckDb(`CREATE OR REPLACE TEMPORARY TABLE "S" ("SEQ" VARCHAR, "K" VARCHAR, "N" VARCHAR, "V" VARCHAR, "TS" VARCHAR)`))
      await c.run(translateToDuckDb(`INSERT INTO "S" VALUES ('1', 'a', '1', '{"x":1}', '2024-01-01T00:00:00Z'), ('2', 'a', '2', '', 'bad'), ('1', 'b', '3', NULL, NULL)`))
      const merge = `MERGE INTO "T" AS T USING (SELECT "K", TRY_CAST("N" AS NUMBER(38,0)) AS "N", PARSE_JSON("V") AS "V", TRY_TO_TIMESTAMP_NTZ("TS") AS "TS" FROM "S" QUALIFY ROW_NUMBER() OVER (PARTITION BY "K" ORDER BY "SEQ" DESC) = 1) AS S ON T."K" = S."K" WHEN MATCHED THEN UPDATE SET T."N" = S."N", T."V" = S."V", T."TS" = S."TS" WHEN NOT MATCHED THEN INSERT ("K", "N", "V", "TS") VALUES (S."K", S."N", S."V", S."TS")`
      await c.run(translateToDuckDb(merge))
      await c.run(translateToDuckDb(merge))
      const rows = (await c.runAndReadAll(`SELECT "K", CAST("N" AS VARCHAR) AS n, "V", "TS" IS NULL AS ts_null FROM "T" ORDER BY 1`)).getRowObjectsJS()
      expect(rows).toEqual([
        { K: "a", n: "2", V: null, ts_null: true },
        { K: "b", n: "3", V: null, ts_null: true }
      ])
    } finally {
      c.closeSync()
      instance.closeSync()
    }
  })
})
