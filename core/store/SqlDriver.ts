/**
 * The SQLite driver behind the state store, chosen once at start-up by the runtime we are on: better-sqlite3
 * under Node (fast, synchronous, what the tests read back with), libsql under Deno (Deno cannot load
 * better-sqlite3, a nan addon; libsql is a Node-API addon it can). Both provide `SqlClient`, so the store and
 * its migrations never know which one they got. Each driver module is imported only on its own runtime, so
 * neither runtime ever loads the other's native addon.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { SqlClient, type SqlError } from "@effect/sql"
import { Cause, Effect, Layer, Option } from "effect"
import type { StoreError } from "../errors.ts"
import { isDeno } from "../isDeno.ts"
import { ReadConnection } from "./CommittedReads.ts"
import { WriterConnection } from "./TransactionStatements.ts"
import { classifyStoreError } from "./classifyStoreError.ts"
import { ensureDirectory } from "./ensureDirectory.ts"

export type SqlDriverName = "better-sqlite3" | "libsql"

export { isDeno }

export const sqlDriverName = (): SqlDriverName => (isDeno() ? "libsql" : "better-sqlite3")

/** `Deno 2.9.5` / `Node v20.20.2`: which runtime a run really ran on, for `--verbose` and the Deno smoke test. */
export const runtimeName = (): string => {
  const deno = (globalThis as { readonly Deno?: { readonly version?: { readonly deno?: string } } }).Deno
  return deno ? `Deno ${deno.version?.deno ?? "?"}` : `Node ${process.version}`
}

/**
 * What SQLite would report only as "unable to open database file", found first, with the OS's own code: the
 * directory is made (without Node's recursive mkdir, which loops forever under /proc — ensureDirectory.ts); an
 * existing file is opened for writing and closed (EISDIR, EACCES, EROFS; this changes nothing in it); the
 * directory must be writable, as SQLite writes the -wal and -shm files beside the store.
 */
export const prepareStatePath = (file: string): void => {
  ensureDirectory(path.dirname(file))
  if (fs.existsSync(file)) fs.closeSync(fs.openSync(file, "r+"))
  fs.accessSync(path.dirname(file), fs.constants.W_OK)
}

const isSqlError = (u: unknown): u is SqlError.SqlError => typeof u === "object" && u !== null && (u as { readonly _tag?: unknown })._tag === "SqlError"

/**
 * @effect/sql turns a failed COMMIT (SQLITE_FULL when the WAL cannot grow, SQLITE_IOERR) into a defect
 * (`Effect.orDie`), which would reach the user as "internal error". Here it is the SqlError it is, so the store
 * reports it as a failed write. SQLite has already rolled the transaction back: a full disk or an I/O error
 * during COMMIT aborts it.
 */
const withTypedCommit = (client: SqlClient.SqlClient): SqlClient.SqlClient => {
  const withTransaction = client.withTransaction
  return Object.assign(client, {
    withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E | SqlError.SqlError, R> =>
      withTransaction(effect).pipe(Effect.catchSomeDefect((d) => (isSqlError(d) ? Option.some(Effect.fail(d)) : Option.none())))
  })
}

/**
 * A `SqlClient` over the SQLite file `filename` (created, with its directory, if missing), in WAL mode, open
 * for the lifetime of the layer. Every failure to open it is a classified StoreError.
 */
export const sqlDriverLayer = (filename: string): Layer.Layer<SqlClient.SqlClient | WriterConnection | ReadConnection, StoreError> => {
  const file = path.resolve(filename)
  const failed = (cause: unknown) => classifyStoreError(cause, { action: "cannot open the state store", path: file, kind: "state" })
  const driver: Layer.Layer<SqlClient.SqlClient | WriterConnection | ReadConnection, unknown> = Layer.unwrapEffect(
    Effect.try({ try: () => prepareStatePath(file), catch: failed }).pipe(
      Effect.zipRight(
        Effect.tryPromise({
          try: async (): Promise<Layer.Layer<SqlClient.SqlClient | WriterConnection | ReadConnection, unknown>> =>
            isDeno()
              ? Layer.mergeAll((await import("./SqlDriverLibsql.ts")).layer(file), Layer.succeed(WriterConnection, undefined), Layer.succeed(ReadConnection, undefined))
              : (await import("./SqlDriverBetterSqlite.ts")).layer(file),
          catch: failed
        })
      ),
      Effect.tap(() => Effect.logDebug(`state store ${file}: SQLite driver ${sqlDriverName()} on ${runtimeName()}`))
    )
  )
  return Layer.mergeAll(
    Layer.effect(SqlClient.SqlClient, Effect.map(SqlClient.SqlClient, withTypedCommit)),
    Layer.effect(WriterConnection, WriterConnection),
    Layer.effect(ReadConnection, ReadConnection)
  ).pipe(
    Layer.provide(driver),
    // The drivers open the file inside their layers and throw there (better-sqlite3's constructor, its WAL
    // pragma on a corrupt or read-only file): a defect, not a failure, unless caught here. Ctrl-C stays Ctrl-C.
    Layer.catchAllCause((cause) => (Cause.isInterruptedOnly(cause) ? Layer.failCause(cause as Cause.Cause<never>) : Layer.fail(failed(Cause.squash(cause)))))
  )
}
