/**
 * Rows per second of an array-bound staging INSERT through the real driver into the Snowflake-protocol sandbox
 * on DuckDB (10,000 rows × 10 VARCHAR columns, one request). Prints the figure; asserts correctness and only a
 * generous floor, since the machine is shared.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { startSnowflakeSandbox } from "../../../../plugins/snowflake/sandbox/index.ts"
import { connect, exec } from "./helpers.ts"

describe("SnowflakeSandbox throughput", () => {
  it.scopedLive("an array-bound INSERT of 10,000 rows × 10 columns in one request", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox()
      const conn = yield* connect(sb)
      const cols = Array.from({ length: 10 }, (_, i) => `"C${i}"`)
      yield* exec(conn, `CREATE TEMPORARY TABLE "STG" (${cols.map((c) => `${c} VARCHAR`).join(", ")})`)
      const rows = Array.from({ length: 10_000 }, (_, r) => cols.map((_, c) => `row ${r} col ${c} "quoted", \\ ü`))
      const started = performance.now()
      const result = yield* exec(conn, `INSERT INTO "STG" VALUES (${cols.map(() => "?").join(", ")})`, rows)
      const seconds = (performance.now() - started) / 1000
      expect(result).toEqual([{ "number of rows inserted": 10_000 }])
      const rate = Math.round(10_000 / seconds)
      console.log(`snowflake sandbox: 10,000 rows x 10 columns array-bound INSERT in ${seconds.toFixed(2)} s = ${rate} rows/s`)
      expect(yield* exec(conn, `SELECT COUNT(*) AS N, MAX("C9") AS M FROM "STG"`)).toEqual([{ N: 10_000, M: `row 9999 col 9 "quoted", \\ ü` }])
      expect(rate).toBeGreaterThan(200)
    })
  )
})
