/**
 * A Zephyr DC project end to end, as a user rehearses it: the real CLI with the example spec
 * (examples/zephyr-dc/migration.config.yaml), `run --sandbox` — the Zephyr sandbox then serves the demo as Zephyr DC's
 * REST API v1 does — into the qTest and Snowflake sandboxes, `verify --sandbox`, an incremental run and a cut-over.
 * The qTest and Snowflake sinks know nothing of editions: what they get is canonical records.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { lastReport, runCliProcess, tempDir } from "./cli.ts"
import { compareWithStore, readSnowflakeFile, readStore } from "./snowflakeHelpers.ts"
import { DEMO_COUNTS_DC } from "../fixtures/demoCounts.ts"

const example = fileURLToPath(new URL("../../examples/zephyr-dc/migration.config.yaml", import.meta.url))


describe("a Zephyr DC project, with the example spec, on the sandboxes", () => {
  const cwd = tempDir("migrate-dc-")
  const spec = path.join(cwd, "dc.yaml")
  const migrate = (args: ReadonlyArray<string>) => runCliProcess([...args, "--sandbox", "-c", spec], { cwd, timeoutMs: 90_000 })

  it("run: every record DC shows into qTest and Snowflake, attachment files included; verify matches", async () => {
    fs.copyFileSync(example, spec)
    const first = await migrate(["run"])
    expect(first.code, first.stderr + first.stdout).toBe(0)
    const report = lastReport(cwd)
    expect(report.status).toBe("succeeded")

    const store = readStore(path.join(cwd, ".migrate/sandbox.db"))
    // the demo as DC shows it (test/plugins/zephyr/dc/sameProject.test.ts compares it with Cloud's field by field)
    for (const [entity, n] of Object.entries(DEMO_COUNTS_DC)) expect(store[entity as keyof typeof store], entity).toHaveLength(n)
    for (const entity of Object.keys(DEMO_COUNTS_DC)) for (const row of store[entity as keyof typeof store]) expect(row["source_system"]).toBe("zephyr-dc")
    for (const a of store.Attachment) expect(a["sha256"]).toMatch(/^[0-9a-f]{64}$/)

    const qtest = report.load!.find((l) => l.sink === "qtest")!
    expect(qtest.entities["test-case"]!.created).toBe(DEMO_COUNTS_DC.TestCase)
    expect(qtest.entities["test-log"]!.created).toBe(DEMO_COUNTS_DC.TestExecution)
    expect(qtest.entities["attachment"]!.created).toBe(DEMO_COUNTS_DC.Attachment)
    // users are Jira user keys: the spec's maps.users default took them, so no user gap
    expect(qtest.gaps.filter((g) => g.kind === "user")).toEqual([])
    // the one ad hoc gap DC leaves is in the report, counted
    const adHoc = report.notes.find((n) => n.entity === "TestExecution" && n.message.includes("only the latest result"))
    expect(adHoc?.count).toBe(store.TestExecution.filter((e) => e["test_cycle_id"] === null).length)

    const cmp = compareWithStore(store, await readSnowflakeFile(path.join(cwd, ".migrate/snowflake-sandbox.duckdb")))
    expect(cmp.problems).toEqual([])
    expect(cmp.counts["TESTCASE"]?.snowflake).toBe(DEMO_COUNTS_DC.TestCase)

    const verify = await migrate(["verify"])
    expect(verify.code, verify.stderr + verify.stdout).toBe(0)
  }, 180_000)

  it("an incremental run reads the lists, every run's results and each case's latest result, and writes nothing", async () => {
    const next = await migrate(["run"])
    expect(next.code, next.stderr + next.stdout).toBe(0)
    const r = lastReport(cwd)
    expect(r.extract?.mode).toBe("incremental")
    expect(r.totals).toMatchObject({ created: 0, updated: 0 })
    expect(r.notes.some((n) => n.kind === "default" && n.message.includes("searches take no date"))).toBe(true)
    expect(r.requests["zephyr"]!.requests).toBeLessThan(0.5 * (r.fullRunRequests?.["zephyr"] ?? 0))
  }, 180_000)

  it("cutover: the final run and the re-read see every change, and it passes with nothing changed", async () => {
    const cutover = await migrate(["cutover"])
    expect(cutover.code, cutover.stderr + cutover.stdout).toBe(0)
    expect(cutover.stdout).toContain("cutover: PASSED")
  }, 240_000)
})
