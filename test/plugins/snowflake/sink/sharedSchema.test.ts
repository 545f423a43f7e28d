/**
 * `sharedSchema: true`: several projects' stores loaded into one Snowflake schema, through the real snowflake-sdk
 * and the Snowflake-protocol sandbox. Two stores of two projects whose records have the same natural keys (the
 * same Zephyr ids: a user, a folder, a case seen by both) each load, re-load, remove and verify only their own
 * rows, told apart by `_PROJECT`; a schema loaded before without it is taken over only where it is empty.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, type Scope } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { type EntityName, entityOrder, PluginError } from "../../../../core/index.ts"
import { emptyLoadCounts } from "../../../../core/pipeline/LoadReport.ts"
import { loadSink } from "../../../../core/pipeline/loadSink.ts"
import { silentProgress } from "../../../../core/pipeline/Progress.ts"
import { makeRegistry } from "../../../../core/plugin/Registry.ts"
import { verifySinks } from "../../../../core/pipeline/verifySinks.ts"
import { StateStore, type StateStoreShape, type StoredRecord } from "../../../../core/store/StateStore.ts"
import { makePluginContext } from "../../../../core/testing.ts"
import { builtinPlugins } from "../../../../plugins/builtins.ts"
import type { SnowflakeClientShape } from "../../../../plugins/snowflake/client/SnowflakeClient.ts"
import { createTable, snowflakeTable } from "../../../../plugins/snowflake/dialect/index.ts"
import { SharedSchemaError } from "../../../../plugins/snowflake/load/SharedSchemaError.ts"
import { DEFAULT_WAREHOUSE, type RunningSnowflakeSandbox, startSnowflakeSandbox } from "../../../../plugins/snowflake/sandbox/index.ts"
import { resolveSnowflakeConfig } from "../../../../plugins/snowflake/SnowflakeConfig.ts"
import { makeSnowflakeSink } from "../../../../plugins/snowflake/SnowflakeSink.ts"
import { DATABASE, SCHEMA, sandboxClient } from "./backends.ts"
import { expectLoaded } from "./expectLoaded.ts"
import { qualified, recording, type Sent, verb } from "./harness.ts"
import { changed, smallProject, stored, testCase } from "./records.ts"

const SOURCE = "zephyr-scale-cloud"

/**
 * The records of one project's store: the suite's small project with one Project record, keyed `key`. Both
 * stores hold the other records under the same natural keys; B's case 9003 has other content, and B has a case of
 * its own.
 */
const projectRecords = (which: "A" | "B"): ReadonlyArray<StoredRecord> => {
  const all = smallProject()
  const project = all.find((r) => r.entity === "Project" && r.data.source_id === (which === "A" ? "10001" : "10002"))!
  const rest = all.filter((r) => r.entity !== "Project")
  if (which === "A") return [changed(project, { project_key: "ORGA" }), ...rest]
  return [changed(project, { project_key: "ORGB" }), ...rest.map((r) => (r.entity === "TestCase" && r.data.source_id === "9003" ? changed(r, { name: "B's own 9003" }) : r)), stored(testCase(9100))]
}

interface ProjectStore {
  readonly store: StateStoreShape
  readonly statePath: string
  readonly records: ReadonlyArray<StoredRecord>
  /** Every statement its loads sent. */
  readonly sent: Array<Sent>
  readonly load: (o?: { readonly sharedSchema?: boolean }) => ReturnType<typeof loadSink>
}

let runs = 0

/** A store of `records` whose loads go through `client` (a session of its own on the shared sandbox). */
const openStore = (client: SnowflakeClientShape, records: ReadonlyArray<StoredRecord>): Effect.Effect<ProjectStore, never, Scope.Scope> =>
  Effect.gen(function* () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowflake-shared-"))
    yield* Effect.addFinalizer(() => Effect.sync(() => fs.rmSync(dir, { recursive: true, force: true })))
    const statePath = path.join(dir, ".migrate", "state.db")
    const store = yield* StateStore.open(statePath).pipe(Effect.orDie)
    yield* store.writeBatch(records).pipe(Effect.orDie)
    const sent: Array<Sent> = []
    const recorded = recording(client, sent)
    const plugin = yield* makePluginContext({ system: "snowflake", stateDir: dir, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 } })
    const load = (o: { readonly sharedSchema?: boolean } = {}) =>
      Effect.gen(function* () {
        const config = yield* resolveSnowflakeConfig({ account: "sandbox", user: "LOADER", password: "unused", warehouse: DEFAULT_WAREHOUSE, database: DATABASE, schema: SCHEMA, sharedSchema: o.sharedSchema ?? true }).pipe(Effect.orDie)
        const instance = makeSnowflakeSink(recorded, config, plugin)
        return yield* loadSink({ sink: "snowflake", instance, store, runId: `shared-${++runs}`, planning: false, full: false, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, progress: silentProgress })
      })
    return { store, statePath, records, sent, load }
  })

