/**
 * The Snowflake sink's behavioural suite (issue #5), as a function of the backend it runs against: the same
 * cases through DuckDB directly and through the real driver + sandbox. Each case loads a real state store with
 * core's `loadSink` and checks both sides: the load report, and the target read back straight from DuckDB.
 * Cases: create, load, re-load, changed record, removal, schema growth, tricky values, data refusal, error
 * mapping, planning.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { type EntityName, entityOrder, SystemError } from "../../../../core/index.ts"
import { columns } from "../../../../core/canonical/schemas.ts"
import { emptyLoadCounts, type LoadCounts, type SinkLoadReport } from "../../../../core/pipeline/LoadReport.ts"
import type { StoredRecord } from "../../../../core/store/StateStore.ts"
import { SnowflakeError } from "../../../../plugins/snowflake/client/SnowflakeError.ts"
import { snowflakeTable } from "../../../../plugins/snowflake/dialect/index.ts"
import type { Backend } from "./backends.ts"
import { expectedColumns, expectLoaded } from "./expectLoaded.ts"
import { columnsOf, type Harness, openHarness, qualified, rowsOf, snapshot, tablesOf, verb } from "./harness.ts"
import { changed, ONE_MB, smallProject, stored, testCase, TRICKY, trickyRecords } from "./records.ts"

const SOURCE = "zephyr-scale-cloud"

const countOf = (records: ReadonlyArray<StoredRecord>, entity: EntityName) => records.filter((r) => r.entity === entity).length

/** The report's counts of one entity, zeros when the load never counted it. */
const counts = (report: SinkLoadReport, entity: string): LoadCounts =>
  report.entities[entity] ?? emptyLoadCounts()

const expectAllLoaded = (h: Harness, records: ReadonlyArray<StoredRecord>) =>
  Effect.forEach(entityOrder, (entity) => Effect.map(rowsOf(h, entity), (rows) => expectLoaded(entity, records, rows)), { discard: true })

/** Statements that change the target (DDL or DML); SELECT is the only verb a no-op run or a plan may send. */
const writes = (h: Harness) => h.sent.filter((s) => verb(s.sql) !== "SELECT")

const rowByKey = (rows: ReadonlyArray<Record<string, unknown>>, sourceId: string) => {
  const row = rows.find((r) => r["SOURCE_ID"] === sourceId)
  if (row === undefined) throw new Error(`no row with SOURCE_ID ${sourceId}`)
  return row
}

