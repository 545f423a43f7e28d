/**
 * The state store's driver under Node: better-sqlite3 through @effect/sql-sqlite-node, which opens the file in
 * WAL mode; and a read-only connection of its own for committed reads (CommittedReads.ts). Imported only by
 * `SqlDriver.ts`, and only on Node.
 */
import { createRequire } from "node:module"
import type { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { Effect, type Layer } from "effect"
import type { CommittedReads } from "./CommittedReads.ts"

export const layer = (filename: string): Layer.Layer<SqlClient.SqlClient, unknown> => SqliteClient.layer({ filename })

/** Statements kept prepared; a reader's SQL varies with its horizon, so the cache is bounded, oldest out first. */
const CACHED_STATEMENTS = 200

export const openCommittedReads = (filename: string) =>
  Effect.acquireRelease(
    Effect.try(() => {
      const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
      return new Database(filename, { readonly: true, fileMustExist: true })
    }),
    (db) => Effect.sync(() => db.close())
  ).pipe(
    Effect.map((db): CommittedReads => {
      const statements = new Map<string, import("better-sqlite3").Statement>()
      const prepared = (sql: string) => {
        let s = statements.get(sql)
        if (s === undefined) {
          s = db.prepare(sql)
          if (statements.size >= CACHED_STATEMENTS) statements.delete(statements.keys().next().value!)
          statements.set(sql, s)
        }
        return s
      }
      return {
        all: <R extends object>(sql: string, params: ReadonlyArray<unknown> = []) => Effect.try(() => prepared(sql).all(...params) as Array<R>)
      }
    })
  )
