/**
 * The DuckDB side of the Snowflake-protocol sandbox: databases, sessions and statement execution.
 *
 * Mapping of names. A Snowflake database is an ATTACHed DuckDB database of the same name and a Snowflake schema a
 * DuckDB schema inside it, so `DB.SCHEMA.TABLE` resolves unchanged and `USE DB.SCHEMA` is DuckDB's own USE. In
 * memory each database is `ATTACH ':memory:'`; with `databaseFile` each one is a file next to it,
 * `<databaseFile without .duckdb>.<encoded DB name>.duckdb`, re-attached at start (the `databaseFile` itself holds
 * nothing but DuckDB's default catalog). Databases and schemas named at login are created when missing, so the
 * sandbox is usable from an empty start — unless `databases` lists the account's databases: then, as on Snowflake,
 * a login naming another database (or a schema that does not exist) succeeds without a current database (schema),
 * and a statement naming a table it would have to resolve there fails with 090105 (090106).
 *
 * Identifiers: DuckDB keeps the case of names but matches them case-insensitively, while Snowflake upper-cases
 * unquoted names and matches quoted names exactly. So here `"Name"`, `"NAME"` and `name` are one column; a quoting
 * mistake that would fail on Snowflake passes on the sandbox. The dialect's golden SQL tests pin the quoting.
 *
 * Sessions. Each Snowflake session has its own DuckDB connection: temporary tables, USE and open transactions are
 * per session as on Snowflake. Statements of one session run one at a time, in arrival order.
 *
 * Array binds (column-major `bindings` with arrays) run inside one transaction (unless the session already has one
 * open), so a bad row leaves nothing behind: a plain `INSERT … VALUES (?, …)` as multi-row VALUES of 500 rows,
 * any other statement once per row with one prepared statement.
 */
import { type DuckDBConnection, DuckDBInstance, type DuckDBValue } from "@duckdb/node-api"
import * as fs from "node:fs"
import * as path from "node:path"
import { BindingsError, decodeBindings } from "./Binds.ts"
import { MACROS } from "./Macros.ts"
import { countsResult, type ResultSet, statusResult, toResultSet } from "./ResultSet.ts"
import { bindError, mapDuckDbError, objectDoesNotExist, type SnowflakeError, syntaxError } from "./SnowflakeErrors.ts"
import { duckDbString, quoteIdentifier, SqlTokenizeError } from "./SqlTokens.ts"
import { translateToDuckDb } from "./SqlTranslator.ts"
import { classify, mergeDeletes, nameResolution, type Statement, statementTypeId } from "./Statements.ts"

export class SnowflakeStatementError extends Error {
  readonly error: SnowflakeError
  constructor(error: SnowflakeError) {
    super(error.message)
    this.error = error
  }
}

export interface Session {
  readonly id: number
  token: string
  readonly masterToken: string
  readonly connection: DuckDBConnection
  database: string | undefined
  schema: string | undefined
  warehouse: string | undefined
  role: string
  inTransaction: boolean
  /** The tail of this session's statement queue. */
  queue: Promise<unknown>
}

export interface Executed {
  readonly statementTypeId: number
  readonly result: ResultSet
}

export interface Engine {
  readonly openSession: (o: { id: number; token: string; masterToken: string; database: string | undefined; schema: string | undefined; warehouse: string | undefined; role: string }) => Promise<Session>
  readonly closeSession: (s: Session) => void
  /** Runs one statement for a session, after the ones before it; rejects with SnowflakeStatementError. */
  readonly execute: (s: Session, sqlText: string, bindings: unknown) => Promise<Executed>
  readonly hasDatabase: (name: string) => boolean
  readonly query: (sql: string) => Promise<ReadonlyArray<Record<string, unknown>>>
  /** Waits for every session's queue, then closes all connections and the instance. */
  readonly close: () => Promise<void>
}

const fail = (e: SnowflakeError): never => {
  throw new SnowflakeStatementError(e)
}

/** Rows per multi-row VALUES when an array-bound INSERT is run (Engine.runRows). */
const INSERT_CHUNK = 500

const likeToRegExp = (like: string) => new RegExp(`^${like.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replaceAll("%", ".*").replaceAll("_", ".")}$`, "i")

