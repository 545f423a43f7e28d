/**
 * What the dialect knows about one target table, derived from a canonical schema (never written by hand): its
 * Snowflake name, its columns in schema order with their Snowflake types, and its natural key. Every SQL builder
 * and the bind encoder read the same value, so the column order of INSERT, MERGE and bind rows cannot drift.
 */
import { type Column, columns, type EntityName, naturalKey } from "../../../core/index.ts"
import { quoteIdent, snowflakeName } from "./quoteIdent.ts"
import { type SnowflakeType, snowflakeType } from "./snowflakeType.ts"

export interface SnowflakeColumn {
  /** The canonical (record) field name, e.g. `content_hash`. */
  readonly field: string
  /** The Snowflake column name, upper case and unquoted, e.g. `CONTENT_HASH`. */
  readonly name: string
  readonly type: SnowflakeType
  readonly column: Column
}

export interface SnowflakeTable {
  /** The canonical entity (or any label, for tables built with `snowflakeTableOf`). */
  readonly entity: string
  /** Unquoted upper-case table name, e.g. `TESTCASE`. */
  readonly name: string
  /** Unquoted staging table name, `<name>_STG`. */
  readonly stagingName: string
  readonly columns: ReadonlyArray<SnowflakeColumn>
  /** Snowflake names of the natural-key columns, in the schema's order. */
  readonly naturalKey: ReadonlyArray<string>
  /** When set, table names are written `"DB"."SCHEMA"."T"`; otherwise they resolve in the session's database/schema. */
  readonly qualifier: Qualifier | undefined
  /**
   * `sharedSchema`: the key of the project whose rows these statements read and write. The table then has a
   * `_PROJECT` column, first in the natural key, and every statement is confined to `_PROJECT = project` (as a bind,
   * so the SQL text is the same for every project). Undefined: the table holds one project, no `_PROJECT`.
   */
  readonly project: string | undefined
}

export interface Qualifier {
  readonly database: string
  readonly schema: string
}

export interface DialectOptions {
  /**
   * Canonical fields left out of the warehouse table, e.g. `["attachment_blob"]` when the bytes are not wanted.
   * Natural-key fields cannot be omitted.
   */
  readonly omit?: ReadonlyArray<string>
  /** Qualify table names with a database and schema (taken literally: pass them as Snowflake stores them). */
  readonly qualifier?: Qualifier
  /** Several projects in one schema: confine the table's statements to this project's rows (`SnowflakeTable.project`). */
  readonly project?: string
}

/** The sequence column of a staging table: the larger, the later the row; the MERGE keeps the latest per key. */
export const SEQ_COLUMN = "_SEQ"
/** The load-time column of every target table (UTC, `SYSDATE()`), set on insert and on a changed update. */
export const LOADED_AT_COLUMN = "_LOADED_AT"
/** The source project's key in a shared schema (`sharedSchema`): which project a row belongs to. */
export const PROJECT_COLUMN = "_PROJECT"
/** Column names the dialect adds itself; a canonical field must not map onto one. */
const RESERVED: ReadonlySet<string> = new Set([SEQ_COLUMN, LOADED_AT_COLUMN, PROJECT_COLUMN])

/** A table from any columns: how tests (and a future non-canonical table) use the dialect. */
export const snowflakeTableOf = (
  entity: string,
  cols: ReadonlyArray<Column>,
  key: ReadonlyArray<string>,
  options: DialectOptions = {}
): SnowflakeTable => {
  const omit = new Set(options.omit ?? [])
  for (const field of key) {
    if (omit.has(field)) throw new Error(`${entity}: natural-key field ${field} cannot be omitted`)
    if (!cols.some((c) => c.name === field)) throw new Error(`${entity}: natural-key field ${field} is not a column`)
  }
  const kept = cols.filter((c) => !omit.has(c.name))
  const seen = new Map<string, string>()
  const mapped = kept.map((column): SnowflakeColumn => {
    const name = snowflakeName(column.name)
    // Upper-casing can merge two fields (`Order`, `order`) or hit a dialect column: refuse rather than lose data.
    const clash = seen.get(name)
    if (clash !== undefined) throw new Error(`${entity}: fields ${clash} and ${column.name} are both column ${quoteIdent(name)}`)
    if (RESERVED.has(name)) throw new Error(`${entity}: field ${column.name} collides with the dialect column ${quoteIdent(name)}`)
    seen.set(name, column.name)
    return { field: column.name, name, type: snowflakeType(column), column }
  })
  const name = snowflakeName(entity)
  return {
    entity,
    name,
    stagingName: `${name}_STG`,
    columns: mapped,
    naturalKey: key.map(snowflakeName),
    qualifier: options.qualifier,
    project: options.project
  }
}

/** The table of a canonical entity: `TestCase` → `TESTCASE`, columns and natural key from its schema. */
export const snowflakeTable = (entity: EntityName, options: DialectOptions = {}): SnowflakeTable =>
  snowflakeTableOf(entity, columns(entity), naturalKey(entity), options)

/** What every builder accepts: a canonical entity name (with options) or a table already resolved. */
export type TableRef = EntityName | SnowflakeTable

// Per-row callers (toBindRow) resolve the same entity again and again: the option-less tables are built once.
const plain = new Map<EntityName, SnowflakeTable>()

export const resolveTable = (ref: TableRef, options?: DialectOptions): SnowflakeTable => {
  if (typeof ref !== "string") return ref
  if (options !== undefined) return snowflakeTable(ref, options)
  const cached = plain.get(ref)
  if (cached !== undefined) return cached
  const table = snowflakeTable(ref)
  plain.set(ref, table)
  return table
}

const qualify = (table: SnowflakeTable, name: string): string =>
  table.qualifier === undefined
    ? quoteIdent(name)
    : `${quoteIdent(table.qualifier.database)}.${quoteIdent(table.qualifier.schema)}.${quoteIdent(name)}`

/** The target table's name as SQL, e.g. `"TESTCASE"` or `"DB"."SCHEMA"."TESTCASE"`. */
export const targetName = (table: SnowflakeTable): string => qualify(table, table.name)

/** The binds of a project-scoped statement's `"_PROJECT" = ?`: the project's key, or none for a one-project table. */
export const scopeBinds = (table: SnowflakeTable): ReadonlyArray<string> => (table.project === undefined ? [] : [table.project])

/** The staging table's name as SQL, e.g. `"TESTCASE_STG"`. */
export const stagingName = (table: SnowflakeTable): string => qualify(table, table.stagingName)
