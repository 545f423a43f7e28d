/**
 * The bad-input catalogue, source data: what a broken Zephyr tenant can return, served by the Zephyr sandbox from a
 * data file in its own format (records the file declares `malformed` are served as written), around the good
 * records of a small tenant (smallTenant.ts). Each case is a full `migrate run` of the real CLI into a qTest sandbox
 * (and, for text, a Snowflake sandbox). Each asserts the exit code (3 when something is quarantined, 0 when
 * everything is carried), one terminal line per bad record naming its key and the fix, no stack trace, the bad
 * record quarantined and named in report.json — or carried with a note, where that is right (each such case says
 * why) — and that the good records all migrated: the store and qTest hold the good tenant's records (a run of the
 * good tenant alone is the reference) plus exactly what was carried.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import Database from "better-sqlite3"
import { Effect, Exit, Scope } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { entityOrder, type EntityName } from "../../../core/index.ts"
import type { RunReport } from "../../../core/report/RunReport.ts"
import { startQtestSandbox, type RunningQtestSandbox } from "../../../plugins/qtest/sandbox/index.ts"
import { DEFAULT_WAREHOUSE, startSnowflakeSandbox, type RunningSnowflakeSandbox } from "../../../plugins/snowflake/sandbox/index.ts"
import { loadZephyrData, startZephyrSandbox } from "../../../plugins/zephyr/sandbox/index.ts"
import { SANDBOX_USER, targetOf } from "../../plugins/qtest/load/harness.ts"
import { countsOf, propertyValue, readQtest, ZEPHYR_KEY } from "../../plugins/qtest/load/qtestContents.ts"
import { runCliProcess, tempDir, type CliResult } from "../cli.ts"
import { compareWithStore, readSnowflake, readStore, storeCounts, withDriver } from "../snowflakeHelpers.ts"
import { expectCleanFailure } from "./expectCleanFailure.ts"
import { limit } from "./limit.ts"
import { smallTenant, type TenantData } from "./smallTenant.ts"

type Row = Record<string, unknown>
type TestCaseData = TenantData["testcases"][number]
type ExecutionData = TenantData["testexecutions"][number]

/** Adds a test case like DEMO-T2 (without its custom fields and links, so it adds one record); `malformed` declares it so. */
const addCase = (t: TenantData, n: number, over: Record<string, unknown>, options: { readonly malformed?: boolean; readonly drop?: ReadonlyArray<string> } = {}): TestCaseData => {
  const base = t.testcases.find((c) => c.key === "DEMO-T2")!
  const added = { ...structuredClone(base), customFields: {}, links: undefined, id: 990_000 + n, key: `DEMO-T${900 + n}`, name: `bad input ${n}`, ...over } as TestCaseData
  for (const field of options.drop ?? []) delete (added as Record<string, unknown>)[field]
  if (options.malformed) t.malformed.push(`testcases[${t.testcases.length}]`)
  t.testcases.push(added)
  return added
}

/** Adds an execution of DEMO-T1 like its first one (no custom fields, links or step results). */
const addExecution = (t: TenantData, n: number, over: Record<string, unknown>, options: { readonly malformed?: boolean; readonly drop?: ReadonlyArray<string> } = {}): ExecutionData => {
  const base = t.testexecutions.find((e) => e.testCase.self.includes("/testcases/DEMO-T1/"))!
  const added = { ...structuredClone(base), customFields: {}, links: undefined, id: 990_500 + n, key: `DEMO-E${900 + n}`, ...over } as ExecutionData
  for (const field of options.drop ?? []) delete (added as Record<string, unknown>)[field]
  if (options.malformed) t.malformed.push(`testexecutions[${t.testexecutions.length}]`)
  t.testexecutions.push(added)
  return added
}

const callStep = (id: number, key: string) => ({ id, testCase: { self: `https://api.zephyrscale.smartbear.com/v2/testcases/${key}/versions/1`, testCaseKey: key, parameters: [] } })

