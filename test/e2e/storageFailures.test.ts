/**
 * Storage failures, as a user meets them through the real CLI (bin/migrate.js in a child process, real SQLite,
 * the demo Zephyr project and a qTest sandbox in the test process): the state path is a directory, its
 * directory is read-only, the state file is truncated or has a garbage header, the disk fills during the qTest
 * load, the state path is under /proc, another process holds the database, a blob was deleted. Each ends with
 * exit 1 (3 for the blob: one attachment refused, the rest loaded) and exactly one message — what failed, the
 * path, what to do — with no stack trace; and nothing already migrated is lost: a damaged store is left byte for
 * byte as it was, and once the problem is fixed the next run resumes and completes.
 */
import { execFileSync, spawn } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import { type CliResult, repoRoot, runCliProcess } from "./cli.ts"
import { envOf, extractOnce, qtestSpec, readBack, reportOf, resetQtest, type Sandboxes, useSandboxes, workdir } from "./qtestHelpers.ts"
import { nobody } from "../support/unprivileged.ts"

const sandboxes = useSandboxes()

/** `migrate <args>` in `cwd` against the sandboxes; `as` runs it as another user or under a wrapper command. */
const migrate = (s: Sandboxes, cwd: string, args: ReadonlyArray<string>, as: { uid?: number; gid?: number; wrapper?: ReadonlyArray<string>; timeoutMs?: number } = {}) =>
  runCliProcess(args, { cwd, env: { ...envOf(s), MIGRATE_FAILPOINT: undefined, MIGRATE_DEBUG: undefined }, timeoutMs: 60_000, ...as })

/**
 * The one message a storage failure prints, checked for what every one must show: exit 1, a single
 * `migrate: <what failed> <path>: <why> (<code>: <driver's message>)` line and its `→ <what to do>` line, no
 * stack trace, never "internal error".
 */
const failureMessage = (r: CliResult): string => {
  expect(r.code, r.stderr + r.stdout).toBe(1)
  const parts = r.stderr.split("\nmigrate: ")
  expect(parts, r.stderr).toHaveLength(2)
  const message = `migrate: ${parts[1]!.trim()}`
  expect(message).not.toContain("internal error")
  expect(r.stderr).not.toMatch(/^\s+at /m)
  const lines = message.split("\n")
  expect(lines, message).toHaveLength(2)
  expect(lines[1]).toMatch(/^ {2}→ \S/)
  return message
}

/** Every file under `dir` with its size and hash: what "left as it was" is compared on. */
const snapshot = (dir: string): Record<string, string> => {
  const out: Record<string, string> = {}
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out[path.relative(dir, p)] = `${fs.statSync(p).size} ${createHash("sha256").update(fs.readFileSync(p)).digest("hex")}`
    }
  }
  walk(dir)
  return out
}

const sql = <T>(file: string, query: string, params: ReadonlyArray<unknown> = []): T => {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare(query).get(...params) as T
  } finally {
    db.close()
  }
}

const idMapRows = (file: string) => sql<{ n: number }>(file, `SELECT COUNT(*) AS n FROM id_map WHERE sink = 'qtest'`).n

/**
 * Root ignores permission bits, so as root the CLI runs as `nobody` over files it owns (the way a service
 * account meets a directory it cannot write); as anyone else, the bits alone do it.
 */
const unprivileged = (cwd: string): { uid?: number; gid?: number; how: string } => {
  const user = nobody()
  if (user === undefined) return { how: `as the current user (uid ${process.getuid?.()})` }
  const { uid, gid } = user
  fs.chmodSync(cwd, 0o755)
  execFileSync("chown", ["-R", `${uid}:${gid}`, cwd])
  return { uid, gid, how: `as nobody (uid ${uid}), the tests running as root` }
}

