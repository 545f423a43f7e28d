/**
 * What kind of statement a Snowflake SQL text is, decided on its tokens: the `statementTypeId` the driver reads
 * (docs/vendors, Snowflake §1.4: SELECT 0x1000, DML 0x3000–0x3FFF with INSERT 0x3100 / UPDATE 0x3200 / DELETE
 * 0x3300 / MERGE 0x3400, DDL ≥ 0x6000), and the session statements the engine answers itself instead of DuckDB
 * (USE …, SHOW …, ALTER SESSION, CREATE DATABASE, transactions).
 */
import { identifierName, isSignificant, type Token, tokenize } from "./SqlTokens.ts"

export const STATEMENT_TYPE = {
  select: 0x1000,
  insert: 0x3100,
  update: 0x3200,
  delete: 0x3300,
  merge: 0x3400,
  session: 0x4000,
  transaction: 0x5000,
  ddl: 0x6000
} as const

export type Statement =
  | { readonly kind: "select" | "insert" | "update" | "delete" | "merge" | "ddl" | "other" }
  | { readonly kind: "begin" | "commit" | "rollback" }
  | { readonly kind: "useWarehouse" | "useRole"; readonly name: string }
  | { readonly kind: "useDatabase"; readonly database: string }
  | { readonly kind: "useSchema"; readonly database: string | undefined; readonly schema: string }
  | { readonly kind: "show"; readonly what: string; readonly like: string | undefined }
  | { readonly kind: "alterSession" }
  | { readonly kind: "createDatabase"; readonly database: string; readonly orReplace: boolean; readonly ifNotExists: boolean }

export const statementTypeId = (s: Statement): number => {
  switch (s.kind) {
    case "select":
    case "show":
      return STATEMENT_TYPE.select
    case "insert":
      return STATEMENT_TYPE.insert
    case "update":
      return STATEMENT_TYPE.update
    case "delete":
      return STATEMENT_TYPE.delete
    case "merge":
      return STATEMENT_TYPE.merge
    case "begin":
    case "commit":
    case "rollback":
      return STATEMENT_TYPE.transaction
    case "useWarehouse":
    case "useRole":
    case "useDatabase":
    case "useSchema":
    case "alterSession":
      return STATEMENT_TYPE.session
    default:
      return STATEMENT_TYPE.ddl
  }
}

/** A dotted name `a.b.c` starting at significant token k: its parts (Snowflake case rules) and the next index. */
const dottedName = (sig: ReadonlyArray<Token>, k: number): { parts: Array<string>; next: number } => {
  const parts: Array<string> = []
  let i = k
  for (;;) {
    const t = sig[i]
    const name = t === undefined ? undefined : identifierName(t)
    if (name === undefined) break
    parts.push(name)
    i++
    const dot = sig[i]
    if (dot?.kind === "punct" && dot.text === ".") i++
    else break
  }
  return { parts, next: i }
}

