/**
 * Reads of committed data, for the lookups a run makes outside any transaction: a sink's records by key and
 * children by parent, the id map and intents of each object it writes. A sink makes several per object, so their
 * cost bounds how fast a run can go once the APIs are fast.
 *
 * Under Node they run on a read-only better-sqlite3 connection of their own, statements prepared once and run
 * synchronously: a lookup costs a few microseconds, where the SqlClient's statement path (compile, span, the
 * connection's lock, the row transform) adds about 60. In WAL mode that connection sees the last committed
 * transaction and never waits for the writer — what the shared connection gave too, since a read there waited
 * for a transaction in progress to end. A read that must see its own transaction's writes stays on the
 * SqlClient. Under Deno (libsql) every read goes through the SqlClient.
 */
import type { SqlClient } from "@effect/sql"
import { Context, type Effect } from "effect"

export interface CommittedReads {
  readonly all: <R extends object = Record<string, unknown>>(sql: string, params?: ReadonlyArray<unknown>) => Effect.Effect<ReadonlyArray<R>, unknown>
}

/** Through the SqlClient: the reads of a driver without a connection of their own. */
export const sqlClientReads = (sql: SqlClient.SqlClient): CommittedReads => ({
  all: <R extends object>(query: string, params: ReadonlyArray<unknown> = []) => sql.unsafe<R>(query, params as Array<never>)
})

/** The driver's own reads of the file; undefined when it has none (then `sqlClientReads`). */
export class ReadConnection extends Context.Tag("migrate/ReadConnection")<ReadConnection, CommittedReads | undefined>() {}
