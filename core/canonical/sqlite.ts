/**
 * The canonical tables in SQLite, derived from schemas/canonical so the DDL is never written by hand: table and
 * column names are the seed's, JSON values (arrays, objects, any-JSON) are stored as JSON text and booleans as 0/1.
 * toSqliteRow/fromSqliteRow are exact inverses for every valid record.
 */
import type { EntityName, EntityTypes } from "./Canonical.ts"
import { entityOrder } from "./Canonical.ts"
import { type Column, columns, compositeIndexes, naturalKey, primaryKey, tableName } from "./schemas.ts"

export type SqliteValue = string | number | null
export type SqliteRow = Record<string, SqliteValue>

/** Columns that point at another record: indexed, because the store and the sinks look records up by them. */
const REFERENCE_COLUMNS: ReadonlySet<string> = new Set([
  "project_id",
  "folder_id",
  "test_case_id",
  "test_cycle_id",
  "execution_id",
  "object_id",
  "related_id"
])

const quote = (identifier: string): string => `"${identifier.replace(/"/g, '""')}"`

/** The SQLite storage type of a column (no constraints, so it also serves `ALTER TABLE ... ADD COLUMN`). */
export const sqliteType = (column: Column): "INTEGER" | "REAL" | "TEXT" => {
  switch (column.type) {
    case "integer":
    case "boolean":
      return "INTEGER"
    case "number":
      return "REAL"
    default:
      return "TEXT"
  }
}

const columnDefinition = (entity: EntityName, column: Column): string => {
  const parts = [quote(column.name), sqliteType(column)]
  if (column.name === primaryKey(entity)) parts.push("PRIMARY KEY")
  // any-JSON columns always hold JSON text (JSON null is the text 'null'), so they are never SQL NULL either.
  if (!column.nullable || column.type === "any") parts.push("NOT NULL")
  return parts.join(" ")
}

/** CREATE TABLE / CREATE INDEX statements for every canonical entity, in dependency order; idempotent. */
export const sqliteDdl = (): ReadonlyArray<string> =>
  entityOrder.flatMap((entity) => {
    const table = tableName(entity)
    const cols = columns(entity)
    const body = [...cols.map((c) => `  ${columnDefinition(entity, c)}`), `  UNIQUE (${naturalKey(entity).map(quote).join(", ")})`]
    const indexes = cols
      .filter((c) => REFERENCE_COLUMNS.has(c.name) && c.name !== primaryKey(entity))
      .map((c) => `CREATE INDEX IF NOT EXISTS ${quote(`${table}_${c.name}_idx`)} ON ${quote(table)} (${quote(c.name)})`)
    // an ordered read pages through the index instead of sorting the whole table for every page
    const composite = compositeIndexes(entity).map((cs) => `CREATE INDEX IF NOT EXISTS ${quote(`${table}_${cs.join("_")}_idx`)} ON ${quote(table)} (${cs.map(quote).join(", ")})`)
    return [`CREATE TABLE IF NOT EXISTS ${quote(table)} (\n${body.join(",\n")}\n)`, ...indexes, ...composite]
  })

const encode = (entity: EntityName, column: Column, value: unknown): SqliteValue => {
  if (column.type === "any") return JSON.stringify(value === undefined ? null : value)
  if (value === null || value === undefined) return null
  if (column.isArrayOrObject) return JSON.stringify(value)
  if (column.type === "boolean") return value === true ? 1 : 0
  if (typeof value === "string" || typeof value === "number") return value
  throw new Error(`${entity}.${column.name}: cannot store ${typeof value} in SQLite`)
}

const decode = (column: Column, value: unknown): unknown => {
  if (column.type === "any") return typeof value === "string" ? JSON.parse(value) : value ?? null
  if (value === null || value === undefined) return null
  if (column.isArrayOrObject) return typeof value === "string" ? JSON.parse(value) : value
  if (column.type === "boolean") return Number(value) !== 0
  // Drivers may hand integers back as bigint (safeIntegers): canonical ids are < 2^53, so Number is exact.
  if (typeof value === "bigint") return Number(value)
  return value
}

/** The record as a row of its table: one value per schema column, in schema order. */
export const toSqliteRow = <E extends EntityName>(entity: E, data: EntityTypes[E]): SqliteRow => {
  const record = data as unknown as Record<string, unknown>
  const row: SqliteRow = {}
  for (const column of columns(entity)) row[column.name] = encode(entity, column, record[column.name])
  return row
}

/** The record a row of its table holds; columns the schema does not know are ignored. */
export const fromSqliteRow = <E extends EntityName>(entity: E, row: Readonly<Record<string, unknown>>): EntityTypes[E] => {
  const data: Record<string, unknown> = {}
  for (const column of columns(entity)) data[column.name] = decode(column, row[column.name])
  return data as unknown as EntityTypes[E]
}