export const classify = (snowflakeSql: string): Statement => {
  const sig = tokenize(snowflakeSql).filter(isSignificant)
  const word = (k: number) => {
    const t = sig[k]
    return t?.kind === "word" ? t.upper : undefined
  }
  const first = word(0)
  switch (first) {
    case "SELECT":
    case "WITH":
    case "VALUES":
    case "DESC":
    case "DESCRIBE":
    case "EXPLAIN":
      return { kind: "select" }
    case "INSERT":
      return { kind: "insert" }
    case "UPDATE":
      return { kind: "update" }
    case "DELETE":
      return { kind: "delete" }
    case "MERGE":
      return { kind: "merge" }
    case "BEGIN":
    case "START":
      return { kind: "begin" }
    case "COMMIT":
      return { kind: "commit" }
    case "ROLLBACK":
      return { kind: "rollback" }
    case "SHOW": {
      let k = 1
      if (word(k) === "TERSE") k++
      const what = word(k) ?? ""
      const likeAt = sig.findIndex((t) => t.kind === "word" && t.upper === "LIKE")
      const likeTok = likeAt >= 0 ? sig[likeAt + 1] : undefined
      return { kind: "show", what, like: likeTok?.kind === "string" ? likeTok.value : undefined }
    }
    case "USE": {
      const second = word(1)
      if (second === "WAREHOUSE") return { kind: "useWarehouse", name: dottedName(sig, 2).parts.join(".") }
      if (second === "ROLE" || second === "SECONDARY") return { kind: "useRole", name: dottedName(sig, 2).parts.join(".") }
      if (second === "SCHEMA") {
        const { parts } = dottedName(sig, 2)
        return parts.length >= 2 ? { kind: "useSchema", database: parts[0], schema: parts[1] as string } : { kind: "useSchema", database: undefined, schema: parts[0] ?? "" }
      }
      const { parts } = dottedName(sig, second === "DATABASE" ? 2 : 1)
      if (parts.length >= 2) return { kind: "useSchema", database: parts[0], schema: parts[1] as string }
      return { kind: "useDatabase", database: parts[0] ?? "" }
    }
    case "ALTER":
      return word(1) === "SESSION" ? { kind: "alterSession" } : { kind: "ddl" }
    case "CREATE": {
      let k = 1
      let orReplace = false
      if (word(k) === "OR" && word(k + 1) === "REPLACE") {
        orReplace = true
        k += 2
      }
      if (word(k) === "TRANSIENT") k++
      if (word(k) === "DATABASE") {
        k++
        let ifNotExists = false
        if (word(k) === "IF" && word(k + 1) === "NOT" && word(k + 2) === "EXISTS") {
          ifNotExists = true
          k += 3
        }
        return { kind: "createDatabase", database: dottedName(sig, k).parts[0] ?? "", orReplace, ifNotExists }
      }
      return { kind: "ddl" }
    }
    case "DROP":
    case "TRUNCATE":
    case "COMMENT":
    case "GRANT":
    case "REVOKE":
      return { kind: "ddl" }
    default:
      return { kind: "other" }
  }
}

/** Whether a MERGE text has a `WHEN … THEN DELETE` clause (Snowflake then also reports deleted rows). */
export const mergeDeletes = (snowflakeSql: string): boolean => {
  const sig = tokenize(snowflakeSql).filter(isSignificant)
  return sig.some((t, i) => t.kind === "word" && t.upper === "DELETE" && sig[i - 1]?.kind === "word" && (sig[i - 1] as { upper: string }).upper === "THEN")
}

/** Words after which a statement names a table (`FROM t`, `INTO t`, `CREATE … TABLE IF NOT EXISTS t`, …). */
const OBJECT_BEFORE = new Set(["FROM", "JOIN", "INTO", "UPDATE", "TABLE", "USING"])

/**
 * What a statement needs of the session to resolve its table names, as Snowflake resolves them: `t` needs a current
 * database and schema, `s.t` a current database, `d.s.t` nothing. `verb` is how Snowflake names the statement in
 * "Cannot perform <verb>" (`SELECT`, `CREATE TABLE`).
 */
export const nameResolution = (snowflakeSql: string): { readonly verb: string; readonly needsDatabase: boolean; readonly needsSchema: boolean } => {
  const sig = tokenize(snowflakeSql).filter(isSignificant)
  const words = sig.flatMap((t) => (t.kind === "word" ? [t.upper] : []))
  const first = words[0] ?? ""
  const verb = first === "CREATE" || first === "ALTER" || first === "DROP" || first === "TRUNCATE" ? `${first} ${words.includes("TABLE") ? "TABLE" : (words[1] ?? "")}`.trim() : first
  let needsDatabase = false
  let needsSchema = false
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k]
    if (t?.kind !== "word" || !OBJECT_BEFORE.has(t.upper)) continue
    let n = k + 1
    while (sig[n]?.kind === "word" && ["IF", "NOT", "EXISTS", "ONLY"].includes((sig[n] as { upper: string }).upper)) n++
    const { parts, next } = dottedName(sig, n)
    // a subquery, a table function (`FROM TABLE(…)`; after INTO or TABLE a `(` opens the column list), or MERGE's `UPDATE SET`
    const tableFunction = sig[next]?.text === "(" && (t.upper === "FROM" || t.upper === "JOIN" || t.upper === "USING")
    if (parts.length === 0 || tableFunction || (t.upper === "UPDATE" && parts[0] === "SET")) continue
    if (parts.length < 3) needsDatabase = true
    if (parts.length < 2) needsSchema = true
  }
  return { verb, needsDatabase, needsSchema }
}
