/**
 * The Snowflake error codes the sandbox answers with, and the mapping of DuckDB's error messages onto them.
 * A small documented table, not Snowflake's full catalogue: a client that maps errors by `code`/`sqlState` sees
 * the codes Snowflake uses for the same situation (codes as Snowflake documents or reports them publicly; the
 * messages are shortened Snowflake wording followed by DuckDB's own message, so nothing is lost).
 *
 * | situation (DuckDB message)                       | code   | sqlState |
 * |--------------------------------------------------|--------|----------|
 * | object does not exist (Catalog Error … not exist) | 002003 | 42S02    |
 * | object already exists (Catalog Error … exists)    | 002002 | 42710    |
 * | syntax error (Parser Error)                       | 001003 | 42000    |
 * | invalid identifier (Binder Error … column)        | 000904 | 42000    |
 * | other compilation error (Binder/Catalog Error)    | 002003 | 42000    |
 * | numeric value not recognized (Conversion → DECIMAL/INT/DOUBLE) | 100038 | 22018 |
 * | timestamp/date not recognized (Conversion → TIMESTAMP/DATE)    | 100035 | 22007 |
 * | boolean not recognized (Conversion → BOOLEAN)     | 100037 | 22018    |
 * | JSON parse error (Malformed JSON)                 | 100069 | 22P02    |
 * | NULL into a NOT NULL column (Constraint Error NOT NULL) | 100072 | 22000 |
 * | duplicate key (Constraint Error … duplicate key)  | 100116 | 23000    |
 * | transaction conflict (TransactionContext Error)   | 000625 | 57014    |
 * | anything else                                     | 100000 | XX000    |
 * | session / statement level: unknown warehouse etc. (USE) | 002043 | 02000 |
 * | no current database for an unqualified name       | 090105 | 22000    |
 */

export interface SnowflakeError {
  readonly code: string
  readonly sqlState: string
  readonly message: string
}

const compilation = (detail: string) => `SQL compilation error:\n${detail}`

export const objectDoesNotExist = (what: string): SnowflakeError => ({
  code: "002043",
  sqlState: "02000",
  message: compilation(`Object does not exist, or operation cannot be performed. (${what})`)
})

export const syntaxError = (detail: string): SnowflakeError => ({ code: "001003", sqlState: "42000", message: compilation(`syntax error: ${detail}`) })

export const bindError = (detail: string): SnowflakeError => ({ code: "002049", sqlState: "22000", message: compilation(`Bind variable error: ${detail}`) })

const firstLine = (s: string) => s.split("\n")[0] ?? s

export const mapDuckDbError = (e: unknown): SnowflakeError => {
  const raw = e instanceof Error ? e.message : String(e)
  const msg = firstLine(raw)
  const m = (code: string, sqlState: string, text: string): SnowflakeError => ({ code, sqlState, message: `${text}\n(DuckDB: ${msg})` })
  if (/^Parser Error/i.test(msg)) return m("001003", "42000", compilation("syntax error"))
  if (/^Catalog Error/i.test(msg)) {
    const name = /with name "?([^"!\s]+)"?/.exec(msg)?.[1] ?? /"([^"]+)"/.exec(msg)?.[1]
    if (/does not exist/i.test(msg)) return m("002003", "42S02", compilation(`Object '${name ?? "?"}' does not exist or not authorized.`))
    if (/already exists/i.test(msg)) return m("002002", "42710", compilation(`Object '${name ?? "?"}' already exists.`))
    return m("002003", "42000", compilation("Catalog error"))
  }
  if (/^Binder Error/i.test(msg)) {
    const col = /column "?([^"\s]+)"? not found|Referenced column "([^"]+)"/i.exec(msg)
    if (col !== null) return m("000904", "42000", compilation(`invalid identifier '${col[1] ?? col[2]}'`))
    return m("002003", "42000", compilation("Binder error"))
  }
  if (/Malformed JSON/i.test(msg)) return m("100069", "22P02", "Error parsing JSON")
  if (/^Conversion Error/i.test(msg)) {
    const conversion = /string ['"](.*)['"] to ([A-Z_]+)/is.exec(msg)
    const value = conversion?.[1]
    // Classified by the target type only: DuckDB appends "when casting from source column <NAME>", and a column
    // such as ESTIMATED_TIME_MS must not turn a DECIMAL conversion into a timestamp error.
    const targetType = conversion?.[2] ?? msg
    if (/TIMESTAMP|DATE|TIME/i.test(targetType)) return m("100035", "22007", `Timestamp '${value ?? "?"}' is not recognized`)
    if (/BOOL/i.test(targetType)) return m("100037", "22018", `Boolean value '${value ?? "?"}' is not recognized`)
    return m("100038", "22018", `Numeric value '${value ?? "?"}' is not recognized`)
  }
  if (/^Constraint Error/i.test(msg)) {
    if (/NOT NULL/i.test(msg)) return m("100072", "22000", "NULL result in a non-nullable column")
    return m("100116", "23000", "Duplicate key value violates unique constraint")
  }
  if (/^TransactionContext Error/i.test(msg)) return m("000625", "57014", "Statement reached its statement or warehouse timeout / transaction conflict")
  if (/^Invalid Input Error/i.test(msg)) return m("100038", "22018", "Invalid input")
  return m("100000", "XX000", "Internal error in the sandbox's DuckDB engine")
}