export const makeEngine = async (o: {
  readonly databaseFile: string | undefined
  readonly warehouses: ReadonlyArray<string>
  /** The account's databases, when fixed (see the top of this file); undefined: created as logins name them. */
  readonly databases?: ReadonlyArray<string> | undefined
}): Promise<Engine> => {
  const instance = await DuckDBInstance.create(o.databaseFile ?? ":memory:")
  const admin = await instance.connect()
  const databases = new Set<string>()
  const connections = new Set<DuckDBConnection>()
  const closing = new Set<Promise<unknown>>()
  const warehouses = new Set(o.warehouses.map((w) => w.toUpperCase()))

  const fileFor = (db: string): string | undefined => {
    if (o.databaseFile === undefined) return undefined
    const base = o.databaseFile.replace(/\.duckdb$/i, "")
    return `${base}.${encodeURIComponent(db)}.duckdb`
  }
  const attach = async (db: string) => {
    if (databases.has(db)) return
    const file = fileFor(db)
    await admin.run(`ATTACH IF NOT EXISTS ${file === undefined ? "':memory:'" : `'${file.replaceAll("'", "''")}'`} AS ${quoteIdentifier(db)}`)
    await admin.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(db)}."PUBLIC"`)
    databases.add(db)
  }
  if (o.databaseFile !== undefined) {
    const base = path.basename(o.databaseFile.replace(/\.duckdb$/i, ""))
    const dir = path.dirname(o.databaseFile)
    for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      const m = f.startsWith(`${base}.`) && f.endsWith(".duckdb") ? f.slice(base.length + 1, -".duckdb".length) : undefined
      if (m !== undefined && m !== "" && !m.includes(".")) await attach(decodeURIComponent(m))
    }
  }
  for (const db of o.databases ?? []) await attach(db)
  const schemaExists = async (database: string, schema: string) =>
    (await admin.runAndReadAll(`SELECT 1 FROM information_schema.schemata WHERE catalog_name = $1 AND schema_name = $2`, [database, schema])).getRows().length > 0

  const connect = async () => {
    const c = await instance.connect()
    for (const m of MACROS) await c.run(m)
    connections.add(c)
    return c
  }
  const helper = await connect()

  const use = async (s: Session, database: string, schema: string) => {
    if (!databases.has(database)) fail(objectDoesNotExist(`database ${database}`))
    try {
      await s.connection.run(`USE ${quoteIdentifier(database)}.${quoteIdentifier(schema)}`)
    } catch {
      fail(objectDoesNotExist(`schema ${database}.${schema}`))
    }
    s.database = database
    s.schema = schema
  }

  const run = async (s: Session, sql: string, params: ReadonlyArray<DuckDBValue> | undefined) => {
    try {
      return await s.connection.runAndReadAll(sql, params === undefined ? undefined : [...params])
    } catch (e) {
      return fail(mapDuckDbError(e))
    }
  }

  const sessionStatement = async (s: Session, st: Statement): Promise<ResultSet | undefined> => {
    switch (st.kind) {
      case "useWarehouse":
        if (!warehouses.has(st.name.toUpperCase())) fail(objectDoesNotExist(`warehouse ${st.name}`))
        s.warehouse = st.name.toUpperCase()
        return statusResult("Statement executed successfully.")
      case "useRole":
        s.role = st.name
        return statusResult("Statement executed successfully.")
      case "useDatabase":
        await use(s, st.database, "PUBLIC")
        return statusResult("Statement executed successfully.")
      case "useSchema": {
        const db = st.database ?? s.database
        if (db === undefined) fail({ code: "090105", sqlState: "22000", message: "Cannot perform USE SCHEMA. This session does not have a current database. Call 'USE DATABASE', or use a qualified name." })
        await use(s, db as string, st.schema)
        return statusResult("Statement executed successfully.")
      }
      case "alterSession":
        return statusResult("Statement executed successfully.")
      case "createDatabase": {
        const exists = databases.has(st.database)
        if (exists && !st.ifNotExists && !st.orReplace) fail({ code: "002002", sqlState: "42710", message: `SQL compilation error:\nObject '${st.database}' already exists.` })
        await attach(st.database)
        return statusResult(exists && st.ifNotExists ? `${st.database} already exists, statement succeeded.` : `Database ${st.database} successfully created.`)
      }
      case "show":
        return show(s, st.what, st.like)
      default:
        return undefined
    }
  }

  const show = async (s: Session, what: string, like: string | undefined): Promise<ResultSet> => {
    const filter = like === undefined ? () => true : (n: string) => likeToRegExp(like).test(n)
    const names = (rows: ReadonlyArray<string>, extra: Record<string, string> = {}) => {
      const selected = rows.filter(filter)
      const cols = ["name", ...Object.keys(extra)]
      return {
        rowtype: cols.map((name) => ({ name, type: "text", scale: null, precision: null, length: 16777216, byteLength: 16777216, nullable: true, database: "", schema: "", table: "" })),
        rowset: selected.map((n) => [n, ...Object.values(extra)])
      }
    }
    if (what === "WAREHOUSES") return names([...warehouses])
    if (what === "DATABASES") return names([...databases].sort())
    if (what === "SCHEMAS" || what === "TABLES") {
      if (s.database === undefined) return names([])
      const reader = await run(
        s,
        what === "SCHEMAS"
          ? `SELECT schema_name AS n FROM information_schema.schemata WHERE catalog_name = $1 ORDER BY 1`
          : `SELECT table_name AS n FROM information_schema.tables WHERE table_catalog = $1 AND table_schema = $2 ORDER BY 1`,
        what === "SCHEMAS" ? [s.database] : [s.database, s.schema ?? "PUBLIC"]
      )
      const rows = reader.getRows().map((r) => String(r[0]))
      return names(rows, what === "TABLES" ? { database_name: s.database, schema_name: s.schema ?? "PUBLIC" } : { database_name: s.database })
    }
    return fail(syntaxError(`SHOW ${what} is not supported by the sandbox (SHOW TABLES, SCHEMAS, DATABASES, WAREHOUSES are)`))
  }

  /** Runs `sql` once per row of params, inside a transaction unless one is open; returns the readers. */
  const runRows = async (s: Session, sql: string, rows: ReadonlyArray<ReadonlyArray<DuckDBValue>>) => {
    const own = !s.inTransaction
    if (own) await run(s, "BEGIN TRANSACTION", undefined)
    try {
      const readers = []
      // `INSERT … VALUES (?, …, ?)` — the staging load — runs as multi-row VALUES of up to INSERT_CHUNK rows:
      // the same rows in the same transaction, many times faster than one execution per row.
      const values = /^([\s\S]*\bVALUES\s*)\(\s*\?(?:\s*,\s*\?)*\s*\)\s*$/i.exec(sql)
      const chunk = values === null ? Math.max(rows.length, 1) : INSERT_CHUNK
      const tuple = `(${(rows[0] ?? []).map(() => "?").join(", ")})`
      for (let start = 0; start < rows.length; start += chunk) {
        const part = rows.slice(start, start + chunk)
        // Text binds (all the sink sends) go in as string literals: DuckDB binds thousands of parameters of one
        // statement slowly (≈ 1,000 rows/s for 24 columns), and parses the same values as literals many times faster.
        // The values are exactly the same: only `'` needs doubling, DuckDB strings have no other escapes.
        // (A NUL would end the literal in DuckDB's parser: such rows are bound as parameters instead.)
        if (values !== null && part.every((row) => row.every((v) => v === null || (typeof v === "string" && !v.includes("\u0000"))))) {
          const literals = part.map((row) => `(${row.map((v) => (v === null ? "NULL" : duckDbString(v as string))).join(", ")})`).join(", ")
          readers.push(await run(s, `${values[1]}${literals}`, undefined))
          continue
        }
        const text = values === null ? sql : `${values[1]}${part.map(() => tuple).join(", ")}`
        let prepared
        try {
          prepared = await s.connection.prepare(text)
        } catch (e) {
          return fail(mapDuckDbError(e))
        }
        try {
          // one prepared statement serves every row when rows run one at a time
          for (const row of values === null ? part : [part.flat()]) {
            try {
              prepared.bind([...row])
              readers.push(await prepared.runAndReadAll())
            } catch (e) {
              fail(mapDuckDbError(e))
            }
          }
        } finally {
          prepared.destroySync()
        }
      }
      if (own) await run(s, "COMMIT", undefined)
      return readers
    } catch (e) {
      if (own) await s.connection.run("ROLLBACK").catch(() => undefined)
      throw e
    }
  }

  const executeNow = async (s: Session, sqlText: string, bindings: unknown): Promise<Executed> => {
    let st: Statement
    let translated: string
    try {
      st = classify(sqlText)
      translated = translateToDuckDb(sqlText, { database: s.database, schema: s.schema, role: s.role, warehouse: s.warehouse }).trim().replace(/;\s*$/, "")
    } catch (e) {
      if (e instanceof SqlTokenizeError) return fail(syntaxError(e.message))
      throw e
    }
    const typeId = statementTypeId(st)
    const session = await sessionStatement(s, st)
    if (session !== undefined) return { statementTypeId: typeId, result: session }
    if (s.database === undefined || s.schema === undefined) {
      // DuckDB would resolve the name in its default catalog; Snowflake refuses
      const { verb, needsDatabase, needsSchema } = nameResolution(sqlText)
      const missing = needsDatabase && s.database === undefined ? "database" : needsSchema && s.schema === undefined ? "schema" : undefined
      if (missing !== undefined)
        fail({
          code: missing === "database" ? "090105" : "090106",
          sqlState: "22000",
          message: `Cannot perform ${verb}. This session does not have a current ${missing}. Call 'USE ${missing.toUpperCase()}', or use a qualified name.`
        })
    }
    let binds
    try {
      binds = decodeBindings(bindings)
    } catch (e) {
      if (e instanceof BindingsError) return fail(bindError(e.message))
      throw e
    }
    const sql = st.kind === "merge" ? `${translated} RETURNING merge_action` : translated
    const readers = binds.kind === "array" ? await runRows(s, sql, binds.rows) : [await run(s, sql, binds.kind === "single" ? binds.row : undefined)]
    if (st.kind === "begin") s.inTransaction = true
    if (st.kind === "commit" || st.kind === "rollback") s.inTransaction = false
    const changed = () => readers.reduce((n, r) => n + Number(r.rowsChanged), 0)
    switch (st.kind) {
      case "insert":
        return { statementTypeId: typeId, result: countsResult([["number of rows inserted", changed()]]) }
      case "update":
        return { statementTypeId: typeId, result: countsResult([["number of rows updated", changed()], ["number of multi-joined rows updated", 0]]) }
      case "delete":
        return { statementTypeId: typeId, result: countsResult([["number of rows deleted", changed()]]) }
      case "merge": {
        const counts = { INSERT: 0, UPDATE: 0, DELETE: 0 } as Record<string, number>
        for (const r of readers) for (const [action] of r.getRows()) counts[String(action)] = (counts[String(action)] ?? 0) + 1
        const cols: Array<readonly [string, number]> = [
          ["number of rows inserted", counts["INSERT"] ?? 0],
          ["number of rows updated", counts["UPDATE"] ?? 0]
        ]
        if (mergeDeletes(sqlText)) cols.push(["number of rows deleted", counts["DELETE"] ?? 0])
        return { statementTypeId: typeId, result: countsResult(cols) }
      }
      case "select":
      case "other": {
        const last = readers[readers.length - 1]
        return { statementTypeId: typeId, result: last === undefined ? statusResult("Statement executed successfully.") : toResultSet(last, sqlText) }
      }
      default:
        return { statementTypeId: typeId, result: statusResult("Statement executed successfully.") }
    }
  }

  return {
    openSession: async (p) => {
      const connection = await connect()
      if (o.databases !== undefined) {
        // Snowflake's way: what does not exist (or the role cannot see) is simply not current
        const database = p.database !== undefined && databases.has(p.database) ? p.database : undefined
        const schema = database !== undefined && (await schemaExists(database, p.schema ?? "PUBLIC")) ? (p.schema ?? "PUBLIC") : undefined
        const s: Session = { ...p, database: undefined, schema: undefined, connection, inTransaction: false, queue: Promise.resolve() }
        if (database !== undefined && schema !== undefined) await use(s, database, schema)
        else s.database = database
        return s
      }
      if (p.database !== undefined) {
        await attach(p.database)
        await admin.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(p.database)}.${quoteIdentifier(p.schema ?? "PUBLIC")}`)
      }
      const s: Session = { ...p, connection, inTransaction: false, queue: Promise.resolve() }
      if (p.database !== undefined) await use(s, p.database, p.schema ?? "PUBLIC")
      return s
    },
    closeSession: (s) => {
      const close = () => {
        connections.delete(s.connection)
        s.connection.closeSync()
      }
      s.queue = s.queue.then(close, close)
      closing.add(s.queue)
    },
    execute: (s, sqlText, bindings) => {
      const next = s.queue.then(
        () => executeNow(s, sqlText, bindings),
        () => executeNow(s, sqlText, bindings)
      )
      s.queue = next.catch(() => undefined)
      return next
    },
    hasDatabase: (name) => databases.has(name),
    query: async (sql) => {
      const reader = await helper.runAndReadAll(translateToDuckDb(sql))
      return reader.getRowObjectsJS()
    },
    close: async () => {
      await Promise.all([...closing])
      for (const c of connections) c.closeSync()
      connections.clear()
      admin.closeSync()
      instance.closeSync()
    }
  }
}
