/**
 * Statements run synchronously on the writer's own connection, for the hot writes inside a transaction: the
 * extract's upserts, two statements for every record it reads. The SqlClient's statement path (compile, span,
 * connection lock, row transform) costs about 60 µs a statement; this one a few. Only the better-sqlite3 driver
 * has it (SqlDriverBetterSqlite.ts).
 *
 * `all` and `run` are only ever used inside the SqlClient's `withTransaction`, which holds the connection for the
 * fiber: no other fiber's statement can run between two of these, nor land inside this transaction.
 * `inTransaction` checks that, so a call outside one takes the SqlClient's path instead. `atomically` takes the
 * same lock itself.
 */
import { SqlClient, type SqlError } from "@effect/sql"
import { Context, Effect, Option } from "effect"

export interface TransactionStatements {
  readonly all: (sql: string, params: ReadonlyArray<unknown>) => ReadonlyArray<Record<string, unknown>>
  readonly run: (sql: string, params: ReadonlyArray<unknown>) => void
  /**
   * Runs `f`'s statements as one transaction of their own, taking the connection's lock as the SqlClient's
   * transactions do (a fiber already inside one runs them within it): the few statements that close a write
   * (the id map row with its intent's removal) without the SqlClient's BEGIN, COMMIT and their effects. A throw
   * rolls them back.
   */
  readonly atomically: <A>(f: (statements: Pick<TransactionStatements, "all" | "run">) => A) => Effect.Effect<A, SqlError.SqlError>
}

/** The driver's statements on its writer connection; undefined when it has none (libsql, under Deno). */
export class WriterConnection extends Context.Tag("migrate/WriterConnection")<WriterConnection, TransactionStatements | undefined>() {}

/** The direct statements when the calling fiber is inside a transaction of the SqlClient, else none. */
export const inTransaction = (direct: TransactionStatements | undefined): Effect.Effect<TransactionStatements | undefined> =>
  direct === undefined ? Effect.succeed(undefined) : Effect.map(Effect.serviceOption(SqlClient.TransactionConnection), Option.match({ onNone: () => undefined, onSome: () => direct }))
