/**
 * A private copy of the state store for a dry run or `plan`: the extract writes into it and the sinks plan
 * against it, then it is deleted with the scope. The WAL and shared-memory files are copied too — committed
 * records may still sit in the WAL — and none of the original files are opened for writing.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, type Scope } from "effect"
import type { StoreError } from "../errors.ts"
import { classifyStoreError } from "../store/classifyStoreError.ts"

export const throwAwayCopy = (statePath: string): Effect.Effect<string, StoreError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const dir = yield* Effect.try({
        try: () => fs.mkdtempSync(path.join(os.tmpdir(), "migrate-plan-")),
        catch: (e) => classifyStoreError(e, { action: "cannot make a directory for a planning copy of the state store in", path: os.tmpdir(), kind: "report" })
      })
      const copy = path.join(dir, path.basename(statePath))
      yield* Effect.try({
        try: () => {
          for (const suffix of ["", "-wal", "-shm"])
            if (fs.existsSync(statePath + suffix)) fs.copyFileSync(statePath + suffix, copy + suffix)
        },
        catch: (e) => {
          fs.rmSync(dir, { recursive: true, force: true })
          return classifyStoreError(e, { action: `cannot copy the state store ${statePath} for planning to`, path: dir, kind: "report" })
        }
      })
      return copy
    }),
    (copy) => Effect.sync(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }))
  )
