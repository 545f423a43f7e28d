/**
 * The two targets the sink's behavioural suite runs against, behind one interface, so a difference between
 * "what DuckDB does with the sink's SQL" and "what the real driver + the sandbox's wire protocol do with it"
 * shows up as the same test passing on one and failing on the other:
 * - `duckdbBackend`: the sandbox's DuckDB engine driven directly (no HTTP, no driver). Binds are put in the
 *   Snowflake wire format and results read back the way snowflake-sdk converts them, so the sink sees the same
 *   values it would get from the driver.
 * - `driverBackend`: the real `makeSnowflakeClient` (snowflake-sdk 3.3.0, password login) against the
 *   Snowflake-protocol sandbox over loopback.
 * Both answer `query`, a direct read of DuckDB, which the tests use to look at the target without the sink's code.
 */
import { Effect, type Scope } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { makePluginContext } from "../../../../core/testing.ts"
import { makeSnowflakeClient, type Row, type SnowflakeClientShape } from "../../../../plugins/snowflake/client/SnowflakeClient.ts"
import { fromDriver, type SnowflakeError } from "../../../../plugins/snowflake/client/SnowflakeError.ts"
import type { BindValue } from "../../../../plugins/snowflake/dialect/index.ts"
import { makeEngine, SnowflakeStatementError } from "../../../../plugins/snowflake/sandbox/Engine.ts"
import { DEFAULT_WAREHOUSE, startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../../../plugins/snowflake/sandbox/index.ts"
import type { ResultSet } from "../../../../plugins/snowflake/sandbox/ResultSet.ts"
import { resolveSnowflakeConfig } from "../../../../plugins/snowflake/SnowflakeConfig.ts"

export const DATABASE = "MIGR"
export const SCHEMA = "PUBLIC"

export interface Target {
  readonly client: SnowflakeClientShape
  /** Reads DuckDB directly (Snowflake-flavoured SQL, translated like a query's), outside any session. */
  readonly query: (sql: string) => Promise<ReadonlyArray<Record<string, unknown>>>
}

export interface Backend {
  readonly name: string
  /** A fresh, empty target for one test; it goes away with the scope. */
  readonly make: Effect.Effect<Target, never, Scope.Scope>
}

// ---------------------------------------------------------------------------------------------------------------
// DuckDB directly

/** `"1": {type: "TEXT", value}` per position; array binds are column-major, one array per position. */
const singleBindings = (binds: ReadonlyArray<BindValue>) =>
  Object.fromEntries(binds.map((value, i) => [String(i + 1), { type: "TEXT", value }]))

const arrayBindings = (rows: ReadonlyArray<ReadonlyArray<BindValue>>) =>
  Object.fromEntries((rows[0] ?? []).map((_, c) => [String(c + 1), { type: "TEXT", value: rows.map((r) => r[c] ?? null) }]))

/** `<seconds>.<9 digits>` (ResultSet.ts) as a Date, to the millisecond like the driver's. */
const epochDate = (text: string): Date => {
  const value = text.split(" ")[0] ?? "0"
  const negative = value.startsWith("-")
  const [seconds = "0", fraction = ""] = (negative ? value.slice(1) : value).split(".")
  const ms = Number(seconds) * 1000 + Number(fraction.padEnd(9, "0").slice(0, 3))
  return new Date(negative ? -ms : ms)
}

/** One raw rowset value converted as snowflake-sdk converts JSON results, by the column's Snowflake type. */
const convert = (type: string, raw: string | null): unknown => {
  if (raw === null) return null
  switch (type) {
    case "fixed":
    case "real":
      return Number(raw)
    case "boolean":
      return raw === "1" || raw.toLowerCase() === "true"
    case "variant":
    case "object":
    case "array":
      return JSON.parse(raw)
    case "timestamp_ntz":
    case "timestamp_ltz":
    case "timestamp_tz":
      return epochDate(raw)
    case "date":
      return new Date(Number(raw) * 86_400_000)
    case "binary":
      return Buffer.from(raw, "hex")
    default:
      return raw
  }
}

export const resultRows = (result: ResultSet): ReadonlyArray<Row> =>
  result.rowset.map((values) => Object.fromEntries(result.rowtype.map((column, i) => [column.name, convert(column.type, values[i] ?? null)])))

export const duckdbBackend: Backend = {
  name: "DuckDB directly",
  make: Effect.gen(function* () {
    const engine = yield* Effect.acquireRelease(
      Effect.promise(() => makeEngine({ databaseFile: undefined, warehouses: [DEFAULT_WAREHOUSE] })),
      (e) => Effect.promise(() => e.close())
    )
    const session = yield* Effect.promise(() =>
      engine.openSession({ id: 1, token: "token", masterToken: "master", database: DATABASE, schema: SCHEMA, warehouse: DEFAULT_WAREHOUSE, role: "PUBLIC" })
    )
    const run = (sql: string, bindings: unknown): Effect.Effect<ReadonlyArray<Row>, SnowflakeError> =>
      Effect.tryPromise({
        try: () => engine.execute(session, sql, bindings),
        // the sandbox's Snowflake error is what the server would put on the wire: classify it like the driver's
        catch: (e) => (e instanceof SnowflakeStatementError ? fromDriver(e.error, sql) : fromDriver(e, sql))
      }).pipe(Effect.map((executed) => resultRows(executed.result)))
    const client: SnowflakeClientShape = {
      execute: (sql, binds) => run(sql, binds === undefined || binds.length === 0 ? undefined : singleBindings(binds)),
      executeBatch: (sql, rows) => run(sql, arrayBindings(rows)),
      // one engine, no session to lose: nothing to retry
      unit: (statements) => statements
    }
    return { client, query: (sql) => engine.query(sql) }
  })
}

// ---------------------------------------------------------------------------------------------------------------
// snowflake-sdk + sandbox

export interface LoginOverrides {
  readonly password?: string
  readonly warehouse?: string
}

/** The live client, logged in to a running sandbox with password auth (optionally wrong on purpose). */
export const sandboxClient = (sb: RunningSnowflakeSandbox, overrides: LoginOverrides = {}): Effect.Effect<SnowflakeClientShape, SnowflakeError, Scope.Scope> =>
  Effect.gen(function* () {
    const config = yield* resolveSnowflakeConfig({
      account: sb.account,
      user: sb.user,
      password: overrides.password ?? sb.password,
      warehouse: overrides.warehouse ?? DEFAULT_WAREHOUSE,
      database: DATABASE,
      schema: SCHEMA,
      accessUrl: sb.accessUrl
    }).pipe(Effect.orDie)
    const ctx = yield* makePluginContext({
      system: "snowflake",
      stateDir: fs.mkdtempSync(path.join(os.tmpdir(), "snowflake-sink-ctx-")),
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }
    })
    return yield* makeSnowflakeClient(config, ctx)
  })

export const driverBackend: Backend = {
  name: "snowflake-sdk + sandbox",
  make: Effect.gen(function* () {
    const sb = yield* startSnowflakeSandbox().pipe(Effect.orDie)
    const client = yield* sandboxClient(sb).pipe(Effect.orDie)
    return { client, query: (sql) => sb.query(sql) }
  })
}
