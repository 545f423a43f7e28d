/**
 * The one place a storage failure becomes a `StoreError`: whatever the driver or the file system threw —
 * better-sqlite3's `SqliteError` (code `SQLITE_FULL`), libsql's `LibsqlError` (`SQLITE_NOTADB`) or its
 * `ConnectionFailed("…: 14")`, an @effect/sql `SqlError` wrapping either, a Node errno error (`ENOSPC`), Deno's
 * `NotCapable` — is named by a reason, located by the path, and given the hint that says what to do. Every
 * module that touches the store, the blob store or a report maps its failures through here.
 */
import * as path from "node:path"
import { StoreError } from "../errors.ts"

export type StoreErrorReason = StoreError["reason"]

/** What was being done, to what: the message reads `<action> <path>: <why>`. */
export interface StoreErrorContext {
  readonly action: string
  readonly path: string
  /** Which store the path belongs to: the hints differ (a missing blob is downloaded again, a missing store is not). */
  readonly kind?: "state" | "blob" | "report" | undefined
}

/** SQLite's primary result codes by number (libsql's open failure reports only the number). */
const sqliteCodeNames: Readonly<Record<number, string>> = {
  1: "SQLITE_ERROR",
  3: "SQLITE_PERM",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  8: "SQLITE_READONLY",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  23: "SQLITE_AUTH",
  26: "SQLITE_NOTADB"
}

/** The reason a code names; SQLite's extended codes (`SQLITE_IOERR_WRITE`) by their primary code. */
export const reasonOfCode = (code: string | undefined, syscall?: string): StoreErrorReason => {
  if (code === undefined) return "Unexpected"
  if (code.startsWith("SQLITE_")) {
    if (code === "SQLITE_CANTOPEN_ISDIR") return "IsADirectory"
    const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0]
    switch (primary) {
      case "SQLITE_CANTOPEN":
        return "CannotOpen"
      case "SQLITE_READONLY":
        return "ReadOnly"
      case "SQLITE_PERM":
      case "SQLITE_AUTH":
        return "Permission"
      case "SQLITE_CORRUPT":
      case "SQLITE_NOTADB":
        return "Corrupt"
      case "SQLITE_FULL":
        return "DiskFull"
      case "SQLITE_BUSY":
      case "SQLITE_LOCKED":
        return "Busy"
      case "SQLITE_IOERR":
        return "Io"
      default:
        return "Unexpected"
    }
  }
  switch (code) {
    case "ENOTDIR":
      return "NotADirectory"
    case "EISDIR":
      return "IsADirectory"
    case "EROFS":
      return "ReadOnly"
    case "EACCES":
    case "EPERM":
      return "Permission"
    case "ENOSPC":
    case "EDQUOT":
    case "EFBIG":
      return "DiskFull"
    // mkdir answering ENOENT under a parent that exists: a file system that holds no files of ours (/proc).
    case "ENOENT":
      return syscall === "mkdir" ? "CannotOpen" : "Missing"
    case "EIO":
      return "Io"
    // Deno refuses /proc, /sys and /dev paths to a process without --allow-all.
    case "NotCapable":
    case "ENODEV":
    case "ENXIO":
    case "ELOOP":
    case "ENAMETOOLONG":
    case "EINVAL":
    case "ENOTSUP":
    case "EOPNOTSUPP":
      return "CannotOpen"
    default:
      return "Unexpected"
  }
}

interface Found {
  readonly code: string | undefined
  readonly syscall: string | undefined
  readonly detail: string
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e))

/** Node's `ENOSPC: no space left on device, write '/x'`: the tail is dropped when /x is the path our message names. */
const withoutSyscall = (message: string, syscall: string | undefined, samePath: boolean) =>
  syscall === undefined || !samePath ? message : message.replace(new RegExp(`, ${syscall}(?: '.*)?$`), "")

/** The first code found down the chain of causes (`SqlError.cause`, `UnknownException.error`), with its message. */
const findCode = (cause: unknown, where: string): Found => {
  const seen = new Set<unknown>()
  let fallback: string | undefined
  const queue: Array<unknown> = [cause]
  while (queue.length > 0) {
    const e = queue.shift()
    if (e === undefined || e === null || seen.has(e)) continue
    seen.add(e)
    const o = e as { readonly code?: unknown; readonly name?: unknown; readonly syscall?: unknown; readonly path?: unknown; readonly cause?: unknown; readonly error?: unknown }
    const syscall = typeof o.syscall === "string" ? o.syscall : undefined
    const message = messageOf(e)
    if (typeof o.code === "string" && /^(SQLITE_[A-Z_]+|E[A-Z0-9]+)$/.test(o.code)) {
      // libsql prefixes its message with the code; better-sqlite3 and Node errno errors keep them apart.
      const own = withoutSyscall(message, syscall, typeof o.path !== "string" || o.path === where).replace(new RegExp(`^${o.code}: `), "")
      return { code: o.code, syscall, detail: `${o.code}: ${own}` }
    }
    if (o.name === "NotCapable") return { code: "NotCapable", syscall, detail: `NotCapable: ${message}` }
    // libsql's local open failure: `ConnectionFailed("Unable to open connection to local database /x: 14")`.
    const connection = /ConnectionFailed\("(.*): (\d+)"\)/.exec(message)
    if (connection) {
      const code = sqliteCodeNames[Number(connection[2]) & 0xff] ?? `SQLITE_${connection[2]}`
      return { code, syscall, detail: `${code}: ${connection[1]}` }
    }
    // The innermost message is the informative one ("Failed to execute statement" wraps it).
    if (!(typeof o.cause === "object" && o.cause !== null) && !(typeof o.error === "object" && o.error !== null)) fallback ??= message
    queue.push(o.cause, o.error)
  }
  return { code: undefined, syscall: undefined, detail: fallback ?? messageOf(cause) }
}