interface Expected {
  /** Report entity (`TestCase`, `qtest/test-case`), the key its reason names, and what else the reason says. */
  readonly quarantined?: ReadonlyArray<{ readonly entity: string; readonly key: string; readonly says: string }>
  /** Notes: entity, the record they name (its key), what they say. */
  readonly notes?: ReadonlyArray<{ readonly entity: string; readonly sourceId: string; readonly says: string }>
  /** Records the store holds beyond the good tenant's. */
  readonly stored?: Partial<Record<EntityName, number>>
  /** qTest objects beyond the good tenant's. */
  readonly qtest?: Partial<Record<"cases" | "steps" | "logs", number>>
}

interface DataCase {
  readonly name: string
  readonly bad: (t: TenantData) => void
  readonly code: 0 | 3
  readonly expected: Expected
  /** Also load Snowflake, and compare every table with the store. */
  readonly snowflake?: boolean
  /** What else to check in what was carried. */
  readonly check?: (out: Outcome) => void
}

const TEN_MB = "<p>" + "0123456789abcdef".repeat((10 * 1024 * 1024) / 16) + "</p>"

const cases: ReadonlyArray<DataCase> = [
  {
    name: "a test case without its required name: quarantined by key",
    bad: (t) => addCase(t, 1, {}, { malformed: true, drop: ["name"] }),
    code: 3,
    expected: { quarantined: [{ entity: "TestCase", key: "DEMO-T901", says: "is malformed (name: is missing) — fix it in Zephyr; the next run reads it again" }] }
  },
  {
    name: "an execution without its required status: quarantined by key",
    bad: (t) => addExecution(t, 2, {}, { malformed: true, drop: ["testExecutionStatus"] }),
    code: 3,
    expected: { quarantined: [{ entity: "TestExecution", key: "DEMO-E902", says: "is malformed (testExecutionStatus: is missing)" }] }
  },
  {
    name: "a step that is neither inline nor a call: the step is quarantined, its case carried with the good steps",
    bad: (t) => {
      addCase(t, 3, {})
      t.teststeps["DEMO-T903"] = [{ id: 990_103, inline: { description: "<p>a good step</p>" } }, { id: 990_104 } as never]
      t.malformed.push('teststeps["DEMO-T903"][1]')
    },
    code: 3,
    expected: {
      quarantined: [{ entity: "TestStep", key: "step 2 of test case DEMO-T903", says: "is malformed" }],
      stored: { TestCase: 1, TestStep: 1 },
      qtest: { cases: 1, steps: 1 }
    }
  },
  {
    // Zephyr's rich text is stored byte for byte: repairing tags would guess at what the author meant, and qTest
    // renders broken HTML as leniently as Zephyr did. So it is carried as written, and the report says where.
    name: "broken HTML: carried byte for byte, with a note",
    bad: (t) => addCase(t, 4, { objective: "<p>Check the <b>total <i>before</p> tax</div>" }),
    code: 0,
    snowflake: true,
    expected: {
      notes: [{ entity: "TestCase", sourceId: "DEMO-T904", says: "the HTML of objective is not well-formed (<b> is never closed): carried as written" }],
      stored: { TestCase: 1 },
      qtest: { cases: 1 }
    },
    check: (o) => {
      expect(o.storedCase("DEMO-T904")["objective"]).toBe("<p>Check the <b>total <i>before</p> tax</div>")
      expect(String(o.qtestCase("DEMO-T904")["description"])).toContain("<p>Check the <b>total <i>before</p> tax</div>")
    }
  },
  {
    // 10 MB is within what the store, qTest's description and a Snowflake VARCHAR (16 MB) hold: nothing to cut.
    name: "a 10 MB text field: carried whole to the store, qTest and Snowflake",
    bad: (t) => addCase(t, 5, { objective: TEN_MB }),
    code: 0,
    snowflake: true,
    expected: { stored: { TestCase: 1 }, qtest: { cases: 1 } },
    check: (o) => {
      expect(o.storedCase("DEMO-T905")["objective"]).toBe(TEN_MB)
      expect(String(o.qtestCase("DEMO-T905")["description"])).toContain(TEN_MB)
    }
  },
  {
    // A wrong timestamp must not cost the test case: the date is not carried (the store stands in the extraction
    // time, as for any date Zephyr does not give) and the note names the field and the value.
    name: "an impossible date (Feb 30, 25:61): the case carried without it, with a note (was quarantined)",
    bad: (t) => addCase(t, 6, { createdOn: "2024-02-30T25:61:00Z" }),
    code: 0,
    expected: {
      notes: [{ entity: "TestCase", sourceId: "DEMO-T906", says: 'createdOn "2024-02-30T25:61:00Z" is not a date-time: not carried (the record is)' }],
      stored: { TestCase: 1 },
      qtest: { cases: 1 }
    },
    check: (o) => expect(o.storedCase("DEMO-T906")["created_on"]).toMatch(/^\d{4}-\d\d-\d\dT/)
  },
  {
    name: "an execution date that is no date at all: carried without it, with a note (was quarantined)",
    bad: (t) => addExecution(t, 7, { actualEndDate: "last tuesday" }, { malformed: true }),
    code: 0,
    expected: {
      notes: [{ entity: "TestExecution", sourceId: "DEMO-E907", says: 'actualEndDate "last tuesday" is not a date-time: not carried' }],
      stored: { TestExecution: 1 },
      qtest: { logs: 1 }
    },
    check: (o) => expect(o.store("TestExecution").find((e) => e["key"] === "DEMO-E907")?.["actual_end_date"]).toBeNull()
  },
  {
    // A priority or status the project no longer lists is only a label: the case is carried with it empty (qTest
    // then applies the maps' default, which the report lists), and the note names the id.
    name: "a test case with unknown priority and status ids: carried, both noted",
    bad: (t) => addCase(t, 8, { priority: { id: 777_001, self: "x" }, status: { id: 777_002, self: "x" } }),
    code: 0,
    expected: {
      notes: [
        { entity: "TestCase", sourceId: "DEMO-T908", says: "priority id 777001 is not in the project's priority list (deleted in Zephyr?): stored as null" },
        { entity: "TestCase", sourceId: "DEMO-T908", says: "status id 777002 is not in the project's status list" }
      ],
      stored: { TestCase: 1 },
      qtest: { cases: 1 }
    }
  },
  {
    // An execution's status is its result: there is no default to invent, so it is quarantined.
    name: "an execution with an unknown status id: quarantined (its result is unknown)",
    bad: (t) => addExecution(t, 9, { testExecutionStatus: { id: 777_003, self: "x" } }),
    code: 3,
    expected: { quarantined: [{ entity: "TestExecution", key: "DEMO-E909", says: "its status (id 777003) is not one of the project's statuses, so its result is unknown — give it an existing status in Zephyr" }] }
  },
  {
    // The history of a deleted case is history: the store keeps it (and Snowflake gets it); qTest has no case to
    // hang a log on, so that log is skipped and reported.
    name: "an execution of a deleted test case: kept in the store with a note, skipped in qTest",
    bad: (t) => addExecution(t, 10, { testCase: { id: 777_004, self: "https://api.zephyrscale.smartbear.com/v2/testcases/DEMO-T777/versions/1" } }),
    code: 0,
    expected: {
      notes: [{ entity: "TestExecution", sourceId: "DEMO-E910", says: "the executed test case is not in the project's test cases (deleted or moved?)" }],
      stored: { TestExecution: 1 }
    },
    check: (o) => expect(o.report.load.find((l) => l.sink === "qtest")!.skipped.map((s) => s.label)).toContain("DEMO-E910")
  },
  {
    name: "a call-to-test loop: both cases kept in the store, refused by the qTest load by key, the rest loaded",
    bad: (t) => {
      addCase(t, 11, {})
      addCase(t, 12, {})
      t.teststeps["DEMO-T911"] = [callStep(990_111, "DEMO-T912")]
      t.teststeps["DEMO-T912"] = [callStep(990_112, "DEMO-T911")]
    },
    code: 3,
    expected: {
      quarantined: [
        { entity: "qtest/test-case", key: "DEMO-T911", says: "call loop: DEMO-T911 → DEMO-T912 → DEMO-T911 — a qTest test case cannot call itself, even through others: remove one of these call steps in Zephyr" },
        { entity: "qtest/test-case", key: "DEMO-T912", says: "call loop: DEMO-T911 → DEMO-T912 → DEMO-T911" }
      ],
      stored: { TestCase: 2, TestStep: 2 }
    }
  },
  {
    // The step stays: as text saying which case it calls (a mapping gap in the report), and a call again once
    // the called case exists.
    name: "a call to a test case that does not exist: carried as a text step, reported as a gap",
    bad: (t) => {
      addCase(t, 13, {})
      t.teststeps["DEMO-T913"] = [callStep(990_113, "DEMO-T999")]
    },
    code: 0,
    expected: { stored: { TestCase: 1, TestStep: 1 }, qtest: { cases: 1, steps: 1 } },
    check: (o) => expect(o.r.stdout).toMatch(/call: "DEMO-T999" ×1 \(e\.g\. DEMO-T913\) — step 1 calls DEMO-T999, which is not in qTest/)
  },
  {
    // Executions find their case by key: a second case under DEMO-T3 would take DEMO-T3's executions over.
    name: "two test cases with one key: the second is quarantined naming both ids (was stored, and took the first one's executions)",
    bad: (t) => addCase(t, 14, { key: "DEMO-T3" }, { malformed: true }),
    code: 3,
    expected: { quarantined: [{ entity: "TestCase", key: "DEMO-T3", says: "(id 990014) has the key of another test case (id 50003), and a key names one test case" }] },
    check: (o) => {
      const t3 = o.storedCase("DEMO-T3")
      expect(t3["source_id"]).toBe("50003")
      // every execution of DEMO-T3 still belongs to it
      expect(o.store("TestExecution").filter((e) => e["test_case_key"] === "DEMO-T3").every((e) => e["test_case_id"] === 50003)).toBe(true)
    }
  },
  {
    // No target stores a NUL (PostgreSQL refuses it, C-string drivers cut the text there): it is removed, and
    // the note names the fields, so the text is carried the same everywhere.
    name: "NUL bytes in text: removed, the case carried everywhere, with a note",
    bad: (t) => addCase(t, 15, { name: "Login\u0000 with NUL", objective: "<p>a\u0000b</p>" }),
    code: 0,
    snowflake: true,
    expected: {
      notes: [{ entity: "TestCase", sourceId: "DEMO-T915", says: "NUL characters removed (no target stores them; many cut the text there) in name, objective: the record is carried with the text repaired" }],
      stored: { TestCase: 1 },
      qtest: { cases: 1 }
    },
    check: (o) => {
      expect(o.storedCase("DEMO-T915")["name"]).toBe("Login with NUL")
      expect(o.qtestCase("DEMO-T915")["name"]).toBe("Login with NUL")
    }
  },
  {
    // An unpaired surrogate is not Unicode: UTF-8 cannot encode it (SQLite kept bytes that read back as three
    // U+FFFD). It becomes one U+FFFD, the replacement character Unicode defines for it.
    name: "lone surrogates in text: replaced by U+FFFD, carried everywhere, with a note",
    bad: (t) => addCase(t, 16, { name: "Lone \ud800 high", objective: "low \udc00 alone" }),
    code: 0,
    snowflake: true,
    expected: {
      notes: [{ entity: "TestCase", sourceId: "DEMO-T916", says: "unpaired UTF-16 surrogates replaced by U+FFFD (they are not Unicode and cannot be stored as UTF-8) in name, objective" }],
      stored: { TestCase: 1 },
      qtest: { cases: 1 }
    },
    check: (o) => {
      expect(o.storedCase("DEMO-T916")["name"]).toBe("Lone \ufffd high")
      expect(o.storedCase("DEMO-T916")["objective"]).toBe("low \ufffd alone")
      expect(o.qtestCase("DEMO-T916")["name"]).toBe("Lone \ufffd high")
    }
  }
]

