/**
 * Snowflake SQL → DuckDB SQL, the few rewrites the Snowflake-protocol sandbox on DuckDB needs (docs/vendors,
 * Snowflake §4.4). It works on tokens (SqlTokens.ts), so nothing inside a string literal, a quoted identifier or a
 * comment is ever rewritten. What it does:
 *
 * - types, where a type can stand (after a column name, `AS` in a cast, `::`, `TYPE`): TIMESTAMP_NTZ / DATETIME →
 *   TIMESTAMP, TIMESTAMP_TZ / TIMESTAMP_LTZ → TIMESTAMPTZ (precision dropped), NUMBER/NUMERIC/DECIMAL without
 *   arguments → DECIMAL(38,0), NUMBER(p,s) → DECIMAL(p,s), INT family → DECIMAL(38,0) (Snowflake's INT is
 *   NUMBER(38,0)), FLOAT/REAL/DOUBLE → DOUBLE (DuckDB's FLOAT is 4 bytes, Snowflake's is 8), VARIANT/OBJECT/ARRAY
 *   → JSON, BINARY/VARBINARY → BLOB, STRING/TEXT → VARCHAR;
 * - functions: PARSE_JSON, TRY_PARSE_JSON, TO_VARIANT, TO_TIMESTAMP_NTZ, TRY_TO_TIMESTAMP_NTZ, TO_DATE, TRY_TO_DATE,
 *   TO_NUMBER, TRY_TO_NUMBER, TO_DOUBLE, TRY_TO_DOUBLE, TO_BOOLEAN, TRY_TO_BOOLEAN, TO_VARCHAR → `sf_*` macros the
 *   engine defines (Macros.ts); IFF → IF; OBJECT_CONSTRUCT → json_object; ARRAY_CONSTRUCT → json_array;
 *   CURRENT_TIMESTAMP() → CURRENT_TIMESTAMP; CURRENT_DATABASE() / _SCHEMA() / _ROLE() / _WAREHOUSE() → the session's (or NULL);
 * - `[DB.]INFORMATION_SCHEMA.<view>` → DuckDB's view filtered to that database (DuckDB's spans all of them);
 * - binds `:N` → `$N` (`?` is DuckDB's too);
 * - `CREATE TRANSIENT TABLE` → `CREATE TABLE`, `VOLATILE`/`LOCAL`/`GLOBAL TEMPORARY` → `TEMPORARY`;
 * - string literals written with backslash escapes or `$$` re-encoded as DuckDB `'…'` with the same value;
 * - in `UPDATE … SET` (also MERGE's `WHEN MATCHED THEN UPDATE SET`) a qualified target column `T."C" = …` loses
 *   its qualifier: Snowflake accepts it, DuckDB does not;
 * - `ALTER TABLE` forms DuckDB lacks (`alterTable` below): `DROP PRIMARY KEY`, and `ADD COLUMN … NOT NULL`.
 *
 * What needs no rewrite on DuckDB ≥ 1.4: MERGE INTO … WHEN [NOT] MATCHED, QUALIFY, CREATE [OR REPLACE] TEMPORARY
 * TABLE, ALTER TABLE … ADD COLUMN IF NOT EXISTS (one column per statement), information_schema, BEGIN/COMMIT.
 * Session statements (USE, SHOW, ALTER SESSION) are answered by the engine (SessionStatements.ts), not here.
 *
 * What it does not do: VARIANT paths (`v:a.b`), FLATTEN, LATERAL, SEQ8(), and Snowflake's upper-casing of unquoted
 * identifiers — DuckDB matches identifiers case-insensitively, so `"Name"` and `NAME` are the same column here
 * though not in Snowflake. The golden SQL tests of the dialect pin the quoting instead.
 */
import { duckDbString, isSignificant, type Token, tokenize } from "./SqlTokens.ts"

const TYPE_REWRITES: Readonly<Record<string, string>> = {
  TIMESTAMP_NTZ: "TIMESTAMP",
  DATETIME: "TIMESTAMP",
  TIMESTAMP_TZ: "TIMESTAMPTZ",
  TIMESTAMP_LTZ: "TIMESTAMPTZ",
  VARIANT: "JSON",
  OBJECT: "JSON",
  ARRAY: "JSON",
  FLOAT: "DOUBLE",
  FLOAT4: "DOUBLE",
  FLOAT8: "DOUBLE",
  REAL: "DOUBLE",
  DOUBLE: "DOUBLE",
  INT: "DECIMAL(38,0)",
  INTEGER: "DECIMAL(38,0)",
  BIGINT: "DECIMAL(38,0)",
  SMALLINT: "DECIMAL(38,0)",
  TINYINT: "DECIMAL(38,0)",
  BYTEINT: "DECIMAL(38,0)",
  STRING: "VARCHAR",
  TEXT: "VARCHAR",
  BINARY: "BLOB",
  VARBINARY: "BLOB"
}
/** Types whose `(precision)` DuckDB does not take. */
const DROP_PRECISION = new Set(["TIMESTAMP_NTZ", "DATETIME", "TIMESTAMP_TZ", "TIMESTAMP_LTZ", "TIMESTAMP", "BINARY", "VARBINARY"])
const NUMERIC = new Set(["NUMBER", "NUMERIC", "DECIMAL"])

