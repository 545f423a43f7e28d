/**
 * The bad-input catalogue, target refusals: what qTest and Snowflake answer for one record, and a Snowflake
 * database that is not there. The small tenant (smallTenant.ts) is extracted once; each case copies that store and
 * runs the real CLI against its own qTest sandbox (refusal rules set through `POST /__sandbox/reject`) or the
 * Snowflake sandbox (whose account has fixed databases, so an unknown one behaves as on Snowflake). A refused
 * record is quarantined — named by its key, with the target's message and the fix, in report.json and on one
 * terminal line — and everything else loads (exit 3); a database that is not there stops the load with a clear
 * SystemError (exit 1) and keeps the extract.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import type { RunReport } from "../../../core/report/RunReport.ts"
import { startQtestSandbox, type RunningQtestSandbox } from "../../../plugins/qtest/sandbox/index.ts"
import { DEFAULT_WAREHOUSE, startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../../plugins/snowflake/sandbox/index.ts"
import { startZephyrSandbox, type RunningZephyrSandbox } from "../../../plugins/zephyr/sandbox/index.ts"
import { SANDBOX_USER, targetOf } from "../../plugins/qtest/load/harness.ts"
import { countsOf, readQtest } from "../../plugins/qtest/load/qtestContents.ts"
import { runCliProcess, tempDir, type CliResult } from "../cli.ts"
import { compareWithStore, copyState, exec, readSnowflake, readStore, storeCounts, withDriver, type Tables } from "../snowflakeHelpers.ts"
import { expectCleanFailure } from "./expectCleanFailure.ts"
import { limit } from "./limit.ts"
import { smallTenant } from "./smallTenant.ts"

const SNOWFLAKE_PASSWORD = "snowflake-SECRET-6e0c"
/** The Snowflake account's databases: anything else is unknown, as on Snowflake. */
const DATABASES = ["QA_HISTORY", "REFUSALS"]
const REFUSED_CASE = { key: "DEMO-T3", name: "Password reset e-mail" }

interface RejectRule {
  readonly objectType: string
  readonly nameContains: string
  readonly status: number
  readonly message: string
  readonly times?: number
}

interface RefusalCase {
  readonly name: string
  readonly sink: "qtest" | "snowflake"
  readonly args?: ReadonlyArray<string>
  /** qTest: the rule its sandbox answers with. */
  readonly reject?: RejectRule
  /** Snowflake: the database (and schema) the spec names. */
  readonly database?: string
  readonly schema?: string
  /** Changes the copied store before the run: a value Snowflake refuses, as a record a source may store. */
  readonly store?: (db: Database.Database) => void
  readonly code: 1 | 3
  /** The report's quarantined records: entity, the key the reason names, what else it says. */
  readonly quarantined?: ReadonlyArray<{ readonly entity: string; readonly key: string; readonly says: string }>
  /** For a stop (exit 1): the lines of the message, in order. */
  readonly stop?: ReadonlyArray<string>
  /**
   * qTest objects fewer than a clean load has, besides those the load reports skipped because they hang on a
   * refused record (given the extracted store).
   */
  readonly missing?: (store: Tables) => Partial<Record<"cases" | "logs" | "steps" | "runs", number>>
  readonly check?: (o: Outcome) => Promise<void> | void
}

interface Outcome {
  readonly cwd: string
  readonly r: CliResult
  readonly report: RunReport | undefined
  readonly qtest: RunningQtestSandbox | undefined
}

