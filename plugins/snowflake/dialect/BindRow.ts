/**
 * A canonical record as the binds of one `insertStaging` row: every value a string or null, in staging column
 * order (fields, then `_SEQ`). The driver types an array bind from its first row only (docs/vendors, Snowflake
 * §1.3), so typed JS values would make a column's type depend on which record comes first; strings are cast back in
 * the MERGE. Encodings (each read back exactly by the cast in Dml.ts `castFromText`):
 * - VARCHAR: the string itself. Quotes, backslashes, newlines and any Unicode travel unchanged: binds are never
 *   spliced into SQL text.
 * - NUMBER(38,0): the integer in decimal digits, never exponent notation (`BigInt` formatting).
 * - FLOAT: JavaScript's shortest round-trip form (`String(n)`, may be `1e-7`, which `TO_DOUBLE` reads).
 * - BOOLEAN: `true` / `false`.
 * - TIMESTAMP_NTZ: ISO-8601 in UTC with `Z`, e.g. `2024-05-01T10:00:00.000Z`; UTC text is kept digit for digit
 *   (sub-millisecond digits too), other offsets are converted to UTC.
 * - DATE: `YYYY-MM-DD`.
 * - VARIANT: `JSON.stringify` of the value. A nullable array/object that is null binds SQL NULL; an any-JSON column
 *   (`CustomField.value_json`) binds JSON text always — `null` becomes the text `null`, a VARIANT null, exactly as
 *   the store keeps it (core/canonical/sqlite.ts).
 * - null/absent: SQL NULL.
 */
import type { DialectOptions, SnowflakeColumn, TableRef } from "./SnowflakeTable.ts"
import { resolveTable } from "./SnowflakeTable.ts"

export type BindValue = string | null
export type BindRow = ReadonlyArray<BindValue>

const fail = (entity: string, column: SnowflakeColumn, why: string): never => {
  throw new Error(`${entity}.${column.field}: cannot bind as ${column.type}: ${why}`)
}

const ISO_UTC = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,9})?(?:Z|[+-]00:?00)$/
const DATE = /^\d{4}-\d{2}-\d{2}$/

/** ISO-8601 UTC text of a date-time string; null when it is not a date-time. */
export const utcTimestamp = (value: string): string | null => {
  const utc = ISO_UTC.exec(value)
  if (utc !== null) return `${utc[1]}T${utc[2]}${utc[3] ?? ""}Z`
  const parsed = new Date(value)
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString()
}

const integerText = (value: unknown): string | null => {
  if (typeof value === "bigint") return value.toString()
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value).toString()
  return null
}

/** One value as bind text. */
export const encodeValue = (entity: string, column: SnowflakeColumn, value: unknown): BindValue => {
  if (column.column.type === "any") {
    const json = JSON.stringify(value === undefined ? null : value)
    return json === undefined ? fail(entity, column, `${typeof value} is not JSON`) : json
  }
  if (value === null || value === undefined) return null
  switch (column.type) {
    case "VARCHAR":
      return typeof value === "string" ? value : fail(entity, column, `expected a string, got ${typeof value}`)
    case "NUMBER(38,0)":
      return integerText(value) ?? fail(entity, column, `expected an integer, got ${String(value)}`)
    case "FLOAT":
      return typeof value === "number" && Number.isFinite(value)
        ? String(value)
        : fail(entity, column, `expected a finite number, got ${String(value)}`)
    case "BOOLEAN":
      return typeof value === "boolean" ? String(value) : fail(entity, column, `expected a boolean, got ${typeof value}`)
    case "TIMESTAMP_NTZ":
      return (typeof value === "string" ? utcTimestamp(value) : null) ?? fail(entity, column, `not a date-time: ${String(value)}`)
    case "DATE":
      return typeof value === "string" && DATE.test(value) ? value : fail(entity, column, `not a date: ${String(value)}`)
    case "VARIANT": {
      const json = JSON.stringify(value)
      return json === undefined ? fail(entity, column, `${typeof value} is not JSON`) : json
    }
  }
}

/**
 * The bind row of `record` for `insertStaging`: its fields in table column order, then the table's project when it
 * is scoped (`sharedSchema`), then `seq` (the record's position in the load: within a batch, the row with the
 * largest `seq` per natural key wins the MERGE).
 */
export const toBindRow = (
  ref: TableRef,
  record: unknown,
  seq: number | bigint,
  options?: DialectOptions
): BindRow => {
  const table = resolveTable(ref, options)
  const data = record as Readonly<Record<string, unknown>>
  const seqText = integerText(seq)
  if (seqText === null) throw new Error(`${table.entity}: seq must be an integer, got ${String(seq)}`)
  return [...table.columns.map((c) => encodeValue(table.entity, c, data[c.field])), ...(table.project === undefined ? [] : [table.project]), seqText]
}
