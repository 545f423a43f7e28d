/**
 * A DuckDB result as the `rowtype` + `rowset` of Snowflake's JSON result format (docs/vendors, Snowflake §1.4):
 * every value a string (or null), typed by `rowtype` so `snowflake-sdk` converts it back.
 *
 * DuckDB type → Snowflake type and raw value:
 * - DECIMAL(p,s) → `fixed` (p, s), integers → `fixed` (38, 0): decimal text;
 * - FLOAT/DOUBLE → `real`: JS number text;
 * - JSON (DuckDB's VARCHAR alias that VARIANT/OBJECT/ARRAY columns become) and LIST/STRUCT/MAP → `variant`: JSON
 *   text, which the driver parses. OBJECT and ARRAY columns therefore report `variant` too (the driver parses all
 *   three the same way for JSON results);
 * - VARCHAR/UUID/ENUM/INTERVAL → `text`; BOOLEAN → `boolean` ("1"/"0");
 * - DATE → `date`: days since the epoch;
 * - TIMESTAMP (any precision) → `timestamp_ntz`, scale 9: `<epochSeconds>.<9-digit nanos>`;
 * - TIMESTAMPTZ → `timestamp_tz`, scale 9: `<epochSeconds>.<nanos> 1440` (offset index 1440 = UTC, result version 1);
 * - TIME → `time`, scale 9: seconds since midnight with 9 decimals; BLOB → `binary`: hex.
 */
import { type DuckDBResultReader, DuckDBTypeId, type DuckDBType, type DuckDBValue } from "@duckdb/node-api"

export interface RowType {
  readonly name: string
  readonly type: string
  readonly scale: number | null
  readonly precision: number | null
  readonly length: number | null
  readonly byteLength: number | null
  readonly nullable: boolean
  readonly database: string
  readonly schema: string
  readonly table: string
}

export interface ResultSet {
  readonly rowtype: ReadonlyArray<RowType>
  readonly rowset: ReadonlyArray<ReadonlyArray<string | null>>
}

const column = (name: string, type: string, extra: Partial<RowType> = {}): RowType => ({
  name,
  type,
  scale: null,
  precision: null,
  length: null,
  byteLength: null,
  nullable: true,
  database: "",
  schema: "",
  table: "",
  ...extra
})

/** Signed decimal text `<seconds>.<9 digits>` from a count of `unitsPerSecond`-ths of a second. */
const epochText = (count: bigint, nanosPerUnit: bigint): string => {
  const nanos = count * nanosPerUnit
  const negative = nanos < 0n
  const abs = negative ? -nanos : nanos
  return `${negative ? "-" : ""}${abs / 1_000_000_000n}.${String(abs % 1_000_000_000n).padStart(9, "0")}`
}

type Encoder = (v: DuckDBValue) => string

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex").toUpperCase()

