/**
 * The Snowflake load killed with SIGKILL and resumed. `MIGRATE_FAILPOINT=staged:<n>` kills the real CLI process the
 * n-th time a batch is in its staging table but not yet merged, `merged:<n>` right after the n-th MERGE returned.
 * With `batch.maxValues: 200` the demo takes dozens of batches, so the points fall inside the load, in several
 * tables. The next run, without the failpoint, must exit 0 and leave every table exactly as a clean run into an
 * empty sandbox does (row for row, `_LOADED_AT` aside) — one row per store record, nothing twice.
 *
 * The Zephyr and Snowflake sandboxes live in the test process, so they outlive the killed CLI; each scenario gets a
 * fresh Snowflake sandbox on its own DuckDB file. The store is extracted once and copied per scenario (the
 * scenario's run extracts incrementally, finds nothing changed, and loads).
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { entityOrder } from "../../core/index.ts"
import { DEFAULT_ACCOUNT, DEFAULT_USER, DEFAULT_WAREHOUSE, type RunningSnowflakeSandbox } from "../../plugins/snowflake/sandbox/index.ts"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox } from "../../plugins/zephyr/sandbox/index.ts"
import { runCliProcess, tempDir, type CliResult } from "./cli.ts"
import { compareWithStore, copyState, dumpTables, readSnowflake, readStore, snowflakeLoad, storeCounts, tableOf, withDriver, withSandbox } from "./snowflakeHelpers.ts"

const SNOWFLAKE_PASSWORD = "crash-test-password"
const MAX_VALUES = 200

const spec = (zephyr: RunningZephyrSandbox, snowflake: RunningSnowflakeSandbox | undefined): string => `version: 1
source:
  type: zephyr
  baseUrl: ${zephyr.baseUrl}
  projectKey: ${zephyr.projectKey}
  token: \${env:ZEPHYR_TOKEN}
${
  snowflake === undefined
    ? ""
    : `sinks:
  - type: snowflake
    account: ${snowflake.account}
    user: ${snowflake.user}
    password: \${env:SNOWFLAKE_PASSWORD}
    warehouse: ${DEFAULT_WAREHOUSE}
    database: MIGRATE
    accessUrl: ${snowflake.accessUrl}
    batch:
      maxValues: ${MAX_VALUES}
`
}runtime:
  retry:
    maxAttempts: 3
    baseDelayMs: 10
    maxDelayMs: 100
`

/**
 * Early (the first tables), in the middle and towards the end of the load; `merged:2` and `staged:3` are the same
 * moment seen from both sides of the third batch's MERGE: the rows present must be the same.
 */
const POINTS = ["merged:2", "staged:3", "staged:40", "merged:70"] as const

const killedAt: Array<{ point: string; rowsAtKill: number; created: number }> = []