const summaries: Readonly<Record<StoreErrorReason, string>> = {
  NotADirectory: "a part of the path is a file, not a directory",
  IsADirectory: "it is a directory, not a file",
  ReadOnly: "it is read-only",
  Permission: "permission denied",
  Corrupt: "the file is damaged or is not a migrate state store",
  DiskFull: "the disk is full",
  Busy: "the database is locked by another process",
  Missing: "the file is missing",
  CannotOpen: "no file can be opened or created there",
  Io: "the disk reported an I/O error",
  Unexpected: "unexpected failure"
}

const hintFor = (reason: StoreErrorReason, where: StoreErrorContext): string => {
  const dir = where.kind === "state" || where.kind === undefined ? path.dirname(where.path) : where.path
  const kind = where.kind ?? "state"
  switch (reason) {
    case "NotADirectory":
      return `a part of ${where.path} is a file: move that file aside, or set state.path in the spec to a file in a directory`
    case "IsADirectory":
      return kind === "state"
        ? `state.path names a directory: set state.path in the spec to a file (e.g. ${path.join(where.path, "state.db")}), or move the directory aside`
        : `move the directory ${where.path} aside, then run again`
    case "ReadOnly":
      return kind === "state"
        ? `make ${dir} and the state file writable for the user running migrate (SQLite also writes its -wal and -shm files there), or set state.path in the spec to a writable place; then run again: it resumes where it stopped`
        : `make ${dir} writable for the user running migrate, then run again: it resumes where it stopped`
    case "Permission":
      return `give the user running migrate read and write access to ${dir} and the files in it (or run as their owner), then run again: it resumes where it stopped`
    case "Corrupt":
      return `migrate has not modified or deleted the file: restore it from a backup, or move it aside (with its -wal and -shm files) and run again — a new store is made, and the targets' objects are found again by their Zephyr keys`
    case "DiskFull":
      return `free space on the disk that holds ${dir} and run again: the load resumes where it stopped (the failed batch was rolled back; every committed batch is kept)`
    case "Busy":
      return `another process has the state store open for writing (another migrate run, or an SQLite client): let it finish or close it, then run again`
    case "Missing":
      return kind === "blob"
        ? `the attachment's file was deleted from the blob store (or the state file was copied without its blobs/ directory): run \`migrate run --full\`, which downloads every attachment again, then run again`
        : `${where.path} was removed while migrate ran: run again`
    case "CannotOpen":
      return `set state.path in the spec to a file on a local disk (not under /proc, /sys or /dev), in a directory migrate can create and write`
    case "Io":
      return `check the disk that holds ${dir} (the system log names I/O errors), then run again: it resumes from the last committed batch`
    case "Unexpected":
      return `run again with --verbose and report the output: every committed batch is kept`
  }
}

/** Turns what a driver or the file system threw into a `StoreError`; a `StoreError` passes through unchanged. */
export const classifyStoreError = (cause: unknown, where: StoreErrorContext): StoreError => {
  if (cause instanceof StoreError) return cause
  const found = findCode(cause, where.path)
  const reason = reasonOfCode(found.code, found.syscall)
  return new StoreError({
    reason,
    path: where.path,
    message: `${where.action} ${where.path}: ${reason === "Unexpected" ? found.detail : `${summaries[reason]} (${found.detail})`}`,
    code: found.code,
    detail: found.detail,
    hint: hintFor(reason, where),
    cause
  })
}

/** The mappers the state store's modules use: `Effect.mapError(failed.write)`. */
export interface StoreFailures {
  readonly path: string
  readonly read: (cause: unknown) => StoreError
  readonly write: (cause: unknown) => StoreError
}

export const stateStoreFailures = (file: string): StoreFailures => ({
  path: file,
  read: (cause) => classifyStoreError(cause, { action: "cannot read the state store", path: file, kind: "state" }),
  write: (cause) => classifyStoreError(cause, { action: "cannot write to the state store", path: file, kind: "state" })
})
