/**
 * The state store's driver under Deno: libsql's local SQLite client (`@libsql/client/sqlite3`, a Node-API addon
 * Deno can load) through @effect/sql-libsql. Imported only by `SqlDriver.ts`, and only on Deno.
 *
 * Why it looks like this:
 * - The file is named by an absolute `file:` URL: libsql parses its `url` as a URL, so a bare relative path
 *   or a path with spaces would be misread.
 * - Never `:memory:`: libsql hands its connection to each transaction and opens a fresh one afterwards, and a
 *   fresh in-memory connection is a new, empty database — tables vanish between transactions. A file keeps them.
 * - WAL is switched on here (better-sqlite3's driver does it itself); it is a property of the file, so the
 *   connections libsql opens later inherit it.
 */
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import type { SqlClient } from "@effect/sql"
import { LibsqlClient } from "@effect/sql-libsql"
import { createClient } from "@libsql/client/sqlite3"
import { Effect, Layer } from "effect"

export const layer = (filename: string): Layer.Layer<SqlClient.SqlClient, unknown> =>
  Layer.unwrapScoped(
    Effect.gen(function* () {
      const client = yield* Effect.acquireRelease(
        Effect.try(() => createClient({ url: pathToFileURL(path.resolve(filename)).href })),
        (c) => Effect.sync(() => c.close())
      )
      yield* Effect.tryPromise(() => client.execute("PRAGMA journal_mode = WAL"))
      return LibsqlClient.layer({ liveClient: client })
    })
  )
