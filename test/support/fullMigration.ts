/**
 * A complete migration — Zephyr → store → qTest and Snowflake — through the real CLI (`bin/migrate.js` in a child
 * process), against the three sandboxes started in the test process (so they outlive a CLI killed with SIGKILL),
 * and what the targets hold afterwards as comparable values: qTest read back through its API (ids replaced by
 * stable names, duplicates named) and every Snowflake table read through DuckDB. Two runs that must end equal —
 * a clean one and a killed-and-resumed one — are compared with `targetsOf`.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { Effect, Exit, Scope } from "effect"
import { entityOrder } from "../../core/index.ts"
import type { RunReport } from "../../core/report/RunReport.ts"
import { startQtestSandbox, type QtestSandboxOptions, type RunningQtestSandbox } from "../../plugins/qtest/sandbox/index.ts"
import { DEFAULT_WAREHOUSE, startSnowflakeSandbox, type RunningSnowflakeSandbox, type SnowflakeSandboxOptions } from "../../plugins/snowflake/sandbox/index.ts"
import { demoData, startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../plugins/zephyr/sandbox/index.ts"
import { runCliProcess, tempDir, type CliResult } from "../e2e/cli.ts"
import { SANDBOX_USER, targetOf } from "../plugins/qtest/load/harness.ts"
import { countsOf, dumpQtest, duplicates, readQtest } from "../plugins/qtest/load/qtestContents.ts"

export interface Systems {
  readonly zephyr: RunningZephyrSandbox
  readonly qtest: RunningQtestSandbox
  readonly snowflake: RunningSnowflakeSandbox
  /** Stops the three. */
  readonly close: () => Promise<void>
}

export const SNOWFLAKE_PASSWORD = "sandbox-password"

export interface SystemsOptions {
  readonly zephyr?: Partial<ZephyrSandboxOptions>
  readonly qtest?: QtestSandboxOptions
  readonly snowflake?: SnowflakeSandboxOptions
}

/** The demo project in Zephyr; an empty qTest project that has the demo's Jira stories as requirements; an empty Snowflake. */
export const startSystems = async (o: SystemsOptions = {}): Promise<Systems> => {
  const scope = await Effect.runPromise(Scope.make())
  try {
    const zephyr = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data: demoData(), ...o.zephyr }), scope))
    const qtest = await Effect.runPromise(Scope.extend(startQtestSandbox({ requirements: ["DEMO-1 Login story", "DEMO-2 Checkout story"], ...o.qtest }), scope))
    const snowflake = await Effect.runPromise(Scope.extend(startSnowflakeSandbox({ password: SNOWFLAKE_PASSWORD, ...o.snowflake }), scope))
    return { zephyr, qtest, snowflake, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
  } catch (e) {
    await Effect.runPromise(Scope.close(scope, Exit.void))
    throw e
  }
}

export interface SpecOptions {
  /** Sinks to include (default both). */
  readonly sinks?: ReadonlyArray<"qtest" | "snowflake">
  readonly concurrency?: number
  /** YAML appended to the qtest section, indented by four spaces. */
  readonly qtestExtra?: string
  readonly qtestProjectId?: number
  readonly snowflakeSchema?: string
  readonly projectKey?: string
}

export const fullSpec = (s: Pick<Systems, "zephyr" | "qtest" | "snowflake">, o: SpecOptions = {}): string => {
  const sinks = o.sinks ?? ["qtest", "snowflake"]
  return `version: 1
source:
  type: zephyr
  baseUrl: ${s.zephyr.baseUrl}
  projectKey: ${o.projectKey ?? s.zephyr.projectKey}
  token: \${env:ZEPHYR_TOKEN}
${sinks.length === 0 ? "" : "sinks:\n"}${
    sinks.includes("qtest")
      ? `  - type: qtest
    baseUrl: ${s.qtest.baseUrl}
    projectId: ${o.qtestProjectId ?? s.qtest.projectId}
    token: \${env:QTEST_TOKEN}
    createMissingFields: true
    maps:
      users:
        default: ${SANDBOX_USER}
${o.qtestExtra ?? ""}`
      : ""
  }${
    sinks.includes("snowflake")
      ? `  - type: snowflake
    account: ${s.snowflake.account}
    user: ${s.snowflake.user}
    password: \${env:SNOWFLAKE_PASSWORD}
    warehouse: ${DEFAULT_WAREHOUSE}
    database: MIGRATE
    schema: ${o.snowflakeSchema ?? "PUBLIC"}
    accessUrl: ${s.snowflake.accessUrl}
    batch:
      maxValues: 400
`
      : ""
  }runtime:
  concurrency: ${o.concurrency ?? 4}
  retry:
    maxAttempts: 6
    baseDelayMs: 10
    maxDelayMs: 200
`
}

