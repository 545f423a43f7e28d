/**
 * The state store's driver under Node: better-sqlite3, in WAL mode, as an @effect/sql `SqlClient` of our own, so
 * that the writer's connection also serves TransactionStatements.ts; and a read-only connection of its own for
 * committed reads (CommittedReads.ts). Imported only by `SqlDriver.ts`, and only on Node.
 *
 * The client is the plain shape @effect/sql asks of a driver: one connection, statements prepared once (a
 * bounded cache), a one-permit lock that a transaction holds from BEGIN to COMMIT.
 */
import { createRequire } from "node:module"
import { Reactivity } from "@effect/experimental"
import { SqlClient, SqlError, Statement } from "@effect/sql"
import type { Connection } from "@effect/sql/SqlConnection"
import { Context, Effect, Layer, Scope } from "effect"
import { type CommittedReads, ReadConnection } from "./CommittedReads.ts"
import { type TransactionStatements, WriterConnection } from "./TransactionStatements.ts"

type Database = import("better-sqlite3").Database
type Prepared = import("better-sqlite3").Statement

const openDatabase = (filename: string, options: { readonly readonly: boolean }) =>
  Effect.acquireRelease(
    Effect.sync(() => {
      const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
      return options.readonly ? new Database(filename, { readonly: true, fileMustExist: true }) : new Database(filename)
    }),
    (db) => Effect.sync(() => db.close())
  )

/** Statements kept prepared; a reader's SQL varies with its horizon, so the cache is bounded, oldest out first. */
const CACHED_STATEMENTS = 200

const statementCache = (db: Database) => {
  const statements = new Map<string, Prepared>()
  return (sql: string): Prepared => {
    let s = statements.get(sql)
    if (s === undefined) {
      s = db.prepare(sql)
      if (statements.size >= CACHED_STATEMENTS) statements.delete(statements.keys().next().value!)
      statements.set(sql, s)
    }
    return s
  }
}

const failed = (cause: unknown) => new SqlError.SqlError({ cause, message: "Failed to execute statement" })

/** A statement's rows, or for one that returns none its run result (`raw`) or no rows. */
const rowsOf = (s: Prepared, params: ReadonlyArray<unknown>, raw = false): any => {
  if (s.reader) return s.all(...params)
  const result = s.run(...params)
  return raw ? result : []
}

const makeClient = (filename: string) =>
  Effect.gen(function* () {
    const db = yield* openDatabase(filename, { readonly: false })
    db.pragma("journal_mode = WAL")
    const prepared = statementCache(db)
    const execute = (sql: string, params: ReadonlyArray<unknown>, raw: boolean): Effect.Effect<any, SqlError.SqlError> =>
      Effect.try({ try: () => rowsOf(prepared(sql), params, raw), catch: failed })
    const connection: Connection = {
      execute: (sql, params, transformRows) => (transformRows ? Effect.map(execute(sql, params, false), transformRows) : execute(sql, params, false)),
      executeRaw: (sql, params) => execute(sql, params, true),
      // a fresh statement each: `raw(true)` would change a cached one for every later caller
      executeValues: (sql, params) =>
        Effect.try({
          try: () => {
            const s = db.prepare(sql)
            return rowsOf(s.reader ? s.raw(true) : s, params) as Array<Array<unknown>>
          },
          catch: failed
        }),
      executeUnprepared: (sql, params, transformRows) => {
        const rows: Effect.Effect<any, SqlError.SqlError> = Effect.try({ try: () => rowsOf(db.prepare(sql), params ?? []), catch: failed })
        return transformRows ? Effect.map(rows, transformRows) : rows
      },
      executeStream: () => Effect.dieMessage("executeStream is not supported by the state store's driver") as never
    }
    const lock = yield* Effect.makeSemaphore(1)
    const client = yield* SqlClient.make({
      acquirer: lock.withPermits(1)(Effect.succeed(connection)),
      // held from BEGIN until the transaction's scope closes (COMMIT or ROLLBACK)
      transactionAcquirer: Effect.uninterruptibleMask((restore) =>
        Effect.as(Effect.zipRight(restore(lock.take(1)), Effect.tap(Effect.scope, (scope) => Scope.addFinalizer(scope, lock.release(1)))), connection)
      ),
      compiler: Statement.makeCompilerSqlite(),
      spanAttributes: [["db.system.name", "sqlite"]]
    })
    const statements: Pick<TransactionStatements, "all" | "run"> = {
      all: (sql, params) => prepared(sql).all(...params) as Array<Record<string, unknown>>,
      run: (sql, params) => void prepared(sql).run(...params)
    }
    const direct: TransactionStatements = {
      ...statements,
      atomically: <A>(f: (s: typeof statements) => A) => {
        const now = Effect.try({ try: () => db.transaction(() => f(statements))(), catch: failed })
        // inside a transaction of the SqlClient this fiber holds the lock already (better-sqlite3 nests a savepoint)
        return Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (tx) => (tx._tag === "Some" ? now : lock.withPermits(1)(now)))
      }
    }
    // opened after the writer, which creates the file; in WAL mode it reads beside it without waiting
    const reader = statementCache(yield* openDatabase(filename, { readonly: true }))
    const reads: CommittedReads = {
      all: <R extends object>(sql: string, params: ReadonlyArray<unknown> = []) => Effect.try(() => reader(sql).all(...params) as Array<R>)
    }
    return Context.make(SqlClient.SqlClient, client).pipe(Context.add(WriterConnection, direct), Context.add(ReadConnection, reads))
  })

export const layer = (filename: string): Layer.Layer<SqlClient.SqlClient | WriterConnection | ReadConnection, unknown> =>
  Layer.scopedContext(makeClient(filename)).pipe(Layer.provide(Reactivity.layer))
