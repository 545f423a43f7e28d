/**
 * The plugin's `sandbox` capability: starts the Snowflake-protocol sandbox on DuckDB (./sandbox) and points the
 * sink's spec section at it (accessUrl, the sandbox's account, user and password). Under `run --sandbox` its data
 * is kept in `snowflake-sandbox.duckdb` beside the sandbox store, so a second rehearsal — and `verify --sandbox` —
 * finds what the first loaded, as against Snowflake.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { Effect, Redacted } from "effect"
import { type SandboxCapability, sandboxStartError, transportOptionsOf } from "../../core/sandbox.ts"

export const SNOWFLAKE_SANDBOX_FILE = "snowflake-sandbox.duckdb"
export const SANDBOX_DATABASE = "MIGRATE"

export const snowflakeSandboxCapability: SandboxCapability = {
  options: [],
  start: (o) =>
    Effect.gen(function* () {
      // loaded when a sandbox starts: DuckDB costs ≈ 40 MB that a run against Snowflake should not pay
      const { DEFAULT_WAREHOUSE, startSnowflakeSandbox } = yield* Effect.promise(() => import("./sandbox/index.ts"))
      const running = yield* startSnowflakeSandbox({
        // rateLimit included: the Snowflake sandbox has none and leaves it aside
        ...transportOptionsOf(o),
        // no state directory yet (a dry run creates none): nothing to find, so keep this rehearsal in memory
        databaseFile: o.stateDir === undefined || !fs.existsSync(o.stateDir) ? undefined : path.join(o.stateDir, SNOWFLAKE_SANDBOX_FILE)
      }).pipe(Effect.mapError(sandboxStartError("snowflake", "Snowflake")))
      return {
        baseUrl: running.accessUrl,
        identity: { key: { sandbox: "snowflake", database: SANDBOX_DATABASE, schema: "PUBLIC" }, description: `the Snowflake sandbox's ${SANDBOX_DATABASE}.PUBLIC` },
        connect: { accessUrl: running.accessUrl, account: running.account, user: running.user, password: running.password, warehouse: DEFAULT_WAREHOUSE, database: SANDBOX_DATABASE },
        configOverrides: {
          accessUrl: running.accessUrl,
          account: running.account,
          user: running.user,
          password: Redacted.make(running.password),
          privateKey: undefined,
          privateKeyPassphrase: undefined,
          oauthToken: undefined,
          warehouse: DEFAULT_WAREHOUSE,
          database: SANDBOX_DATABASE,
          schema: "PUBLIC",
          role: undefined
        }
      }
    })
}
