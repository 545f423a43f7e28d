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
import { driverBackend, sandboxClient } from "./backends.ts"

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
