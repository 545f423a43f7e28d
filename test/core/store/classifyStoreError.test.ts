/**
 * classifyStoreError: every SQLite code and errno it maps, from what the drivers and the OS really throw where a
 * test can make them throw it (a directory opened as a database, a truncated file, a garbage header, a held write
 * lock, a read-only connection, /dev/full, libsql's open failure), and from errors built the way they build
 * theirs where it cannot (a read-only mount, a full disk inside SQLite, quotas, I/O errors). Each gives its
 * reason, keeps the code and the driver's own message, names the path, and has a hint that says what to do.
 */
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { pathToFileURL } from "node:url"
import { SqlError } from "@effect/sql/SqlError"
import { createClient } from "@libsql/client/sqlite3"
import Database from "better-sqlite3"
import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "@effect/vitest"
import { StoreError } from "../../../core/errors.ts"
import { classifyStoreError, reasonOfCode, type StoreErrorReason } from "../../../core/store/classifyStoreError.ts"
import { ensureDirectory } from "../../../core/store/ensureDirectory.ts"

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "classify-"))
const where = (p: string) => ({ action: "cannot open the state store", path: p, kind: "state" as const })

/** What a synchronous call threw. */
const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  throw new Error("expected a throw")
}

/** A database file with one table and a few pages of rows. */
const database = (file: string) => {
  const db = new Database(file)
  db.exec("CREATE TABLE t (x TEXT)")
  const insert = db.prepare("INSERT INTO t VALUES (?)")
  db.transaction(() => {
    for (let i = 0; i < 200; i++) insert.run("x".repeat(500))
  })()
  db.close()
  return file
}

/** Node's errno errors, built as libuv builds them (`code: message, syscall 'path'`). */
const errno = (code: string, description: string, syscall: string, p: string) =>
  Object.assign(new Error(`${code}: ${description}, ${syscall} '${p}'`), { code, syscall, path: p, errno: -1 })

const expectClassified = (e: StoreError, reason: StoreErrorReason, code: string | undefined, file: string) => {
  expect(e).toBeInstanceOf(StoreError)
  expect(e.reason).toBe(reason)
  expect(e.code).toBe(code)
  expect(e.path).toBe(file)
  expect(e.message).toContain(file)
  if (code !== undefined) expect(e.message).toContain(code)
  expect(e.hint.length).toBeGreaterThan(20)
  expect(e.hint).not.toMatch(/free disk space/)
}

