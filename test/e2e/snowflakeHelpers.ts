/**
 * What the CLI-process tests of the Snowflake sink share: the store read with better-sqlite3, a Snowflake-protocol
 * sandbox started in the test process (on a DuckDB file a CLI run left, or a fresh one the CLI loads into), the
 * target tables read back through the real driver (`snowflake-sdk`), and the comparison of the two — one row per
 * canonical record, nothing twice, every column equal to the store's. The comparison is written from the canonical
 * schemas (core), not from the sink's dialect, so a wrong encoding or cast in the sink shows up as a difference.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { isDeepStrictEqual } from "node:util"
import Database from "better-sqlite3"
import { Effect, Exit, Scope } from "effect"
import type snowflake from "snowflake-sdk"
import { columns, naturalKey, type Column } from "../../core/canonical/schemas.ts"
import { entityOrder, type EntityName } from "../../core/index.ts"
import type { RunReport } from "../../core/report/RunReport.ts"
import { startSnowflakeSandbox, type RunningSnowflakeSandbox, type SnowflakeSandboxOptions } from "../../plugins/snowflake/sandbox/index.ts"
import { connectPromise, destroy, execPromise, options } from "../plugins/snowflake/sandbox/helpers.ts"
import type { CliResult } from "./cli.ts"

export type Row = Record<string, unknown>
export type Tables = Record<EntityName, ReadonlyArray<Row>>

/** The database `run --sandbox` loads into (plugins/snowflake/snowflakeSandboxCapability.ts). */
export const SANDBOX_DATABASE = "MIGRATE"

/** The Snowflake table of a canonical entity: its name upper-cased (TestCase → TESTCASE). */
export const tableOf = (entity: EntityName): string => entity.toUpperCase()

/** Every canonical table of a store, as better-sqlite3 reads it (JSON columns as text, booleans as 0/1). */
export const readStore = (dbFile: string): Tables => {
  const db = new Database(dbFile, { readonly: true })
  try {
    return Object.fromEntries(entityOrder.map((e) => [e, db.prepare(`SELECT * FROM "${e}" ORDER BY source_system, source_id`).all() as Array<Row>])) as unknown as Tables
  } finally {
    db.close()
  }
}

export const storeCounts = (store: Tables): Record<string, number> => Object.fromEntries(entityOrder.map((e) => [e, store[e].length]))

