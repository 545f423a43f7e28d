/**
 * The load and verify statements, following dlt/MeltanoLabs (shared/reference/snowflake.md §3):
 * 1. `insertStaging`: array-bound `INSERT … VALUES (?, …)` of strings into the VARCHAR staging table. No function
 *    calls in VALUES: Snowflake rejects them there ("Invalid expression [PARSE_JSON(...)] in VALUES clause"), and
 *    the INSERT … SELECT workaround runs row by row.
 * 2. `merge`: every cast happens in the MERGE's source SELECT (`PARSE_JSON`, `TO_TIMESTAMP_NTZ`, `TO_NUMBER`, …);
 *    `QUALIFY ROW_NUMBER() OVER (PARTITION BY <natural key> ORDER BY "_SEQ" DESC) = 1` keeps the latest row per key,
 *    which avoids Snowflake's "duplicate row … nondeterministic merge" error on a batch holding a key twice.
 *    A matched row is updated only when its `CONTENT_HASH` differs (core/canonical/hash.ts defines a change), so a
 *    re-run writes nothing and leaves tables, `_LOADED_AT` included, identical.
 * 3. `countAndHashes`/`countRows`: what `migrate verify` compares with the store.
 */
import { quoteIdent } from "./quoteIdent.ts"
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

export const merge = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const q = quoteIdent
  const keys = new Set(table.naturalKey)
  const select = table.columns.map((c) => {
    const cast = castFromText(c.type, q(c.name))
    return cast === q(c.name) ? `    ${cast}` : `    ${cast} AS ${q(c.name)}`
  })
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
    "  SELECT",
    select.join(",\n"),
    `  FROM ${stagingName(table)}`,
    `  QUALIFY ROW_NUMBER() OVER (PARTITION BY ${table.naturalKey.map(q).join(", ")} ORDER BY ${q(SEQ_COLUMN)} DESC) = 1`,
    ") AS s",
    `ON ${table.naturalKey.map((k) => `t.${q(k)} = s.${q(k)}`).join(" AND ")}`,
    matched,
    updates.join(",\n"),
    `WHEN NOT MATCHED THEN INSERT (${insertCols.join(", ")})`,
    `  VALUES (${insertValues.join(", ")})`
  ].join("\n")
}

/** Natural key and content hash of every row, ordered by the key: the verify side of a table. */
export const countAndHashes = (ref: TableRef, options?: DialectOptions): string => {
  const table = resolveTable(ref, options)
  const key = table.naturalKey.map(quoteIdent)
  const hash = table.columns.some((c) => c.name === CONTENT_HASH) ? [quoteIdent(CONTENT_HASH)] : []
  return `SELECT ${[...key, ...hash].join(", ")} FROM ${targetName(table)} ORDER BY ${key.join(", ")}`
}

/** The row count of the target table, as column `N`. */
export const countRows = (ref: TableRef, options?: DialectOptions): string =>
  `SELECT COUNT(*) AS "N" FROM ${targetName(resolveTable(ref, options))}`