/** A tmpfs mounted on `dir` (root, and a kernel that allows it), or undefined with why not. */
const mountTmpfs = (dir: string, size: string): { readonly ok: true } | { readonly ok: false; readonly why: string } => {
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size}`, "tmpfs", dir], { stdio: "pipe" })
    return { ok: true }
  } catch (e) {
    return { ok: false, why: (e as { stderr?: Buffer }).stderr?.toString().trim() || String(e) }
  }
}

let copy: (spec: string) => string
let reference: Awaited<ReturnType<typeof readBack>>
let cleanCreated: number

beforeAll(async () => {
  const s = sandboxes()
  copy = await extractOnce(s)
  // What a clean load of the demo leaves in qTest: a resumed run must leave the same.
  await resetQtest(s.qtest)
  const clean = await migrate(s, copy(qtestSpec(s)), ["run"])
  expect(clean.code, clean.stderr + clean.stdout).toBe(0)
  cleanCreated = reportOf(clean).load.find((l) => l.sink === "qtest")!.totals.created
  reference = await readBack(s.qtest)
  expect(reference.counts).toMatchObject({ cases: 25, runs: 52, logs: 96, attachments: 8 })
}, 120_000)

describe("storage failures: one located message, exit 1, nothing lost", () => {
  it("the state path is a directory: names it, says to point state.path at a file; the directory is untouched", async () => {
    const s = sandboxes()
    const cwd = workdir(qtestSpec(s))
    const statePath = path.join(cwd, ".migrate/state.db")
    fs.mkdirSync(statePath, { recursive: true })
    fs.writeFileSync(path.join(statePath, "notes.txt"), "mine")
    const before = snapshot(path.join(cwd, ".migrate"))

    const m = failureMessage(await migrate(s, cwd, ["run"]))
    expect(m).toContain(`migrate: cannot open the state store ${statePath}: it is a directory, not a file (EISDIR: illegal operation on a directory)`)
    expect(m).toContain(`→ state.path names a directory: set state.path in the spec to a file (e.g. ${path.join(statePath, "state.db")})`)
    expect(snapshot(path.join(cwd, ".migrate"))).toEqual(before)

    // --verbose adds the trace
    const verbose = await migrate(s, cwd, ["run", "--verbose"])
    expect(verbose.code).toBe(1)
    expect(verbose.stderr).toMatch(/^\s+at /m)

    // fixed as the hint says: the run completes
    fs.writeFileSync(path.join(cwd, "migration.config.yaml"), `${qtestSpec(s, { sink: false })}state:\n  path: .migrate/state.db/state.db\n`)
    const fixed = await migrate(s, cwd, ["run"])
    expect(fixed.code, fixed.stderr).toBe(0)
    expect(fs.readFileSync(path.join(statePath, "notes.txt"), "utf8")).toBe("mine")
  })

  it("the state directory is read-only: names it, says to make it writable; the store is untouched, and once writable the run resumes and completes", async () => {
    const s = sandboxes()
    await resetQtest(s.qtest)
    const cwd = copy(qtestSpec(s))
    const dir = path.join(cwd, ".migrate")
    const statePath = path.join(dir, "state.db")
    const user = unprivileged(cwd)
    console.info(`read-only state directory: chmod 555, the CLI ${user.how}`)
    fs.chmodSync(dir, 0o555)
    const before = snapshot(dir)

    const m = failureMessage(await migrate(s, cwd, ["run"], user))
    expect(m).toContain(`migrate: cannot open the state store ${statePath}: permission denied (EACCES: permission denied, access '${dir}')`)
    expect(m).toContain(`→ give the user running migrate read and write access to ${dir}`)
    expect(snapshot(dir)).toEqual(before)

    fs.chmodSync(dir, 0o755)
    const resumed = await migrate(s, cwd, ["run"], user)
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(reportOf(resumed).extract.mode).toBe("incremental")
    const after = await readBack(s.qtest)
    expect(after.duplicates).toEqual([])
    expect(after.dump).toEqual(reference.dump)
  })

  it.each([
    ["truncated to half its size", "SQLITE_CORRUPT: database disk image is malformed", (file: string) => fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2))],
    [
      "its first 100 bytes overwritten",
      "SQLITE_NOTADB: file is not a database",
      (file: string) => {
        const fd = fs.openSync(file, "r+")
        fs.writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0)
        fs.closeSync(fd)
      }
    ]
  ] as const)("the state file %s: says to restore it or move it aside, and leaves it byte for byte as it was", async (_, why, damage) => {
    const s = sandboxes()
    await resetQtest(s.qtest)
    const cwd = copy(qtestSpec(s))
    const dir = path.join(cwd, ".migrate")
    const statePath = path.join(dir, "state.db")
    const backup = path.join(cwd, "state.db.backup")
    fs.copyFileSync(statePath, backup)
    damage(statePath)
    const before = snapshot(dir)

    // plan reads a temporary copy: the message still names the user's file
    for (const command of ["run", "status", "plan"]) {
      const m = failureMessage(await migrate(s, cwd, [command]))
      expect(m).toContain(`migrate: cannot open the state store ${statePath}: the file is damaged or is not a migrate state store (${why})`)
      expect(m).toContain("→ migrate has not modified or deleted the file: restore it from a backup, or move it aside")
      expect(snapshot(dir), command).toEqual(before)
    }

    // restored from the backup, as the hint says: the run resumes and completes
    fs.copyFileSync(backup, statePath)
    const resumed = await migrate(s, cwd, ["run"])
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(reportOf(resumed).extract.mode).toBe("incremental")
    expect((await readBack(s.qtest)).dump).toEqual(reference.dump)
  })

  it("the state path is under /proc: fails at once (no mkdir loop) and says to choose a real disk", async () => {
    const s = sandboxes()
    const cwd = workdir(`${qtestSpec(s)}state:\n  path: /proc/migrate/state.db\n`)
    const started = Date.now()
    const r = await migrate(s, cwd, ["run"], { timeoutMs: 20_000 })
    expect(r.signal, "killed after 20 s: it hung").toBeNull()
    expect(Date.now() - started).toBeLessThan(15_000)
    const m = failureMessage(r)
    expect(m).toContain("migrate: cannot open the state store /proc/migrate/state.db: no file can be opened or created there (ENOENT: no such file or directory, mkdir '/proc/migrate')")
    expect(m).toContain("→ set state.path in the spec to a file on a local disk (not under /proc, /sys or /dev)")
  })

  it("another process holds the database: says it is locked by another process, never blames disk space; the next run completes", async () => {
    const s = sandboxes()
    const cwd = copy(qtestSpec(s, { sink: false }))
    const statePath = path.join(cwd, ".migrate/state.db")
    const holder = new Database(statePath)
    holder.exec("BEGIN IMMEDIATE")
    let r: CliResult
    try {
      r = await migrate(s, cwd, ["run"])
    } finally {
      holder.exec("ROLLBACK")
      holder.close()
    }
    const m = failureMessage(r)
    expect(m).toContain(`migrate: cannot write to the state store ${statePath}: the database is locked by another process (SQLITE_BUSY: database is locked)`)
    expect(m).toContain("→ another process has the state store open for writing")
    expect(m).not.toMatch(/disk/)
    const again = await migrate(s, cwd, ["run"])
    expect(again.code, again.stderr).toBe(0)
  })
})

describe("the disk fills during the qTest load", () => {
  it("the batch in flight is rolled back, the store stays consistent, the message says disk full + path + free space; freed, the run resumes and qTest equals a clean run's", async () => {
    const s = sandboxes()
    await resetQtest(s.qtest)
    const cwd = copy(qtestSpec(s))
    const dir = path.join(cwd, ".migrate")
    const statePath = path.join(dir, "state.db")
    const extracted = `${dir}.extracted`
    fs.renameSync(dir, extracted)
    fs.mkdirSync(dir)
    const mounted = mountTmpfs(dir, "16m")
    const filler = path.join(dir, "filler")
    try {
      let failed: CliResult
      if (mounted.ok) {
        // A small disk, filled but for a little: enough for the (unchanged) incremental extract, not for the load.
        console.info("disk full: a 16 MiB tmpfs on the state directory, filled to 384 KiB free")
        fs.cpSync(extracted, dir, { recursive: true })
        const { bavail, bsize } = fs.statfsSync(dir)
        fs.writeFileSync(filler, Buffer.alloc(bavail * bsize - 384 * 1024))
        failed = await migrate(s, cwd, ["run"])
      } else {
        // No mount here: a file-size limit stops the write instead (the OS answers EFBIG, SQLite SQLITE_IOERR_WRITE).
        console.info(`disk full: mount refused (${mounted.why}); ulimit -f instead`)
        fs.cpSync(extracted, dir, { recursive: true })
        const limitKb = Math.ceil(fs.statSync(statePath).size / 1024) + 384
        failed = await migrate(s, cwd, ["run"], { wrapper: ["bash", "-c", `trap '' XFSZ; ulimit -f ${limitKb}; exec "$@"`, "bash"] })
      }

      const m = failureMessage(failed)
      expect(failed.stderr).toContain("extract zephyr")
      if (mounted.ok) {
        expect(m).toMatch(new RegExp(`migrate: cannot write to the state store ${statePath}: the disk is full \\(SQLITE_FULL: database or disk is full\\)`))
        expect(m).toContain(`→ free space on the disk that holds ${dir} and run again: the load resumes where it stopped`)
        fs.rmSync(filler)
      } else {
        expect(m).toContain(`migrate: cannot write to the state store ${statePath}: the disk reported an I/O error (SQLITE_IOERR_WRITE: disk I/O error)`)
        expect(m).toContain("run again: it resumes from the last committed batch")
      }

      // the store is consistent, with part of the load committed
      const db = new Database(statePath)
      try {
        expect(db.pragma("integrity_check")).toEqual([{ integrity_check: "ok" }])
      } finally {
        db.close()
      }
      const partial = idMapRows(statePath)
      expect(partial, "the disk filled before the load").toBeGreaterThan(0)

      const resumed = await migrate(s, cwd, ["run"])
      expect(resumed.code, resumed.stderr).toBe(0)
      expect(idMapRows(statePath)).toBeGreaterThan(partial)
      const qtest = reportOf(resumed).load.find((l) => l.sink === "qtest")!
      // what the failed run committed is not created again (a write cut off between qTest's answer and the
      // commit is found by its look-up: "recovered")
      expect(qtest.totals.created).toBeLessThan(cleanCreated)
      expect(qtest.totals.created + qtest.totals.recovered).toBeLessThanOrEqual(cleanCreated - partial + 1)
      const after = await readBack(s.qtest)
      expect(after.duplicates).toEqual([])
      expect(after.dump).toEqual(reference.dump)
    } finally {
      if (mounted.ok) execFileSync("umount", [dir])
    }
  })
})

describe("a blob deleted from the blob store", () => {
  it("the attachment that needs it is refused with the blob and `run --full`; the others load; run --full downloads it again and loads it", async () => {
    const s = sandboxes()
    await resetQtest(s.qtest)
    const cwd = copy(qtestSpec(s))
    const statePath = path.join(cwd, ".migrate/state.db")
    const blobs = path.join(cwd, ".migrate/blobs")
    const gone = fs.readdirSync(blobs).find((n) => /^[0-9a-f]{64}$/.test(n))!
    const needing = sql<{ n: number }>(statePath, `SELECT COUNT(*) AS n FROM "Attachment" WHERE sha256 = ?`, [gone]).n
    expect(needing).toBeGreaterThan(0)
    fs.rmSync(path.join(blobs, gone))

    const r = await migrate(s, cwd, ["run"])
    expect(r.code, r.stderr).toBe(3)
    expect(r.stderr).toMatch(new RegExp(`! qtest refused attachment .*: its file blobs/${gone} is missing from the blob store beside the state file: run \`migrate run --full\``))
    expect(r.stderr).not.toMatch(/^\s+at /m)
    const report = reportOf(r)
    expect(report.quarantined.filter((q) => q.entity === "qtest/attachment")).toHaveLength(needing)
    expect((await readBack(s.qtest)).counts.attachments).toBe(8 - needing)

    const full = await migrate(s, cwd, ["run", "--full"])
    expect(full.code, full.stderr).toBe(0)
    expect(fs.existsSync(path.join(blobs, gone))).toBe(true)
    const after = await readBack(s.qtest)
    expect(after.duplicates).toEqual([])
    expect(after.dump).toEqual(reference.dump)
  })
})

