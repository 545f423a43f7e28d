/**
 * `npx migrate run` end to end, as a user runs it: the real CLI process, the Zephyr sandbox, a real SQLite store.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { describe, expect, it } from "@effect/vitest"
import { runCliProcess, tempDir } from "./cli.ts"

/** Every canonical table's rows, for comparing two states of a store. */
const dumpCanonical = (dbFile: string) => {
  const db = new Database(dbFile, { readonly: true })
  try {
    const tables = ["Project", "Folder", "TestCase", "TestStep", "TestPlan", "TestCycle", "TestExecution", "ExecutionStepResult", "CustomField", "Link", "Attachment"]
    return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}" ORDER BY source_system, source_id`).all()]))
  } finally {
    db.close()
  }
}

describe("migrate run --sandbox", () => {
  it("extracts the demo project, writes the report, and a second run changes nothing", async () => {
    const cwd = tempDir()
    const first = await runCliProcess(["run", "--sandbox"], { cwd })
    expect(first.stderr + first.stdout).not.toContain("Error:")
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/run \S+: succeeded/)
    expect(first.stderr).toContain("extract zephyr")

    const dbFile = path.join(cwd, ".migrate/sandbox.db")
    expect(fs.existsSync(dbFile)).toBe(true)
    const runsDir = path.join(cwd, ".migrate/runs")
    const [runId] = fs.readdirSync(runsDir)
    const report = JSON.parse(fs.readFileSync(path.join(runsDir, runId!, "report.json"), "utf8"))
    expect(report.status).toBe("succeeded")
    expect(report.totals.extracted).toBeGreaterThan(100)
    expect(report.totals.created).toBe(report.totals.extracted)
    expect(report.requests.zephyr.requests).toBeGreaterThan(10)
    expect(fs.readFileSync(path.join(runsDir, runId!, "report.md"), "utf8")).toContain("| TestCase |")

    const before = dumpCanonical(dbFile)
    expect(before["TestCase"]!.length).toBeGreaterThan(10)
    const second = await runCliProcess(["run", "--sandbox"], { cwd })
    expect(second.code, second.stderr).toBe(0)
    expect(dumpCanonical(dbFile)).toEqual(before)
    expect(second.stdout).toMatch(/total\s+\d+ extracted\s+0 new\s+0 changed/)
  })

  it("--dry-run extracts and validates but writes nothing", async () => {
    const cwd = tempDir()
    const r = await runCliProcess(["run", "--sandbox", "--dry-run"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("dry run, nothing written")
    expect(fs.existsSync(path.join(cwd, ".migrate"))).toBe(false)
  })

  it("--json emits one JSON object per line on stdout", async () => {
    const cwd = tempDir()
    const r = await runCliProcess(["run", "--sandbox", "--json"], { cwd })
    expect(r.code, r.stderr).toBe(0)
    const lines = r.stdout.trim().split("\n")
    expect(lines.length).toBeGreaterThan(3)
    const events = lines.map((l) => JSON.parse(l) as { event: string })
    expect(events.map((e) => e.event)).toContain("summary")
    expect(events.map((e) => e.event)).toContain("phase")
  })
})
