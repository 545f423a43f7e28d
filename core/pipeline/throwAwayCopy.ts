/**
 * A private copy of the state store for a dry run or `plan`: the extract writes into it and the sinks plan
 * against it, then it is deleted with the scope. The WAL and shared-memory files are copied too — committed
 * records may still sit in the WAL — and none of the original files are opened for writing.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, type Scope } from "effect"
import { StoreError } from "../errors.ts"

export const throwAwayCopy = (statePath: string): Effect.Effect<string, StoreError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.try({
      try: () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "migrate-plan-"))
        const copy = path.join(dir, path.basename(statePath))
        for (const suffix of ["", "-wal", "-shm"])
          if (fs.existsSync(statePath + suffix)) fs.copyFileSync(statePath + suffix, copy + suffix)
        return copy
      },
      catch: (e) => new StoreError({ reason: "Open", message: `cannot copy the state store ${statePath} for planning: ${e instanceof Error ? e.message : String(e)}` })
    }),
    (copy) => Effect.sync(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }))
  )
