/**
 * A private copy of the state store for a dry run or `plan`: the extract writes into it and the sinks plan
 * against it, then it is deleted with the scope. The copy is SQLite's own snapshot (`VACUUM INTO`, one read
 * transaction), not a copy of the files: a run may hold the state and be writing it meanwhile (a plan may read
 * then, StateLock.ts), and files copied one after another could pair a database with a WAL from another moment.
 * Nothing of the original is opened for writing. What is wrong with the store (a directory, unreadable, damaged)
 * is said of the store; what fails while writing the copy (a full or read-only temp disk) is said of the copy.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, type Scope } from "effect"
import type { StoreError } from "../errors.ts"
import { classifyStoreError } from "../store/classifyStoreError.ts"
import { sqlDriverLayer } from "../store/SqlDriver.ts"

export const throwAwayCopy = (statePath: string): Effect.Effect<string, StoreError, Scope.Scope> => {
  const file = path.resolve(statePath)
  return Effect.acquireRelease(
    Effect.try({
      try: () => fs.mkdtempSync(path.join(os.tmpdir(), "migrate-plan-")),
      catch: (e) => classifyStoreError(e, { action: "cannot make a directory for a planning copy of the state store in", path: os.tmpdir(), kind: "report" })
    }).pipe(Effect.map((dir) => path.join(dir, path.basename(file)))),
    (copy) => Effect.sync(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }))
  ).pipe(
    Effect.tap((copy) =>
      fs.existsSync(file)
        ? Effect.scoped(
            Effect.gen(function* () {
              const sql = Context.get(yield* Layer.build(sqlDriverLayer(file)), SqlClient.SqlClient)
              yield* sql
                .unsafe(`VACUUM INTO ?`, [copy])
                .pipe(Effect.mapError((e) => classifyStoreError(e, { action: `cannot copy the state store ${file} for planning to`, path: path.dirname(copy), kind: "report" })))
            })
          )
        : Effect.void
    )
  )
}
