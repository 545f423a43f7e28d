/**
 * The failures a caller acts on, as tagged values. Each carries a `reason`; the ones that reach the user
 * also carry a `hint` (what to do). Foreign exceptions are converted once, at the boundary that meets them.
 */
import { Data } from "effect"
import type { BudgetStopDetails } from "./policy/BudgetStopDetails.ts"

/** A call to a remote system failed. Never carries credentials: URLs hold no secrets, bodies are truncated. */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly system: string
  readonly reason:
    | "Unauthorized" // 401
    | "Forbidden" // 403
    | "NotFound" // 404
    | "BadRequest" // other 4xx
    | "RateLimited" // 429
    | "Server" // 5xx
    | "Transport" // connection refused / reset / dropped
    | "Timeout"
    | "Decode" // the body is not what the API documents
  readonly method: string
  readonly url: string
  readonly status?: number | undefined
  /** Seconds, from a positive `Retry-After` header. */
  readonly retryAfterSeconds?: number | undefined
  readonly message: string
}> {}

/**
 * A system refused us in a way the user must fix (credentials, URL, project): stops the run with exit 1. Reason
 * "Budget": the run stopped before a request that would cross `runtime.budget` (exit 4; `budget` says which).
 */
export class SystemError extends Data.TaggedError("SystemError")<{
  readonly system: string
  readonly reason: "Unauthorized" | "Forbidden" | "NotFound" | "Unreachable" | "Protocol" | "Unsupported" | "Budget"
  readonly message: string
  readonly hint: string
  readonly budget?: BudgetStopDetails | undefined
}> {}

/** Something in the spec or on the command line is wrong: exit 2, found before any system is contacted. */
export class SpecError extends Data.TaggedError("SpecError")<{
  readonly reason: "File" | "Yaml" | "Schema" | "Env" | "Plugin" | "Usage"
  readonly file?: string | undefined
  /** One line per problem: `file:line:col  /json/path  what is wrong — what to do`. */
  readonly problems: ReadonlyArray<string>
}> {
  override get message() {
    return this.problems.join("\n")
  }
}

/**
 * The state store, the blob store or a run report failed on the local disk (a directory where the file should
 * be, read-only, corrupt, disk full, locked). Made only by `classifyStoreError` (core/store), which names the
 * reason from SQLite's or the OS's code and says what to do.
 */
export class StoreError extends Data.TaggedError("StoreError")<{
  readonly reason:
    | "NotADirectory" // ENOTDIR: a part of the path is a file
    | "IsADirectory" // EISDIR: the path is a directory
    | "ReadOnly" // EROFS, SQLITE_READONLY
    | "Permission" // EACCES, EPERM, SQLITE_PERM
    | "Corrupt" // SQLITE_CORRUPT (truncated), SQLITE_NOTADB (not a database)
    | "DiskFull" // ENOSPC, EDQUOT, EFBIG, SQLITE_FULL
    | "Busy" // SQLITE_BUSY, SQLITE_LOCKED: another process holds the database
    | "Missing" // ENOENT: a file that was there is gone (a deleted blob)
    | "CannotOpen" // SQLITE_CANTOPEN, a directory that cannot be made (/proc)
    | "Io" // SQLITE_IOERR, EIO
    | "Unexpected" // anything else: a bug to report
  /** The file or directory involved. */
  readonly path: string
  /** One line: what failed, where, and why (`cannot write to the state store /x/state.db: the disk is full (SQLITE_FULL: …)`). */
  readonly message: string
  /** SQLite's code (SQLITE_FULL) or the OS's (ENOSPC), when the failure had one. */
  readonly code?: string | undefined
  /** The underlying failure's own message. */
  readonly detail: string
  /** What to do. */
  readonly hint: string
  /** The original failure, for `--verbose`. */
  readonly cause?: unknown
}> {}

/**
 * Another process holds the state (StateLock.ts): a second run on one state would create every object twice.
 * Exit code 75 (EX_TEMPFAIL: try again later).
 */
export class StateLocked extends Data.TaggedError("StateLocked")<{
  readonly statePath: string
  readonly holder?: { readonly pid: number; readonly host: string; readonly command: string; readonly since: string; readonly runId?: string | undefined } | undefined
  readonly message: string
  readonly hint: string
}> {}

/**
 * The spec points a state at another system or project than the one it was written for (Bindings.ts): its
 * records or id map would be applied to the wrong place. Exit code 2, before anything is contacted.
 */
export class StateMismatch extends Data.TaggedError("StateMismatch")<{
  readonly statePath: string
  /** "source", or the sink's name. */
  readonly role: string
  readonly bound: string
  readonly wanted: string
  readonly message: string
  readonly hint: string
}> {}

/** A plugin module does not satisfy the contract, or a spec names an unknown plugin type. */
export class PluginError extends Data.TaggedError("PluginError")<{
  readonly plugin: string
  readonly reason: "Unknown" | "Contract" | "Load" | "Config"
  readonly message: string
}> {}

/**
 * A sink could not load one record — the target refused it (a 4xx with its message) or the sink's own rule
 * (a call-to-test loop). The record is quarantined with the message; the rest of the load goes on.
 */
export class RecordRejected extends Data.TaggedError("RecordRejected")<{
  readonly sink: string
  /** The sink's object kind, e.g. "test-case". */
  readonly entity: string
  readonly key: string
  readonly label: string
  /**
   * `Failing`: every attempt failed (5xx, timeout) while the target answered other requests — the record is set
   * aside, its intent kept open (a failed create may still have been applied: the next run looks it up first).
   */
  readonly reason: "Refused" | "TooLarge" | "Loop" | "Dependency" | "Invalid" | "Failing"
  readonly status?: number | undefined
  readonly message: string
}> {}