export const behaviourSuite = (backend: Backend) =>
  describe(`Snowflake sink against ${backend.name}`, () => {
    it.scopedLive("create: a first load creates the 11 canonical tables with the schema's columns and _LOADED_AT", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        expect(yield* tablesOf(h)).toEqual([])
        // the session has the database and schema it logged in with
        yield* h.check
        const { report, stopped } = yield* h.load()
        expect(stopped).toBeUndefined()
        // the canonical tables, and the sink's record of each table's complete load
        expect(yield* tablesOf(h)).toEqual([...entityOrder.map((e) => e.toUpperCase()), "_MIGRATE_LOADS"].sort())
        const loads = yield* h.query(`SELECT "TABLE_NAME" AS "T", "ROW_COUNT" AS "N" FROM ${qualified("_MIGRATE_LOADS")} ORDER BY 1`)
        expect(loads.map((r) => [String(r["T"]), Number(r["N"])])).toEqual(entityOrder.map((e) => [e.toUpperCase(), countOf(records, e)]).sort())
        for (const entity of entityOrder) expect(yield* columnsOf(h, entity.toUpperCase()), entity).toEqual(expectedColumns(entity))
        for (const entity of entityOrder) expect(counts(report, entity).created, entity).toBe(countOf(records, entity))
        expect(report.totals.created).toBe(records.length)
        // no staging table is left behind
        expect(h.sent.filter((s) => verb(s.sql) === "DROP").length).toBe(entityOrder.length)
      })
    )

    it.scopedLive("load: one row per record, keys, VARCHAR, NUMBER, TIMESTAMP_NTZ, BOOLEAN and VARIANT equal to the store's", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        const { report } = yield* h.load()
        expect(report.totals).toMatchObject({ created: records.length, updated: 0, unchanged: 0, removed: 0, rejected: 0 })
        yield* expectAllLoaded(h, records)
        // spot checks, spelled out: a VARIANT of every JSON shape, booleans both ways, a NUMBER, a timestamp
        const fields = yield* rowsOf(h, "CustomField")
        for (const r of records.filter((x) => x.entity === "CustomField")) {
          const row = fields.find((f) => f["FIELD_NAME"] === r.data["field_name"])!
          expect(JSON.parse(String(row["VALUE_JSON"]))).toEqual(r.data["value_json"])
        }
        const executions = yield* rowsOf(h, "TestExecution")
        expect(executions.map((e) => e["AUTOMATED"])).toEqual([true, false, true, false, true])
        const cycle = rowByKey(yield* rowsOf(h, "TestCycle"), "3302")
        expect((cycle["PLANNED_END_DATE"] as Date).toISOString()).toBe("2024-04-01T12:30:45.678Z")
        expect(cycle["TEST_CYCLE_ID"]).toBe(3302)
      })
    )

    it.scopedLive("re-load: nothing is sent, all unchanged, every table identical row for row (_LOADED_AT too)", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        yield* h.load()
        const before = yield* snapshot(h)
        yield* Effect.sleep("5 millis") // a second SYSDATE() would differ
        h.sent.length = 0
        const { report, stopped } = yield* h.load()
        expect(stopped).toBeUndefined()
        expect(report.totals).toMatchObject({ created: 0, updated: 0, unchanged: records.length, removed: 0, rejected: 0 })
        for (const entity of entityOrder) expect(counts(report, entity).unchanged, entity).toBe(countOf(records, entity))
        expect(writes(h).map((s) => s.sql)).toEqual([])
        // the store is as it was at the last complete load of every table, and no row went missing: no key is compared
        expect(h.sent.filter((s) => /\bIN \(/.test(s.sql))).toEqual([])
        expect(yield* snapshot(h)).toEqual(before)
      })
    )

    it.scopedLive("a row deleted in Snowflake is restored by the next run; a row edited there, by run --full", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        yield* h.load()
        const before = yield* snapshot(h)
        const [step, testCaseRow] = [records.find((r) => r.entity === "TestStep")!, records.find((r) => r.entity === "TestCase")!]
        yield* h.client.execute('DELETE FROM "TESTSTEP" WHERE "SOURCE_ID" = ?', [step.data.source_id])
        yield* h.client.execute('UPDATE "TESTCASE" SET "NAME" = ?, "CONTENT_HASH" = ? WHERE "SOURCE_ID" = ?', ["edited", "0".repeat(64), testCaseRow.data.source_id])
        // the step table lost a row: compared again, the row is back; the case table has as many rows as recorded
        const next = yield* h.load()
        expect(counts(next.report, "TestStep").created).toBe(1)
        expect(counts(next.report, "TestCase")).toMatchObject({ created: 0, updated: 0, unchanged: countOf(records, "TestCase") })
        expect(rowByKey(yield* rowsOf(h, "TestCase"), String(testCaseRow.data.source_id))["NAME"]).toBe("edited")
        // run --full compares every row: the edited one is written again
        const full = yield* h.load({ full: true })
        expect(counts(full.report, "TestCase")).toMatchObject({ created: 0, updated: 1 })
        expect(counts(full.report, "TestStep")).toMatchObject({ created: 0, updated: 0 })
        const after = yield* snapshot(h)
        for (const entity of entityOrder.filter((e) => e !== "TestCase" && e !== "TestStep")) expect(after[entity], entity).toEqual(before[entity])
        yield* expectAllLoaded(h, records)
      })
    )

    it.scopedLive("changed record: its row is updated (new content, hash and _LOADED_AT), the others are untouched", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        yield* h.load()
        const before = yield* snapshot(h)
        const old = records.find((r) => r.entity === "TestCase" && r.data.source_id === "9003")!
        const renamed = changed(old, { name: "renamed — ✓ 🧪", estimated_time_ms: 123_456, labels: ["changed"] })
        expect(renamed.data.content_hash).not.toBe(old.data.content_hash)
        expect(yield* h.store.writeBatch([renamed]).pipe(Effect.orDie)).toEqual(["updated"])
        yield* Effect.sleep("5 millis")
        const { report } = yield* h.load()
        expect(counts(report, "TestCase")).toMatchObject({ created: 0, updated: 1, unchanged: countOf(records, "TestCase") - 1 })
        expect(report.totals).toMatchObject({ created: 0, updated: 1, unchanged: records.length - 1, removed: 0 })
        const now = records.map((r) => (r === old ? renamed : r))
        yield* expectAllLoaded(h, now)
        const after = yield* snapshot(h)
        const oldRow = rowByKey(before.TestCase, "9003")
        const newRow = rowByKey(after.TestCase, "9003")
        expect(newRow["NAME"]).toBe("renamed — ✓ 🧪")
        expect(newRow["CONTENT_HASH"]).toBe(renamed.data.content_hash)
        expect((newRow["_LOADED_AT"] as Date).getTime()).toBeGreaterThan((oldRow["_LOADED_AT"] as Date).getTime())
        // every other row of every table, _LOADED_AT included, is as it was
        for (const entity of entityOrder) {
          const others = (rows: ReadonlyArray<Record<string, unknown>>) => (entity === "TestCase" ? rows.filter((r) => r["SOURCE_ID"] !== "9003") : rows)
          expect(others(after[entity]), entity).toEqual(others(before[entity]))
        }
      })
    )

    it.scopedLive("removal: a record gone from the store is deleted from the target (report removed 1)", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        yield* h.load()
        const before = yield* snapshot(h)
        // case 9001 re-read with only its first step: core removes the second from the store
        const removed = yield* h.store.replaceChildren({ parent: "TestCase", parent_id: 9001, source_system: SOURCE, children: { TestStep: ["PROJ-T9001#1"] } }).pipe(Effect.orDie)
        expect(removed).toEqual({ TestStep: 1 })
        const { report } = yield* h.load()
        expect(counts(report, "TestStep")).toMatchObject({ removed: 1, unchanged: countOf(records, "TestStep") - 1, created: 0, updated: 0 })
        expect(report.totals.removed).toBe(1)
        const after = yield* snapshot(h)
        expect(after.TestStep.map((r) => r["SOURCE_ID"])).not.toContain("PROJ-T9001#2")
        expect(after.TestStep).toEqual(before.TestStep.filter((r) => r["SOURCE_ID"] !== "PROJ-T9001#2"))
        yield* expectAllLoaded(h, records.filter((r) => r.data.source_id !== "PROJ-T9001#2"))
      })
    )

    it.scopedLive("schema growth: a table with some of the columns is grown by ALTER and loaded", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        yield* h.client.execute(`CREATE TABLE "TESTCASE" ("SOURCE_SYSTEM" VARCHAR NOT NULL, "SOURCE_ID" VARCHAR NOT NULL, "TEST_CASE_ID" NUMBER(38,0), "NAME" VARCHAR)`)
        yield* h.client.execute(`INSERT INTO "TESTCASE" ("SOURCE_SYSTEM", "SOURCE_ID", "TEST_CASE_ID", "NAME") VALUES (?, ?, TO_NUMBER(?), ?)`, [SOURCE, "9001", "9001", "an old name"])
        h.sent.length = 0
        const { report, stopped } = yield* h.load()
        expect(stopped).toBeUndefined()
        const kept = ["SOURCE_SYSTEM", "SOURCE_ID", "TEST_CASE_ID", "NAME"]
        const added = expectedColumns("TestCase").filter((c) => !kept.includes(c.name))
        expect(h.sent.filter((s) => verb(s.sql) === "ALTER" && s.sql.includes('"TESTCASE"')).length).toBe(added.length)
        expect((yield* columnsOf(h, "TESTCASE")).map((c) => c.name)).toEqual([...kept, ...added.map((c) => c.name)])
        expect(yield* columnsOf(h, "TESTCASE")).toEqual(expect.arrayContaining(expectedColumns("TestCase")))
        expect(counts(report, "TestCase")).toMatchObject({ created: countOf(records, "TestCase") - 1, updated: 1, unchanged: 0 })
        yield* expectAllLoaded(h, records)
        expect(rowByKey(yield* rowsOf(h, "TestCase"), "9001")["NAME"]).toBe("case 9001")
        // grown once: the next run finds nothing to add and nothing to send
        h.sent.length = 0
        const again = yield* h.load()
        expect(counts(again.report, "TestCase").unchanged).toBe(countOf(records, "TestCase"))
        expect(writes(h)).toEqual([])
      })
    )

    it.scopedLive("tricky values: keyword and quoted key values, quotes, backslashes, line breaks, 1 MB, Unicode all load intact", () =>
      Effect.gen(function* () {
        const records = trickyRecords()
        const h = yield* openHarness(backend, records)
        const { report, stopped } = yield* h.load()
        expect(stopped).toBeUndefined()
        expect(report.totals).toMatchObject({ created: records.length, rejected: 0 })
        yield* expectAllLoaded(h, records)
        // the same, spelled out on exact strings
        const fields = yield* rowsOf(h, "CustomField")
        expect(fields.map((f) => f["FIELD_NAME"]).sort()).toEqual(["select", "ORDER", '"quoted"', "it's", "back\\slash", "new\nline", "🧪 test", "שדה", "e\u0301", "𝄞"].sort())
        const select = fields.find((f) => f["FIELD_NAME"] === "select")!
        expect(JSON.parse(String(select["VALUE_JSON"]))).toBe(TRICKY[0])
        expect(select["FIELD_VALUE"]).toBe(TRICKY[0])
        const [tc] = yield* rowsOf(h, "TestCase")
        expect(tc!["OBJECTIVE"]).toBe(ONE_MB)
        expect(String(tc!["OBJECTIVE"]).length).toBeGreaterThan(1_048_576)
        expect(tc!["NAME"]).toBe(TRICKY.join(" | "))
        expect(tc!["SCRIPT_TEXT"]).toBe(TRICKY.join("\n"))
        expect(tc!["SOURCE_KEY"]).toBe('PROJ-T9101 "quoted" 🧪')
        expect(JSON.parse(String(tc!["LABELS"]))).toEqual([...TRICKY])
        const steps = yield* rowsOf(h, "TestStep")
        expect(steps.map((s) => s["DESCRIPTION"]).sort()).toEqual([...TRICKY].sort())
        expect(steps.map((s) => s["SOURCE_ID"]).sort()).toEqual(TRICKY.map((t) => `PROJ-T9101#${t}`).sort())
        // keys holding these strings are found again: a re-run sends nothing
        h.sent.length = 0
        const again = yield* h.load()
        expect(again.report.totals).toMatchObject({ created: 0, updated: 0, unchanged: records.length, removed: 0 })
        expect(writes(h)).toEqual([])
      })
    )

    const refusalStore = () => {
      const records = smallProject().filter((r) => r.entity === "TestCase" || r.entity === "Project")
      // an integer the store and the schema accept, but beyond NUMBER(38,0): Snowflake refuses it in the MERGE
      const bad = stored(testCase(9009, { estimated_time_ms: 1e40 }))
      const later = [9010, 9011, 9012].map((id) => stored(testCase(id)))
      return { records, bad, good: [...records, ...later], all: [...records.slice(0, 5), bad, ...records.slice(5), ...later] }
    }
    // four TestCase rows per batch: several batches, and the refused one's batch is split 4 → 2 → 1
    const width = snowflakeTable("TestCase").columns.length + 1
    const fourRows = { maxValues: width * 4 }

    it.scopedLive("data refusal: the refused record is quarantined alone (batches split), the good ones load", () =>
      Effect.gen(function* () {
        const { bad, good, all } = refusalStore()
        const h = yield* openHarness(backend, all)
        const { report, stopped } = yield* h.load({ batch: fourRows })
        expect(stopped).toBeUndefined()
        const cases = countOf(good, "TestCase")
        expect(counts(report, "TestCase")).toMatchObject({ created: cases, rejected: 1, updated: 0 })
        expect(report.rejected).toHaveLength(1)
        expect(report.rejected[0]).toMatchObject({ entity: "TestCase", key: "9009", label: "PROJ-T9009" })
        // named by its key, with Snowflake's message and the fix
        expect(report.rejected[0]!.message).toMatch(/^PROJ-T9009: Snowflake refused the row: Numeric value '10+303786028427003666890752' is not recognized.*\(code 100038\) — correct the record at the source so the target accepts it; the next run tries it again$/s)
        const quarantine = yield* h.store.quarantined().pipe(Effect.orDie)
        expect(quarantine.map((q) => [q.entity, q.source_system, q.source_id])).toEqual([["snowflake/TestCase", "snowflake", "9009"]])
        yield* expectAllLoaded(h, good)
        // the batches: full ones of 4 rows, and the refused one's halves down to the record alone
        const batches = h.sent.filter((s) => s.rows !== undefined && s.sql.includes('"TESTCASE_STG"')).map((s) => s.rows!)
        const badId = String(bad.data.test_case_id)
        const withBad = batches.filter((rows) => rows.some((r) => r[0] === badId)).map((rows) => rows.length)
        expect(withBad).toEqual([4, 2, 1])
        expect(batches.length).toBeGreaterThan(3)
        expect(batches.every((rows) => rows.length <= 4)).toBe(true)
        // a later run refuses it again and leaves the rest alone
        const again = yield* h.load({ batch: fourRows })
        expect(counts(again.report, "TestCase")).toMatchObject({ created: 0, updated: 0, unchanged: cases, rejected: 1 })
      })
    )

    it.scopedLive("removal while a record stays refused: the gone row is still deleted", () =>
      Effect.gen(function* () {
        const { good, all } = refusalStore()
        const h = yield* openHarness(backend, all)
        yield* h.load({ batch: fourRows })
        // case 9003 deleted at the source: the target holds it, the store no longer does; 9009 is still refused
        yield* deleteFromStore(h, "TestCase", "9003")
        const { report } = yield* h.load({ batch: fourRows })
        expect(counts(report, "TestCase")).toMatchObject({ removed: 1, rejected: 1 })
        expect((yield* rowsOf(h, "TestCase")).map((r) => r["SOURCE_ID"])).not.toContain("9003")
        yield* expectAllLoaded(h, good.filter((r) => r.data.source_id !== "9003"))
      })
    )

    it.scopedLive("error mapping: bad SQL, an unknown table, a refused value and a broken table become classified errors", () =>
      Effect.gen(function* () {
        const h = yield* openHarness(backend, smallProject())
        const syntax = yield* Effect.flip(h.client.execute("SELEC 1"))
        expect(syntax).toBeInstanceOf(SnowflakeError)
        expect(syntax).toMatchObject({ reason: "Compilation", code: "001003", sqlState: "42000", statement: "SELEC 1" })
        const unknown = yield* Effect.flip(h.client.execute('SELECT * FROM "NO_SUCH_TABLE"'))
        expect(unknown).toMatchObject({ reason: "Compilation", code: "002003" })
        expect(unknown.message).toContain("NO_SUCH_TABLE")
        const data = yield* Effect.flip(h.client.execute('SELECT TO_NUMBER(?) AS "N"', [`1${"0".repeat(40)}`]))
        expect(data).toMatchObject({ reason: "Data", code: "100038" })
        const batch = yield* Effect.flip(h.client.executeBatch('INSERT INTO "NO_SUCH_TABLE" ("A") VALUES (?)', [["x"]]))
        expect(batch).toMatchObject({ reason: "Compilation", code: "002003" })
        // a table without its natural key cannot be loaded: the load stops with the reason, nothing is half-done
        yield* h.client.execute(`CREATE TABLE "PROJECT" ("SOMETHING" VARCHAR)`)
        const { report, stopped } = yield* h.load()
        expect(stopped).toBeInstanceOf(SystemError)
        expect(stopped!.message).toMatch(/"PROJECT" exists without its natural-key column\(s\) "SOURCE_SYSTEM", "SOURCE_ID"/)
        expect(report.stoppedBy).toBe(stopped!.message)
        expect(yield* tablesOf(h)).toEqual(["PROJECT", "_MIGRATE_LOADS"])
      })
    )

    it.scopedLive("planning: against an empty target nothing is created and the would-be counts are reported", () =>
      Effect.gen(function* () {
        const records = smallProject()
        const h = yield* openHarness(backend, records)
        const plan = yield* h.load({ planning: true })
        expect(plan.stopped).toBeUndefined()
        expect(plan.report.planned).toBe(true)
        for (const entity of entityOrder) expect(counts(plan.report, entity), entity).toMatchObject({ created: countOf(records, entity), updated: 0, unchanged: 0 })
        expect(h.sent.length).toBeGreaterThan(0)
        expect(writes(h)).toEqual([])
        expect(yield* tablesOf(h)).toEqual([])
        // after a load: a change, two new steps and two removed ones are planned, not done (as many steps new as
        // gone, so the target and the store hold the same number of steps)
        yield* h.load()
        const before = yield* snapshot(h)
        const old = records.find((r) => r.entity === "TestPlan" && r.data.source_id === "77")!
        yield* h.store.writeBatch([changed(old, { name: "plan 77, renamed" })]).pipe(Effect.orDie)
        yield* h.store.replaceChildren({ parent: "TestCase", parent_id: 9002, source_system: SOURCE, children: { TestStep: [] } }).pipe(Effect.orDie)
        const step = records.find((r) => r.entity === "TestStep")!
        yield* h.store.writeBatch([1, 2].map((n) => changed(step, { step_id: 99_000 + n, step_order: n, test_case_id: 9006, source_id: `PROJ-T9006#${n}` }))).pipe(Effect.orDie)
        h.sent.length = 0
        const second = yield* h.load({ planning: true })
        expect(counts(second.report, "TestPlan")).toMatchObject({ updated: 1, unchanged: countOf(records, "TestPlan") - 1 })
        expect(counts(second.report, "TestStep")).toMatchObject({ created: 2, removed: 2, unchanged: countOf(records, "TestStep") - 2 })
        expect(writes(h)).toEqual([])
        expect(yield* snapshot(h)).toEqual(before)
        expect(yield* h.store.quarantined().pipe(Effect.orDie)).toEqual([])
      })
    )

    // the oracle (expectLoaded.ts) knows every column type the canonical schemas use; the store has every entity
    it.effect("the canonical column types are the ones the oracle knows, and the test store covers every entity", () =>
      Effect.sync(() => {
        const types = new Set(entityOrder.flatMap((e) => columns(e).map((c) => (c.format === "date-time" ? "date-time" : c.type))))
        expect([...types].sort()).toEqual(["any", "array", "boolean", "date-time", "integer", "object", "string"])
        expect(new Set(smallProject().map((r) => r.entity))).toEqual(new Set(entityOrder))
      })
    )
  })

/** Deletes a record from the store's SQLite file directly: what core does when a source no longer lists it. */
const deleteFromStore = (h: Harness, entity: EntityName, sourceId: string) =>
  Effect.promise(async () => {
    const { default: Database } = await import("better-sqlite3")
    const db = new Database(h.statePath)
    try {
      const changes = db.prepare(`DELETE FROM "${entity}" WHERE "source_id" = ?`).run(sourceId).changes
      if (changes !== 1) throw new Error(`expected to delete one ${entity} ${sourceId}, deleted ${changes}`)
    } finally {
      db.close()
    }
  })
