/**
 * `migrate snapshot` and `migrate restore` through the CLI: a snapshot taken while a run writes is a whole,
 * consistent store (SQLite's integrity check passes, no -wal beside it) that a later run continues from; and
 * the requests that would lose or mix states are refused with exit 2 and what to do.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { runCliProcess, tempDir } from "./cli.ts"

const rows = (file: string, sql: string) => {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare(sql).all() as Array<Record<string, unknown>>
  } finally {
    db.close()
  }
}

describe("snapshot and restore", () => {
  it("a snapshot taken while a run writes is consistent, and restored elsewhere it is that state, mid-extract", async () => {
    const cwd = tempDir()
    const store = path.join(cwd, ".migrate/sandbox.db")
    let snapshot: Promise<Awaited<ReturnType<typeof runCliProcess>>> | undefined
    const run = runCliProcess(["run", "--sandbox", "--scale", "small"], {
      cwd,
      timeoutMs: 300_000,
      onStarted: () => {
        // as soon as the extract has committed executions, while it goes on
        const poll = setInterval(() => {
          try {
            if (snapshot === undefined && fs.existsSync(store) && Number(rows(store, `SELECT COUNT(*) AS n FROM "TestExecution"`)[0]!["n"]) > 0) {
              clearInterval(poll)
              snapshot = runCliProcess(["snapshot", "--sandbox", "--to", "snap"], { cwd })
            }
          } catch {
            // the table may not exist yet
          }
        }, 100)
      }
    })
    const ran = await run
    expect(ran.code, ran.stderr).toBe(0)
    expect(snapshot, "the snapshot was taken during the run").toBeDefined()
    const snap = await snapshot!
    expect(snap.code, snap.stderr).toBe(0)
    expect(snap.stdout).toMatch(/snapshot of .*sandbox\.db: store [\d.]+ MB/)
    const copy = path.join(cwd, "snap/sandbox.db")
    expect(fs.readdirSync(path.join(cwd, "snap")).filter((f) => f.endsWith("-wal") || f.endsWith("-shm"))).toEqual([])
    expect(rows(copy, "PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }])
    const taken = Number(rows(copy, `SELECT COUNT(*) AS n FROM "TestExecution"`)[0]!["n"])
    const final = Number(rows(store, `SELECT COUNT(*) AS n FROM "TestExecution"`)[0]!["n"])
    expect(taken).toBeGreaterThan(0)
    expect(taken).toBeLessThanOrEqual(final)

    // restored elsewhere, it is the state as the snapshot caught it: the next run would resume from there
    const elsewhere = tempDir()
    const restored = await runCliProcess(["restore", "--sandbox", "--from", path.join(cwd, "snap")], { cwd: elsewhere })
    expect(restored.code, restored.stderr).toBe(0)
    expect(rows(path.join(elsewhere, ".migrate/sandbox.db"), "PRAGMA integrity_check")).toEqual([{ integrity_check: "ok" }])
    const status = await runCliProcess(["status", "--sandbox"], { cwd: elsewhere })
    expect(status.code).toBe(0)
    expect(status.stdout).toMatch(/unfinished|watermark/)
  }, 400_000)

  it("refuses what would lose or mix a state, with exit 2 and what to do", async () => {
    const cwd = tempDir()
    expect((await runCliProcess(["run", "--sandbox"], { cwd, timeoutMs: 120_000 })).code).toBe(0)
    // into the directory the state lives in: replacing it would delete the state
    const inside = await runCliProcess(["snapshot", "--sandbox", "--to", ".migrate"], { cwd })
    expect(inside.code).toBe(2)
    expect(inside.stderr).toContain("it would replace the state it copies")
    expect(fs.existsSync(path.join(cwd, ".migrate/sandbox.db"))).toBe(true)
    // over a directory holding something else
    fs.mkdirSync(path.join(cwd, "docs"))
    fs.writeFileSync(path.join(cwd, "docs/notes.txt"), "mine")
    const foreign = await runCliProcess(["snapshot", "--sandbox", "--to", "docs"], { cwd })
    expect(foreign.code).toBe(2)
    expect(fs.readFileSync(path.join(cwd, "docs/notes.txt"), "utf8")).toBe("mine")
    // an earlier snapshot is replaced
    expect((await runCliProcess(["snapshot", "--sandbox", "--to", "snap"], { cwd })).code).toBe(0)
    expect((await runCliProcess(["snapshot", "--sandbox", "--to", "snap"], { cwd })).code).toBe(0)
    // restoring over an existing state would mix two
    const over = await runCliProcess(["restore", "--sandbox", "--from", "snap"], { cwd })
    expect(over.code).toBe(2)
    expect(over.stderr).toContain("a state already exists")
    // a directory that holds no snapshot (an empty cache) is not silently a fresh start
    const empty = tempDir()
    fs.mkdirSync(path.join(empty, "nothing"))
    const none = await runCliProcess(["restore", "--sandbox", "--from", "nothing"], { cwd: empty })
    expect(none.code).toBe(2)
    expect(none.stderr).toContain("holds no snapshot")
    expect(fs.existsSync(path.join(empty, ".migrate/sandbox.db"))).toBe(false)
  }, 300_000)
})
