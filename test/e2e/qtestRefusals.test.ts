/**
 * What qTest refuses. A 400 on one record (the sandbox's `/__sandbox/reject` rule, once) quarantines that record
 * with qTest's message, the rest of the load goes on (exit 3), what depends on it is reported skipped, and the
 * next run loads it and clears the quarantine. A 401 stops the run (exit 1) with a message that names qTest and
 * says to fix the credentials — whether the token is wrong from the start or qTest stops accepting it in the
 * middle of the load — and a run with the right token finishes as a clean run does, nothing twice.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { beforeAll, describe, expect, it } from "@effect/vitest"
import type { RunReport } from "../../core/report/RunReport.ts"
import { ZEPHYR_KEY, propertyValue } from "../plugins/qtest/load/qtestContents.ts"
import { extractOnce, migrate, qtestSpec, readBack, rejectNext, reportOf, resetQtest, useSandboxes } from "./qtestHelpers.ts"

const sandboxes = useSandboxes()

const query = <T>(cwd: string, sql: string): Array<T> => {
  const db = new Database(path.join(cwd, ".migrate/state.db"), { readonly: true })
  try {
    return db.prepare(sql).all() as Array<T>
  } finally {
    db.close()
  }
}

/** The report of the last run in `cwd` (also of a run that failed and printed no summary). */
const lastReport = (cwd: string): RunReport => {
  const [run] = query<{ run_id: string }>(cwd, `SELECT run_id FROM runs ORDER BY started_at DESC LIMIT 1`)
  return JSON.parse(fs.readFileSync(path.join(cwd, ".migrate/runs", run!.run_id, "report.json"), "utf8")) as RunReport
}

const qtestLoadOf = (report: RunReport) => report.load.find((l) => l.sink === "qtest")!

const REFUSED = { key: "DEMO-T8", name: "Checkout with credit card" }
const MESSAGE = "Field 'Zephyr Labels' (800074): value exceeds the maximum length"

describe("qTest refusals", () => {
  let copy: (spec: string) => string
  let reference: Awaited<ReturnType<typeof readBack>>

  beforeAll(async () => {
    const s = sandboxes()
    copy = await extractOnce(s)
    const clean = await migrate(s, copy(qtestSpec(s)), ["run"])
    expect(clean.code, clean.stderr + clean.stdout).toBe(0)
    reference = await readBack(s.qtest)
    expect(reference.duplicates).toEqual([])
  }, 120_000)

  it("a 400 on one test case: quarantined with qTest's message, the rest loaded, its executions skipped; the next run loads it", async () => {
    const s = sandboxes()
    await resetQtest(s.qtest)
    const cwd = copy(qtestSpec(s))
    await rejectNext(s.qtest, { objectType: "test-cases", nameContains: REFUSED.name, status: 400, message: MESSAGE, times: 1 })

    const first = await migrate(s, cwd, ["run"])
    expect(first.code, first.stderr + first.stdout).toBe(3)
    expect(first.stdout).toContain("1 records quarantined")
    const report = reportOf(first)
    expect(report.status).toBe("succeeded-with-quarantine")
    const [testCase] = query<{ source_id: string; test_case_id: number }>(cwd, `SELECT source_id, test_case_id FROM TestCase WHERE key = '${REFUSED.key}'`)
    expect(report.quarantined).toEqual([{ entity: "qtest/test-case", sourceId: testCase!.source_id, reason: expect.stringContaining(MESSAGE) }])
    const load = qtestLoadOf(report)
    expect(load.rejected).toEqual([{ entity: "test-case", key: testCase!.source_id, label: REFUSED.key, message: expect.stringContaining(MESSAGE) }])
    // every execution of the refused case is reported skipped, and nothing else is
    const executions = query<{ key: string }>(cwd, `SELECT key FROM TestExecution WHERE test_case_id = ${testCase!.test_case_id} ORDER BY key`).map((e) => e.key)
    expect(executions.length).toBeGreaterThan(0)
    expect(load.skipped.map((x) => `${x.entity} ${x.label}`).sort()).toEqual(executions.map((k) => `test-log ${k}`).sort())
    expect(load.skipped.every((x) => x.reason.includes(REFUSED.key))).toBe(true)
    expect(query(cwd, `SELECT entity, source_id, reason FROM quarantine`)).toEqual([{ entity: "qtest/test-case", source_id: testCase!.source_id, reason: expect.stringContaining(MESSAGE) }])

    // every other case is in qTest, with its runs and logs
    const partial = await readBack(s.qtest)
    const keys = partial.contents.cases.map((c) => propertyValue(c.raw.properties, ZEPHYR_KEY)).sort()
    expect(keys).toEqual(reference.dump.cases.map((c) => c.key).filter((k) => k !== REFUSED.key).sort())
    expect(partial.counts.logs).toBe(reference.counts.logs - executions.length)

    // the rule answered once: the next run loads the case and what depends on it, and clears the quarantine
    const second = await migrate(s, cwd, ["run"])
    expect(second.code, second.stderr + second.stdout).toBe(0)
    const again = reportOf(second)
    expect(again.quarantined).toEqual([])
    expect(qtestLoadOf(again).entities["test-case"]?.created).toBe(1)
    expect(qtestLoadOf(again).entities["test-log"]?.created).toBe(executions.length)
    expect(query(cwd, `SELECT * FROM quarantine`)).toEqual([])
    const after = await readBack(s.qtest)
    expect(after.duplicates).toEqual([])
    expect(after.dump).toEqual(reference.dump)
  }, 120_000)

  it("a 401 stops the run with a message naming qTest and the credentials; with the right token the run finishes like a clean one", async () => {
    const s = sandboxes()
    await resetQtest(s.qtest)
    const cwd = copy(qtestSpec(s))

    // the wrong token from the start: nothing is written
    const wrong = await migrate(s, cwd, ["run"], { env: { QTEST_TOKEN: "not-the-qtest-token" } })
    expect(wrong.code, wrong.stdout + wrong.stderr).toBe(1)
    expect(wrong.stderr).toMatch(/qtest/i)
    expect(wrong.stderr).toMatch(/credentials/i)
    expect(wrong.stderr).not.toContain("not-the-qtest-token")
    expect((await readBack(s.qtest)).counts).toMatchObject({ modules: 0, cases: 0, runs: 0, logs: 0 })

    // the token stops working in the middle of the load (after the test cases, at the first test run)
    await rejectNext(s.qtest, { objectType: "test-runs", status: 401, message: "Invalid or expired access token", times: 1 })
    const stopped = await migrate(s, cwd, ["run"])
    expect(stopped.code, stopped.stdout + stopped.stderr).toBe(1)
    expect(stopped.stderr).toMatch(/qtest refused the credentials: fix the token/i)
    const report = lastReport(cwd)
    expect(report.status).toBe("failed")
    expect(qtestLoadOf(report).stoppedBy).toMatch(/Invalid or expired access token/)
    expect(report.quarantined).toEqual([])
    const partial = await readBack(s.qtest)
    expect(partial.counts.cases).toBe(reference.counts.cases)
    expect(partial.counts.logs).toBeLessThan(reference.counts.logs)

    const resumed = await migrate(s, cwd, ["run"])
    expect(resumed.code, resumed.stderr + resumed.stdout).toBe(0)
    expect(qtestLoadOf(reportOf(resumed)).entities["test-case"]).toMatchObject({ created: 0, updated: 0 })
    const after = await readBack(s.qtest)
    expect(after.duplicates).toEqual([])
    expect(after.dump).toEqual(reference.dump)
  }, 120_000)
})