/** A sandbox and the two projects' stores, each with its own session. */
const twoProjects = Effect.gen(function* () {
  const sb = yield* startSnowflakeSandbox().pipe(Effect.orDie)
  const a = yield* openStore(yield* sandboxClient(sb).pipe(Effect.orDie), projectRecords("A"))
  const b = yield* openStore(yield* sandboxClient(sb).pipe(Effect.orDie), projectRecords("B"))
  return { sb, a, b }
})

/** One project's rows of an entity's table (every column), in natural-key order. */
const projectRows = (sb: RunningSnowflakeSandbox, entity: EntityName, project: string) => {
  const table = snowflakeTable(entity)
  return Effect.promise(() =>
    sb.query(`SELECT * FROM ${qualified(table.name)} WHERE "_PROJECT" = '${project}' ORDER BY ${table.naturalKey.map((k) => `"${k}"`).join(", ")}`)
  )
}

/** Every table of the schema holds exactly `records` under `project` (`expectLoaded`, the suite's oracle). */
const expectProjectLoaded = (sb: RunningSnowflakeSandbox, project: string, records: ReadonlyArray<StoredRecord>) =>
  Effect.forEach(entityOrder, (entity) => Effect.map(projectRows(sb, entity, project), (rows) => expectLoaded(entity, records, rows)), { discard: true })

const countOf = (records: ReadonlyArray<StoredRecord>, entity: EntityName) => records.filter((r) => r.entity === entity).length

/** Statements that change the target; a load that finds nothing to do sends SELECTs only. */
const writes = (sent: ReadonlyArray<Sent>) => sent.filter((s) => verb(s.sql) !== "SELECT").map((s) => s.sql)

/** `migrate verify` of one store against the sandbox, with sharedSchema. */
const verifyStore = (sb: RunningSnowflakeSandbox, statePath: string) =>
  verifySinks({
    statePath,
    sinks: [
      {
        type: "snowflake",
        config: { account: sb.account, user: sb.user, password: sb.password, warehouse: DEFAULT_WAREHOUSE, database: DATABASE, schema: SCHEMA, accessUrl: sb.accessUrl, sharedSchema: true }
      }
    ],
    runtime: { concurrency: 4, requestTimeoutMs: 10_000, retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, rateLimits: {} },
    registry: makeRegistry(builtinPlugins),
    sandbox: undefined
  }).pipe(Effect.scoped)