export const envOf = (s: Pick<Systems, "zephyr" | "qtest">, overrides: Readonly<Record<string, string | undefined>> = {}) => ({
  ZEPHYR_TOKEN: s.zephyr.token,
  QTEST_TOKEN: s.qtest.token,
  SNOWFLAKE_PASSWORD,
  MIGRATE_FAILPOINT: undefined,
  MIGRATE_FAILPOINT_TRACE: undefined,
  ...overrides
})

/** A working directory holding `spec` as migration.config.yaml. */
export const workdir = (spec: string, prefix = "migrate-full-"): string => {
  const cwd = tempDir(prefix)
  fs.writeFileSync(path.join(cwd, "migration.config.yaml"), spec)
  return cwd
}

export const migrate = (
  s: Pick<Systems, "zephyr" | "qtest">,
  cwd: string,
  args: ReadonlyArray<string>,
  o: { readonly env?: Readonly<Record<string, string | undefined>>; readonly timeoutMs?: number; readonly onStarted?: Parameters<typeof runCliProcess>[1]["onStarted"] } = {}
): Promise<CliResult> => runCliProcess(args, { cwd, env: envOf(s, o.env), timeoutMs: o.timeoutMs ?? 180_000, ...(o.onStarted ? { onStarted: o.onStarted } : {}) })

/** The report of the run whose output this is (`report: …/report.md` in its summary). */
export const reportOf = (r: CliResult): RunReport => {
  const m = /report: (\S+)report\.md/.exec(r.stdout)
  if (!m) throw new Error(`no report path in the output:\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(fs.readFileSync(`${m[1]}report.json`, "utf8")) as RunReport
}

export const loadOf = (report: RunReport, sink: string) => report.load.find((l) => l.sink === sink)

/**
 * Every Snowflake table, rows sorted, without `_LOADED_AT` and without CREATED_AT / UPDATED_AT: Zephyr gives those
 * for no entity, so core fills them with the time a record was first extracted — another time in another state
 * (the store-to-Snowflake comparisons of test/e2e/snowflake* hold them column for column).
 */
export const snowflakeTables = async (sb: RunningSnowflakeSandbox): Promise<Record<string, ReadonlyArray<string>>> => {
  const out: Record<string, ReadonlyArray<string>> = {}
  for (const entity of entityOrder) {
    const table = entity.toUpperCase()
    const rows = await sb.query(`SELECT * FROM MIGRATE.PUBLIC."${table}"`).catch((e: unknown) => {
      if (/does not exist/i.test(String((e as { message?: string })?.message))) return []
      throw e
    })
    out[table] = rows
      .map((row) => {
        const { _LOADED_AT: _loaded, CREATED_AT: _created, UPDATED_AT: _updated, ...rest } = row
        return JSON.stringify(rest, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v instanceof Date ? v.toISOString() : v))
      })
      .sort()
  }
  return out
}

/** What the two targets hold, comparable across runs, and what either holds twice. */
export const targetsOf = async (s: Pick<Systems, "qtest" | "snowflake">) => {
  const contents = await Effect.runPromise(Effect.scoped(readQtest(targetOf(s.qtest))))
  const snowflake = await snowflakeTables(s.snowflake)
  const twice = Object.entries(snowflake).flatMap(([table, rows]) => rows.filter((r, i) => i > 0 && rows[i - 1] === r).map(() => `${table}: a row twice`))
  return { qtest: dumpQtest(contents), counts: countsOf(contents), duplicates: [...duplicates(contents), ...twice], snowflake }
}

/** Empties the qTest project (`POST /__sandbox/reset`: ids keep increasing) and its rejection rules. */
export const resetQtest = async (qtest: RunningQtestSandbox): Promise<void> => {
  const r = await fetch(`${qtest.baseUrl}/__sandbox/reset`, { method: "POST", headers: { authorization: `Bearer ${qtest.token}` } })
  if (r.status !== 200) throw new Error(`qTest sandbox reset answered ${r.status}`)
}

/** Drops every table of the Snowflake sandbox (the canonical ones and the sink's own). */
export const resetSnowflake = async (sb: RunningSnowflakeSandbox): Promise<void> => {
  const tables = await sb.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'PUBLIC'`)
  for (const t of tables) await sb.query(`DROP TABLE IF EXISTS MIGRATE.PUBLIC."${String(t["TABLE_NAME"] ?? t["table_name"])}"`)
}

/** Rows of a state table, read with better-sqlite3 (the CLI's own driver on Node). */
export const stateRows = <R>(cwd: string, sql: string, params: ReadonlyArray<unknown> = []): ReadonlyArray<R> => {
  const db = new Database(path.join(cwd, ".migrate/state.db"), { readonly: true })
  try {
    return db.prepare(sql).all(...params) as Array<R>
  } finally {
    db.close()
  }
}

export const openIntents = (cwd: string): ReadonlyArray<string> => stateRows<{ k: string }>(cwd, `SELECT sink || ':' || entity || ':' || source_id AS k FROM intents ORDER BY k`).map((r) => r.k)
