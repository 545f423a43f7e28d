/**
 * Snowflake DDL for the canonical tables, generated from the schemas like core/canonical/sqlite.ts:
 * - `createTable`: `CREATE TABLE IF NOT EXISTS`, one column per schema field plus `_LOADED_AT`, and the natural key
 *   declared as `PRIMARY KEY`. Snowflake does not enforce PRIMARY KEY/UNIQUE on standard tables (only NOT NULL);
 *   the declaration documents the key for users and BI tools, and the MERGE is what keeps it unique.
 *   Only the key columns are NOT NULL (implied by PRIMARY KEY): a column added later by `addColumns` cannot be
 *   NOT NULL on a non-empty table, so declaring it at creation would make a grown table differ from a new one,
 *   and the canonical store has already validated nullability.
 * - `addColumns`: `ALTER TABLE … ADD COLUMN IF NOT EXISTS`, one statement per missing column (DuckDB, which runs
 *   the same text in the sandbox, takes one column per ALTER).
 * - `createStaging`: `CREATE OR REPLACE TEMPORARY TABLE <T>_STG`, every field VARCHAR plus `_SEQ NUMBER(38,0)`.
 *   OR REPLACE rather than IF NOT EXISTS, once per batch: a staging table left by an earlier attempt in the same
 *   session (rows of a failed batch, or the columns of a schema before it grew) is never reused, so a batch can be
 *   retried as a unit. Temporary: it lives as long as the
 *   session, is invisible to other sessions, and has no Fail-safe storage cost.
 * - A project-scoped table (`sharedSchema`, `SnowflakeTable.project`) has `_PROJECT VARCHAR NOT NULL` after
 *   `_LOADED_AT` (where `addColumns` puts it in a table made before, so a grown table looks like a new one), first
 *   in the PRIMARY KEY; its staging table has `_PROJECT` before `_SEQ`.
 */
import { quoteIdent } from "./quoteIdent.ts"
import type { Statement } from "./Statement.ts"
import {
  type DialectOptions,
  LOADED_AT_COLUMN,
  PROJECT_COLUMN,
  resolveTable,
  SEQ_COLUMN,
  type SnowflakeTable,
  stagingName,
  type TableRef,
  targetName
} from "./SnowflakeTable.ts"

/** The columns of the target table, as `name TYPE`: schema fields, then `_LOADED_AT`, then `_PROJECT` when scoped. */
const targetColumns = (table: SnowflakeTable): ReadonlyArray<{ readonly name: string; readonly type: string }> => [
  ...table.columns.map((c) => ({ name: c.name, type: c.type })),
  { name: LOADED_AT_COLUMN, type: "TIMESTAMP_NTZ" },
  // NOT NULL although added to existing tables: it is added only to empty ones (`addColumns`)
  ...(table.project === undefined ? [] : [{ name: PROJECT_COLUMN, type: "VARCHAR NOT NULL" }])
]

/** The declared key: the natural key, after `_PROJECT` in a project-scoped table. */
const primaryKey = (table: SnowflakeTable): string =>
  `PRIMARY KEY (${[...(table.project === undefined ? [] : [PROJECT_COLUMN]), ...table.naturalKey].map(quoteIdent).join(", ")})`

export const createTable = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const body = [...targetColumns(table).map((c) => `  ${quoteIdent(c.name)} ${c.type}`), `  ${primaryKey(table)}`]
  return `CREATE TABLE IF NOT EXISTS ${targetName(table)} (\n${body.join(",\n")}\n)`
}

/**
 * The statements that bring an existing table up to the schema: one `ADD COLUMN IF NOT EXISTS` per column not in
 * `existingColumns` (names as Snowflake stores them, e.g. from `listColumns`; compared exactly, since quoted
 * identifiers are case-sensitive). Empty when nothing is missing. A missing natural-key column is an error: the
 * table was not created by this dialect, and a key cannot be added to rows that exist.
 *
 * A project-scoped table made before without `_PROJECT` (the schema held one project) also gets it, NOT NULL, and
 * its PRIMARY KEY declared again with `_PROJECT` first: the caller must have found the table empty, since nobody
 * can tell which project rows already there belong to (and Snowflake refuses a NOT NULL column on rows).
 */
export const addColumns = (ref: TableRef, existingColumns: Iterable<string>, options?: DialectOptions): ReadonlyArray<string> => {
  const table = resolveTable(ref, options)
  const existing = new Set(existingColumns)
  const missingKey = table.naturalKey.filter((k) => !existing.has(k))
  if (missingKey.length > 0 && existing.size > 0) {
    throw new Error(`${targetName(table)} exists without its natural-key column(s) ${missingKey.map(quoteIdent).join(", ")}`)
  }
  const adds = targetColumns(table)
    .filter((c) => !existing.has(c.name))
    .map((c) => `ALTER TABLE ${targetName(table)} ADD COLUMN IF NOT EXISTS ${quoteIdent(c.name)} ${c.type}`)
  if (table.project === undefined || existing.has(PROJECT_COLUMN) || existing.size === 0) return adds
  return [`ALTER TABLE ${targetName(table)} DROP PRIMARY KEY`, ...adds, `ALTER TABLE ${targetName(table)} ADD ${primaryKey(table)}`]
}

/**
 * The query listing the target table's columns (one `COLUMN_NAME` per row), the input of `addColumns`; no rows
 * when the table does not exist. Unqualified tables are looked up in the session's `CURRENT_SCHEMA()`.
 */
export const listColumns = (ref: TableRef, options?: DialectOptions): Statement => {
  const table = resolveTable(ref, options)
  const select = "SELECT COLUMN_NAME"
  const order = "ORDER BY ORDINAL_POSITION"
  if (table.qualifier === undefined) {
    return {
      sql: `${select} FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = CURRENT_SCHEMA() AND TABLE_NAME = ? ${order}`,
      binds: [table.name]
    }
  }
  return {
    sql: `${select} FROM ${quoteIdent(table.qualifier.database)}.INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ${order}`,
    binds: [table.qualifier.schema, table.name]
  }
}

export const createStaging = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const body = [
    ...table.columns.map((c) => `  ${quoteIdent(c.name)} VARCHAR`),
    ...(table.project === undefined ? [] : [`  ${quoteIdent(PROJECT_COLUMN)} VARCHAR`]),
    `  ${quoteIdent(SEQ_COLUMN)} NUMBER(38,0)`
  ]
  return `CREATE OR REPLACE TEMPORARY TABLE ${stagingName(table)} (\n${body.join(",\n")}\n)`
}

/** Drops the staging table when a load ends (it would also go with the session). */
export const dropStaging = (ref: TableRef, options?: DialectOptions): string =>
  `DROP TABLE IF EXISTS ${stagingName(resolveTable(ref, options))}`