/** Starts a Snowflake sandbox for the duration of `f` (its DuckDB is closed afterwards, so a CLI may open the file). */
export const withSandbox = async <A>(o: SnowflakeSandboxOptions, f: (sb: RunningSnowflakeSandbox) => Promise<A>): Promise<A> => {
  const scope = await Effect.runPromise(Scope.make())
  try {
    const sb = await Effect.runPromise(Scope.extend(startSnowflakeSandbox(o), scope))
    return await f(sb)
  } finally {
    await Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

/** A driver connection to the sandbox for the duration of `f`. */
export const withDriver = async <A>(
  sb: RunningSnowflakeSandbox,
  extra: { readonly [K in keyof snowflake.ConnectionOptions]?: snowflake.ConnectionOptions[K] | undefined },
  f: (conn: snowflake.Connection) => Promise<A>
): Promise<A> => {
  const conn = await connectPromise(options(sb, { database: SANDBOX_DATABASE, ...extra }))
  try {
    return await f(conn)
  } finally {
    await destroy(conn).catch(() => undefined)
  }
}

export const exec = (conn: snowflake.Connection, sql: string, binds?: snowflake.Binds): Promise<Array<Row>> => execPromise(conn, sql, binds)

/**
 * Every canonical table as the driver reads it: `SELECT *`, in no particular order. A table that does not exist
 * fails the read, unless `allowMissing` (a load killed before it reached the table): then it reads as empty.
 */
export const readSnowflake = async (conn: snowflake.Connection, o: { readonly allowMissing?: boolean } = {}): Promise<Tables> => {
  const out: Partial<Record<EntityName, ReadonlyArray<Row>>> = {}
  for (const e of entityOrder)
    out[e] = await exec(conn, `SELECT * FROM "${tableOf(e)}"`).catch((err: { message?: string }) => {
      if (o.allowMissing && /does not exist/.test(String(err.message))) return []
      throw err
    })
  return out as Tables
}

/** What a DuckDB file left by a CLI run holds, read through a sandbox on it and the driver. */
export const readSnowflakeFile = (databaseFile: string, database = SANDBOX_DATABASE): Promise<Tables> =>
  withSandbox({ databaseFile }, (sb) => withDriver(sb, { database }, readSnowflake))

const keyOf = (entity: EntityName, row: Row, upper: boolean): string =>
  JSON.stringify(naturalKey(entity).map((k) => {
    const v = row[upper ? k.toUpperCase() : k]
    return v === null || v === undefined ? null : String(v)
  }))

const show = (v: unknown): string => (v instanceof Date ? `Date(${v.toISOString()})` : JSON.stringify(v) ?? String(v))

/** Whether the driver's value is the store's value of this canonical column. */
const sameValue = (column: Column, store: unknown, target: unknown): boolean => {
  if (column.isArrayOrObject) {
    // arrays, objects and any-JSON are JSON text in the store and VARIANT in Snowflake (the driver parses it)
    const parsed = store === null || store === undefined ? null : JSON.parse(String(store))
    return isDeepStrictEqual(parsed, target ?? null)
  }
  if (store === null || store === undefined) return target === null || target === undefined
  switch (column.type) {
    case "boolean":
      return target === (store === 1 || store === true)
    case "integer":
    case "number":
      return (typeof target === "number" || typeof target === "string") && Number(target) === Number(store)
    case "string":
      if (column.format === "date-time") return target instanceof Date && target.getTime() === Date.parse(String(store))
      return target === store
    default:
      return false
  }
}

export interface Comparison {
  /** Per table: rows in the store and in Snowflake. */
  readonly counts: Record<string, { readonly store: number; readonly snowflake: number }>
  /** Everything that is not one equal row per record, one line each (empty when Snowflake mirrors the store). */
  readonly problems: ReadonlyArray<string>
  /** How many column values were compared. */
  readonly values: number
}

/**
 * Snowflake against the store: per table the same number of rows, no natural key twice, exactly the canonical
 * columns plus _LOADED_AT (set), and for every store record a row whose every column equals the store's.
 */
export const compareWithStore = (store: Tables, target: Tables): Comparison => {
  const problems: Array<string> = []
  const counts: Record<string, { store: number; snowflake: number }> = {}
  let values = 0
  for (const entity of entityOrder) {
    const table = tableOf(entity)
    const rows = target[entity]
    const records = store[entity]
    counts[table] = { store: records.length, snowflake: rows.length }
    if (rows.length !== records.length) problems.push(`${table}: ${rows.length} rows, the store has ${records.length} records`)
    const cols = columns(entity)
    const expectedColumns = [...cols.map((c) => c.name.toUpperCase()), "_LOADED_AT"].sort()
    const byKey = new Map<string, Row>()
    for (const row of rows) {
      const actualColumns = Object.keys(row).sort()
      if (!isDeepStrictEqual(actualColumns, expectedColumns)) {
        problems.push(`${table}: columns ${actualColumns.join(",")}, expected ${expectedColumns.join(",")}`)
        break
      }
    }
    for (const row of rows) {
      const key = keyOf(entity, row, true)
      if (byKey.has(key)) problems.push(`${table}: natural key ${key} twice`)
      byKey.set(key, row)
      if (!(row["_LOADED_AT"] instanceof Date)) problems.push(`${table} ${key}: _LOADED_AT is ${show(row["_LOADED_AT"])}`)
    }
    const storeKeys = new Set<string>()
    for (const record of records) {
      const key = keyOf(entity, record, false)
      storeKeys.add(key)
      const row = byKey.get(key)
      if (row === undefined) {
        problems.push(`${table} ${key}: missing`)
        continue
      }
      for (const column of cols) {
        values++
        const name = column.name.toUpperCase()
        if (!sameValue(column, record[column.name], row[name])) problems.push(`${table} ${key}: ${name} is ${show(row[name])}, the store has ${show(record[column.name])}`)
      }
    }
    for (const key of byKey.keys()) if (!storeKeys.has(key)) problems.push(`${table} ${key}: not in the store`)
  }
  return { counts, problems, values }
}

/**
 * The tables as comparable values: every row without _LOADED_AT (timestamps as ISO text), sorted by natural key —
 * two loads of the same store must give equal dumps.
 */
export const dumpTables = (target: Tables): Record<string, ReadonlyArray<Row>> =>
  Object.fromEntries(
    entityOrder.map((entity) => [
      tableOf(entity),
      target[entity]
        .map((row) => {
          const { _LOADED_AT: _ignored, ...rest } = row
          return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]))
        })
        .sort((a, b) => (keyOf(entity, a, true) < keyOf(entity, b, true) ? -1 : 1))
    ])
  )

/** The report of the run whose output this is (`report: …/report.md` in its summary). */
export const reportOf = (r: CliResult): RunReport => {
  const m = /report: (\S+)report\.md/.exec(r.stdout)
  if (!m) throw new Error(`no report path in the output:\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(fs.readFileSync(`${m[1]}report.json`, "utf8")) as RunReport
}

/** What the Snowflake load of a run did, per table and in total. */
export const snowflakeLoad = (r: CliResult) => {
  const load = reportOf(r).load.find((l) => l.sink === "snowflake")
  if (load === undefined) throw new Error(`no snowflake load in the report:\n${r.stdout}`)
  return load
}

/** The `load snowflake` block of a run's summary (its table lines). */
export const snowflakeSummary = (stdout: string): string => {
  const start = stdout.indexOf("load snowflake")
  if (start < 0) return ""
  const lines = stdout.slice(start).split("\n")
  const block = [lines[0]!]
  for (const line of lines.slice(1)) {
    if (!/^\s{4}\S/.test(line)) break
    block.push(line)
  }
  return block.join("\n")
}

/** The files of a state directory, for `fs.cpSync` filters: everything but the run reports. */
export const copyState = (from: string, to: string): void =>
  fs.cpSync(path.join(from, ".migrate"), path.join(to, ".migrate"), { recursive: true, filter: (p) => !p.includes(`${path.sep}runs`) })
