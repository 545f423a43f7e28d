/**
 * Ctrl-C during extraction: the process stops with exit 130, the run is recorded as interrupted with its report,
 * committed batches stay, and the next run completes to exactly the store of an uninterrupted run.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { dumpStore } from "../plugins/zephyr/runInProcess.ts"
import { describe, expect, it } from "@effect/vitest"
import { runCliProcess, tempDir } from "./cli.ts"
import { demoSpec, useSlowSandbox } from "./slowSandbox.ts"
import { demoData } from "../../plugins/zephyr/sandbox/index.ts"

const slow = useSlowSandbox()

describe("Ctrl-C", () => {
  it("stops cleanly with exit 130 and state saved; the next run completes to the same store as a clean run", async () => {
    const cwd = tempDir()
    fs.writeFileSync(path.join(cwd, "migration.config.yaml"), demoSpec(slow().baseUrl))
    const env = { ZEPHYR_TOKEN: slow().token }
    const interrupted = await runCliProcess(["run"], {
      cwd,
      env,
      onStarted: (child) => {
        let sent = false
        child.stderr?.on("data", (d: Buffer) => {
          if (!sent && d.toString().includes("extract zephyr")) {
            sent = true
            setTimeout(() => child.kill("SIGINT"), 1500)
          }
        })
      }
    })
    expect(interrupted.code, interrupted.stderr).toBe(130)
    expect(interrupted.stderr).toContain("interrupted")

    const dbFile = path.join(cwd, ".migrate/state.db")
    const db = new Database(dbFile, { readonly: true })
    const run = db.prepare(`SELECT status FROM runs`).get() as { status: string }
    const partial = (db.prepare(`SELECT COUNT(*) AS n FROM "TestExecution"`).get() as { n: number }).n
    db.close()
    expect(run.status).toBe("interrupted")
    expect(partial).toBeLessThan(demoData().testexecutions.filter((e) => e.project.id === 10000).length)
    const [runId] = fs.readdirSync(path.join(cwd, ".migrate/runs"))
    expect(JSON.parse(fs.readFileSync(path.join(cwd, ".migrate/runs", runId!, "report.json"), "utf8")).status).toBe("interrupted")

    const resumed = await runCliProcess(["run"], { cwd, env })
    expect(resumed.code, resumed.stderr).toBe(0)

    const clean = tempDir()
    fs.writeFileSync(path.join(clean, "migration.config.yaml"), demoSpec(slow().baseUrl))
    expect((await runCliProcess(["run"], { cwd: clean, env })).code).toBe(0)
    expect(dumpStore(dbFile)).toEqual(dumpStore(path.join(clean, ".migrate/state.db")))
  })
})
