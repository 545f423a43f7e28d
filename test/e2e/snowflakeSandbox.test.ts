/**
 * `run --sandbox`, `verify --sandbox` and `migrate sandbox` with the Snowflake sink, as a user runs them: the real
 * CLI process, the Zephyr demo, the Snowflake-protocol sandbox on DuckDB the CLI starts and keeps in
 * `.migrate/snowflake-sandbox*.duckdb`. What the runs left is read back through the real driver (`snowflake-sdk`)
 * from a sandbox this process starts on the same files, and compared with the store, column by column.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { DEFAULT_ACCOUNT, DEFAULT_PASSWORD, DEFAULT_USER, DEFAULT_WAREHOUSE } from "../../plugins/snowflake/sandbox/index.ts"
import { connectPromise, destroy, execPromise } from "../plugins/snowflake/sandbox/helpers.ts"
import { runCliProcess, tempDir } from "./cli.ts"
import {
  compareWithStore,
  exec,
  readSnowflakeFile,
  readStore,
  snowflakeLoad,
  snowflakeSummary,
  storeCounts,
  withDriver,
  withSandbox
} from "./snowflakeHelpers.ts"
import { DEMO_COUNTS, DEMO_TOTAL } from "../fixtures/demoCounts.ts"


const files = (cwd: string) => ({
  store: path.join(cwd, ".migrate/sandbox.db"),
  duckdb: path.join(cwd, ".migrate/snowflake-sandbox.duckdb"),
  database: path.join(cwd, ".migrate/snowflake-sandbox.MIGRATE.duckdb")
})

describe("run --sandbox into the Snowflake sandbox", () => {
  // one directory for the whole story: two runs, then verify, an edit in Snowflake, the repair
  const cwd = tempDir("migrate-snowflake-")
  const f = files(cwd)

  it("twice: exit 0 both, the second loads nothing, and every table holds exactly one equal row per store record", async () => {
    const first = await runCliProcess(["run", "--sandbox"], { cwd, timeoutMs: 90_000 })
    expect(first.code, first.stderr + first.stdout).toBe(0)
    expect(first.stderr).toMatch(/sandbox snowflake at http:\/\/127\.0\.0\.1:\d+/)
    const load1 = snowflakeLoad(first)
    expect(load1.totals).toMatchObject({ created: DEMO_TOTAL, updated: 0, unchanged: 0, rejected: 0 })
    expect(fs.existsSync(f.duckdb)).toBe(true)
    expect(fs.existsSync(f.database)).toBe(true)

    const second = await runCliProcess(["run", "--sandbox"], { cwd, timeoutMs: 90_000 })
    expect(second.code, second.stderr + second.stdout).toBe(0)
    const summary = snowflakeSummary(second.stdout)
    expect(summary, second.stdout).toMatch(/^load snowflake in /)
    // the summary's table lines: every table 0 created, 0 updated, all unchanged
    for (const [entity, n] of Object.entries(DEMO_COUNTS))
      expect(summary, entity).toMatch(new RegExp(`\\n\\s+${entity}\\s+0 created\\s+0 updated\\s+${n} unchanged`))
    const load2 = snowflakeLoad(second)
    expect(load2.totals).toMatchObject({ created: 0, updated: 0, unchanged: DEMO_TOTAL, removed: 0, rejected: 0 })

    const store = readStore(f.store)
    expect(storeCounts(store)).toEqual(DEMO_COUNTS)
    const target = await readSnowflakeFile(f.duckdb)
    const cmp = compareWithStore(store, target)
    expect(cmp.problems).toEqual([])
    expect(Object.values(cmp.counts).map((c) => c.snowflake)).toEqual(Object.values(DEMO_COUNTS))
    // every column of every record was compared (≈ 15 000 values)
    expect(cmp.values).toBeGreaterThan(10_000)

    // a few values spelled out, so the comparison itself is seen to work on real types
    const t5 = store.TestCase.find((r) => r["source_key"] === "DEMO-T5")!
    const row = target.TestCase.find((r) => r["SOURCE_ID"] === t5["source_id"])!
    expect(row["NAME"]).toBe(t5["name"])
    expect(row["CONTENT_HASH"]).toBe(t5["content_hash"])
    expect(row["TEST_CASE_ID"]).toBe(t5["test_case_id"])
    expect((row["CREATED_ON"] as Date).getTime()).toBe(Date.parse(String(t5["created_on"])))
    expect(row["LABELS"]).toEqual(JSON.parse(String(t5["labels"])))
    const e1 = target.TestExecution.find((r) => r["SOURCE_KEY"] === "DEMO-E1")!
    expect(typeof e1["AUTOMATED"]).toBe("boolean")
    expect(e1["EXECUTION_TIME_MS"]).toBe(store.TestExecution.find((r) => r["source_key"] === "DEMO-E1")!["execution_time_ms"])
  }, 150_000)

  it("verify --sandbox matches; an edited and a deleted row make it fail naming both; a run restores the deleted one, run --full the edited one", async () => {
    const clean = await runCliProcess(["verify", "--sandbox"], { cwd })
    expect(clean.code, clean.stderr + clean.stdout).toBe(0)
    expect(clean.stdout).toContain("verify snowflake: everything matches")
    for (const [entity, n] of Object.entries(DEMO_COUNTS)) expect(clean.stdout).toMatch(new RegExp(`${entity.toUpperCase()}\\s+${n} match\\s+0 differ\\s+0 missing`))

    const store = readStore(f.store)
    const t5 = store.TestCase.find((r) => r["source_key"] === "DEMO-T5")!
    const e10 = store.TestExecution.find((r) => r["source_key"] === "DEMO-E10")!
    // as a user would in a worksheet: rename a test case (its hash no longer what the load wrote) and delete a run
    await withSandbox({ databaseFile: f.duckdb }, (sb) =>
      withDriver(sb, {}, async (conn) => {
        await exec(conn, `UPDATE TESTCASE SET NAME = 'renamed in Snowflake', CONTENT_HASH = 'edited' WHERE SOURCE_ID = ?`, [String(t5["source_id"])])
        await exec(conn, `DELETE FROM TESTEXECUTION WHERE SOURCE_ID = ?`, [String(e10["source_id"])])
        expect(await exec(conn, `SELECT NAME FROM TESTCASE WHERE SOURCE_ID = ?`, [String(t5["source_id"])])).toEqual([{ NAME: "renamed in Snowflake" }])
      })
    )
    // the comparison the first test relies on sees exactly these edits
    const t5Key = JSON.stringify(["zephyr-scale-cloud", String(t5["source_id"])])
    const e10Key = JSON.stringify(["zephyr-scale-cloud", String(e10["source_id"])])
    expect([...compareWithStore(store, await readSnowflakeFile(f.duckdb)).problems].sort()).toEqual(
      [
        "TESTEXECUTION: 95 rows, the store has 96 records",
        `TESTEXECUTION ${e10Key}: missing`,
        `TESTCASE ${t5Key}: NAME is "renamed in Snowflake", the store has ${JSON.stringify(t5["name"])}`,
        `TESTCASE ${t5Key}: CONTENT_HASH is "edited", the store has ${JSON.stringify(t5["content_hash"])}`
      ].sort()
    )

    const edited = await runCliProcess(["verify", "--sandbox"], { cwd })
    expect(edited.code, edited.stderr + edited.stdout).toBe(1)
    expect(edited.stdout).toContain("verify snowflake: DIFFERENCES")
    expect(edited.stdout).toMatch(/TESTCASE\s+24 match\s+1 differ\s+0 missing/)
    expect(edited.stdout).toMatch(/TESTEXECUTION\s+95 match\s+0 differ\s+1 missing/)
    expect(edited.stdout).toMatch(new RegExp(`differs: TESTCASE DEMO-T5 \\(target TESTCASE\\(zephyr-scale-cloud, ${t5["source_id"]}\\)\\)`))
    expect(edited.stdout).toMatch(new RegExp(`missing: TESTEXECUTION DEMO-E10 \\(target TESTEXECUTION\\(zephyr-scale-cloud, ${e10["source_id"]}\\)\\)`))
    // nothing else is named
    expect(edited.stdout.match(/^\s+(differs|missing): /gm)).toHaveLength(2)

    // a plain run restores the deleted row (TESTEXECUTION has a row fewer than it recorded) and trusts the rest
    const next = await runCliProcess(["run", "--sandbox"], { cwd, timeoutMs: 90_000 })
    expect(next.code, next.stderr + next.stdout).toBe(0)
    expect(snowflakeLoad(next).entities["TestExecution"]).toMatchObject({ created: 1, updated: 0, unchanged: 95 })
    expect(snowflakeLoad(next).entities["TestCase"]).toMatchObject({ created: 0, updated: 0, unchanged: 25 })
    const stillEdited = await runCliProcess(["verify", "--sandbox"], { cwd })
    expect(stillEdited.code).toBe(1)
    expect(stillEdited.stdout).toMatch(/TESTCASE\s+24 match\s+1 differ\s+0 missing/)
    expect(stillEdited.stdout).toMatch(/TESTEXECUTION\s+96 match\s+0 differ\s+0 missing/)

    // run --full compares every row, and writes the edited one again
    const repair = await runCliProcess(["run", "--sandbox", "--full"], { cwd, timeoutMs: 90_000 })
    expect(repair.code, repair.stderr + repair.stdout).toBe(0)
    const load = snowflakeLoad(repair)
    expect(load.entities["TestCase"]).toMatchObject({ created: 0, updated: 1, unchanged: 24 })
    expect(load.entities["TestExecution"]).toMatchObject({ created: 0, updated: 0, unchanged: 96 })
    expect(load.totals).toMatchObject({ created: 0, updated: 1, unchanged: DEMO_TOTAL - 1 })
    expect(snowflakeSummary(repair.stdout)).toMatch(/TestCase\s+0 created\s+1 updated\s+24 unchanged/)

    const again = await runCliProcess(["verify", "--sandbox"], { cwd })
    expect(again.code, again.stderr + again.stdout).toBe(0)
    expect(again.stdout).toContain("verify snowflake: everything matches")

    // the name is back, and the tables mirror the store again
    const after = await readSnowflakeFile(f.duckdb)
    expect(after.TestCase.find((r) => r["SOURCE_ID"] === t5["source_id"])!["NAME"]).toBe(t5["name"])
    expect(compareWithStore(readStore(f.store), after).problems).toEqual([])
  }, 150_000)
})

describe("migrate sandbox", () => {
  it("prints a snowflake line with what the driver needs, and the driver connects with exactly that", async () => {
    let answer: { rows: unknown } | { error: string } | undefined
    let printed: Record<string, string> | undefined
    const r = await runCliProcess(["sandbox"], {
      cwd: tempDir("migrate-snowflake-"),
      timeoutMs: 60_000,
      onStarted: (child) => {
        let out = ""
        child.stdout?.on("data", (d: Buffer) => {
          out += d.toString()
          // `snowflake <URL>`, then indented `accessUrl … · account … · user … · password … · warehouse … · database …`
          const m = /^snowflake (\S+)\n {2}(.+)$/m.exec(out)
          if (m === null || answer !== undefined || !/serving until stopped/.test(out)) return
          printed = Object.fromEntries(m[2]!.split(" · ").map((kv) => [kv.slice(0, kv.indexOf(" ")), kv.slice(kv.indexOf(" ") + 1)]))
          answer = { error: "pending" }
          const p = printed
          // what a user would write: only what the CLI printed
          connectPromise({ accessUrl: p["accessUrl"] ?? m[1]!, account: p["account"]!, username: p["user"]!, password: p["password"]!, warehouse: p["warehouse"]!, database: p["database"]! })
            .then(async (conn) => {
              const rows = await execPromise(conn, 'SELECT 1 AS "ONE", CURRENT_DATABASE() AS "DB"')
              await destroy(conn)
              answer = { rows }
            })
            .catch((e: unknown) => (answer = { error: e instanceof Error ? e.message : String(e) }))
            .finally(() => child.kill("SIGINT"))
        })
      }
    })
    expect(r.stdout).toMatch(/^snowflake http:\/\/127\.0\.0\.1:\d+$/m)
    const url = /^snowflake (\S+)$/m.exec(r.stdout)![1]
    expect(printed, r.stdout).toEqual({ accessUrl: url, account: DEFAULT_ACCOUNT, user: DEFAULT_USER, password: DEFAULT_PASSWORD, warehouse: DEFAULT_WAREHOUSE, database: "MIGRATE" })
    expect(answer, r.stdout + r.stderr).toEqual({ rows: [{ ONE: 1, DB: "MIGRATE" }] })
    expect(r.code).toBe(130) // stopped with Ctrl-C
  }, 90_000)
})
