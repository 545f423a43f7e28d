/**
 * Drives the Snowflake sink exactly as `migrate run` does for one sink — core's `loadSink` over a real SQLite
 * state store — against a backend's client, and reads the target back without the sink's code (straight from
 * DuckDB). The client is wrapped to record every statement, so a test can tell what was sent (nothing on a
 * re-run, no DDL/DML when planning, how many batches).
 */
import { Effect, type Scope } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type EntityName, entityOrder, type SystemError } from "../../../../core/index.ts"
import { makePluginContext } from "../../../../core/testing.ts"
import { loadSink, type LoadSinkResult } from "../../../../core/pipeline/loadSink.ts"
import { silentProgress } from "../../../../core/pipeline/Progress.ts"
import { StateStore, type StateStoreShape, type StoredRecord } from "../../../../core/store/StateStore.ts"
import type { SnowflakeClientShape } from "../../../../plugins/snowflake/client/SnowflakeClient.ts"
import { type BatchLimits, snowflakeTable } from "../../../../plugins/snowflake/dialect/index.ts"
import { resolveSnowflakeConfig } from "../../../../plugins/snowflake/SnowflakeConfig.ts"
import { makeSnowflakeSink } from "../../../../plugins/snowflake/SnowflakeSink.ts"
import { type Backend, DATABASE, SCHEMA } from "./backends.ts"

export interface Sent {
  readonly sql: string
  /** Rows of an array bind (executeBatch); undefined for `execute`. */
  readonly rows: ReadonlyArray<ReadonlyArray<string | null>> | undefined
}

/** The client with every statement it was given appended to `sent` (failed ones too). */
export const recording = (client: SnowflakeClientShape, sent: Array<Sent>): SnowflakeClientShape => ({
  execute: (sql, binds) => Effect.suspend(() => (sent.push({ sql, rows: undefined }), client.execute(sql, binds))),
  executeBatch: (sql, rows) => Effect.suspend(() => (sent.push({ sql, rows }), client.executeBatch(sql, rows))),
  unit: client.unit
})

/** The statement's first keyword, upper case: SELECT, CREATE, ALTER, INSERT, MERGE, DELETE, DROP. */
export const verb = (sql: string): string => /^\s*([A-Za-z]+)/.exec(sql)?.[1]?.toUpperCase() ?? ""

export interface Harness {
  readonly store: StateStoreShape
  readonly statePath: string
  readonly client: SnowflakeClientShape
  /** Every statement the sink sent since the harness opened (clear it with `sent.length = 0`). */
  readonly sent: Array<Sent>
  readonly query: (sql: string) => Effect.Effect<ReadonlyArray<Record<string, unknown>>>
  /** The sink instance's `check` (what `migrate run` calls before loading). */
  readonly check: Effect.Effect<void, SystemError>
  /** One `migrate run` load of the sink (planning: `migrate plan`). */
  readonly load: (o?: { readonly planning?: boolean; readonly full?: boolean; readonly batch?: Partial<BatchLimits> }) => Effect.Effect<LoadSinkResult>
}

let runs = 0

/** A fresh target from `backend`, an empty store (filled with `records`), and the load wired between them. */
export const openHarness = (backend: Backend, records: ReadonlyArray<StoredRecord> = []): Effect.Effect<Harness, never, Scope.Scope> =>
  Effect.gen(function* () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowflake-sink-"))
    yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
    const statePath = path.join(dir, ".migrate", "state.db")
    const store = yield* StateStore.open(statePath).pipe(Effect.orDie)
    if (records.length > 0) yield* store.writeBatch(records).pipe(Effect.orDie)
    const target = yield* backend.make
    const sent: Array<Sent> = []
    const client = recording(target.client, sent)
    const plugin = yield* makePluginContext({ system: "snowflake", stateDir: path.dirname(statePath), retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } })
    // the client is already logged in: account and credentials here only satisfy the config's checks
    const sink = (batch?: Partial<BatchLimits>) =>
      resolveSnowflakeConfig({ account: "sandbox", user: "LOADER", password: "unused", warehouse: "SANDBOX_WH", database: DATABASE, schema: SCHEMA, batch }).pipe(
        Effect.orDie,
        Effect.map((config) => makeSnowflakeSink(client, config, plugin))
      )
    const load = (o: { readonly planning?: boolean; readonly full?: boolean; readonly batch?: Partial<BatchLimits> } = {}) =>
      Effect.gen(function* () {
        const instance = yield* sink(o.batch)
        return yield* loadSink({
          sink: "snowflake",
          instance,
          store,
          runId: `run-${++runs}`,
          planning: o.planning ?? false,
          full: o.full ?? false,
          retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
          progress: silentProgress
        }).pipe(Effect.orDie)
      })
    const check = Effect.flatMap(sink(), (instance) => instance.check)
    return { store, statePath, client, sent, query: (sql) => Effect.promise(() => target.query(sql)), check, load }
  })

/** The table's full name as the tests read it, e.g. `"MIGR"."PUBLIC"."TESTCASE"`. */
export const qualified = (table: string): string => `"${DATABASE}"."${SCHEMA}"."${table}"`

/** The target tables that exist, upper case, sorted. */
export const tablesOf = (h: Harness) =>
  Effect.map(
    h.query(`SELECT table_name AS "T" FROM information_schema.tables WHERE table_catalog = '${DATABASE}' AND table_schema = '${SCHEMA}' ORDER BY 1`),
    (rows) => rows.map((r) => String(r["T"]))
  )

/** The table's columns in order, with DuckDB's type names. */
export const columnsOf = (h: Harness, table: string) =>
  Effect.map(
    h.query(
      `SELECT column_name AS "C", data_type AS "TY" FROM information_schema.columns WHERE table_catalog = '${DATABASE}' AND table_schema = '${SCHEMA}' AND table_name = '${table}' ORDER BY ordinal_position`
    ),
    (rows) => rows.map((r) => ({ name: String(r["C"]), type: String(r["TY"]) }))
  )

/** Every row (all columns) of an entity's table, ordered by natural key. */
export const rowsOf = (h: Harness, entity: EntityName) => {
  const table = snowflakeTable(entity)
  return h.query(`SELECT * FROM ${qualified(table.name)} ORDER BY ${table.naturalKey.map((k) => `"${k}"`).join(", ")}`)
}

/** Every table's rows, by entity: what "identical tables" compares. */
export const snapshot = (h: Harness) =>
  Effect.map(
    Effect.forEach(entityOrder, (entity) => Effect.map(rowsOf(h, entity), (rows) => [entity, rows] as const)),
    (pairs) => Object.fromEntries(pairs) as Record<EntityName, ReadonlyArray<Record<string, unknown>>>
  )
