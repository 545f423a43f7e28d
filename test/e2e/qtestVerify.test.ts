/**
 * `migrate verify` against qTest: after a clean run every object matches what the id map says was written; after
 * a user edits one object through qTest's API (a test case's name, a test log's note), verify exits 1 and names
 * that record by its Zephyr key.
 */
import { describe, expect, it } from "@effect/vitest"
import { EXECUTION_KEY, propertyValue, ZEPHYR_KEY } from "../plugins/qtest/load/qtestContents.ts"
import { migrate, qtestApi, qtestSpec, readBack, useSandboxes, workdir } from "./qtestHelpers.ts"

const sandboxes = useSandboxes()

describe("migrate verify (qTest)", () => {
  it("passes after a clean run, and fails naming the record after an edit in qTest", async () => {
    const s = sandboxes()
    const cwd = workdir(qtestSpec(s))
    const run = await migrate(s, cwd, ["run"])
    expect(run.code, run.stderr + run.stdout).toBe(0)

    const clean = await migrate(s, cwd, ["verify"])
    expect(clean.code, clean.stderr + clean.stdout).toBe(0)
    expect(clean.stdout).toContain("verify qtest: everything matches")
    expect(clean.stdout).toMatch(/test-case\s+25 match\s+0 differ\s+0 missing/)
    expect(clean.stdout).toMatch(/test-log\s+96 match/)

    const { contents } = await readBack(s.qtest)
    const testCase = contents.cases.find((c) => propertyValue(c.raw.properties, ZEPHYR_KEY) === "DEMO-T5")!.raw
    const renamed = await qtestApi(s.qtest, "PUT", `/test-cases/${testCase.id}`, { name: `${testCase.name} (edited in qTest)` })
    expect(renamed.status).toBe(200)

    const afterRename = await migrate(s, cwd, ["verify"])
    expect(afterRename.code, afterRename.stdout).toBe(1)
    expect(afterRename.stdout).toContain("DIFFERENCES")
    expect(afterRename.stdout).toMatch(/differs: test-case DEMO-T5 \(target \d+\)/)
    expect(afterRename.stdout).toMatch(/test-case\s+24 match\s+1 differ/)
    expect(afterRename.stdout).not.toMatch(/differs: test-log/)

    const log = contents.logs.find((l) => propertyValue(l.raw.properties, EXECUTION_KEY) === "DEMO-E10")!
    const noted = await qtestApi(s.qtest, "PUT", `/test-runs/${log.runId}/test-logs/${log.raw.id}`, {
      status: { id: log.raw.status.id },
      exe_start_date: log.raw.exe_start_date,
      exe_end_date: log.raw.exe_end_date,
      note: "re-run by hand, see chat"
    })
    expect(noted.status).toBe(200)

    const afterNote = await migrate(s, cwd, ["verify"])
    expect(afterNote.code, afterNote.stdout).toBe(1)
    expect(afterNote.stdout).toMatch(/differs: test-log DEMO-E10 \(target \d+\/\d+\)/)
    expect(afterNote.stdout).toMatch(/differs: test-case DEMO-T5/)
    expect(afterNote.stdout).toMatch(/test-log\s+95 match\s+1 differ/)
  }, 180_000)
})

describe("migrate verify (qTest) after incremental runs", () => {
  it("passes after 30% of the source changed and an ordinary incremental run, and again after run --full", async () => {
    const s = sandboxes()
    const cwd = workdir(qtestSpec(s))
    const first = await migrate(s, cwd, ["run"])
    expect(first.code, first.stderr + first.stdout).toBe(0)
    const changed = s.zephyr.mutate({ changeFraction: 0.3, deleteFraction: 0.02, addCount: 10, seed: 11 })
    expect(changed.changed.testcases.length).toBeGreaterThan(0)
    expect(changed.changed.executions.length).toBeGreaterThan(0)

    const incremental = await migrate(s, cwd, ["run"])
    expect(incremental.code, incremental.stderr + incremental.stdout).toBe(0)
    const verified = await migrate(s, cwd, ["verify"])
    expect(verified.code, verified.stdout + verified.stderr).toBe(0)
    expect(verified.stdout).toContain("verify qtest: everything matches")

    const full = await migrate(s, cwd, ["run", "--full"])
    expect(full.code, full.stderr + full.stdout).toBe(0)
    expect((await migrate(s, cwd, ["verify"])).code).toBe(0)
  }, 240_000)
})
