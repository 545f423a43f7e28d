/**
 * The Snowflake sink held to the sink conformance kit (sinkConformance.ts): the live sink (snowflake-sdk) against
 * the Snowflake-protocol sandbox, read back straight from its DuckDB: every canonical table's rows keyed by the
 * table's natural key, without `_LOADED_AT` (the time of the MERGE).
 */
import { Effect } from "effect"
import { entityOrder } from "../../core/index.ts"
import { snowflakeTable } from "../../plugins/snowflake/dialect/index.ts"
import { DEFAULT_WAREHOUSE, startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../plugins/snowflake/sandbox/index.ts"
import { storeRows } from "../plugins/qtest/load/harness.ts"
import { editStore, sinkConformance, type SinkTarget, type Snapshot } from "./sinkConformance.ts"

const DATABASE = "MIGRATE"
const PASSWORD = "sandbox-password"

const plain = (v: unknown): unknown => (typeof v === "bigint" ? v.toString() : v instanceof Date ? v.toISOString() : v)

const snapshotOf = (sb: RunningSnowflakeSandbox): Effect.Effect<Snapshot> =>
  Effect.promise(async () => {
    const objects: Record<string, Record<string, unknown>> = {}
    const duplicates: Array<string> = []
    for (const entity of entityOrder) {
      const table = snowflakeTable(entity)
      const rows = await sb.query(`SELECT * FROM ${DATABASE}.PUBLIC."${table.name}"`).catch((e: unknown) => {
        if (/does not exist/i.test(String((e as { message?: string })?.message))) return []
        throw e
      })
      const byKey: Record<string, unknown> = {}
      for (const row of rows) {
        const key = table.naturalKey.map((k) => String(plain(row[k]))).join(" | ")
        if (key in byKey) duplicates.push(`${entity} ${key}`)
        const { _LOADED_AT: _, ...rest } = row
        byKey[key] = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, plain(v)]))
      }
      objects[entity] = byKey
    }
    return { objects, duplicates }
  })

sinkConformance("snowflake", {
  sink: "snowflake",
  start: Effect.gen(function* () {
    const sb = yield* startSnowflakeSandbox({ password: PASSWORD })
    const target: SinkTarget = {
      section: {
        type: "snowflake",
        config: { account: sb.account, user: sb.user, password: PASSWORD, warehouse: DEFAULT_WAREHOUSE, database: DATABASE, schema: "PUBLIC", accessUrl: sb.accessUrl }
      },
      snapshot: snapshotOf(sb),
      // a user deletes a row
      tamper: Effect.promise(() => sb.query(`DELETE FROM ${DATABASE}.PUBLIC."TESTCASE" WHERE "SOURCE_ID" = (SELECT MIN("SOURCE_ID") FROM ${DATABASE}.PUBLIC."TESTCASE")`))
    }
    return target
  }),
  // a table per entity, a row per record
  expectedCounts: (statePath) =>
    Effect.map(
      Effect.forEach(entityOrder, (entity) => Effect.map(storeRows(statePath, entity), (rows) => [entity, rows.length] as const)),
      (pairs) => Object.fromEntries(pairs.filter(([, n]) => n > 0))
    ).pipe(Effect.orDie),
  // the sandbox has no refusal rule: a test case whose estimate is beyond NUMBER(38,0), which Snowflake refuses
  refuseOne: (_target, statePath) =>
    Effect.map(editStore(statePath, "TestCase", () => ({ estimated_time_ms: 1e40 })), (old) => ({
      kind: "TestCase",
      reportKey: old.source_id,
      snapshotKey: snowflakeTable("TestCase").naturalKey.map((k) => String((old as unknown as Record<string, unknown>)[k.toLowerCase()])).join(" | ")
    }))
})
