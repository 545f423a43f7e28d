/**
 * A state, as a directory that can be cached, archived or moved to another machine: the store as one consistent
 * SQLite file (no `-wal`/`-shm`: copying the live files of a store in WAL mode can tear it), the attachment bytes
 * (`blobs/`), the run reports (`runs/`) and the last plan's estimate. Restoring puts them back beside an empty
 * place; it never merges into an existing state, whose WAL would be replayed into the restored file.
 *
 * The store is copied first: every blob it refers to was written before the record that names it, so the blobs
 * copied after it are all there (and perhaps a few newer ones, which harm nothing).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, type Scope } from "effect"
import { SpecError, type StoreError } from "../errors.ts"
import { classifyStoreError } from "./classifyStoreError.ts"
import { planEstimatePath } from "./PlanEstimateFile.ts"
import { StateStore } from "./StateStore.ts"

/** What a snapshot holds besides the store file, relative to the state's directory. */
const DIRECTORIES = ["blobs", "runs"] as const

export interface SnapshotSummary {
  readonly dir: string
  readonly storeBytes: number
  readonly blobs: number
  readonly runs: number
}

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent + path.sep)

const countEntries = (dir: string): number => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n !== "tmp").length : 0)

/** Blobs are written to `blobs/tmp/` and renamed when complete: a half-written one is not part of any state. */
const copyTree = (from: string, to: string) =>
  fs.cpSync(from, to, { recursive: true, filter: (src) => src !== path.join(from, "tmp") })

/** A request that cannot be done as asked: exit 2, with what to do. */
const usage = (message: string, hint: string) => new SpecError({ reason: "Usage", problems: [`${message} — ${hint}`] })

const ioError = (action: string, at: string) => (cause: unknown) => classifyStoreError(cause, { action, path: at, kind: "state" })

/**
 * Writes the snapshot of the state at `statePath` into `dir`, replacing what `dir` held only once the new copy is
 * complete (it is built beside it, then renamed into place).
 */
export const saveSnapshot = (statePath: string, dir: string): Effect.Effect<SnapshotSummary, StoreError | SpecError, Scope.Scope> =>
  Effect.gen(function* () {
    const state = path.resolve(statePath)
    const target = path.resolve(dir)
    if (!fs.existsSync(state))
      return yield* usage(`no state at ${state} to snapshot`, "run `npx migrate run` first, or give the spec whose state.path is the state you mean (-c FILE)")
    const stateDir = path.dirname(state)
    // never a directory the state lives in (replacing it would delete the state), nor one of the state's own
    if (inside(stateDir, target) || DIRECTORIES.some((d) => inside(target, path.join(stateDir, d))))
      return yield* usage(`cannot write a snapshot of ${state} into ${target}: it would replace the state it copies`, "give --to a directory of its own, e.g. .migrate-snapshot")
    // and never over a directory that holds something else: it is replaced whole
    if (fs.existsSync(target) && fs.readdirSync(target).length > 0 && !fs.existsSync(path.join(target, path.basename(state))))
      return yield* usage(`${target} is not empty and holds no snapshot of ${path.basename(state)}; a snapshot replaces its directory whole`, "give --to a new or empty directory, or the one an earlier snapshot wrote")
    const partial = `${target}.partial-${process.pid}`
    yield* Effect.try({ try: () => (fs.rmSync(partial, { recursive: true, force: true }), fs.mkdirSync(partial, { recursive: true })), catch: ioError("cannot create the snapshot directory", partial) })
    const store = yield* StateStore.open(state)
    const file = path.join(partial, path.basename(state))
    yield* store.snapshotTo(file)
    yield* Effect.try({
      try: () => {
        for (const d of DIRECTORIES) if (fs.existsSync(path.join(stateDir, d))) copyTree(path.join(stateDir, d), path.join(partial, d))
        const plan = planEstimatePath(state)
        if (fs.existsSync(plan)) fs.copyFileSync(plan, path.join(partial, path.basename(plan)))
        fs.rmSync(target, { recursive: true, force: true })
        fs.renameSync(partial, target)
      },
      catch: ioError("cannot write the snapshot into", target)
    })
    return { dir: target, storeBytes: fs.statSync(path.join(target, path.basename(state))).size, blobs: countEntries(path.join(target, "blobs")), runs: countEntries(path.join(target, "runs")) }
  })

/**
 * Puts the snapshot in `dir` back as the state at `statePath`. Refuses when a state is already there: restoring
 * over it would mix two states. A snapshot without the store file is refused too (a wrong directory, an empty
 * cache), so that the next run does not silently start from nothing.
 */
export const restoreSnapshot = (dir: string, statePath: string): Effect.Effect<SnapshotSummary, StoreError | SpecError> =>
  Effect.gen(function* () {
    const source = path.resolve(dir)
    const state = path.resolve(statePath)
    const stored = path.join(source, path.basename(state))
    if (!fs.existsSync(stored))
      return yield* usage(`${source} holds no snapshot of ${path.basename(state)}`, "give --from the directory `migrate snapshot --to` wrote (and a spec with the same state.path); with no snapshot yet, skip the restore: the first run starts a new state")
    const leftovers = [state, `${state}-wal`, `${state}-shm`].filter((f) => fs.existsSync(f))
    if (leftovers.length > 0)
      return yield* usage(`a state already exists at ${state}; restoring over it would mix two states`, "move it (and its -wal and -shm files) away first, or restore into a fresh directory")
    const stateDir = path.dirname(state)
    yield* Effect.try({
      try: () => {
        fs.mkdirSync(stateDir, { recursive: true })
        for (const d of DIRECTORIES) if (fs.existsSync(path.join(source, d))) copyTree(path.join(source, d), path.join(stateDir, d))
        const plan = path.join(source, path.basename(planEstimatePath(state)))
        if (fs.existsSync(plan)) fs.copyFileSync(plan, planEstimatePath(state))
        // the store last, through a temporary name: a restore cut short leaves no state that looks whole
        fs.copyFileSync(stored, `${state}.restoring`)
        fs.renameSync(`${state}.restoring`, state)
      },
      catch: ioError("cannot restore the snapshot into", stateDir)
    })
    return { dir: source, storeBytes: fs.statSync(state).size, blobs: countEntries(path.join(stateDir, "blobs")), runs: countEntries(path.join(stateDir, "runs")) }
  })