const cases: ReadonlyArray<RefusalCase> = [
  {
    name: "qTest answers 400 for one test case: quarantined by key with qTest's message, the rest loaded",
    sink: "qtest",
    reject: { objectType: "test-cases", nameContains: REFUSED_CASE.name, status: 400, message: "Field 'Zephyr Labels' (800074): value exceeds the maximum length" },
    code: 3,
    quarantined: [{ entity: "qtest/test-case", key: REFUSED_CASE.key, says: "answered 400: Field 'Zephyr Labels' (800074): value exceeds the maximum length — correct the record at the source so the target accepts it; the next run tries it again" }],
    missing: (store) => ({ cases: 1, steps: stepsOf(store, REFUSED_CASE.key), runs: runsOf(store, REFUSED_CASE.key) }),
    check: (o) => {
      const load = o.report!.load.find((l) => l.sink === "qtest")!
      // what hangs on the refused case is skipped and says why
      expect(load.skipped.length).toBeGreaterThan(0)
      expect(load.skipped.filter((s) => !s.reason.includes(REFUSED_CASE.key))).toEqual([])
    }
  },
  {
    name: "qTest answers 413 for one test case: quarantined as too large, the rest loaded",
    sink: "qtest",
    reject: { objectType: "test-cases", nameContains: REFUSED_CASE.name, status: 413, message: "Request Entity Too Large" },
    code: 3,
    quarantined: [{ entity: "qtest/test-case", key: REFUSED_CASE.key, says: "answered 413: Request Entity Too Large — the target refuses it as too large: shorten it at the source" }],
    missing: (store) => ({ cases: 1, steps: stepsOf(store, REFUSED_CASE.key), runs: runsOf(store, REFUSED_CASE.key) })
  },
  {
    name: "qTest answers 400 for one test log: that execution quarantined by key, every other log loaded",
    sink: "qtest",
    reject: { objectType: "test-logs", nameContains: "Login with valid credentials", status: 400, message: "exe_start_date must be before exe_end_date", times: 1 },
    code: 3,
    quarantined: [{ entity: "qtest/test-log", key: "DEMO-E", says: "answered 400: exe_start_date must be before exe_end_date — correct the record" }],
    missing: () => ({ logs: 1 })
  },
  // Not in the table: qTest answering 500 for one record, persistently — see "qTest answering 500 persistently"
  // below, which also checks the record's intent stays open and the next run tries it again.
  {
    // Snowflake refuses the row (NUMBER(38,0) holds 38 digits); the batch is split until the row is alone.
    name: "Snowflake refuses one row: quarantined by key with Snowflake's message, every other row loaded",
    sink: "snowflake",
    database: "REFUSALS",
    // an integer the store and the canonical schema accept, beyond NUMBER(38,0) (Zephyr's own API cannot send
    // one: its decoder stops at 2^53, so the store is where such a value comes from — another source, a transform)
    store: (db) => db.prepare(`UPDATE "TestCase" SET estimated_time_ms = 1e40 WHERE key = 'DEMO-T2'`).run(),
    code: 3,
    quarantined: [{ entity: "snowflake/TestCase", key: "DEMO-T2", says: "Snowflake refused the row: Numeric value" }],
    check: async (o) => {
      const store = readStore(path.join(o.cwd, ".migrate/state.db"))
      const tables = await withDriver(snowflake, { database: "REFUSALS", password: SNOWFLAKE_PASSWORD }, (conn) => readSnowflake(conn))
      // everything but the refused row
      const refused = store.TestCase.find((t) => t["key"] === "DEMO-T2")!
      expect(compareWithStore(store, tables).problems).toEqual([
        `TESTCASE: ${store.TestCase.length - 1} rows, the store has ${store.TestCase.length} records`,
        `TESTCASE ${JSON.stringify([refused["source_system"], refused["source_id"]])}: missing`
      ])
    }
  },
  {
    name: "an unknown Snowflake database: a SystemError naming account, database, schema and role and the commands that fix it (the sandbox used to create it); the extract is kept",
    sink: "snowflake",
    database: "NO_SUCH_DB",
    code: 1,
    stop: [
      "migrate: snowflake: database NO_SUCH_DB does not exist, or role PUBLIC cannot see it: the session has no current database (account sandbox, database NO_SUCH_DB, schema PUBLIC, role PUBLIC)",
      "  → create it (CREATE DATABASE NO_SUCH_DB) or grant the role USAGE on it (GRANT USAGE ON DATABASE NO_SUCH_DB TO ROLE PUBLIC), or correct database in the snowflake section of the spec; the extract is kept and the next run loads"
    ]
  },
  {
    name: "an unknown Snowflake schema: the same, for the schema",
    sink: "snowflake",
    database: "QA_HISTORY",
    schema: "ZEPHYR",
    code: 1,
    stop: [
      "migrate: snowflake: schema ZEPHYR does not exist in database QA_HISTORY, or role PUBLIC cannot see it: the session has no current schema (account sandbox, database QA_HISTORY, schema ZEPHYR, role PUBLIC)",
      "  → create it (CREATE SCHEMA QA_HISTORY.ZEPHYR) or grant the role USAGE on it (GRANT USAGE ON SCHEMA QA_HISTORY.ZEPHYR TO ROLE PUBLIC), or correct schema in the snowflake section of the spec; the extract is kept and the next run loads"
    ]
  },
  {
    name: "verify against an unknown Snowflake database: the same message, exit 1",
    sink: "snowflake",
    database: "NO_SUCH_DB",
    args: ["verify"],
    code: 1,
    stop: ["migrate: snowflake: database NO_SUCH_DB does not exist, or role PUBLIC cannot see it", "  → create it (CREATE DATABASE NO_SUCH_DB)"]
  }
]

/** The qTest objects of `countsOf` that a skipped load entity is. */
const SKIPPED_AS: Readonly<Record<string, string>> = { "test-log": "logs", "test-run": "runs", attachment: "attachments", "test-step": "steps" }

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

