/**
 * A Zephyr Essential project end to end, as a user rehearses it: the real CLI with the example spec
 * (examples/zephyr-essential/migration.config.yaml), `run --sandbox` — the Zephyr sandbox then serves the demo in
 * Essential's shapes — into the qTest and Snowflake sandboxes, `verify --sandbox`, the two kinds of incremental
 * run an edition without modification dates allows, and a cut-over, which must see every change. The qTest and
 * Snowflake sinks know nothing of editions: what they get is canonical records, some attachments without files.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { lastReport, runCliProcess, tempDir } from "./cli.ts"
import { compareWithStore, readSnowflakeFile, readStore } from "./snowflakeHelpers.ts"
import { DEMO_COUNTS } from "../fixtures/demoCounts.ts"

const example = fileURLToPath(new URL("../../examples/zephyr-essential/migration.config.yaml", import.meta.url))


describe("a Zephyr Essential project, with the example spec, on the sandboxes", () => {
  const cwd = tempDir("migrate-essential-")
  const spec = path.join(cwd, "essential.yaml")
  const migrate = (args: ReadonlyArray<string>) => runCliProcess([...args, "--sandbox", "-c", spec], { cwd, timeoutMs: 90_000 })

  it("run: every record into qTest and Snowflake, attachments as names only; verify matches", async () => {
    fs.copyFileSync(example, spec)
    const first = await migrate(["run"])
    expect(first.code, first.stderr + first.stdout).toBe(0)
    const report = lastReport(cwd)
    expect(report.status).toBe("succeeded")

    const store = readStore(path.join(cwd, ".migrate/sandbox.db"))
    // the same records as the demo read from Zephyr Cloud (test/plugins/zephyr/editions.test.ts compares them field by field)
    for (const [entity, n] of Object.entries(DEMO_COUNTS)) expect(store[entity as keyof typeof store], entity).toHaveLength(n)
    for (const entity of Object.keys(DEMO_COUNTS)) for (const row of store[entity as keyof typeof store]) expect(row["source_system"]).toBe("zephyr-essential-cloud")
    expect(store.Attachment.length).toBeGreaterThan(0)
    for (const a of store.Attachment) expect([a["sha256"], a["blob_path"], a["size_bytes"]]).toEqual([null, null, null])

    // qTest: everything but the attachments, each of those skipped with why; the report counts the files not fetched
    const qtest = report.load!.find((l) => l.sink === "qtest")!
    expect(qtest.entities["test-case"]!.created).toBe(DEMO_COUNTS.TestCase)
    expect(qtest.entities["test-log"]!.created).toBe(DEMO_COUNTS.TestExecution)
    expect(qtest.entities["attachment"]).toMatchObject({ created: 0, skipped: store.Attachment.length })
    expect(qtest.skipped.filter((s) => s.entity === "attachment").map((s) => s.reason)).toEqual(
      store.Attachment.map(() => "the source gave only its name, not its file, so there is nothing to upload")
    )
    const notFetched = report.notes.find((n) => n.kind === "skip" && n.entity === "Attachment")
    expect(notFetched?.count).toBe(store.Attachment.length)
    expect(notFetched?.message).toContain("Zephyr Essential")

    // Snowflake: one row per record, every column equal to the store's (the attachment columns null)
    const cmp = compareWithStore(store, await readSnowflakeFile(path.join(cwd, ".migrate/snowflake-sandbox.duckdb")))
    expect(cmp.problems).toEqual([])
    expect(cmp.counts["ATTACHMENT"]?.snowflake).toBe(store.Attachment.length)

    const verify = await migrate(["verify"])
    expect(verify.code, verify.stderr + verify.stdout).toBe(0)
  }, 180_000)

  it("an incremental run rereads everything and writes nothing; add-only reads the lists and no record's children", async () => {
    const reread = await migrate(["run"])
    expect(reread.code, reread.stderr + reread.stdout).toBe(0)
    const r1 = lastReport(cwd)
    expect(r1.totals).toMatchObject({ created: 0, updated: 0 })
    expect(r1.notes.some((n) => n.kind === "default" && n.message.includes("read every record again (incremental: reread)"))).toBe(true)
    const full = r1.fullRunRequests?.["zephyr"] ?? 0
    expect(r1.requests["zephyr"]!.requests).toBeGreaterThan(0.9 * full)

    fs.writeFileSync(spec, fs.readFileSync(spec, "utf8").replace("incremental: reread", "incremental: add-only"))
    const addOnly = await migrate(["run"])
    expect(addOnly.code, addOnly.stderr + addOnly.stdout).toBe(0)
    const r2 = lastReport(cwd)
    expect(r2.totals).toMatchObject({ created: 0, updated: 0 })
    expect(r2.notes.some((n) => n.kind === "warning" && n.message.startsWith("incremental: add-only"))).toBe(true)
    // the project, folders, lookups and one page per big list: no steps, step results or attachment lists
    expect(r2.requests["zephyr"]!.requests).toBeLessThan(20)
  }, 180_000)

  it("cutover with add-only set: both reads see every change, and it passes with nothing changed", async () => {
    expect(fs.readFileSync(spec, "utf8")).toContain("incremental: add-only")
    const cutover = await migrate(["cutover"])
    expect(cutover.code, cutover.stderr + cutover.stdout).toBe(0)
    expect(cutover.stdout).toContain("cutover: PASSED")
    // the final run read everything (a full run's worth of requests), not the add-only lists
    const final = lastReport(cwd)
    expect(final.notes.some((n) => n.kind === "warning" && n.message.includes("must see every change (a cut-over)"))).toBe(true)
    expect(final.requests["zephyr"]!.requests).toBeGreaterThan(0.9 * (final.fullRunRequests?.["zephyr"] ?? 0))
  }, 240_000)
})