interface Outcome {
  readonly r: CliResult
  readonly report: RunReport
  readonly store: (entity: EntityName) => ReadonlyArray<Row>
  readonly storedCase: (key: string) => Row
  readonly qtestCase: (key: string) => Row
}

/** What a run left: the store's counts and qTest's. */
interface Counts {
  readonly store: Record<string, number>
  readonly qtest: Record<string, number>
}

const SNOWFLAKE_PASSWORD = "snowflake-SECRET-3b1f"
const slot = limit(2)
let scope: Scope.CloseableScope
let snowflake: RunningSnowflakeSandbox
let reference: Counts

const tableOf = (dbFile: string, entity: EntityName): Array<Row> => {
  const db = new Database(dbFile, { readonly: true })
  try {
    return db.prepare(`SELECT * FROM "${entity}"`).all() as Array<Row>
  } finally {
    db.close()
  }
}

/** A full run of the tenant (as a data file) into a fresh qTest sandbox (and Snowflake database `database`). */
const migrate = (name: string, tenant: TenantData, database?: string) =>
  slot(async () => {
    const cwd = tempDir("migrate-baddata-")
    const dataFile = path.join(cwd, "zephyr-data.json")
    fs.writeFileSync(dataFile, JSON.stringify(tenant))
    const caseScope = await Effect.runPromise(Scope.make())
    try {
      const zephyr = await Effect.runPromise(Scope.extend(Effect.flatMap(loadZephyrData(dataFile), (data) => startZephyrSandbox({ data })), caseScope))
      const qtest: RunningQtestSandbox = await Effect.runPromise(Scope.extend(startQtestSandbox({}), caseScope))
      fs.writeFileSync(
        path.join(cwd, "migration.config.yaml"),
        `version: 1
source:
  type: zephyr
  baseUrl: ${zephyr.baseUrl}
  projectKey: DEMO
  token: \${env:ZEPHYR_TOKEN}
sinks:
  - type: qtest
    baseUrl: ${qtest.baseUrl}
    projectId: ${qtest.projectId}
    token: \${env:QTEST_TOKEN}
    createMissingFields: true
    maps:
      users:
        default: ${SANDBOX_USER}
${
  database === undefined
    ? ""
    : `  - type: snowflake
    account: ${snowflake.account}
    user: ${snowflake.user}
    password: \${env:SNOWFLAKE_PASSWORD}
    warehouse: ${DEFAULT_WAREHOUSE}
    database: ${database}
    accessUrl: ${snowflake.accessUrl}
`
}runtime:
  retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 }
`
      )
      const secrets = { ZEPHYR_TOKEN: zephyr.token, QTEST_TOKEN: qtest.token, SNOWFLAKE_PASSWORD }
      const r = await runCliProcess(["run"], { cwd, env: { ...secrets, MIGRATE_FAILPOINT: undefined }, timeoutMs: 120_000 })
      const qtestContents = await Effect.runPromise(Effect.scoped(readQtest(targetOf(qtest))))
      return { name, cwd, r, secrets, qtestContents, dbFile: path.join(cwd, ".migrate/state.db") }
    } finally {
      await Effect.runPromise(Scope.close(caseScope, Exit.void))
    }
  })

