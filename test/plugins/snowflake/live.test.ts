/**
 * Opt-in: the Snowflake sink against a real Snowflake account. It runs only when these are set —
 *   SNOWFLAKE_ACCOUNT, SNOWFLAKE_USER, SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH (PEM; with
 *   SNOWFLAKE_PRIVATE_KEY_PASSPHRASE when encrypted), SNOWFLAKE_WAREHOUSE, SNOWFLAKE_DATABASE (optional: SNOWFLAKE_ROLE,
 *   and SNOWFLAKE_ACCESS_URL for a PrivateLink host — or a Snowflake-protocol sandbox, to rehearse this test)
 * — and is otherwise reported as skipped (its name says which variables are missing), never as passed.
 *
 * What it does, with the plugin's real code (`makeSnowflakeClient` over snowflake-sdk, `makeSnowflakeSink`) driven by
 * core's `loadSink` from a real SQLite store: creates a schema of its own (MIGRATE_TEST_<random>) in the database,
 * loads a tiny store (one record per canonical entity and a few more test cases) into it, checks the tables
 * through the same session, loads again (nothing created or updated), verifies, loads a changed record (one
 * update), and drops the schema — also when a step fails.
 */
import { randomBytes } from "node:crypto"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { Effect, Option, Stream } from "effect"
import { describe, expect, it } from "@effect/vitest"
import { entityOrder, type EntityName, record, type VerifyContext } from "../../../core/index.ts"
import { makePluginContext } from "../../../core/testing.ts"
import { loadSink } from "../../../core/pipeline/loadSink.ts"
import { prepareRecord } from "../../../core/pipeline/prepareRecord.ts"
import { silentProgress } from "../../../core/pipeline/Progress.ts"
import { StateStore, type StoredRecord } from "../../../core/store/StateStore.ts"
import { makeSnowflakeClient, makeSnowflakeSink, resolveSnowflakeConfig, type SnowflakeConfigInput, toSystemError } from "../../../plugins/snowflake/index.ts"
import { naturalKey } from "../../../core/canonical/schemas.ts"
import { canonicalSamples } from "../../fixtures/canonical-samples.ts"

const env = process.env
const missing = [
  ...["SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_WAREHOUSE", "SNOWFLAKE_DATABASE"].filter((k) => !env[k]),
  ...(env["SNOWFLAKE_PASSWORD"] || env["SNOWFLAKE_PRIVATE_KEY_PATH"] ? [] : ["SNOWFLAKE_PASSWORD or SNOWFLAKE_PRIVATE_KEY_PATH"])
]
const enabled = missing.length === 0

/** The sink's config from the environment, for `schema`. Key pair when a key path is given, else password. */
const configInput = (schema: string | undefined): SnowflakeConfigInput => {
  const keyPath = env["SNOWFLAKE_PRIVATE_KEY_PATH"]
  return {
    account: env["SNOWFLAKE_ACCOUNT"]!,
    user: env["SNOWFLAKE_USER"]!,
    ...(keyPath
      ? { privateKey: fs.readFileSync(keyPath, "utf8"), privateKeyPassphrase: env["SNOWFLAKE_PRIVATE_KEY_PASSPHRASE"] || undefined }
      : { password: env["SNOWFLAKE_PASSWORD"]! }),
    warehouse: env["SNOWFLAKE_WAREHOUSE"]!,
    database: env["SNOWFLAKE_DATABASE"]!,
    schema,
    role: env["SNOWFLAKE_ROLE"] || undefined,
    accessUrl: env["SNOWFLAKE_ACCESS_URL"] || undefined,
    queryTag: "migrate-live-test",
    // several batches even for a tiny store
    batch: { maxValues: 500 }
  }
}

const RETRY = { maxAttempts: 4, baseDelayMs: 200, maxDelayMs: 2000 }
const EXTRA_CASES = 5

/** One record per canonical entity, and a few more test cases: validated and hashed by core. */
const tinyStore = (): ReadonlyArray<StoredRecord> => {
  const records: Array<StoredRecord> = []
  const prepare = (entity: EntityName, data: Record<string, unknown>): StoredRecord => {
    const { content_hash: _, ...rest } = data
    const p = prepareRecord(record(entity, rest as never), "2026-01-01T00:00:00.000Z")
    if (p.entity === "Quarantine") throw new Error(`sample ${entity} is not canonical: ${p.data.reason}`)
    return p
  }
  for (const entity of entityOrder) records.push(prepare(entity, { ...canonicalSamples[entity] }))
  for (let i = 1; i <= EXTRA_CASES; i++) {
    const id = 77_000 + i
    records.push(prepare("TestCase", { ...canonicalSamples.TestCase, test_case_id: id, key: `LIVE-T${i}`, name: `live case ${i} — "quoted", ünïcödé ✓`, source_id: String(id), source_key: `LIVE-T${i}` }))
  }
  return records
}