const caseIdOf = (store: Tables, key: string): unknown => store.TestCase.find((t) => t["key"] === key)!["test_case_id"]

/** How many steps a test case has in a store. */
const stepsOf = (store: Tables, key: string): number => store.TestStep.filter((s) => s["test_case_id"] === caseIdOf(store, key)).length

/** How many qTest test runs a test case's executions make: one per cycle (the cycle-less ones share one). */
const runsOf = (store: Tables, key: string): number =>
  new Set(store.TestExecution.filter((e) => e["test_case_id"] === caseIdOf(store, key)).map((e) => e["test_cycle_id"] ?? null)).size

const slot = limit(2)
let scope: Scope.CloseableScope
let zephyr: RunningZephyrSandbox
let snowflake: RunningSnowflakeSandbox
/** The small tenant extracted once (no sink ran). */
let extracted: string
/** What a clean load puts into qTest. */
let reference: Record<string, number>

const spec = (source: RunningZephyrSandbox, c: Pick<RefusalCase, "sink" | "database" | "schema">, qtest?: RunningQtestSandbox) => `version: 1
source:
  type: zephyr
  baseUrl: ${source.baseUrl}
  projectKey: DEMO
  token: \${env:ZEPHYR_TOKEN}
sinks:
${
  c.sink === "qtest"
    ? `  - type: qtest
    baseUrl: ${qtest!.baseUrl}
    projectId: ${qtest!.projectId}
    token: \${env:QTEST_TOKEN}
    createMissingFields: true
    maps:
      users:
        default: ${SANDBOX_USER}
`
    : `  - type: snowflake
    account: ${snowflake.account}
    user: ${snowflake.user}
    password: \${env:SNOWFLAKE_PASSWORD}
    warehouse: ${DEFAULT_WAREHOUSE}
    database: ${c.database}
    accessUrl: ${snowflake.accessUrl}
${c.schema === undefined ? "" : `    schema: ${c.schema}\n`}`
}runtime:
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }
`

const secretsOf = (source: RunningZephyrSandbox, qtest?: RunningQtestSandbox) => ({ ZEPHYR_TOKEN: source.token, QTEST_TOKEN: qtest?.token ?? "unused-qtest-token", SNOWFLAKE_PASSWORD })

const lastReport = (cwd: string): RunReport | undefined => {
  const dir = path.join(cwd, ".migrate/runs")
  const runs = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []
  const last = runs.at(-1)
  return last === undefined ? undefined : (JSON.parse(fs.readFileSync(path.join(dir, last, "report.json"), "utf8")) as RunReport)
}

const rejectNext = async (qtest: RunningQtestSandbox, rule: RejectRule) => {
  const r = await fetch(`${qtest.baseUrl}/__sandbox/reject`, {
    method: "POST",
    headers: { authorization: `Bearer ${qtest.token}`, "content-type": "application/json" },
    body: JSON.stringify(rule)
  })
  expect(r.status, await r.text()).toBe(200)
}

/** Runs a case: its own qTest sandbox (with its rule), a copy of the extracted store (or its own tenant's extract). */
const perform = (c: RefusalCase) =>
  slot(async () => {
    const caseScope = await Effect.runPromise(Scope.make())
    try {
      const cwd = tempDir("migrate-refusal-")
      const source = zephyr
      copyState(extracted, cwd)
      if (c.store !== undefined) {
        const db = new Database(path.join(cwd, ".migrate/state.db"))
        c.store(db)
        db.close()
      }
      const qtest = c.sink === "qtest" ? await Effect.runPromise(Scope.extend(startQtestSandbox({}), caseScope)) : undefined
      if (qtest !== undefined && c.reject !== undefined) await rejectNext(qtest, c.reject)
      fs.writeFileSync(path.join(cwd, "migration.config.yaml"), spec(source, c, qtest))
      const secrets = secretsOf(source, qtest)
      const r = await runCliProcess(c.args ?? ["run"], { cwd, env: { ...secrets, MIGRATE_FAILPOINT: undefined }, timeoutMs: 120_000 })
      const outcome: Outcome = { cwd, r, report: lastReport(cwd), qtest }
      const qtestCounts = qtest === undefined ? undefined : countsOf(await Effect.runPromise(Effect.scoped(readQtest(targetOf(qtest)))))
      return { outcome, secrets, qtestCounts }
    } finally {
      await Effect.runPromise(Scope.close(caseScope, Exit.void))
    }
  })

