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

export const throwAwayCopy = (statePath: string): Effect.Effect<string, StoreError, Scope.Scope> => {
  const file = path.resolve(statePath)
  const sources = ["", "-wal", "-shm"].map((suffix) => file + suffix).filter((f) => fs.existsSync(f))
  return Effect.acquireRelease(
    Effect.gen(function* () {
      // What is wrong with the store (a directory, unreadable) is said of the store; what fails while writing
      // the copy (a full or read-only temp disk) is said of the copy.
      yield* Effect.try({
        try: () => {
          for (const f of sources) {
            if (fs.statSync(f).isDirectory()) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${f}'`), { code: "EISDIR", syscall: "open", path: f })
            fs.closeSync(fs.openSync(f, "r"))
          }
        },
        catch: (e) => classifyStoreError(e, { action: "cannot read the state store", path: file, kind: "state" })
      })
      const dir = yield* Effect.try({
        try: () => fs.mkdtempSync(path.join(os.tmpdir(), "migrate-plan-")),
        catch: (e) => classifyStoreError(e, { action: "cannot make a directory for a planning copy of the state store in", path: os.tmpdir(), kind: "report" })
      })
      const copy = path.join(dir, path.basename(file))
      yield* Effect.try({
        try: () => {
          for (const f of sources) fs.copyFileSync(f, copy + f.slice(file.length))
        },
        catch: (e) => {
          fs.rmSync(dir, { recursive: true, force: true })
          return classifyStoreError(e, { action: `cannot copy the state store ${file} for planning to`, path: dir, kind: "report" })
        }
      })
      return copy
    }),
    (copy) => Effect.sync(() => fs.rmSync(path.dirname(copy), { recursive: true, force: true }))
  )
}