describe("classifyStoreError: what better-sqlite3 throws", () => {
  it("a directory opened as the database: SQLITE_CANTOPEN → CannotOpen", () => {
    const dir = tmp()
    const e = classifyStoreError(thrown(() => new Database(dir)), where(dir))
    expectClassified(e, "CannotOpen", "SQLITE_CANTOPEN", dir)
    expect(e.detail).toBe("SQLITE_CANTOPEN: unable to open database file")
  })

  it("a truncated database: SQLITE_CORRUPT → Corrupt, with restore-or-move-aside hint", () => {
    const file = database(path.join(tmp(), "state.db"))
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))
    const e = classifyStoreError(thrown(() => new Database(file).pragma("journal_mode = WAL")), where(file))
    expectClassified(e, "Corrupt", "SQLITE_CORRUPT", file)
    expect(e.hint).toMatch(/restore it from a backup/)
    expect(e.hint).toMatch(/move it aside/)
  })

  it("a garbage header: SQLITE_NOTADB → Corrupt", () => {
    const file = database(path.join(tmp(), "state.db"))
    const fd = fs.openSync(file, "r+")
    fs.writeSync(fd, Buffer.alloc(100, 0xab), 0, 100, 0)
    fs.closeSync(fd)
    const e = classifyStoreError(thrown(() => new Database(file).pragma("journal_mode = WAL")), where(file))
    expectClassified(e, "Corrupt", "SQLITE_NOTADB", file)
    expect(e.detail).toBe("SQLITE_NOTADB: file is not a database")
  })

  it("a write lock held by another connection: SQLITE_BUSY → Busy, never blamed on disk space", () => {
    const file = database(path.join(tmp(), "state.db"))
    const holder = new Database(file)
    holder.exec("BEGIN IMMEDIATE")
    try {
      const other = new Database(file, { timeout: 10 })
      const e = classifyStoreError(thrown(() => other.exec("INSERT INTO t VALUES ('y')")), where(file))
      other.close()
      expectClassified(e, "Busy", "SQLITE_BUSY", file)
      expect(e.message).toContain("database is locked")
      expect(e.hint).toMatch(/another process/)
    } finally {
      holder.close()
    }
  })

  it("a write on a read-only connection: SQLITE_READONLY → ReadOnly", () => {
    const file = database(path.join(tmp(), "state.db"))
    const db = new Database(file, { readonly: true })
    const e = classifyStoreError(thrown(() => db.exec("INSERT INTO t VALUES ('y')")), where(file))
    db.close()
    expectClassified(e, "ReadOnly", "SQLITE_READONLY", file)
    expect(e.hint).toContain(path.dirname(file))
  })

  it("inside @effect/sql's SqlError ('Failed to execute statement'): the driver's code and message are kept", async () => {
    const file = database(path.join(tmp(), "state.db"))
    const db = new Database(file, { readonly: true })
    const exit = await Effect.runPromiseExit(
      Effect.try({ try: () => db.exec("INSERT INTO t VALUES ('y')"), catch: (cause) => new SqlError({ cause, message: "Failed to execute statement" }) })
    )
    db.close()
    if (!Exit.isFailure(exit)) throw new Error("expected a failure")
    const e = classifyStoreError(Cause.squash(exit.cause), { action: "cannot write to the state store", path: file })
    expectClassified(e, "ReadOnly", "SQLITE_READONLY", file)
    expect(e.detail).toBe("SQLITE_READONLY: attempt to write a readonly database")
    expect(e.message).toBe(`cannot write to the state store ${file}: it is read-only (SQLITE_READONLY: attempt to write a readonly database)`)
  })

  it.each([
    ["SQLITE_FULL", "database or disk is full", "DiskFull"],
    ["SQLITE_IOERR_WRITE", "disk I/O error", "Io"],
    ["SQLITE_IOERR_SHORT_READ", "disk I/O error", "Io"],
    ["SQLITE_CORRUPT_INDEX", "database disk image is malformed", "Corrupt"],
    ["SQLITE_READONLY_DBMOVED", "attempt to write a readonly database", "ReadOnly"],
    ["SQLITE_BUSY_SNAPSHOT", "database is locked", "Busy"],
    ["SQLITE_LOCKED", "database table is locked", "Busy"],
    ["SQLITE_PERM", "access permission denied", "Permission"],
    ["SQLITE_CANTOPEN_ISDIR", "unable to open database file", "IsADirectory"],
    ["SQLITE_ERROR", "no such table: runs", "Unexpected"]
  ] as const)("%s (%s) → %s", (code, message, reason) => {
    const file = "/data/.migrate/state.db"
    const e = classifyStoreError(new SqlError({ cause: new Database.SqliteError(message, code), message: "Failed to execute statement" }), where(file))
    expectClassified(e, reason, code, file)
    expect(e.detail).toBe(`${code}: ${message}`)
  })

  it("the disk-full hint names the directory and says the load resumes", () => {
    const e = classifyStoreError(new Database.SqliteError("database or disk is full", "SQLITE_FULL"), where("/data/.migrate/state.db"))
    expect(e.message).toBe("cannot open the state store /data/.migrate/state.db: the disk is full (SQLITE_FULL: database or disk is full)")
    expect(e.hint).toMatch(/^free space on the disk that holds \/data\/\.migrate and run again: the load resumes where it stopped/)
  })
})

describe("classifyStoreError: what libsql (the Deno driver) throws", () => {
  const libsql = async (file: string) => {
    const client = createClient({ url: pathToFileURL(file).href })
    try {
      await client.execute("PRAGMA journal_mode = WAL")
      await client.execute("SELECT COUNT(*) FROM t")
    } finally {
      client.close()
    }
  }
  const rejected = async (p: Promise<unknown>) => {
    try {
      await p
    } catch (e) {
      return e
    }
    throw new Error("expected a rejection")
  }

  it("its open failure, ConnectionFailed(\"…: 14\"), is SQLITE_CANTOPEN", async () => {
    const dir = tmp()
    const e = classifyStoreError(await rejected(libsql(dir)), where(dir))
    expectClassified(e, "CannotOpen", "SQLITE_CANTOPEN", dir)
  })

  it("LibsqlError SQLITE_NOTADB and SQLITE_CORRUPT are Corrupt, without the code twice", async () => {
    const garbage = database(path.join(tmp(), "state.db"))
    const fd = fs.openSync(garbage, "r+")
    fs.writeSync(fd, Buffer.alloc(100, 0xab), 0, 100, 0)
    fs.closeSync(fd)
    const notADb = classifyStoreError(await rejected(libsql(garbage)), where(garbage))
    expectClassified(notADb, "Corrupt", "SQLITE_NOTADB", garbage)
    expect(notADb.detail).toBe("SQLITE_NOTADB: file is not a database")

    const truncated = database(path.join(tmp(), "state.db"))
    fs.truncateSync(truncated, Math.floor(fs.statSync(truncated).size / 2))
    expectClassified(classifyStoreError(await rejected(libsql(truncated)), where(truncated)), "Corrupt", "SQLITE_CORRUPT", truncated)
  })

  it("Deno's NotCapable (a /proc path without --allow-all) → CannotOpen", () => {
    const denied = Object.assign(new Error('Requires all access to "/proc/migrate", run again with the --allow-all flag'), { name: "NotCapable" })
    expectClassified(classifyStoreError(denied, where("/proc/migrate/state.db")), "CannotOpen", "NotCapable", "/proc/migrate/state.db")
  })
})

