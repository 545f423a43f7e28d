/**
 * A private copy of the state store for a dry run or `plan`: the extract writes into it and the sinks plan
 * against it, then it is deleted with the scope. The copy is SQLite's own snapshot (`VACUUM INTO`, one read
 * transaction), not a copy of the files: a run may hold the state and be writing it meanwhile (a plan may read
 * then, StateLock.ts), and files copied one after another could pair a database with a WAL from another moment.
 * Nothing of the original is opened for writing.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { SqlClient } from "@effect/sql"
import { Context, Effect, Layer, type Scope } from "effect"
import { StoreError } from "../errors.ts"
import { sqlDriverLayer } from "../store/SqlDriver.ts"

const copyError = (statePath: string, e: unknown) =>
  new StoreError({ reason: "Open", message: `cannot copy the state store ${statePath} for planning: ${e instanceof Error ? e.message : String(e)}` })

export const throwAwayCopy = (statePath: string): Effect.Effect<string, StoreError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.sync(() => path.join(fs.mkdtempSync(path.join(os.tmpdir(), "migrate-plan-")), path.basename(statePath))),
    (copy) => Effect.sync(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }))
  ).pipe(
    Effect.tap((copy) =>
      fs.existsSync(statePath)
        ? Effect.scoped(
            Effect.gen(function* () {
              const sql = Context.get(yield* Layer.build(sqlDriverLayer(statePath)), SqlClient.SqlClient)
              yield* sql.unsafe(`VACUUM INTO ?`, [copy])
            })
          ).pipe(Effect.mapError((e) => (e instanceof StoreError ? e : copyError(statePath, e))))
        : Effect.void
    )
  )
