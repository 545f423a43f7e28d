/**
 * The load and verify statements, following dlt/MeltanoLabs (docs/vendors, Snowflake §3):
 * 1. `insertStaging`: array-bound `INSERT … VALUES (?, …)` of strings into the VARCHAR staging table. No function
 *    calls in VALUES: Snowflake rejects them there ("Invalid expression [PARSE_JSON(...)] in VALUES clause"), and
 *    the INSERT … SELECT workaround runs row by row.
 * 2. `merge`: every cast happens in the MERGE's source SELECT (`PARSE_JSON`, `TO_TIMESTAMP_NTZ`, `TO_NUMBER`, …);
 *    `QUALIFY ROW_NUMBER() OVER (PARTITION BY <natural key> ORDER BY "_SEQ" DESC) = 1` keeps the latest row per key,
 *    which avoids Snowflake's "duplicate row … nondeterministic merge" error on a batch holding a key twice.
 *    A matched row is updated only when its `CONTENT_HASH` differs (core/canonical/hash.ts defines a change), so a
 *    re-run writes nothing and leaves tables, `_LOADED_AT` included, identical.
 * 3. `targetRows`: the key and hash of the target rows of a chunk of store records — what the load diffs against
 *    (only missing or changed records are sent) and what `migrate verify` compares; `countRows`, `keyPage` and
 *    `deleteRows` find and remove rows whose record left the store.
 * A project-scoped table (`sharedSchema`) carries `_PROJECT` through staging and the MERGE (matched on it, first in
 * the key) and confines every read and delete to `"_PROJECT" = ?`, the project bound, never spliced: the SQL text is
 * the same for every project. `countRows` and `keyPage` give text only; their bind is `scopeBinds(table)`.
 */
import { quoteIdent } from "./quoteIdent.ts"
import type { Statement } from "./Statement.ts"
import type { SnowflakeType } from "./snowflakeType.ts"
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

const CONTENT_HASH = "CONTENT_HASH"

/**
 * The expression turning a staging VARCHAR into the column's type. The one-argument forms use Snowflake's AUTO
 * input formats (the account default): `TO_NUMBER(x)` is NUMBER(38,0); `TO_TIMESTAMP_NTZ` reads the ISO-8601 UTC
 * text BindRow.ts writes and keeps its wall clock; `TO_BOOLEAN` reads `true`/`false`.
 */
export const castFromText = (type: SnowflakeType, expression: string): string => {
  switch (type) {
    case "VARCHAR":
      return expression
    case "NUMBER(38,0)":
      return `TO_NUMBER(${expression})`
    case "FLOAT":
      return `TO_DOUBLE(${expression})`
    case "BOOLEAN":
      return `TO_BOOLEAN(${expression})`
    case "TIMESTAMP_NTZ":
      return `TO_TIMESTAMP_NTZ(${expression})`
    case "DATE":
      return `TO_DATE(${expression})`
    case "VARIANT":
      return `PARSE_JSON(${expression})`
  }
}

/** `_PROJECT` in a project-scoped table, nothing otherwise: the dialect column staging and the MERGE carry. */
const projectColumns = (table: SnowflakeTable): ReadonlyArray<string> => (table.project === undefined ? [] : [PROJECT_COLUMN])

/** The natural key the MERGE matches and dedupes on: `_PROJECT` first when scoped. */
const mergeKey = (table: SnowflakeTable): ReadonlyArray<string> => [...projectColumns(table), ...table.naturalKey]

/** `"_PROJECT" = ? AND ` before a scoped predicate, nothing otherwise. */
const scopePrefix = (table: SnowflakeTable): string => (table.project === undefined ? "" : `${quoteIdent(PROJECT_COLUMN)} = ? AND `)

/**
 * The staging columns in bind order: every field, then `_PROJECT` (scoped tables), then `_SEQ`. `toBindRow`
 * produces values in this order.
 */
export const stagingColumns = (table: SnowflakeTable): ReadonlyArray<string> => [...table.columns.map((c) => c.name), ...projectColumns(table), SEQ_COLUMN]

