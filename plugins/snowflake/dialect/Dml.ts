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
 */
import { quoteIdent } from "./quoteIdent.ts"
import type { Statement } from "./Statement.ts"
import type { SnowflakeType } from "./snowflakeType.ts"
import {
  type DialectOptions,
  LOADED_AT_COLUMN,
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

/** The staging columns in bind order: every field, then `_SEQ`. `toBindRow` produces values in this order. */
export const stagingColumns = (table: SnowflakeTable): ReadonlyArray<string> => [...table.columns.map((c) => c.name), SEQ_COLUMN]

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
  const insertCols = [...table.columns.map((c) => q(c.name)), q(LOADED_AT_COLUMN)]
  const insertValues = [...table.columns.map((c) => `s.${q(c.name)}`), "SYSDATE()"]
  return [
    `MERGE INTO ${targetName(table)} AS t`,
    "USING (",
    ...source,
    ") AS s",
    `ON ${table.naturalKey.map((k) => `t.${q(k)} = s.${q(k)}`).join(" AND ")}`,
    matched,
    updates.join(",\n"),
    `WHEN NOT MATCHED THEN INSERT (${insertCols.join(", ")})`,
    `  VALUES (${insertValues.join(", ")})`
  ].join("\n")
}

export const merge = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const q = quoteIdent
  const select = table.columns.map((c) => {
    const cast = castFromText(c.type, q(c.name))
    return cast === q(c.name) ? `    ${cast}` : `    ${cast} AS ${q(c.name)}`
  })
  return mergeFrom(table, [
    "  SELECT",
    select.join(",\n"),
    `  FROM ${stagingName(table)}`,
    `  QUALIFY ROW_NUMBER() OVER (PARTITION BY ${table.naturalKey.map(q).join(", ")} ORDER BY ${q(SEQ_COLUMN)} DESC) = 1`
  ])
}

/**
 * The MERGE of one row given as binds (the table's columns in order, as bind text: `toBindRow` without its last,
 * `_SEQ`, value), for a table written a row at a time, such as the sink's own `_MIGRATE_LOADS`.
 */
export const upsertOne = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  return mergeFrom(table, ["  SELECT", table.columns.map((c) => `    ${castFromText(c.type, "?")} AS ${quoteIdent(c.name)}`).join(",\n")])
}

/** The row count of the target table, as column `N`. */
export const countRows = (ref: TableRef, options?: DialectOptions): string =>
  `SELECT COUNT(*) AS "N" FROM ${targetName(resolveTable(ref, options))}`

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
  const binds: Array<string> = []
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
  return { sql: `${select} WHERE ${where}`, binds }
}

/** One page of the target's natural keys, in key order: how rows gone from the store are found. */
export const keyPage = (ref: TableRef, limit: number, offset: number, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const key = table.naturalKey.map(quoteIdent)
  return `SELECT ${key.join(", ")} FROM ${targetName(table)} ORDER BY ${key.join(", ")} LIMIT ${Math.trunc(limit)} OFFSET ${Math.trunc(offset)}`
}

/** Deletes the target rows with exactly these natural keys (bind text in key order). */
export const deleteRows = (ref: TableRef, keys: ReadonlyArray<ReadonlyArray<string>>, options?: DialectOptions): Statement => {
  const table = resolveTable(ref, options)
  if (keys.length === 0) throw new Error(`${table.entity}: deleteRows needs at least one key`)
  const keyColumns = table.naturalKey.map((name) => table.columns.find((c) => c.name === name)!)
  const one = `(${keyColumns.map((c) => `${quoteIdent(c.name)} = ${castFromText(c.type, "?")}`).join(" AND ")})`
  return { sql: `DELETE FROM ${targetName(table)} WHERE ${keys.map(() => one).join(" OR ")}`, binds: keys.flat() }
}
