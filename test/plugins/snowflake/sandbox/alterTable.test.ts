/**
 * The `ALTER TABLE` forms of Snowflake the sandbox runs on DuckDB although DuckDB lacks them (SqlTranslator.ts
 * `alterTable`): what a shared schema's take-over of an empty table sends.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { translateToDuckDb } from "../../../../plugins/snowflake/sandbox/index.ts"
import { duckdbBackend } from "../sink/backends.ts"

describe("sandbox ALTER TABLE", () => {
  it.effect("DROP PRIMARY KEY rebuilds the table; ADD COLUMN … NOT NULL adds, then sets NOT NULL", () =>
    Effect.sync(() => {
      expect(translateToDuckDb(`ALTER TABLE "DB"."S"."T" DROP PRIMARY KEY`)).toBe(`CREATE OR REPLACE TABLE "DB"."S"."T" AS SELECT * FROM "DB"."S"."T"`)
      expect(translateToDuckDb(`ALTER TABLE "T" ADD COLUMN IF NOT EXISTS "_PROJECT" VARCHAR NOT NULL`)).toBe(
        `ALTER TABLE "T" ADD COLUMN IF NOT EXISTS "_PROJECT" VARCHAR; ALTER TABLE "T" ALTER COLUMN "_PROJECT" SET NOT NULL`
      )
      expect(translateToDuckDb(`ALTER TABLE "T" ADD COLUMN "N" NUMBER(38,0)`)).toBe(`ALTER TABLE "T" ADD COLUMN "N" DECIMAL(38,0)`)
    })
  )

  it.scopedLive("on an empty table: the old key dropped, the new column NOT NULL, the new key enforced; on rows, NOT NULL is refused", () =>
    Effect.gen(function* () {
      const { client, query } = yield* duckdbBackend.make
      yield* client.execute(`CREATE TABLE "T" ("A" VARCHAR, "B" VARCHAR, PRIMARY KEY ("A"))`)
      yield* client.execute(`ALTER TABLE "T" DROP PRIMARY KEY`)
      yield* client.execute(`ALTER TABLE "T" ADD COLUMN IF NOT EXISTS "P" VARCHAR NOT NULL`)
      yield* client.execute(`ALTER TABLE "T" ADD PRIMARY KEY ("P", "A")`)
      yield* client.execute(`INSERT INTO "T" ("A", "B", "P") VALUES ('a', 'b', 'x'), ('a', 'b', 'y')`)
      expect(yield* Effect.flip(client.execute(`INSERT INTO "T" ("A", "B", "P") VALUES ('a', 'c', 'x')`))).toMatchObject({ _tag: "SnowflakeError" })
      expect(yield* Effect.flip(client.execute(`INSERT INTO "T" ("A", "B") VALUES ('z', 'c')`))).toMatchObject({ _tag: "SnowflakeError" })
      expect(yield* Effect.promise(() => query(`SELECT "P", "A" FROM "MIGR"."PUBLIC"."T" ORDER BY 1`))).toEqual([{ P: "x", A: "a" }, { P: "y", A: "a" }])
      expect(yield* Effect.flip(client.execute(`ALTER TABLE "T" ADD COLUMN "Q" VARCHAR NOT NULL`))).toMatchObject({ _tag: "SnowflakeError" })
    })
  )
})