export const insertStaging = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const cols = stagingColumns(table)
  return `INSERT INTO ${stagingName(table)} (${cols.map(quoteIdent).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`
}

/** The MERGE of `source` (a SELECT giving every column, cast, under its name) into the target, on the natural key. */
const mergeFrom = (table: SnowflakeTable, source: ReadonlyArray<string>): string => {
  const q = quoteIdent
  const keys = new Set(table.naturalKey)
  const hasHash = table.columns.some((c) => c.name === CONTENT_HASH)
  const matched = hasHash
    ? `WHEN MATCHED AND t.${q(CONTENT_HASH)} IS DISTINCT FROM s.${q(CONTENT_HASH)} THEN UPDATE SET`
    : "WHEN MATCHED THEN UPDATE SET"
  const updates = [
    ...table.columns.filter((c) => !keys.has(c.name)).map((c) => `  ${q(c.name)} = s.${q(c.name)}`),
    `  ${q(LOADED_AT_COLUMN)} = SYSDATE()`
  ]
  const insertCols = [...table.columns.map((c) => q(c.name)), q(LOADED_AT_COLUMN), ...projectColumns(table).map(q)]
  const insertValues = [...table.columns.map((c) => `s.${q(c.name)}`), "SYSDATE()", ...projectColumns(table).map((c) => `s.${q(c)}`)]
  return [
    `MERGE INTO ${targetName(table)} AS t`,
    "USING (",
    ...source,
    ") AS s",
    `ON ${mergeKey(table).map((k) => `t.${q(k)} = s.${q(k)}`).join(" AND ")}`,
    matched,
    updates.join(",\n"),
    `WHEN NOT MATCHED THEN INSERT (${insertCols.join(", ")})`,
    `  VALUES (${insertValues.join(", ")})`
  ].join("\n")
}

export const merge = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const q = quoteIdent
  const select = [
    ...table.columns.map((c) => {
      const cast = castFromText(c.type, q(c.name))
      return cast === q(c.name) ? `    ${cast}` : `    ${cast} AS ${q(c.name)}`
    }),
    ...projectColumns(table).map((c) => `    ${q(c)}`)
  ]
  return mergeFrom(table, [
    "  SELECT",
    select.join(",\n"),
    `  FROM ${stagingName(table)}`,
    `  QUALIFY ROW_NUMBER() OVER (PARTITION BY ${mergeKey(table).map(q).join(", ")} ORDER BY ${q(SEQ_COLUMN)} DESC) = 1`
  ])
}

/**
 * The MERGE of one row given as binds (the table's columns in order, as bind text: `toBindRow` without its last,
 * `_SEQ`, value — so a scoped table's project comes last), for a table written a row at a time, such as the sink's
 * own `_MIGRATE_LOADS`.
 */
export const upsertOne = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const select = [
    ...table.columns.map((c) => `    ${castFromText(c.type, "?")} AS ${quoteIdent(c.name)}`),
    ...projectColumns(table).map((c) => `    ? AS ${quoteIdent(c)}`)
  ]
  return mergeFrom(table, ["  SELECT", select.join(",\n")])
}

/** `WHERE "_PROJECT" = ?` of a scoped table's whole-table reads; nothing for a one-project table. */
const scopeWhere = (table: SnowflakeTable): string => (table.project === undefined ? "" : ` WHERE ${quoteIdent(PROJECT_COLUMN)} = ?`)

/** The row count of the target table (of its project's rows, bind `scopeBinds`, when scoped), as column `N`. */
export const countRows = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  return `SELECT COUNT(*) AS "N" FROM ${targetName(table)}${scopeWhere(table)}`
}

/** Column alias of a `presentFlags` column in `targetRows`: `ATTACHMENT_BLOB` → `HAS_ATTACHMENT_BLOB`. */
export const presentFlag = (column: string): string => `HAS_${column}`