describe("classifyStoreError: what the OS answers (errno)", () => {
  it("a directory where the file should be: EISDIR → IsADirectory, hint: point state.path at a file", () => {
    const dir = tmp()
    const e = classifyStoreError(thrown(() => fs.openSync(dir, "r+")), where(dir))
    expectClassified(e, "IsADirectory", "EISDIR", dir)
    expect(e.detail).toBe("EISDIR: illegal operation on a directory")
    expect(e.hint).toContain(path.join(dir, "state.db"))
  })

  it("a file where a directory should be: ENOTDIR → NotADirectory", () => {
    const file = path.join(tmp(), "plain")
    fs.writeFileSync(file, "x")
    const target = path.join(file, "state.db")
    expectClassified(classifyStoreError(thrown(() => ensureDirectory(path.join(file, "sub"))), where(target)), "NotADirectory", "ENOTDIR", target)
    expectClassified(classifyStoreError(thrown(() => fs.statSync(target)), where(target)), "NotADirectory", "ENOTDIR", target)
  })

  it("a directory /proc will not hold: mkdir's ENOENT → CannotOpen, at once", () => {
    const started = Date.now()
    const e = classifyStoreError(thrown(() => ensureDirectory("/proc/migrate-test/x")), where("/proc/migrate-test/x/state.db"))
    expect(Date.now() - started).toBeLessThan(1000)
    expectClassified(e, "CannotOpen", "ENOENT", "/proc/migrate-test/x/state.db")
    expect(e.detail).toBe("ENOENT: no such file or directory, mkdir '/proc/migrate-test'")
    expect(e.hint).toMatch(/not under \/proc/)
  })

  it("a file that is gone: ENOENT → Missing; for a blob, the hint says run --full downloads it again", () => {
    const blob = path.join(tmp(), "blobs", "ab".repeat(32))
    const e = classifyStoreError(thrown(() => fs.readFileSync(blob)), { action: "cannot read the attachment blob", path: blob, kind: "blob" })
    expectClassified(e, "Missing", "ENOENT", blob)
    expect(e.hint).toMatch(/migrate run --full/)
  })

  it("a full disk: ENOSPC (writing /dev/full) → DiskFull", () => {
    const e = classifyStoreError(thrown(() => fs.writeFileSync("/dev/full", "x")), { action: "cannot store an attachment in the blob store", path: "/dev/full", kind: "blob" })
    expectClassified(e, "DiskFull", "ENOSPC", "/dev/full")
    expect(e.hint).toMatch(/^free space/)
  })

  it.each([
    ["EROFS", "read-only file system", "open", "ReadOnly"],
    ["EACCES", "permission denied", "open", "Permission"],
    ["EPERM", "operation not permitted", "rename", "Permission"],
    ["ENOSPC", "no space left on device", "write", "DiskFull"],
    ["EDQUOT", "disk quota exceeded", "write", "DiskFull"],
    ["EFBIG", "file too large", "write", "DiskFull"],
    ["EIO", "i/o error", "read", "Io"],
    ["ENAMETOOLONG", "name too long", "open", "CannotOpen"],
    ["EMFILE", "too many open files", "open", "Unexpected"]
  ] as const)("%s (%s) → %s", (code, description, syscall, reason) => {
    const file = "/data/.migrate/state.db"
    const e = classifyStoreError(errno(code, description, syscall, file), where(file))
    expectClassified(e, reason, code, file)
    expect(e.detail).toBe(`${code}: ${description}`)
  })

  it("another path in the OS's message is kept: the message says which one", () => {
    const e = classifyStoreError(errno("EACCES", "permission denied", "access", "/data/.migrate"), where("/data/.migrate/state.db"))
    expect(e.detail).toBe("EACCES: permission denied, access '/data/.migrate'")
  })
})

describe("classifyStoreError: what is not a driver error", () => {
  it("a StoreError passes through unchanged", () => {
    const first = classifyStoreError(new Database.SqliteError("database is locked", "SQLITE_BUSY"), where("/a/state.db"))
    expect(classifyStoreError(first, where("/b/state.db"))).toBe(first)
  })

  it("an Effect.try wrapper (UnknownException) is looked through", async () => {
    const exit = await Effect.runPromiseExit(Effect.try(() => fs.openSync(tmp(), "r+")))
    if (!Exit.isFailure(exit)) throw new Error("expected a failure")
    expect(classifyStoreError(Cause.squash(exit.cause), where("/x")).reason).toBe("IsADirectory")
  })

  it("an error without a code is Unexpected and keeps its message", () => {
    const e = classifyStoreError(new Error("a ChildSet of TestCase lists Project"), where("/x/state.db"))
    expect(e.reason).toBe("Unexpected")
    expect(e.code).toBeUndefined()
    expect(e.message).toBe("cannot open the state store /x/state.db: a ChildSet of TestCase lists Project")
    expect(e.hint).toMatch(/--verbose/)
  })

  it("reasonOfCode: no code is Unexpected", () => {
    expect(reasonOfCode(undefined)).toBe("Unexpected")
    expect(reasonOfCode("ENOENT", "open")).toBe("Missing")
    expect(reasonOfCode("ENOENT", "mkdir")).toBe("CannotOpen")
  })
})