const describe = (name: string, t: DuckDBType): { readonly meta: RowType; readonly encode: Encoder } => {
  const plain: Encoder = (v) => String(v)
  switch (t.typeId) {
    case DuckDBTypeId.DECIMAL:
      return { meta: column(name, "fixed", { precision: t.width, scale: t.scale }), encode: plain }
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
    case DuckDBTypeId.BIGNUM:
      return { meta: column(name, "fixed", { precision: 38, scale: 0 }), encode: plain }
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
      return { meta: column(name, "real"), encode: plain }
    case DuckDBTypeId.BOOLEAN:
      return { meta: column(name, "boolean"), encode: (v) => (v === true ? "1" : "0") }
    case DuckDBTypeId.DATE:
      return { meta: column(name, "date"), encode: (v) => String((v as { days: number }).days) }
    case DuckDBTypeId.TIMESTAMP:
      return { meta: column(name, "timestamp_ntz", { scale: 9, precision: 0 }), encode: (v) => epochText((v as { micros: bigint }).micros, 1000n) }
    case DuckDBTypeId.TIMESTAMP_S:
      return { meta: column(name, "timestamp_ntz", { scale: 9, precision: 0 }), encode: (v) => epochText((v as { seconds: bigint }).seconds, 1_000_000_000n) }
    case DuckDBTypeId.TIMESTAMP_MS:
      return { meta: column(name, "timestamp_ntz", { scale: 9, precision: 0 }), encode: (v) => epochText((v as { millis: bigint }).millis, 1_000_000n) }
    case DuckDBTypeId.TIMESTAMP_NS:
      return { meta: column(name, "timestamp_ntz", { scale: 9, precision: 0 }), encode: (v) => epochText((v as { nanos: bigint }).nanos, 1n) }
    case DuckDBTypeId.TIMESTAMP_TZ:
      return { meta: column(name, "timestamp_tz", { scale: 9, precision: 0 }), encode: (v) => `${epochText((v as { micros: bigint }).micros, 1000n)} 1440` }
    case DuckDBTypeId.TIME:
      return { meta: column(name, "time", { scale: 9, precision: 0 }), encode: (v) => epochText((v as { micros: bigint }).micros, 1000n) }
    case DuckDBTypeId.BLOB:
      return { meta: column(name, "binary", { length: 8388608, byteLength: 8388608 }), encode: (v) => hex((v as { bytes: Uint8Array }).bytes) }
    case DuckDBTypeId.VARCHAR:
      if (t.alias?.toUpperCase() === "JSON") return { meta: column(name, "variant"), encode: plain }
      return { meta: column(name, "text", { length: 16777216, byteLength: 16777216 }), encode: plain }
    case DuckDBTypeId.LIST:
    case DuckDBTypeId.ARRAY:
    case DuckDBTypeId.STRUCT:
    case DuckDBTypeId.MAP:
      // encoded from DuckDB's JSON rendering of the row, see toResultSet
      return { meta: column(name, "variant"), encode: plain }
    default:
      return { meta: column(name, "text", { length: 16777216, byteLength: 16777216 }), encode: plain }
  }
}

const COMPLEX = new Set<DuckDBTypeId>([DuckDBTypeId.LIST, DuckDBTypeId.ARRAY, DuckDBTypeId.STRUCT, DuckDBTypeId.MAP])

/**
 * Snowflake upper-cases unquoted identifiers, so a result column is named in upper case (`COLUMN_NAME`,
 * `CURRENT_SCHEMA()`) unless the query wrote it quoted; DuckDB keeps the catalog's case (`column_name` of
 * information_schema). A name the SQL text holds in double quotes is kept as it is.
 */
export const snowflakeColumnName = (name: string, sqlText: string): string => (sqlText.includes(`"${name.replaceAll('"', '""')}"`) ? name : name.toUpperCase())

export const toResultSet = (reader: DuckDBResultReader, sqlText = ""): ResultSet => {
  const names = reader.columnNames().map((n) => snowflakeColumnName(n, sqlText))
  const types = reader.columnTypes()
  const described = names.map((n, i) => describe(n, types[i] as DuckDBType))
  const rows = reader.getRows()
  const complex = types.some((t) => COMPLEX.has(t.typeId)) ? reader.getRowsJson() : undefined
  const rowset = rows.map((row, r) =>
    row.map((v, c) => {
      if (v === null) return null
      if (complex !== undefined && COMPLEX.has((types[c] as DuckDBType).typeId)) return JSON.stringify(complex[r]?.[c] ?? null)
      return (described[c] as { encode: Encoder }).encode(v)
    })
  )
  return { rowtype: described.map((d) => d.meta), rowset }
}

/** A one-row result of `fixed` counts, as Snowflake answers DML (`number of rows inserted`, …). */
export const countsResult = (counts: ReadonlyArray<readonly [string, number]>): ResultSet => ({
  rowtype: counts.map(([name]) => column(name, "fixed", { precision: 19, scale: 0, nullable: false })),
  rowset: [counts.map(([, n]) => String(n))]
})

/** `status` text, as Snowflake answers DDL and session statements. */
export const statusResult = (status: string): ResultSet => ({
  rowtype: [column("status", "text", { length: 16777216, byteLength: 16777216, nullable: false })],
  rowset: [[status]]
})