/**
 * The natural key and content hash of the target rows among `keys` (natural-key tuples, as bind text in key
 * order): what a load compares a chunk of store records with, to send only what is missing or changed, and what
 * verify compares with. Keys are grouped by their first column, the second is matched with IN, so the usual
 * `(SOURCE_SYSTEM, SOURCE_ID)` chunk is one predicate; rows of a longer key that match on two columns only come
 * back too, and the caller matches whole keys. Each bind is cast like the column it is compared with.
 * `presentFlags`: columns reported as `HAS_<column>` (whether they hold a value), e.g. a blob loaded later.
 */
export const targetRows = (
  ref: TableRef,
  keys: ReadonlyArray<ReadonlyArray<string>>,
  options?: DialectOptions & { readonly presentFlags?: ReadonlyArray<string> }
): Statement => {
  const table = resolveTable(ref, options)
  if (keys.length === 0) throw new Error(`${table.entity}: targetRows needs at least one key`)
  const q = quoteIdent
  const keyColumns = table.naturalKey.map((name) => {
    const column = table.columns.find((c) => c.name === name)
    if (column === undefined) throw new Error(`${table.entity}: key column ${name} is not a column`)
    return column
  })
  const bind = (i: number) => castFromText(keyColumns[i]!.type, "?")
  const hash = table.columns.some((c) => c.name === CONTENT_HASH) ? [q(CONTENT_HASH)] : []
  const flags = (options?.presentFlags ?? []).map((c) => `(${q(c)} IS NOT NULL) AS ${q(presentFlag(c))}`)
  const select = `SELECT ${[...keyColumns.map((c) => q(c.name)), ...hash, ...flags].join(", ")} FROM ${targetName(table)}`
  const binds: Array<string> = [...(table.project === undefined ? [] : [table.project])]
  let where: string
  if (keyColumns.length === 1) {
    where = `${q(keyColumns[0]!.name)} IN (${keys.map(() => bind(0)).join(", ")})`
    for (const k of keys) binds.push(k[0]!)
  } else {
    const groups = new Map<string, Array<string>>()
    for (const k of keys) {
      const group = groups.get(k[0]!)
      if (group === undefined) groups.set(k[0]!, [k[1]!])
      else group.push(k[1]!)
    }
    const predicates: Array<string> = []
    for (const [first, seconds] of groups) {
      const distinct = [...new Set(seconds)]
      predicates.push(`(${q(keyColumns[0]!.name)} = ${bind(0)} AND ${q(keyColumns[1]!.name)} IN (${distinct.map(() => bind(1)).join(", ")}))`)
      binds.push(first, ...distinct)
    }
    where = predicates.join(" OR ")
  }
  return { sql: `${select} WHERE ${table.project === undefined ? where : `${scopePrefix(table)}(${where})`}`, binds }
}

/** One page of the target's natural keys (its project's, bind `scopeBinds`, when scoped), in key order: how rows gone from the store are found. */
export const keyPage = (ref: TableRef, limit: number, offset: number, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const key = table.naturalKey.map(quoteIdent)
  return `SELECT ${key.join(", ")} FROM ${targetName(table)}${scopeWhere(table)} ORDER BY ${key.join(", ")} LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`
}

/** Deletes the target rows with exactly these natural keys (bind text in key order). */
export const deleteRows = (ref: TableRef, keys: ReadonlyArray<ReadonlyArray<string>>, options?: DialectOptions): Statement => {
  const table = resolveTable(ref, options)
  if (keys.length === 0) throw new Error(`${table.entity}: deleteRows needs at least one key`)
  const keyColumns = table.naturalKey.map((name) => table.columns.find((c) => c.name === name)!)
  const one = `(${keyColumns.map((c) => `${quoteIdent(c.name)} = ${castFromText(c.type, "?")}`).join(" AND ")})`
  const any = keys.map(() => one).join(" OR ")
  if (table.project === undefined) return { sql: `DELETE FROM ${targetName(table)} WHERE ${any}`, binds: keys.flat() }
  return { sql: `DELETE FROM ${targetName(table)} WHERE ${scopePrefix(table)}(${any})`, binds: [table.project, ...keys.flat()] }
}