describe("Snowflake load: SIGKILL between staging and MERGE, and after a MERGE, then resume", () => {
  let scope: Scope.CloseableScope
  let zephyr: RunningZephyrSandbox
  let extracted: string
  let reference: ReturnType<typeof dumpTables>
  let referenceStore: ReturnType<typeof readStore>

  const migrate = (cwd: string, env: Record<string, string | undefined> = {}): Promise<CliResult> =>
    runCliProcess(["run"], { cwd, timeoutMs: 90_000, env: { ZEPHYR_TOKEN: zephyr.token, SNOWFLAKE_PASSWORD, MIGRATE_FAILPOINT: undefined, ...env } })

  /** A directory with the extracted store and a spec into `sb`. */
  const scenario = (sb: RunningSnowflakeSandbox): string => {
    const cwd = tempDir("migrate-snowflake-crash-")
    copyState(extracted, cwd)
    fs.writeFileSync(path.join(cwd, "migration.config.yaml"), spec(zephyr, sb))
    return cwd
  }

  beforeAll(async () => {
    scope = await Effect.runPromise(Scope.make())
    zephyr = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data: demoData() }), scope))
    extracted = tempDir("migrate-snowflake-crash-")
    fs.writeFileSync(path.join(extracted, "migration.config.yaml"), spec(zephyr, undefined))
    const r = await migrate(extracted)
    expect(r.code, r.stderr + r.stdout).toBe(0)

    // the clean run everything is compared with: the same store, a fresh sandbox
    await withSandbox({ password: SNOWFLAKE_PASSWORD, databaseFile: path.join(tempDir("migrate-snowflake-db-"), "clean.duckdb") }, async (sb) => {
      const cwd = scenario(sb)
      const clean = await migrate(cwd)
      expect(clean.code, clean.stderr + clean.stdout).toBe(0)
      referenceStore = readStore(path.join(cwd, ".migrate/state.db"))
      const total = Object.values(storeCounts(referenceStore)).reduce((a, b) => a + b, 0)
      expect(snowflakeLoad(clean).totals).toMatchObject({ created: total, updated: 0, unchanged: 0, rejected: 0 })
      // every record travelled in an array bind, in many batches (a batch holds at most 200 values)
      expect(sb.stats().boundRows).toBe(total)
      const tables = await withDriver(sb, {}, (conn) => readSnowflake(conn))
      expect(compareWithStore(referenceStore, tables).problems).toEqual([])
      reference = dumpTables(tables)
    })
  }, 120_000)

  afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))

  it.each(POINTS)(
    "killed at %s: the next run finishes and the tables equal a clean run's, one row per record",
    async (point) => {
      await withSandbox({ password: SNOWFLAKE_PASSWORD, databaseFile: path.join(tempDir("migrate-snowflake-db-"), "crash.duckdb") }, async (sb) => {
        const cwd = scenario(sb)
        const killed = await migrate(cwd, { MIGRATE_FAILPOINT: point })
        expect(killed.signal, `${point}: not killed\n${killed.stdout}\n${killed.stderr}`).toBe("SIGKILL")

        const store = readStore(path.join(cwd, ".migrate/state.db"))
        // the extract is the clean run's: what the tables are compared with is the same
        expect(store).toEqual(referenceStore)
        const total = Object.values(storeCounts(store)).reduce((a, b) => a + b, 0)

        // the kill fell inside the load: some rows are there, not all, and none twice
        const partial = await withDriver(sb, {}, (conn) => readSnowflake(conn, { allowMissing: true }))
        const present = entityOrder.reduce((n, e) => n + partial[e].length, 0)
        expect(present, point).toBeGreaterThan(0)
        expect(present, point).toBeLessThan(total)
        const partialProblems = compareWithStore(store, partial).problems
        expect(partialProblems.filter((p) => !/: missing$|rows, the store has/.test(p)), point).toEqual([])

        const resumed = await migrate(cwd)
        expect(resumed.code, `${point}: ${resumed.stderr}\n${resumed.stdout}`).toBe(0)
        const load = snowflakeLoad(resumed)
        // what the killed run merged is found unchanged; the rest (with the batch in flight) is created
        expect(load.totals, point).toMatchObject({ created: total - present, updated: 0, unchanged: present, rejected: 0, removed: 0 })

        const after = await withDriver(sb, {}, (conn) => readSnowflake(conn))
        expect(compareWithStore(store, after).problems, point).toEqual([])
        expect(dumpTables(after), point).toEqual(reference)
        for (const e of entityOrder) expect(after[e].length, `${point} ${tableOf(e)}`).toBe(store[e].length)
        killedAt.push({ point, rowsAtKill: present, created: load.totals.created })
      })
    },
    120_000
  )

  it("the rows present at each kill are those of the batches merged before it", () => {
    expect(killedAt.map((k) => k.point)).toEqual([...POINTS])
    const at = new Map(killedAt.map((k) => [k.point, k.rowsAtKill]))
    // killed with the third batch staged, not merged: exactly the first two batches' rows, as after the second MERGE
    expect(at.get("staged:3")).toBe(at.get("merged:2"))
    // later points leave more rows
    expect(at.get("staged:40")!).toBeGreaterThan(at.get("staged:3")!)
    expect(at.get("merged:70")!).toBeGreaterThan(at.get("staged:40")!)
    console.table(killedAt)
  })
})
