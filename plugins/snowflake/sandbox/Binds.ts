/**
 * The `bindings` of a query-request (docs/vendors, Snowflake §1.3) as rows of DuckDB parameter values.
 * Single binds are `{"1": {type, value: "…"}}`; array binds are column-major, `{"1": {type, value: ["…", …]}}`,
 * one request for many rows. Values arrive as strings (or null); the Snowflake bind type decides the JS value
 * handed to DuckDB, which casts it to the parameter's place (a VARCHAR bound to a DECIMAL column is cast by
 * DuckDB, exactly as Snowflake casts a TEXT bind).
 *
 * Snowflake's wire formats for explicitly typed temporal binds: TIMESTAMP_* are nanoseconds since the epoch
 * (TIMESTAMP_TZ followed by a space and an offset index, ignored here), DATE milliseconds since the epoch, TIME
 * nanoseconds since midnight. `snowflake-sdk` itself sends JS Dates as TEXT ISO strings.
 */
import type { DuckDBValue } from "@duckdb/node-api"

export interface Binding {
  readonly type?: string
  readonly value: string | null | ReadonlyArray<string | null>
}

export type BindRows = { readonly kind: "none" } | { readonly kind: "single"; readonly row: ReadonlyArray<DuckDBValue> } | { readonly kind: "array"; readonly rows: ReadonlyArray<ReadonlyArray<DuckDBValue>> }

export class BindingsError extends Error {}

const pad = (n: number | bigint, w: number) => String(n).padStart(w, "0")

/** Nanoseconds since the epoch → `YYYY-MM-DD HH:MM:SS.ffffff` (UTC wall clock). */
const timestampFromNanos = (text: string): string => {
  const nanos = BigInt(text.trim().split(/\s+/)[0] ?? "0")
  const micros = nanos / 1000n
  let ms = micros / 1000n
  let subMicros = micros % 1000n
  if (subMicros < 0n) {
    subMicros += 1000n
    ms -= 1n
  }
  const d = new Date(Number(ms))
  const iso = d.toISOString() // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${pad(subMicros, 3)}`
}

const timeFromNanos = (text: string): string => {
  const nanos = BigInt(text)
  const secs = nanos / 1_000_000_000n
  const frac = (nanos % 1_000_000_000n) / 1000n
  return `${pad(secs / 3600n, 2)}:${pad((secs / 60n) % 60n, 2)}:${pad(secs % 60n, 2)}.${pad(frac, 6)}`
}

const SAFE_INTEGER = /^-?\d{1,18}$/

export const convertBindValue = (type: string, value: string | null): DuckDBValue => {
  if (value === null) return null
  switch (type.toUpperCase()) {
    case "FIXED":
      return SAFE_INTEGER.test(value) ? BigInt(value) : value
    case "REAL":
      return Number(value)
    case "BOOLEAN":
      return /^(true|1|t|yes|y|on)$/i.test(value.trim())
    case "TIMESTAMP_NTZ":
    case "TIMESTAMP_LTZ":
    case "TIMESTAMP_TZ":
      return /^-?\d+(\s+\d+)?$/.test(value.trim()) ? timestampFromNanos(value) : value
    case "DATE":
      return /^-?\d+$/.test(value) ? new Date(Number(value)).toISOString().slice(0, 10) : value
    case "TIME":
      return /^\d+$/.test(value) ? timeFromNanos(value) : value
    default:
      // TEXT, VARIANT (JSON text), ANY, BINARY (hex): strings, cast by DuckDB where they land
      return value
  }
}

export const decodeBindings = (bindings: unknown): BindRows => {
  if (bindings === undefined || bindings === null) return { kind: "none" }
  if (typeof bindings !== "object") throw new BindingsError("bindings must be an object keyed by position")
  const entries = Object.entries(bindings as Record<string, unknown>)
  if (entries.length === 0) return { kind: "none" }
  const columns: Array<{ readonly type: string; readonly value: Binding["value"] }> = []
  for (const [key, b] of entries) {
    const position = Number(key)
    if (!Number.isInteger(position) || position < 1) throw new BindingsError(`binding key "${key}" is not a position (named binds are not supported by the sandbox)`)
    if (typeof b !== "object" || b === null || !("value" in b)) throw new BindingsError(`binding ${key} has no value`)
    const { type, value } = b as Binding
    columns[position - 1] = { type: type ?? "TEXT", value }
  }
  for (let i = 0; i < columns.length; i++) if (columns[i] === undefined) throw new BindingsError(`binding ${i + 1} is missing`)
  const arrays = columns.filter((c) => Array.isArray(c.value))
  if (arrays.length === 0) return { kind: "single", row: columns.map((c) => convertBindValue(c.type, c.value as string | null)) }
  if (arrays.length !== columns.length) throw new BindingsError("array binds and single binds cannot be mixed")
  const rowCount = (columns[0]?.value as ReadonlyArray<unknown>).length
  if (columns.some((c) => (c.value as ReadonlyArray<unknown>).length !== rowCount)) throw new BindingsError("every array bind must have the same number of rows")
  const rows: Array<Array<DuckDBValue>> = []
  for (let r = 0; r < rowCount; r++) rows.push(columns.map((c) => convertBindValue(c.type, (c.value as ReadonlyArray<string | null>)[r] ?? null)))
  return { kind: "array", rows }
}