const reportOf = (cwd: string): RunReport => {
  const runs = fs.readdirSync(path.join(cwd, ".migrate/runs"))
  expect(runs).toHaveLength(1)
  return JSON.parse(fs.readFileSync(path.join(cwd, ".migrate/runs", runs[0]!, "report.json"), "utf8")) as RunReport
}

beforeAll(async () => {
  scope = await Effect.runPromise(Scope.make())
  snowflake = await Effect.runPromise(Scope.extend(startSnowflakeSandbox({ password: SNOWFLAKE_PASSWORD }), scope))
  // the reference: the good tenant alone
  const good = await migrate("reference", smallTenant())
  expect(good.r.code, good.r.stderr).toBe(0)
  reference = { store: storeCounts(readStore(good.dbFile)), qtest: countsOf(good.qtestContents) }
}, 120_000)
afterAll(() => (scope ? Effect.runPromise(Scope.close(scope, Exit.void)) : undefined))

describe("bad input: source data served by the Zephyr sandbox", () => {
  it.concurrent.each(cases.map((c, i) => [c.name, c, i] as const))(
    "%s",
    async (_, c, i) => {
      const tenant = smallTenant()
      c.bad(tenant)
      const database = c.snowflake ? `BAD_DATA_${i}` : undefined
      const run = await migrate(c.name, tenant, database)
      const { r, cwd, dbFile } = run
      const context = `${r.stderr}\n${r.stdout}`
      expect(r.code, context).toBe(c.code)
      expect(r.signal).toBeNull()
      expectCleanFailure(r, Object.values(run.secrets))
      const report = reportOf(cwd)
      expect(report.status).toBe(c.code === 3 ? "succeeded-with-quarantine" : "succeeded")

      // every quarantined record: in the report with its key and the fix, and on one terminal line of its own
      const quarantined = c.expected.quarantined ?? []
      expect(report.quarantined.map((q) => q.entity).sort()).toEqual(quarantined.map((q) => q.entity).sort())
      const lines = r.stderr.split("\n").filter((l) => l.startsWith("  ! "))
      expect(lines, context).toHaveLength(quarantined.length)
      for (const q of quarantined) {
        const entry = report.quarantined.find((x) => x.entity === q.entity && x.reason.includes(q.key) && x.reason.includes(q.says))
        expect(entry, `${q.entity} ${q.key} in ${JSON.stringify(report.quarantined)}`).toBeDefined()
        expect(entry!.reason).toMatch(/ — /)
        expect(lines.some((l) => l.includes(q.key) && l.includes(q.says)), `a line for ${q.key}:\n${lines.join("\n")}`).toBe(true)
      }

      // every note: in the report, naming the record by key; the terminal shows it with the record
      for (const n of c.expected.notes ?? []) {
        expect(report.notes, JSON.stringify(report.notes)).toContainEqual(expect.objectContaining({ kind: "warning", entity: n.entity, sourceId: n.sourceId, message: expect.stringContaining(n.says) }))
        expect(r.stderr).toContain(`· warning (${n.entity} ${n.sourceId}): `)
      }

      // the good records all migrated, plus exactly what was carried
      const store = storeCounts(readStore(dbFile))
      const expectedStore = Object.fromEntries(entityOrder.map((e) => [e, (reference.store[e] ?? 0) + (c.expected.stored?.[e] ?? 0)]))
      expect(store).toEqual(expectedStore)
      const qtest = countsOf(run.qtestContents)
      const expectedQtest = Object.fromEntries(Object.entries(reference.qtest).map(([k, n]) => [k, n + (c.expected.qtest?.[k as "cases"] ?? 0)]))
      expect(qtest).toEqual(expectedQtest)

      if (database !== undefined) {
        const tables = await withDriver(snowflake, { database, password: SNOWFLAKE_PASSWORD }, (conn) => readSnowflake(conn))
        expect(compareWithStore(readStore(dbFile), tables).problems).toEqual([])
      }

      const rows = new Map<EntityName, ReadonlyArray<Row>>()
      const storeTable = (entity: EntityName) => rows.get(entity) ?? (rows.set(entity, tableOf(dbFile, entity)), rows.get(entity)!)
      c.check?.({
        r,
        report,
        store: storeTable,
        storedCase: (key) => {
          const found = storeTable("TestCase").filter((t) => t["key"] === key)
          expect(found, key).toHaveLength(1)
          return found[0]!
        },
        qtestCase: (key) => {
          const found = run.qtestContents.cases.filter((q) => propertyValue(q.raw.properties, ZEPHYR_KEY) === key)
          expect(found, key).toHaveLength(1)
          return found[0]!.raw as unknown as Row
        }
      })
    },
    180_000
  )

  it("status reads the quarantine of a run without any secret set", async () => {
    const tenant = smallTenant()
    addCase(tenant, 17, {}, { malformed: true, drop: ["name"] })
    const run = await migrate("status", tenant)
    expect(run.r.code, run.r.stderr).toBe(3)
    const status = await runCliProcess(["status"], { cwd: run.cwd, env: { ZEPHYR_TOKEN: undefined, QTEST_TOKEN: undefined, SNOWFLAKE_PASSWORD: undefined } })
    expect(status.code, status.stderr).toBe(0)
    expect(status.stdout).toContain("quarantined records: 1")
    expect(status.stdout).toMatch(/TestCase 990017: test case DEMO-T917 is malformed \(name: is missing\)/)
  }, 180_000)
})