beforeAll(async () => {
  scope = await Effect.runPromise(Scope.make())
  zephyr = await Effect.runPromise(Scope.extend(startZephyrSandbox({ data: smallTenant() as never }), scope))
  snowflake = await Effect.runPromise(Scope.extend(startSnowflakeSandbox({ password: SNOWFLAKE_PASSWORD, databases: DATABASES }), scope))
  extracted = tempDir("migrate-refusal-extract-")
  fs.writeFileSync(path.join(extracted, "migration.config.yaml"), spec(zephyr, { sink: "snowflake", database: "QA_HISTORY" }).replace(/sinks:\n[\s\S]*?runtime:/, "runtime:"))
  const r = await runCliProcess(["run"], { cwd: extracted, env: { ZEPHYR_TOKEN: zephyr.token }, timeoutMs: 120_000 })
  expect(r.code, r.stderr).toBe(0)
  // a clean load of that store: what qTest holds when nothing is refused
  const clean = await perform({ name: "reference", sink: "qtest", code: 3 })
  expect(clean.outcome.r.code, clean.outcome.r.stderr).toBe(0)
  reference = clean.qtestCounts!
}, 180_000)
afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))

describe("bad input: target refusals", () => {
  it.concurrent.each(cases.map((c) => [c.name, c] as const))(
    "%s",
    async (_, c) => {
      const { outcome, secrets, qtestCounts } = await perform(c)
      const { r } = outcome
      const context = `${r.stderr}\n${r.stdout}`
      expect(r.code, context).toBe(c.code)
      expect(r.signal).toBeNull()
      expectCleanFailure(r, Object.values(secrets))

      if (c.stop !== undefined) {
        // the stop: its lines, exactly, as the last thing on stderr
        const tail = r.stderr.trimEnd().split("\n").slice(-c.stop.length)
        c.stop.forEach((line, i) => expect(tail[i], context).toMatch(new RegExp(`^${escape(line)}`)))
        // the extract is kept: the next run only has to load
        if ((c.args ?? ["run"])[0] === "run") expect(storeCounts(readStore(path.join(outcome.cwd, ".migrate/state.db")))).toEqual(storeCounts(readStore(path.join(extracted, ".migrate/state.db"))))
        await withDriver(snowflake, { database: "QA_HISTORY", password: SNOWFLAKE_PASSWORD }, async (conn) =>
          expect((await exec(conn, "SHOW TABLES")).map((t) => t["name"])).not.toContain("TESTCASE")
        )
      }

      const quarantined = c.quarantined ?? []
      if (c.code === 3) {
        const report = outcome.report!
        expect(report.status).toBe("succeeded-with-quarantine")
        expect(report.quarantined).toHaveLength(quarantined.length)
        const lines = r.stderr.split("\n").filter((l) => l.startsWith("  ! "))
        expect(lines, context).toHaveLength(quarantined.length)
        for (const q of quarantined) {
          expect(report.quarantined, JSON.stringify(report.quarantined)).toContainEqual(
            expect.objectContaining({ entity: q.entity, reason: expect.stringMatching(new RegExp(`^${q.key}\\d*: .*${escape(q.says)}`)) })
          )
          expect(lines.some((l) => l.includes(q.key) && l.includes(q.says.split(" — ")[0]!)), lines.join("\n")).toBe(true)
        }
      }

      if (qtestCounts !== undefined) {
        // the rest loaded: a clean load's objects, less the refused ones and what the load reports skipped for them
        const missing: Record<string, number> = { ...c.missing?.(readStore(path.join(extracted, ".migrate/state.db"))) }
        for (const skipped of outcome.report!.load.find((l) => l.sink === "qtest")!.skipped) {
          const kind = SKIPPED_AS[skipped.entity]
          expect(kind, `a skipped ${skipped.entity}`).toBeDefined()
          missing[kind!] = (missing[kind!] ?? 0) + 1
        }
        expect(qtestCounts).toEqual(Object.fromEntries(Object.entries(reference).map(([k, n]) => [k, n - (missing[k] ?? 0)])))
      }
      await c.check?.(outcome)
    },
    180_000
  )

  // A create that fails at every attempt while qTest answers other requests is this record's fault: it is set
  // aside (quarantined, its intent kept open: a failed create may have been applied), and the rest load — before,
  // the whole load stopped, at the same record in every later run, so the migration could never finish.
  it("qTest answering 500 persistently for one test case: quarantined by key, the rest loaded (exit 3)", async () => {
    const { outcome, qtestCounts } = await perform({
      name: "500",
      sink: "qtest",
      reject: { objectType: "test-cases", nameContains: REFUSED_CASE.name, status: 500, message: "Internal Server Error" },
      code: 3
    })
    expect(outcome.r.code, outcome.r.stderr).toBe(3)
    expect(outcome.report!.quarantined).toEqual([expect.objectContaining({ entity: "qtest/test-case", reason: expect.stringContaining(REFUSED_CASE.key) })])
    expect(qtestCounts!["cases"]).toBe(reference["cases"]! - 1)
  })
})
