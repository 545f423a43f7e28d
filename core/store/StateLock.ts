/**
 * One run at a time per state file. Two processes writing one state (a nightly CI job and a person at a
 * terminal, two CI runners sharing a cache) would each create the same qTest objects: neither id map knows what
 * the other is creating. So every command that writes the state — or reads targets against it, as `verify` does
 * — holds this lock for its whole life.
 *
 * The lock is an operating-system lock, not a marker file: a write transaction (`BEGIN IMMEDIATE`) held open
 * on `<state>.lock`, a tiny SQLite file of its own. The kernel releases it when the holder's process ends in any
 * way — exit, Ctrl-C, SIGKILL, a crash — so a lock left by a dead process is never in the way and is taken over
 * safely (no PID checks, no race between two processes that both think the holder is dead). Who holds it, and
 * since when, is written beside it in `<state>.lock.json` once the lock is taken, for the message the next
 * process prints.
 */
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { Effect, Option, type Scope } from "effect"
import { StateLocked, StoreError } from "../errors.ts"
import { classifyStoreError } from "./classifyStoreError.ts"
import { isDeno, prepareStatePath } from "./SqlDriver.ts"

/** Who holds a state, as `<state>.lock.json` says. */
export interface LockHolder {
  readonly pid: number
  readonly host: string
  readonly command: string
  readonly since: string
  readonly runId?: string | undefined
}

export const lockPathOf = (statePath: string): string => `${path.resolve(statePath)}.lock`
const holderPathOf = (statePath: string): string => `${lockPathOf(statePath)}.json`

/** An open connection to the lock file holding (or having failed to take) its write lock. */
interface LockConnection {
  /** Takes the lock; false when another connection holds it. */
  readonly tryLock: () => Promise<boolean>
  readonly close: () => Promise<void>
}

const isBusy = (e: unknown): boolean => {
  const code = (e as { code?: unknown })?.code
  const text = `${typeof code === "string" ? code : ""} ${e instanceof Error ? e.message : String(e)}`
  return /SQLITE_BUSY|SQLITE_LOCKED|database is locked/i.test(text)
}

/** better-sqlite3 under Node, libsql under Deno (SqlDriver.ts says why): each imported only on its runtime. */
const openLockFile = async (file: string): Promise<LockConnection> => {
  if (isDeno()) {
    const { createClient } = await import("@libsql/client/sqlite3")
    const client = createClient({ url: pathToFileURL(file).href })
    await client.execute("PRAGMA busy_timeout = 0")
    // the lock file holds no data: no journal beside it, ever
    await client.execute("PRAGMA journal_mode = MEMORY")
    return {
      tryLock: () =>
        client.execute("BEGIN IMMEDIATE").then(
          () => true,
          (e: unknown) => (isBusy(e) ? false : Promise.reject(e))
        ),
      close: async () => {
        await client.execute("ROLLBACK").catch(() => undefined)
        client.close()
      }
    }
  }
  const Database = createRequire(import.meta.url)("better-sqlite3") as typeof import("better-sqlite3")
  const db = new Database(file, { timeout: 0 })
  db.pragma("journal_mode = MEMORY")
  return {
    tryLock: async () => {
      try {
        db.exec("BEGIN IMMEDIATE")
        return true
      } catch (e) {
        if (isBusy(e)) return false
        throw e
      }
    },
    close: async () => {
      db.close()
    }
  }
}

const lockError = (statePath: string, e: unknown) =>
  e instanceof StoreError ? e : classifyStoreError(e, { action: `cannot take the lock of the state store ${path.resolve(statePath)}:`, path: lockPathOf(statePath), kind: "state" })

/** The holder `<state>.lock.json` names, if it can be read. */
export const readHolder = (statePath: string): LockHolder | undefined => {
  try {
    const parsed = JSON.parse(fs.readFileSync(holderPathOf(statePath), "utf8")) as Partial<LockHolder>
    if (typeof parsed.pid !== "number" || typeof parsed.command !== "string" || typeof parsed.since !== "string") return undefined
    return { pid: parsed.pid, host: parsed.host ?? "?", command: parsed.command, since: parsed.since, runId: parsed.runId }
  } catch {
    return undefined
  }
}

const describeHolder = (holder: LockHolder | undefined): string =>
  holder === undefined
    ? "another migrate process (it has just started)"
    : `\`migrate ${holder.command}\` (process ${holder.pid} on ${holder.host}${holder.runId ? `, run ${holder.runId}` : ""}) since ${holder.since}`

export const lockedError = (statePath: string, holder: LockHolder | undefined): StateLocked =>
  new StateLocked({
    statePath: path.resolve(statePath),
    holder,
    message: `the state ${path.resolve(statePath)} is in use by ${describeHolder(holder)}`,
    hint: "wait for it to finish and run again (a CI job: give the spec one concurrency group); the lock is released when that process ends, however it ends"
  })

/**
 * Holds the lock on `statePath` for the caller's scope, or fails with StateLocked naming the holder. `command`
 * and `runId` are what the next process will be told.
 */
export const acquireStateLock = (statePath: string, who: { readonly command: string; readonly runId?: string | undefined }): Effect.Effect<void, StateLocked | StoreError, Scope.Scope> => {
  const file = path.resolve(statePath)
  // what is wrong with the state's path (a directory, read-only, under /proc) is said of the store itself
  const checkPath = Effect.try({ try: () => prepareStatePath(file), catch: (e) => classifyStoreError(e, { action: "cannot open the state store", path: file, kind: "state" }) })
  const take = Effect.tryPromise({
    try: async () => {
      const connection = await openLockFile(lockPathOf(statePath))
      if (!(await connection.tryLock())) {
        await connection.close()
        return undefined
      }
      const holder: LockHolder = { pid: process.pid, host: os.hostname(), command: who.command, since: new Date().toISOString(), runId: who.runId }
      const temp = `${holderPathOf(statePath)}.${process.pid}`
      fs.writeFileSync(temp, JSON.stringify(holder, null, 2))
      fs.renameSync(temp, holderPathOf(statePath))
      return connection
    },
    catch: (e) => lockError(statePath, e)
  }).pipe(Effect.flatMap((connection) => (connection === undefined ? Effect.fail(lockedError(statePath, readHolder(statePath))) : Effect.succeed(connection))))
  const release = (connection: LockConnection) =>
    Effect.promise(async () => {
      // the holder's note goes with it; the lock file stays (deleting it could let two processes lock two files)
      fs.rmSync(holderPathOf(statePath), { force: true })
      await connection.close().catch(() => undefined)
    })
  return Effect.acquireRelease(Effect.zipRight(checkPath, take), release).pipe(Effect.asVoid)
}

/**
 * Who holds the lock right now, for `status` and `plan`, without touching the lock (taking it even for a moment
 * could turn away a run starting in that moment): the holder's note, if the process it names is alive. None when
 * the state is free — a `running` run row is then dead. A holder on another machine (a shared disk) cannot be
 * checked and is reported as holding.
 */
export const currentHolder = (statePath: string): Effect.Effect<Option.Option<LockHolder | undefined>> =>
  Effect.sync(() => {
    const holder = readHolder(statePath)
    if (holder === undefined) return Option.none()
    if (holder.host !== os.hostname()) return Option.some(holder)
    try {
      process.kill(holder.pid, 0)
      return Option.some(holder)
    } catch (e) {
      // EPERM: alive, owned by another user
      return (e as { code?: string }).code === "EPERM" ? Option.some(holder) : Option.none()
    }
  })