const FUNCTION_REWRITES: Readonly<Record<string, string>> = {
  PARSE_JSON: "sf_parse_json",
  TRY_PARSE_JSON: "sf_try_parse_json",
  TO_VARIANT: "sf_to_variant",
  TO_TIMESTAMP_NTZ: "sf_to_timestamp_ntz",
  TRY_TO_TIMESTAMP_NTZ: "sf_try_to_timestamp_ntz",
  TO_TIMESTAMP: "sf_to_timestamp_ntz",
  TRY_TO_TIMESTAMP: "sf_try_to_timestamp_ntz",
  TO_TIMESTAMP_TZ: "sf_to_timestamp_tz",
  TRY_TO_TIMESTAMP_TZ: "sf_try_to_timestamp_tz",
  TO_TIMESTAMP_LTZ: "sf_to_timestamp_tz",
  TRY_TO_TIMESTAMP_LTZ: "sf_try_to_timestamp_tz",
  TO_DATE: "sf_to_date",
  TRY_TO_DATE: "sf_try_to_date",
  TO_NUMBER: "sf_to_number",
  TRY_TO_NUMBER: "sf_try_to_number",
  TO_DECIMAL: "sf_to_number",
  TRY_TO_DECIMAL: "sf_try_to_number",
  TO_DOUBLE: "sf_to_double",
  TRY_TO_DOUBLE: "sf_try_to_double",
  TO_BOOLEAN: "sf_to_boolean",
  TRY_TO_BOOLEAN: "sf_try_to_boolean",
  TO_VARCHAR: "sf_to_varchar",
  TO_CHAR: "sf_to_varchar",
  IFF: "IF",
  OBJECT_CONSTRUCT: "json_object",
  ARRAY_CONSTRUCT: "json_array"
}

/** Words after which a type name cannot stand (an unquoted word before a type is a column name, a keyword is not). */
const NOT_A_COLUMN_NAME = new Set([
  "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "BY", "ON", "SET", "VALUES", "RETURNING", "WHEN", "THEN", "ELSE",
  "CASE", "END", "IN", "IS", "NULL", "JOIN", "USING", "INTO", "TABLE", "UPDATE", "INSERT", "DELETE", "MERGE", "WITH",
  "DISTINCT", "GROUP", "ORDER", "HAVING", "QUALIFY", "LIMIT", "UNION", "ALL", "EXISTS", "LIKE", "COLUMN", "ADD", "DROP",
  "ALTER", "CREATE", "REPLACE", "IF", "OVER", "PARTITION", "DESC", "ASC", "BETWEEN", "MATCHED", "LATERAL", "TEMPORARY"
])

const isTypeContext = (prev: Token | undefined): boolean => {
  if (prev === undefined) return false
  if (prev.kind === "quoted") return true
  if (prev.kind === "punct") return prev.text === "::"
  if (prev.kind === "word") return prev.upper === "AS" || prev.upper === "TYPE" || !NOT_A_COLUMN_NAME.has(prev.upper)
  return false
}

