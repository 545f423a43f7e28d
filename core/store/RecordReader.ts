/**
 * How a sink reads the canonical store: one entity as a stream (paged by rowid, so a 100,000-execution project
 * is never in memory), the children of one parent through the indexed owner columns, one record by source id.
 * Records come back decoded, exactly as the canonical types describe them.
 *
 * A reader may be bounded by a `Horizon` (StoreHorizon.ts): then it sees each table only up to the rowid it had at
 * the extract's last checkpoint, so a sink loading while the extract runs never sees a parent without all of its
 * children, and a paged read is not shifted by rows the extract commits meanwhile.
 */
import { Chunk, Effect, Option, Stream } from "effect"
import type { EntityName, EntityTypes } from "../canonical/Canonical.ts"
import { columns, naturalKey, tableName } from "../canonical/schemas.ts"
import { fromSqliteRow } from "../canonical/sqlite.ts"
import type { StoreFailures } from "./classifyStoreError.ts"
import type { CommittedReads } from "./CommittedReads.ts"
import type { StoreView } from "../plugin/Plugin.ts"
import type { Horizon } from "./StoreHorizon.ts"

const PAGE = 500
/** keyHashes rows are a few short columns: larger pages, fewer queries. */
const KEY_PAGE = 5000

/** The plugin contract's `StoreView`: sinks read the store through exactly this. */
export type RecordReader = StoreView

export const makeRecordReader = (sql: CommittedReads, failed: StoreFailures, horizon?: Horizon, after?: Horizon): RecordReader => {
  const readError = failed.read
  /**
   * The rowid bounds of a table (up to the horizon, past `after`): a clause to AND in ("1" when unbounded) and its
   * parameters. Bound, not written into the text: a following sink reads at a new horizon every pass, and a
   * statement per horizon was prepared anew each time (the statement cache churned, and every discarded statement
   * held SQLite's memory until a collection freed its wrapper).
   */
  const clause = [...(horizon === undefined ? [] : ["rowid <= ?"]), ...(after === undefined ? [] : ["rowid > ?"])].join(" AND ") || "1"
  const bounds = (entity: EntityName): ReadonlyArray<number> => [...(horizon === undefined ? [] : [horizon[entity] ?? 0]), ...(after === undefined ? [] : [after[entity] ?? 0])]
  const known = (entity: EntityName, column: string) => {
    if (!columns(entity).some((c) => c.name === column)) throw new Error(`${entity} has no column ${column}`)
    return `"${column}"`
  }
  // Paged by offset: a custom order has no cheap keyset. An order a sink uses on a large table has a composite index
  // (the schema's `x-indexes`), so a page walks the index instead of sorting the table.
  const ordered = <E extends EntityName>(entity: E, orderBy: ReadonlyArray<string>) => {
    const order = [...orderBy.map((c) => known(entity, c)), "rowid"].join(", ")
    return Stream.paginateChunkEffect(0, (offset: number) =>
      sql.all<Record<string, unknown>>(`SELECT * FROM "${tableName(entity)}" WHERE ${clause} ORDER BY ${order} LIMIT ${PAGE} OFFSET ?`, [...bounds(entity), offset]).pipe(
        Effect.map((rows) => [Chunk.unsafeFromArray(rows.map((r) => fromSqliteRow(entity, r))), rows.length < PAGE ? Option.none<number>() : Option.some(offset + PAGE)] as const),
        Effect.mapError(readError)
      )
    )
  }

  return {
    records: <E extends EntityName>(entity: E, options?: { readonly orderBy?: ReadonlyArray<keyof EntityTypes[E] & string> }) =>
      options?.orderBy !== undefined && options.orderBy.length > 0
        ? ordered(entity, options.orderBy)
        : Stream.paginateChunkEffect(0, (from: number) =>
        sql.all<Record<string, unknown>>(`SELECT rowid AS __rowid, * FROM "${tableName(entity)}" WHERE rowid > ? AND ${clause} ORDER BY rowid LIMIT ${PAGE}`, [from, ...bounds(entity)]).pipe(
          Effect.map((rows) => {
            const last = rows[rows.length - 1]
            return [
              Chunk.unsafeFromArray(rows.map((r) => fromSqliteRow(entity, r))),
              rows.length < PAGE || last === undefined ? Option.none<number>() : Option.some(Number(last["__rowid"]))
            ] as const
          }),
          Effect.mapError(readError)
        )
      ),
    where: (entity, match) =>
      Effect.suspend(() => {
        const entries = Object.entries(match).filter(([, v]) => v !== undefined)
        const where = [...entries.map(([c]) => `${known(entity, c)} = ?`), clause].join(" AND ")
        return sql.all<Record<string, unknown>>(`SELECT * FROM "${tableName(entity)}" WHERE ${where} ORDER BY rowid`, [...entries.map(([, v]) => v as string | number), ...bounds(entity)])
      }).pipe(
        Effect.map((rows) => rows.map((r) => fromSqliteRow(entity, r))),
        Effect.mapError(readError)
      ),
    bySourceId: (entity, sourceId) =>
      sql.all<Record<string, unknown>>(`SELECT * FROM "${tableName(entity)}" WHERE "source_id" = ? AND ${clause} LIMIT 1`, [sourceId, ...bounds(entity)]).pipe(
        Effect.map(([row]) => (row === undefined ? Option.none() : Option.some(fromSqliteRow(entity, row)))),
        Effect.mapError(readError)
      ),
    keyHashes: (entity) => {
      const key = naturalKey(entity)
      const select = [...key.map((c) => `"${c}"`), `"content_hash"`].join(", ")
      return Stream.paginateChunkEffect(0, (from: number) =>
        sql.all<Record<string, unknown>>(`SELECT rowid AS __rowid, ${select} FROM "${tableName(entity)}" WHERE rowid > ? AND ${clause} ORDER BY rowid LIMIT ${KEY_PAGE}`, [from, ...bounds(entity)]).pipe(
          Effect.map((rows) => {
            const last = rows[rows.length - 1]
            return [
              Chunk.unsafeFromArray(rows.map((r) => ({ key: key.map((c) => r[c] as string | number), hash: String(r["content_hash"]) }))),
              rows.length < KEY_PAGE || last === undefined ? Option.none<number>() : Option.some(Number(last["__rowid"]))
            ] as const
          }),
          Effect.mapError(readError)
        )
      )
    },
    count: (entity) =>
      sql.all<{ n: number }>(`SELECT COUNT(*) AS n FROM "${tableName(entity)}" WHERE ${clause}`, bounds(entity)).pipe(
        Effect.map((r) => Number(r[0]?.n ?? 0)),
        Effect.mapError(readError)
      )
  }
}
