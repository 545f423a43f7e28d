/**
 * The Snowflake sink's behavioural suite (behaviour.ts) through the real snowflake-sdk and the Snowflake-protocol
 * sandbox, plus what only a login can show: a wrong password and an unknown warehouse become classified errors
 * when the client is made.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { SnowflakeError, toSystemError } from "../../../../plugins/snowflake/client/SnowflakeError.ts"
import { startSnowflakeSandbox } from "../../../../plugins/snowflake/sandbox/index.ts"
import { behaviourSuite } from "./behaviour.ts"
import { type Backend, driverBackend, sandboxClient } from "./backends.ts"
import { openHarness, rowsOf } from "./harness.ts"
import { stored, testCase } from "./records.ts"

behaviourSuite(driverBackend)

describe("Snowflake sink login errors (snowflake-sdk + sandbox)", () => {
  it.scopedLive("a wrong password fails making the client with reason Auth, code 390100", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox().pipe(Effect.orDie)
      const error = yield* Effect.flip(sandboxClient(sb, { password: "not-the-password" }))
      expect(error).toBeInstanceOf(SnowflakeError)
      expect(error).toMatchObject({ reason: "Auth", code: "390100" })
      expect(toSystemError(error)).toMatchObject({ system: "snowflake", reason: "Unauthorized" })
      expect(sb.stats().failedLogins).toBe(1)
    })
  )

  it.scopedLive("an unknown warehouse fails making the client with reason Access, code 390201", () =>
    Effect.gen(function* () {
      const sb = yield* startSnowflakeSandbox().pipe(Effect.orDie)
      const error = yield* Effect.flip(sandboxClient(sb, { warehouse: "NO_SUCH_WH" }))
      expect(error).toMatchObject({ reason: "Access", code: "390201" })
      expect(toSystemError(error)).toMatchObject({ reason: "Forbidden" })
      // the right warehouse logs in
      const client = yield* sandboxClient(sb)
      expect(yield* client.execute('SELECT 1 AS "ONE"')).toEqual([{ ONE: 1 }])
    })
  )
})

describe("Snowflake sink when a MERGE's answer is lost (snowflake-sdk + sandbox)", () => {
  it.scopedLive("the MERGE commits, the connection drops, the driver sends it again: each row is counted created once", () =>
    Effect.gen(function* () {
      // Seed 494 loses the answer of the third MERGE only — the test cases', after the load records of PROJECT and
      // FOLDER — and not of its re-send nor of any MERGE after.
      const sb = yield* startSnowflakeSandbox({ lostMergeAnswerRate: 0.3, seed: 494 }).pipe(Effect.orDie)
      const lossy: Backend = { name: "lossy", make: Effect.map(sandboxClient(sb).pipe(Effect.orDie), (client) => ({ client, query: (sql) => sb.query(sql) })) }
      const h = yield* openHarness(lossy, [1, 2, 3, 4, 5].map((id) => stored(testCase(id))))
      const { report } = yield* h.load()
      expect(sb.stats()).toMatchObject({ faults: 1, resent: 1 })
      expect(report.entities["TestCase"]).toMatchObject({ created: 5, updated: 0, unchanged: 0 })
      expect(yield* rowsOf(h, "TestCase")).toHaveLength(5)
    })
  )
})
