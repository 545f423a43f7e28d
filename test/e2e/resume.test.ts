/**
 * A run killed with SIGKILL during extraction — no finaliser, no report, the run row left `running` — is resumed by
 * the next `run` from its last committed checkpoint: it does not re-read what was committed (it makes fewer
 * requests than a full run by at least the committed part), says "resumed", and ends with exactly the store of
 * a clean run. On each Zephyr edition: Cloud resumes its cursor lists at an id, Essential its offset lists at a
 * position, DC its searches at a position (its executions are read per test run, in the `TestRun` phase).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { dumpStore } from "../plugins/zephyr/runInProcess.ts"
import { runCliProcess, tempDir } from "./cli.ts"
import { demoSpec, useSlowSandbox } from "./slowSandbox.ts"
import { demoData } from "../../plugins/zephyr/sandbox/index.ts"


interface Progress {
  readonly executions: number
  readonly cases: number
  readonly phase: string | undefined
}

/** What a concurrent reader sees of the store: committed rows and the unfinished extract's checkpoint. */
const progressOf = (dbFile: string): Progress | undefined => {
  if (!fs.existsSync(dbFile)) return undefined
  let db: Database.Database | undefined
  try {
    db = new Database(dbFile, { readonly: true, fileMustExist: true })
    const count = (t: string) => (db!.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as { n: number }).n
    const row = db.prepare(`SELECT state_json FROM checkpoints WHERE name = 'extract:zephyr:DEMO'`).get() as { state_json: string } | undefined
    const state = row ? (JSON.parse(row.state_json) as { unfinished: { state?: { phase?: string } } | null }) : undefined
    return { executions: count("TestExecution"), cases: count("TestCase"), phase: state?.unfinished?.state?.phase }
  } catch {
    // Tables not created yet, or the writer holds a lock for a moment: look again.
    return undefined
  } finally {
    db?.close()
  }
}

describe.each(["cloud", "essential", "dc"] as const)("SIGKILL during extraction (%s)", (edition) => {
  const slow = useSlowSandbox(edition)
  const executionPhase = edition === "dc" ? "TestRun" : "TestExecution"
  // what reading a parent (case or execution) costs at least, besides its list page: Cloud and Essential read its
  // steps and attachment list; DC embeds the steps, so only the attachment list
  const requestsPerParent = edition === "dc" ? 1 : 2
  it("the next run resumes from the last committed checkpoint without re-reading committed work", async () => {
    const cwd = tempDir()
    fs.writeFileSync(path.join(cwd, "migration.config.yaml"), demoSpec(slow().baseUrl, edition))
    const env = { ZEPHYR_TOKEN: slow().token }
    const dbFile = path.join(cwd, ".migrate/state.db")
    const demoExecutions = demoData().testexecutions.filter((e) => e.project.id === 10000).length

    slow().resetStats()
    let atKill: Progress | undefined
    const killed = await runCliProcess(["run"], {
      cwd,
      env,
      onStarted: (child) => {
        // Kill once part of the executions is committed: cases done, executions under way.
        const timer = setInterval(() => {
          const p = progressOf(dbFile)
          if (p !== undefined && p.phase === executionPhase && p.executions >= 20) {
            clearInterval(timer)
            atKill = p
            child.kill("SIGKILL")
          }
        }, 25)
        child.on("close", () => clearInterval(timer))
      }
    })
    expect(killed.signal, killed.stderr).toBe("SIGKILL")
    expect(atKill).toBeDefined()
    const committed = progressOf(dbFile)!
    expect(committed.executions).toBeLessThan(demoExecutions)
    const killedRun = (() => {
      const db = new Database(dbFile, { readonly: true })
      try {
        return db.prepare(`SELECT run_id, status FROM runs`).all() as Array<{ run_id: string; status: string }>
      } finally {
        db.close()
      }
    })()
    expect(killedRun).toEqual([{ run_id: expect.any(String), status: "running" }])

    slow().resetStats()
    const resumed = await runCliProcess(["run"], { cwd, env })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toContain(`resumed (full pass begun by run ${killedRun[0]!.run_id})`)
    const resumedRequests = slow().stats().requests

    const clean = tempDir()
    fs.writeFileSync(path.join(clean, "migration.config.yaml"), demoSpec(slow().baseUrl, edition))
    slow().resetStats()
    const cleanRun = await runCliProcess(["run"], { cwd: clean, env })
    expect(cleanRun.code, cleanRun.stderr).toBe(0)
    const fullRequests = slow().stats().requests

    // Every committed case and execution cost at least two requests (steps and attachment list) the resumed run
    // did not make again; it re-reads project, folders and lookups (5), the cursor page it was on, and at most
    // the one item a batch commit cut in two.
    const committedParents = committed.cases + committed.executions
    // DC's item in its TestRun phase is a whole run with its results: the one a batch commit cut in two is read again whole
    const perCycle = new Map<number, number>()
    for (const e of demoData().testexecutions) if (e.testCycle) perCycle.set(e.testCycle.id, (perCycle.get(e.testCycle.id) ?? 0) + 1)
    const cutItem = edition === "dc" ? Math.max(...perCycle.values()) : 0
    expect(resumedRequests).toBeLessThanOrEqual(fullRequests - requestsPerParent * committedParents + 12 + cutItem)
    expect(dumpStore(dbFile)).toEqual(dumpStore(path.join(clean, ".migrate/state.db")))

    const db = new Database(dbFile, { readonly: true })
    try {
      const runs = db.prepare(`SELECT run_id, status, full_pass FROM runs ORDER BY started_at`).all() as Array<{ run_id: string; status: string; full_pass: number }>
      // The killed run is closed as died by the next run, which found the lock free.
      expect(runs.map((r) => r.status)).toEqual(["died", "succeeded"])
      const cp = db.prepare(`SELECT watermark, state_json FROM checkpoints`).get() as { watermark: string | null; state_json: string }
      expect(cp.watermark).not.toBeNull()
      expect(JSON.parse(cp.state_json)).toEqual({ unfinished: null })
      const report = JSON.parse(fs.readFileSync(path.join(cwd, ".migrate/runs", runs[1]!.run_id, "report.json"), "utf8"))
      expect(report.extract).toMatchObject({ mode: "resumed", pass: "full", resumedFrom: killedRun[0]!.run_id })
      // The pass's cost: the killed run's requests up to its last checkpoint plus the resumed run's.
      expect(report.fullRunRequests.zephyr).toBeGreaterThan(resumedRequests)
      expect(report.fullRunRequests.zephyr).toBeLessThanOrEqual(fullRequests + 12 + cutItem)
      expect(report.deletedAtSource).toEqual({})
    } finally {
      db.close()
    }

    // The next run is incremental and shows what a full run took.
    const next = await runCliProcess(["run"], { cwd, env })
    expect(next.code, next.stderr).toBe(0)
    expect(next.stdout).toMatch(/incremental since \S+/)
    expect(next.stdout).toMatch(/zephyr \d+ requests \(a full run took [\d,]+\)/)
  }, 240_000)
})