/** The Deno binary the `deno` npm package installs (test/e2e/deno.test.ts runs the whole CLI with it). */
const denoBin = [path.join(repoRoot, "node_modules/deno/deno"), path.join(repoRoot, "node_modules/.bin/deno")].find((p) => fs.existsSync(p))

/** `migrate <args>` under Deno (the libsql driver), with the permissions the deno task grants. */
const migrateOnDeno = (s: Sandboxes, cwd: string, args: ReadonlyArray<string>): Promise<CliResult> =>
  new Promise((resolve, reject) => {
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v
    Object.assign(env, envOf(s), { CI: "true", NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_DIR: path.join(repoRoot, "node_modules/.cache/deno") })
    const flags = ["--allow-read", "--allow-write", "--allow-env", "--allow-net=127.0.0.1", "--allow-ffi", "--allow-sys"]
    const child = spawn(denoBin!, ["run", "--config", path.join(repoRoot, "deno.json"), ...flags, path.join(repoRoot, "bin/main.ts"), ...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()))
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })

describe("under Deno (libsql): the same messages", () => {
  it.skipIf(denoBin === undefined)(
    denoBin === undefined ? "SKIPPED: no deno binary in node_modules (run npm ci)" : "a garbage header, a directory as state path, /proc: libsql's failures are classified as better-sqlite3's are",
    { timeout: 120_000 },
    async () => {
      const s = sandboxes()
      const cwd = copy(qtestSpec(s, { sink: false }))
      const dir = path.join(cwd, ".migrate")
      const statePath = path.join(dir, "state.db")
      const fd = fs.openSync(statePath, "r+")
      fs.writeSync(fd, Buffer.alloc(100, 0x5a), 0, 100, 0)
      fs.closeSync(fd)
      const before = snapshot(dir)
      const corrupt = failureMessage(await migrateOnDeno(s, cwd, ["run"]))
      expect(corrupt).toContain(`migrate: cannot open the state store ${statePath}: the file is damaged or is not a migrate state store (SQLITE_NOTADB: file is not a database)`)
      expect(corrupt).toContain("restore it from a backup, or move it aside")
      expect(snapshot(dir)).toEqual(before)

      fs.rmSync(statePath)
      fs.mkdirSync(statePath)
      expect(failureMessage(await migrateOnDeno(s, cwd, ["run"]))).toContain(`migrate: cannot open the state store ${statePath}: it is a directory, not a file (EISDIR`)

      // Deno refuses /proc paths to a process without --allow-all: a failure at once, with the same hint
      fs.writeFileSync(path.join(cwd, "migration.config.yaml"), `${qtestSpec(s, { sink: false })}state:\n  path: /proc/migrate/state.db\n`)
      const proc = failureMessage(await migrateOnDeno(s, cwd, ["run"]))
      expect(proc).toContain("migrate: cannot open the state store /proc/migrate/state.db: no file can be opened or created there (NotCapable:")
      expect(proc).toContain("→ set state.path in the spec to a file on a local disk (not under /proc, /sys or /dev)")
    }
  )
})
