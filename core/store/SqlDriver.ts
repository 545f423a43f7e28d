/**
 * The SQLite driver behind the state store, chosen once at start-up by the runtime we are on: better-sqlite3
 * under Node (fast, synchronous, what the tests read back with), libsql under Deno (Deno cannot load
 * better-sqlite3, a nan addon; libsql is a Node-API addon it can). Both provide `SqlClient`, so the store and
 * its migrations never know which one they got. Each driver module is imported only on its own runtime, so
 * neither runtime ever loads the other's native addon.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import type { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { StoreError } from "../errors.ts"

export type SqlDriverName = "better-sqlite3" | "libsql"

/** `Deno` is a global only on Deno; looked up through globalThis so the Node typings need not know it. */
export const isDeno = (): boolean => typeof (globalThis as { readonly Deno?: unknown }).Deno !== "undefined"

export const sqlDriverName = (): SqlDriverName => (isDeno() ? "libsql" : "better-sqlite3")

/** `Deno 2.9.5` / `Node v20.20.2`: which runtime a run really ran on, for `--verbose` and the Deno smoke test. */
export const runtimeName = (): string => {
  const deno = (globalThis as { readonly Deno?: { readonly version?: { readonly deno?: string } } }).Deno
  return deno ? `Deno ${deno.version?.deno ?? "?"}` : `Node ${process.version}`
}

const openError = (filename: string, e: unknown) =>
  new StoreError({
    reason: "Open",
    message: `cannot open the state store ${filename}: ${e instanceof Error ? e.message : String(e)}${
      e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : ""
    }`
  })

/**
 * A `SqlClient` over the SQLite file `filename` (created, with its directory, if missing), in WAL mode, open
 * for the lifetime of the layer.
 */
export const sqlDriverLayer = (filename: string): Layer.Layer<SqlClient.SqlClient, StoreError> =>
  Layer.unwrapEffect(
    Effect.tryPromise({
      try: async () => {
        fs.mkdirSync(path.dirname(path.resolve(filename)), { recursive: true })
        const driver = isDeno() ? await import("./SqlDriverLibsql.ts") : await import("./SqlDriverBetterSqlite.ts")
        return driver.layer(filename)
      },
      catch: (e) => openError(filename, e)
    }).pipe(Effect.tap(() => Effect.logDebug(`state store ${filename}: SQLite driver ${sqlDriverName()} on ${runtimeName()}`)))
  ).pipe(Layer.mapError((e) => (e instanceof StoreError ? e : openError(filename, e))))
