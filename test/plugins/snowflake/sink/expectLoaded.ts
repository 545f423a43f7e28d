/**
 * The oracle the suite compares the target with, written from the canonical JSON Schema and not from the
 * dialect (which is what is under test): which DuckDB column type a canonical column must become, and what a
 * loaded row must hold for a store record — VARCHAR the same string, NUMBER the same integer, BOOLEAN the same
 * boolean, TIMESTAMP_NTZ the same UTC instant, VARIANT JSON that parses to the same value.
 */
import { expect } from "@effect/vitest"
import type { EntityName } from "../../../../core/index.ts"
import { type Column, columns, naturalKey } from "../../../../core/canonical/schemas.ts"
import type { StoredRecord } from "../../../../core/store/StateStore.ts"

/** The type DuckDB reports (information_schema.columns.data_type) for the Snowflake type of a canonical column. */
export const duckdbTypeOf = (column: Column): string => {
  if (column.type === "string" && column.format === "date-time") return "TIMESTAMP"
  switch (column.type) {
    case "string":
      return "VARCHAR"
    case "integer":
      return "DECIMAL(38,0)"
    case "number":
      return "DOUBLE"
    case "boolean":
      return "BOOLEAN"
    default:
      return "JSON"
  }
}

/** The target table's expected columns: the schema's, upper case, in order, then `_LOADED_AT`. */
export const expectedColumns = (entity: EntityName) => [
  ...columns(entity).map((c) => ({ name: c.name.toUpperCase(), type: duckdbTypeOf(c) })),
  { name: "_LOADED_AT", type: "TIMESTAMP" }
]

/** A loaded value in the shape the store's value has, so the two compare with `toEqual`. */
const readBack = (column: Column, value: unknown): unknown => {
  if (value === null || value === undefined) return null
  if (column.type === "string" && column.format === "date-time") return (value as Date).toISOString()
  if (column.isArrayOrObject) return JSON.parse(String(value))
  return value
}

const storeValue = (column: Column, value: unknown): unknown => {
  if (column.type === "any") return value === undefined ? null : value
  if (value === null || value === undefined) return null
  if (column.type === "string" && column.format === "date-time") return new Date(String(value)).toISOString()
  return value
}

const keyOf = (entity: EntityName, values: (field: string) => unknown) => JSON.stringify(naturalKey(entity).map((k) => String(values(k))))

/**
 * The target rows of `entity` are exactly `records`: one row per record (found by natural key), every column
 * equal to the record's value, `_LOADED_AT` set, no other row.
 */
export const expectLoaded = (entity: EntityName, records: ReadonlyArray<StoredRecord>, rows: ReadonlyArray<Record<string, unknown>>) => {
  const mine = records.filter((r) => r.entity === entity)
  expect(rows.length, `${entity}: rows in the target`).toBe(mine.length)
  const byKey = new Map(rows.map((row) => [keyOf(entity, (k) => row[k.toUpperCase()]), row]))
  for (const record of mine) {
    const key = keyOf(entity, (k) => record.data[k])
    const row = byKey.get(key)
    expect(row, `${entity} ${key}: no row`).toBeDefined()
    const actual: Record<string, unknown> = {}
    const expected: Record<string, unknown> = {}
    for (const column of columns(entity)) {
      const raw = row![column.name.toUpperCase()]
      // any-JSON is VARIANT JSON always: a JSON null is the text `null`, never SQL NULL
      if (column.type === "any") expect(raw, `${entity}.${column.name} ${key}`).not.toBeNull()
      actual[column.name] = readBack(column, raw)
      expected[column.name] = storeValue(column, record.data[column.name])
    }
    expect(actual, `${entity} ${key}`).toEqual(expected)
    expect(row!["_LOADED_AT"], `${entity} ${key}: _LOADED_AT`).toBeInstanceOf(Date)
  }
}