describe.skipIf(!enabled)(`Snowflake sink against real Snowflake${enabled ? "" : ` (skipped: set ${missing.join(", ")})`}`, () => {
  it("loads a tiny store into a schema of its own, twice (the second changes nothing), verifies, updates one record, drops the schema", async () => {
    const records = tinyStore()
    const expected = Object.fromEntries(entityOrder.map((e) => [e, records.filter((r) => r.entity === e).length])) as Record<EntityName, number>
    const schema = `MIGRATE_TEST_${randomBytes(5).toString("hex").toUpperCase()}`
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "snowflake-live-"))

    const program = Effect.gen(function* () {
      const ctx = yield* makePluginContext({ system: "snowflake", stateDir: dir, retry: RETRY })

      // an admin session in the database: creates the schema, and drops it when the scope closes (last)
      const adminConfig = yield* resolveSnowflakeConfig(configInput(undefined))
      const admin = yield* makeSnowflakeClient(adminConfig, ctx).pipe(Effect.mapError(toSystemError))
      yield* Effect.acquireRelease(admin.execute(`CREATE SCHEMA IF NOT EXISTS ${schema}`).pipe(Effect.mapError(toSystemError)), () =>
        admin.execute(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).pipe(Effect.ignore)
      )

      const config = yield* resolveSnowflakeConfig(configInput(schema))
      const client = yield* makeSnowflakeClient(config, ctx).pipe(Effect.mapError(toSystemError))
      const sink = makeSnowflakeSink(client, config, ctx)
      yield* sink.check

      const store = yield* StateStore.open(path.join(dir, ".migrate", "state.db"))
      yield* store.writeBatch(records)
      let runs = 0
      const load = Effect.gen(function* () {
        const r = yield* loadSink({ sink: "snowflake", instance: sink, store, runId: `live-${++runs}`, planning: false, retry: RETRY, progress: silentProgress })
        expect(r.stopped, String(r.stopped?.message)).toBeUndefined()
        return r.report
      })
      // per table: its rows, and the natural keys held by more than one row
      const counts = Effect.forEach(entityOrder, (e) => {
        const table = `"${e.toUpperCase()}"`
        const key = naturalKey(e).map((k) => `"${k.toUpperCase()}"`).join(", ")
        return Effect.map(
          Effect.all([client.execute(`SELECT COUNT(*) AS "N" FROM ${table}`), client.execute(`SELECT COUNT(*) AS "D" FROM (SELECT ${key} FROM ${table} GROUP BY ${key} HAVING COUNT(*) > 1)`)]),
          ([n, d]) => [e, Number(n[0]?.["N"]), Number(d[0]?.["D"])] as const
        )
      })

      const first = yield* load
      expect(first.totals).toMatchObject({ created: records.length, updated: 0, unchanged: 0, rejected: 0 })
      for (const [e, n, twice] of yield* counts) {
        expect(n, e).toBe(expected[e])
        expect(twice, `${e}: natural keys held by several rows`).toBe(0)
      }

      const second = yield* load
      expect(second.totals).toMatchObject({ created: 0, updated: 0, unchanged: records.length, removed: 0, rejected: 0 })

      const statuses = { match: 0, mismatch: 0, missing: 0, extra: 0 }
      const verify: VerifyContext = { store: store.reader, mapped: () => Stream.empty, mappedTarget: () => Effect.succeed(Option.none()), result: (r) => Effect.sync(() => void statuses[r.status]++) }
      yield* sink.verify!(verify)
      expect(statuses).toEqual({ match: records.length, mismatch: 0, missing: 0, extra: 0 })

      // one record changed in the store: exactly one row updated, and its name is the new one
      const target = records.find((r) => r.entity === "TestCase" && r.data["source_key"] === "LIVE-T1")!
      const { content_hash: _, ...data } = { ...target.data, name: "live case 1, renamed" }
      const renamed = prepareRecord(record("TestCase", data as never), "2026-01-01T00:00:00.000Z")
      if (renamed.entity === "Quarantine") throw new Error(renamed.data.reason)
      yield* store.writeBatch([renamed])
      const third = yield* load
      expect(third.totals).toMatchObject({ created: 0, updated: 1, unchanged: records.length - 1 })
      const row = yield* client.execute(`SELECT "NAME", "CONTENT_HASH" FROM "TESTCASE" WHERE "SOURCE_ID" = ?`, [String(target.data["source_id"])])
      expect(row).toEqual([{ NAME: "live case 1, renamed", CONTENT_HASH: renamed.data["content_hash"] }])
      for (const [e, n, twice] of yield* counts) expect([n, twice], e).toEqual([expected[e], 0])
    })

    try {
      await Effect.runPromise(Effect.scoped(program).pipe(Effect.mapError((e) => new Error(`${e._tag}: ${e.message}`))))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  }, 300_000)
})
