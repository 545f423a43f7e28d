/**
 * `_MIGRATE_LOADS`, the sink's own table beside the canonical ones: one row per table, written when its load
 * completed with nothing refused — the store's fingerprint then (see `storeFingerprint`) and the row count. A later
 * run whose store has the same fingerprint, and whose table still holds that many rows, skips the table without
 * comparing a single key: a scheduled re-run with nothing changed reads the store's hashes, not the warehouse.
 * A row deleted in Snowflake changes the count, so the table is compared again and the row restored; a row edited
 * by hand is `verify`'s to find, as it is when tables are compared.
 * In a shared schema (`sharedSchema`) each project has its own rows, keyed by `_PROJECT` and the table name, and a
 * load reads and writes only its project's.
 */
import { createHash } from "node:crypto"
import { Effect, Stream } from "effect"
import type { Column, EntityName, StoreError, StoreView } from "../../../core/index.ts"
import type { SnowflakeClientShape } from "../client/SnowflakeClient.ts"
import type { SnowflakeError } from "../client/SnowflakeError.ts"
import { addColumns, createTable, listColumns, PROJECT_COLUMN, scopeBinds, type SnowflakeTable, snowflakeTableOf, targetName, upsertOne } from "../dialect/index.ts"
import { checkProjectColumn } from "./checkProjectColumn.ts"
import type { SharedSchemaError } from "./SharedSchemaError.ts"

const column = (name: string, type: Column["type"]): Column => ({ name, type, nullable: true, format: undefined, isArrayOrObject: false, seed: false, description: "" })

const LOADS_COLUMNS = [column("table_name", "string"), column("store_fingerprint", "string"), column("row_count", "integer")]

export const LOADS_TABLE: SnowflakeTable = snowflakeTableOf("_MIGRATE_LOADS", LOADS_COLUMNS, ["table_name"])

/** The loads table as one project of a shared schema sees it; `LOADS_TABLE` when the schema holds one project. */
export const loadsTable = (project: string | undefined): SnowflakeTable =>
  project === undefined ? LOADS_TABLE : snowflakeTableOf("_MIGRATE_LOADS", LOADS_COLUMNS, ["table_name"], { project })

export interface LoadRecord {
  readonly fingerprint: string
  readonly rowCount: number
}

/**
 * The recorded loads (of `project`'s rows in a shared schema), by table name; none when the table does not exist
 * (created here unless planning, which announces the CREATE through `willSend`). A shared schema's loads table made
 * without `_PROJECT` is taken over when empty and refused otherwise, like the canonical tables.
 */
export const readLoads = (
  client: SnowflakeClientShape,
  planning: boolean,
  willSend: (requests: number) => Effect.Effect<void>,
  project?: string
): Effect.Effect<ReadonlyMap<string, LoadRecord>, SnowflakeError | SharedSchemaError> =>
  Effect.gen(function* () {
    const table = loadsTable(project)
    const list = listColumns(table)
    const existing = (yield* client.execute(list.sql, list.binds)).map((r) => String(r["COLUMN_NAME"] ?? Object.values(r)[0]))
    if (existing.length === 0) {
      if (planning) yield* willSend(1)
      else yield* client.execute(createTable(table))
      return new Map()
    }
    if (yield* checkProjectColumn(client, table, existing)) {
      // empty and without _PROJECT: nothing recorded for this project yet
      const alter = addColumns(table, existing)
      if (planning) yield* willSend(alter.length)
      else for (const sql of alter) yield* client.execute(sql)
      return new Map()
    }
    const where = table.project === undefined ? "" : ` WHERE "${PROJECT_COLUMN}" = ?`
    const rows = yield* client.execute(`SELECT "TABLE_NAME", "STORE_FINGERPRINT", "ROW_COUNT" FROM ${targetName(table)}${where}`, scopeBinds(table))
    return new Map(rows.map((r) => [String(r["TABLE_NAME"]), { fingerprint: String(r["STORE_FINGERPRINT"]), rowCount: Number(r["ROW_COUNT"]) }]))
  })

/** Records `table`'s complete load, in its project's row when the schema is shared (`table.project`). */
export const recordLoad = (client: SnowflakeClientShape, table: SnowflakeTable, fingerprint: StoreFingerprint) =>
  client.execute(upsertOne(loadsTable(table.project)), [table.name, fingerprint.value, String(fingerprint.count), ...scopeBinds(table)])

export interface StoreFingerprint {
  readonly count: number
  readonly value: string
}

const MASK = (1n << 64n) - 1n

/**
 * The store's side of a table, in one value: the table's columns (a grown schema or the attachment-bytes option
 * changes what a row holds), the record count, and the sum of a 64-bit hash of every record's natural key and
 * content hash — independent of order, so a re-inserted record does not change it. Reads keys and hashes only.
 */
export const storeFingerprint = (store: StoreView, entity: EntityName, table: SnowflakeTable): Effect.Effect<StoreFingerprint, StoreError> =>
  Effect.suspend(() => {
    let count = 0
    let sum = 0n
    // chunk by chunk with a loop: Stream.runFold recurses per element of a chunk, and pages hold thousands
    return Stream.runForEachChunk(store.keyHashes(entity), (chunk) =>
      Effect.sync(() => {
        for (const { key, hash } of chunk) {
          const digest = createHash("sha256").update(`${key.join("\u0001")}\u0000${hash}`).digest()
          count++
          sum = (sum + digest.readBigUInt64BE(0)) & MASK
        }
      })
    ).pipe(
      Effect.map(() => ({
        count,
        value: createHash("sha256")
          .update(`${table.columns.map((c) => `${c.name} ${c.type}`).join(",")}|${count}|${sum.toString(16)}`)
          .digest("hex")
          .slice(0, 32)
      }))
    )
  })