describe("Snowflake sink, several projects in one schema (sharedSchema)", () => {
  it.scopedLive("two projects with the same natural keys load side by side, each a _PROJECT of its own; a second load of each writes nothing", () =>
    Effect.gen(function* () {
      const { sb, a, b } = yield* twoProjects
      const first = yield* a.load()
      expect(first.stopped).toBeUndefined()
      expect(first.report.totals).toMatchObject({ created: a.records.length, removed: 0, rejected: 0 })
      // B's records have A's keys: under its own _PROJECT they are all new, and none of A's rows is B's to remove
      const second = yield* b.load()
      expect(second.stopped).toBeUndefined()
      expect(second.report.totals).toMatchObject({ created: b.records.length, updated: 0, unchanged: 0, removed: 0, rejected: 0 })
      yield* expectProjectLoaded(sb, "ORGA", a.records)
      yield* expectProjectLoaded(sb, "ORGB", b.records)
      const cases = yield* Effect.promise(() => sb.query(`SELECT "_PROJECT" AS "P", "NAME" AS "N" FROM ${qualified("TESTCASE")} WHERE "SOURCE_ID" = '9003' ORDER BY 1`))
      expect(cases).toEqual([{ P: "ORGA", N: "case 9003" }, { P: "ORGB", N: "B's own 9003" }])
      // every table has _PROJECT, NOT NULL, first in the declared key
      const columns = yield* Effect.promise(() =>
        sb.query(`SELECT table_name AS "T", is_nullable AS "NULLABLE" FROM information_schema.columns WHERE table_catalog = '${DATABASE}' AND table_schema = '${SCHEMA}' AND column_name = '_PROJECT' ORDER BY 1`)
      )
      expect(columns).toEqual([...entityOrder.map((e) => e.toUpperCase()), "_MIGRATE_LOADS"].sort().map((T) => ({ T, NULLABLE: "NO" })))
      const keys = yield* Effect.promise(() => sb.query(`SELECT constraint_column_names AS "K" FROM duckdb_constraints() WHERE database_name = '${DATABASE}' AND table_name = 'TESTCASE' AND constraint_type = 'PRIMARY KEY'`))
      expect(keys.map((k) => k["K"])).toEqual([["_PROJECT", "SOURCE_SYSTEM", "SOURCE_ID"]])
      // each project's record of its complete loads
      const loads = yield* Effect.promise(() => sb.query(`SELECT "_PROJECT" AS "P", COUNT(*) AS "N" FROM ${qualified("_MIGRATE_LOADS")} GROUP BY 1 ORDER BY 1`))
      expect(loads.map((r) => [r["P"], Number(r["N"])])).toEqual([["ORGA", entityOrder.length], ["ORGB", entityOrder.length]])

      // a second load of each: nothing written, everything unchanged, the other project's rows untouched
      for (const p of [a, b]) {
        p.sent.length = 0
        const again = yield* p.load()
        expect(again.stopped).toBeUndefined()
        expect(again.report.totals).toMatchObject({ created: 0, updated: 0, unchanged: p.records.length, removed: 0, rejected: 0 })
        expect(writes(p.sent)).toEqual([])
      }
      yield* expectProjectLoaded(sb, "ORGA", a.records)
      yield* expectProjectLoaded(sb, "ORGB", b.records)
    })
  )

  it.scopedLive("a record deleted from A's store is removed from A's rows only; verify passes for each project", () =>
    Effect.gen(function* () {
      const { sb, a, b } = yield* twoProjects
      yield* a.load()
      yield* b.load()
      // case 9001 re-read in A with only its first step: core removes the second from A's store, B still has it
      const gone = yield* a.store.replaceChildren({ parent: "TestCase", parent_id: 9001, source_system: SOURCE, children: { TestStep: ["PROJ-T9001#1"] } }).pipe(Effect.orDie)
      expect(gone).toEqual({ TestStep: 1 })
      const removal = yield* a.load()
      expect(removal.report.entities["TestStep"] ?? emptyLoadCounts()).toMatchObject({ removed: 1, created: 0, updated: 0, unchanged: countOf(a.records, "TestStep") - 1 })
      expect(removal.report.totals.removed).toBe(1)
      const stepsOf = (project: string) => Effect.map(projectRows(sb, "TestStep", project), (rows) => rows.map((r) => r["SOURCE_ID"]))
      expect(yield* stepsOf("ORGA")).not.toContain("PROJ-T9001#2")
      expect(yield* stepsOf("ORGB")).toContain("PROJ-T9001#2")
      yield* expectProjectLoaded(sb, "ORGA", a.records.filter((r) => r.data.source_id !== "PROJ-T9001#2"))
      yield* expectProjectLoaded(sb, "ORGB", b.records)
      // B's next load finds nothing gone and nothing to write
      b.sent.length = 0
      const bAgain = yield* b.load()
      expect(bAgain.report.totals).toMatchObject({ created: 0, updated: 0, removed: 0, unchanged: b.records.length })
      expect(writes(b.sent)).toEqual([])

      // verify compares each store with its project's rows only: the other project's are neither extra nor different
      for (const p of [a, b]) {
        const [report] = yield* verifyStore(sb, p.statePath)
        expect(report!.differences).toEqual([])
        expect(report!.ok).toBe(true)
      }
      // a row of A's changed in Snowflake is A's difference, not B's
      yield* Effect.promise(() => sb.query(`UPDATE ${qualified("TESTCASE")} SET "CONTENT_HASH" = 'edited' WHERE "_PROJECT" = 'ORGA' AND "SOURCE_ID" = '9002'`))
      const [aReport] = yield* verifyStore(sb, a.statePath)
      expect(aReport!.differences.map((d) => [d.status, d.key])).toEqual([["mismatch", "9002"]])
      const [bReport] = yield* verifyStore(sb, b.statePath)
      expect(bReport!.ok).toBe(true)
    })
  )

  it.scopedLive("a schema loaded before without sharedSchema: a table with rows stops the load with a Config error naming it; empty tables are taken over", () =>
    Effect.gen(function* () {
      const { sb, a, b } = yield* twoProjects
      // A loads the way a one-project schema is loaded
      const single = yield* a.load({ sharedSchema: false })
      expect(single.stopped).toBeUndefined()
      const before = yield* Effect.promise(() => sb.query(`SELECT COUNT(*) AS "N" FROM ${qualified("TESTCASE")}`))
      b.sent.length = 0
      const refused = yield* b.load()
      expect(refused.stopped).toBeInstanceOf(PluginError)
      expect(refused.stopped).toBeInstanceOf(SharedSchemaError)
      const error = refused.stopped as unknown as SharedSchemaError
      expect(error.reason).toBe("Config")
      // the first table the load reads is the sink's own record of loads
      expect(error.message).toMatch(/table "_MIGRATE_LOADS" has \d+ row\(s\) but no _PROJECT column/)
      expect(error.hint).toMatch(/into a new schema, or drop the tables/)
      expect(error.message).toContain(error.hint)
      expect(refused.report.stoppedBy).toBe(error.message)
      // nothing was written, nothing guessed
      expect(writes(b.sent)).toEqual([])
      expect(yield* Effect.promise(() => sb.query(`SELECT COUNT(*) AS "N" FROM ${qualified("TESTCASE")}`))).toEqual(before)

      // the same for a canonical table with rows, once the loads table is taken over (emptied)
      yield* Effect.promise(() => sb.query(`DELETE FROM ${qualified("_MIGRATE_LOADS")}`))
      const again = yield* b.load()
      expect(again.stopped).toBeInstanceOf(SharedSchemaError)
      expect(again.stopped!.message).toMatch(/^sharedSchema: table "PROJECT" has 1 row\(s\) but no _PROJECT column/)

      // emptied by the user, the tables are taken over: _PROJECT added, the key declared again, both projects load
      for (const entity of entityOrder) yield* Effect.promise(() => sb.query(`DELETE FROM ${qualified(entity.toUpperCase())}`))
      const taken = yield* b.load()
      expect(taken.stopped).toBeUndefined()
      expect(taken.report.totals).toMatchObject({ created: b.records.length, rejected: 0 })
      const shared = yield* a.load()
      expect(shared.stopped).toBeUndefined()
      expect(shared.report.totals).toMatchObject({ created: a.records.length, rejected: 0 })
      yield* expectProjectLoaded(sb, "ORGA", a.records)
      yield* expectProjectLoaded(sb, "ORGB", b.records)
      const keys = yield* Effect.promise(() => sb.query(`SELECT constraint_column_names AS "K" FROM duckdb_constraints() WHERE database_name = '${DATABASE}' AND table_name = 'TESTCASE' AND constraint_type = 'PRIMARY KEY'`))
      expect(keys.map((k) => k["K"])).toEqual([["_PROJECT", "SOURCE_SYSTEM", "SOURCE_ID"]])
    })
  )

  it.scopedLive("a store without exactly one Project record cannot be scoped: a Config error, nothing written", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox().pipe(Effect.orDie)
      const client = yield* sandboxClient(sb).pipe(Effect.orDie)
      // the suite's small project has two Project records
      const two = yield* openStore(client, smallProject())
      const several = yield* two.load()
      expect(several.stopped).toBeInstanceOf(SharedSchemaError)
      expect(several.stopped).toMatchObject({ reason: "Config", hint: expect.stringMatching(/its own state store/) })
      expect(several.stopped!.message).toMatch(/holds 2 Project records \(P10001, P10002\)/)
      const none = yield* openStore(client, [stored(testCase(1))])
      const zero = yield* none.load()
      expect(zero.stopped).toMatchObject({ reason: "Config", hint: expect.stringMatching(/extract first|run the extract first/) })
      expect(zero.stopped!.message).toMatch(/no Project record/)
      expect([...two.sent, ...none.sent]).toEqual([])
    })
  )

  it.effect("without sharedSchema the SQL has no _PROJECT; with it, the key is bound, never spliced", () =>
    Effect.sync(() => {
      expect(createTable("TestCase")).not.toContain("_PROJECT")
      const scoped = createTable("TestCase", { project: "ORG'A" })
      expect(scoped).toContain(`"_PROJECT" VARCHAR NOT NULL`)
      expect(scoped).toContain(`PRIMARY KEY ("_PROJECT", "SOURCE_SYSTEM", "SOURCE_ID")`)
      expect(scoped).not.toContain("ORG'A")
    })
  )
})