/** Words that may follow a table name but are not its alias. */
const CLAUSE_WORDS = new Set(["WHERE", "ORDER", "GROUP", "HAVING", "QUALIFY", "LIMIT", "JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "ON", "USING", "UNION", "EXCEPT", "INTERSECT", "MINUS", "WINDOW", "OFFSET", "FETCH"])

type SessionNames = { readonly database: string | undefined; readonly schema: string | undefined; readonly role?: string | undefined; readonly warehouse?: string | undefined }

/**
 * `ALTER TABLE` forms Snowflake has and DuckDB (1.5) does not, as DuckDB statements with the same effect (how the
 * sink takes over an empty table for a shared schema: DROP PRIMARY KEY, ADD COLUMN "_PROJECT" … NOT NULL, ADD
 * PRIMARY KEY — the last one DuckDB has):
 * - `ALTER TABLE t DROP PRIMARY KEY` → `CREATE OR REPLACE TABLE t AS SELECT * FROM t`: DuckDB cannot drop a
 *   constraint, so the table is rebuilt with its rows and column types, and without constraints — NOT NULL and
 *   defaults too, which Snowflake would keep;
 * - `ALTER TABLE t ADD COLUMN [IF NOT EXISTS] c <type> NOT NULL` → the column added, then `ALTER COLUMN c SET NOT
 *   NULL`, which fails on a table with rows as Snowflake's ADD does (but leaves the column added: not atomic).
 * Undefined for any other statement.
 */
const alterTable = (tokens: ReadonlyArray<Token>, session: SessionNames | undefined): string | undefined => {
  const sig = tokens.filter(isSignificant)
  const end = isPunctToken(sig[sig.length - 1], ";") ? sig.length - 1 : sig.length
  const upper = (k: number) => (sig[k]?.kind === "word" ? (sig[k] as { readonly upper: string }).upper : undefined)
  if (upper(0) !== "ALTER" || upper(1) !== "TABLE") return undefined
  let k = 2
  while (k < end && (sig[k]?.kind === "quoted" || (sig[k]?.kind === "word" && upper(k) !== "DROP" && upper(k) !== "ADD") || isPunctToken(sig[k], "."))) k++
  const name = sig.slice(2, k).map((t) => t.text).join("")
  if (name === "") return undefined
  if (upper(k) === "DROP" && upper(k + 1) === "PRIMARY" && upper(k + 2) === "KEY" && k + 3 === end) return `CREATE OR REPLACE TABLE ${name} AS SELECT * FROM ${name}`
  if (upper(k) !== "ADD" || upper(k + 1) !== "COLUMN" || upper(end - 2) !== "NOT" || upper(end - 1) !== "NULL") return undefined
  const column = sig[upper(k + 2) === "IF" && upper(k + 3) === "NOT" && upper(k + 4) === "EXISTS" ? k + 5 : k + 2]
  if (column === undefined || (column.kind !== "quoted" && column.kind !== "word")) return undefined
  const notAt = tokens.indexOf(sig[end - 2] as Token)
  const add = translateToDuckDb(tokens.slice(0, notAt).map((t) => t.text).join("").trimEnd(), session)
  return `${add}; ALTER TABLE ${name} ALTER COLUMN ${column.text} SET NOT NULL`
}

const isPunctToken = (t: Token | undefined, text: string) => t?.kind === "punct" && t.text === text

/**
 * @param session the session's current database, schema, role and warehouse: `CURRENT_DATABASE()` and the like
 * answer them (NULL when there is none, as Snowflake does), not DuckDB's default catalog.
 */
export const translateToDuckDb = (
  snowflakeSql: string,
  session?: SessionNames
): string => {
  const tokens = tokenize(snowflakeSql)
  const altered = alterTable(tokens, session)
  if (altered !== undefined) return altered
  // indexes of significant tokens, to look at neighbours across whitespace and comments
  const sig: Array<number> = []
  tokens.forEach((t, i) => {
    if (isSignificant(t)) sig.push(i)
  })
  const out: Array<string> = tokens.map((t) => t.text)
  const at = (k: number): Token | undefined => {
    const i = sig[k]
    return i === undefined ? undefined : tokens[i]
  }
  const isPunct = (t: Token | undefined, text: string) => t?.kind === "punct" && t.text === text
  /** Blanks the significant tokens k..k+2 when they are `( digits )`: a precision DuckDB does not take. */
  const dropPrecision = (k: number) => {
    if (isPunct(at(k), "(") && at(k + 1)?.kind === "number" && isPunct(at(k + 2), ")")) {
      for (let j = k; j <= k + 2; j++) out[sig[j] as number] = ""
    }
  }

  /** Inside `SET a = …, b = …` of an UPDATE: the parenthesis depth, or undefined outside. */
  let setDepth: number | undefined
  let depth = 0
  const isName = (t: Token | undefined) => t?.kind === "quoted" || t?.kind === "word"
  for (let k = 0; k < sig.length; k++) {
    const idx = sig[k] as number
    const t = tokens[idx] as Token
    const prev = at(k - 1)
    const next = at(k + 1)
    if (isPunct(t, "(")) depth++
    if (isPunct(t, ")")) depth--
    if (t.kind === "word" && t.upper === "SET" && isName(prev)) setDepth = depth
    else if (setDepth !== undefined && depth === setDepth && (isPunct(t, ";") || (t.kind === "word" && ["WHEN", "WHERE", "FROM", "RETURNING"].includes(t.upper)))) setDepth = undefined
    // an assignment's start: right after SET or after a comma at the SET's depth
    if (setDepth !== undefined && depth === setDepth && isName(t) && isPunct(next, ".") && isName(at(k + 2)) && isPunct(at(k + 3), "=")) {
      const before = at(k - 1)
      if ((before?.kind === "word" && before.upper === "SET") || isPunct(before, ",")) {
        out[idx] = ""
        out[sig[k + 1] as number] = ""
        k += 1
        continue
      }
    }
    if (t.kind === "string") {
      if (t.escaped) out[idx] = duckDbString(t.value)
      continue
    }
    if (t.kind === "param") {
      if (t.text.startsWith(":")) out[idx] = `$${t.index}`
      continue
    }
    if (t.kind !== "word") continue
    // `[DB.]INFORMATION_SCHEMA.<view>`: Snowflake's is one database's (the named or the current one); DuckDB's
    // spans every attached database and cannot be qualified, so the view is filtered to the database instead
    if (session !== undefined && t.upper === "INFORMATION_SCHEMA" && isPunct(next, ".") && at(k + 2)?.kind === "word") {
      const view = (at(k + 2) as { readonly upper: string }).upper
      const column = view === "SCHEMATA" ? "catalog_name" : "table_catalog"
      const qualified = isPunct(prev, ".") && isName(at(k - 2))
      const dbToken = qualified ? at(k - 2) : undefined
      const database = dbToken === undefined ? session.database : dbToken.kind === "quoted" ? dbToken.name : (dbToken as { readonly upper: string }).upper
      const after = at(k + 3)
      const aliased = after?.kind === "quoted" || (after?.kind === "word" && !CLAUSE_WORDS.has(after.upper))
      const filter = database === undefined ? "CAST(NULL AS VARCHAR)" : duckDbString(database)
      if (qualified) {
        out[sig[k - 2] as number] = ""
        out[sig[k - 1] as number] = ""
      }
      out[idx] = `(SELECT * FROM information_schema.${view.toLowerCase()} WHERE ${column} = ${filter})${aliased ? "" : ` AS "${view}"`}`
      out[sig[k + 1] as number] = ""
      out[sig[k + 2] as number] = ""
      k += 2
      continue
    }
    // a qualified name's part (`x.VARIANT`, `VARIANT.x`) is a name, never a type or a function
    if (isPunct(prev, ".") || isPunct(next, ".")) continue
    const u = t.upper
    if (isPunct(next, "(")) {
      const fn = FUNCTION_REWRITES[u]
      if (fn !== undefined) {
        out[idx] = fn
        continue
      }
      const current = session === undefined ? undefined : { CURRENT_DATABASE: session.database, CURRENT_SCHEMA: session.schema, CURRENT_ROLE: session.role, CURRENT_WAREHOUSE: session.warehouse }
      if (current !== undefined && u in current && isPunct(at(k + 2), ")")) {
        const value = current[u as keyof typeof current]
        out[idx] = value === undefined ? "CAST(NULL AS VARCHAR)" : duckDbString(value)
        out[sig[k + 1] as number] = ""
        out[sig[k + 2] as number] = ""
        k += 2
        continue
      }
      if ((u === "CURRENT_TIMESTAMP" || u === "SYSDATE" || u === "CURRENT_DATE") && isPunct(at(k + 2), ")")) {
        out[idx] = u === "SYSDATE" ? "CAST(now() AT TIME ZONE 'UTC' AS TIMESTAMP)" : u
        out[sig[k + 1] as number] = ""
        out[sig[k + 2] as number] = ""
        k += 2
        continue
      }
    }
    if (u === "TRANSIENT" && prev?.kind === "word" && (prev.upper === "CREATE" || prev.upper === "REPLACE")) {
      out[idx] = ""
      continue
    }
    if ((u === "VOLATILE" || u === "LOCAL" || u === "GLOBAL") && next?.kind === "word" && (next.upper === "TEMPORARY" || next.upper === "TEMP" || next.upper === "TABLE")) {
      out[idx] = u === "VOLATILE" ? "TEMPORARY" : ""
      continue
    }
    if (!isTypeContext(prev)) continue
    if (NUMERIC.has(u)) {
      if (isPunct(next, "(")) out[idx] = "DECIMAL"
      else out[idx] = "DECIMAL(38,0)"
      continue
    }
    const type = TYPE_REWRITES[u]
    if (type !== undefined) {
      out[idx] = type
      if (DROP_PRECISION.has(u)) dropPrecision(k + 1)
      continue
    }
    if (u === "TIMESTAMP") dropPrecision(k + 1)
  }
  return out.join("")
}
