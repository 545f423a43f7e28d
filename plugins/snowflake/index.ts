/**
 * The Snowflake sink plugin, as a value: its config schema and examples, `make` (config → a logged-in sink
 * instance; the session ends with the scope) and the Snowflake-protocol sandbox on DuckDB for tests and rehearsals.
 */
import { Effect } from "effect"
import { definePlugin } from "../../core/index.ts"
import { makeSnowflakeClient } from "./client/SnowflakeClient.ts"
import { toSystemError } from "./client/SnowflakeError.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import { resolveSnowflakeConfig, snowflakeConfigDefaults, type SnowflakeConfigInput } from "./SnowflakeConfig.ts"
import { snowflakeSandboxCapability } from "./snowflakeSandboxCapability.ts"
import { makeSnowflakeSink } from "./SnowflakeSink.ts"

export default definePlugin<"sink", SnowflakeConfigInput>({
  name: "snowflake",
  kind: "sink",
  configSchema,
  examples: [
    { account: "acme-analytics", user: "MIGRATE_LOADER", privateKey: "${file:/run/secrets/snowflake_rsa_key.p8}", warehouse: "LOAD_WH", database: "QA_HISTORY", schema: "ZEPHYR", role: "LOADER" },
    { account: "acme-analytics", user: "MIGRATE_LOADER", password: "${env:SNOWFLAKE_PASSWORD}", warehouse: "LOAD_WH", database: "QA_HISTORY", attachmentBytes: true },
    { account: "acme-analytics", user: "MIGRATE_LOADER", oauthToken: "${env:SNOWFLAKE_OAUTH_TOKEN}", warehouse: "LOAD_WH", database: "QA_HISTORY", batch: { maxValues: 50000 } }
  ],
  make: (input, ctx) =>
    Effect.gen(function* () {
      const config = yield* resolveSnowflakeConfig(input)
      const client = yield* makeSnowflakeClient(config, ctx).pipe(Effect.mapError(toSystemError))
      return makeSnowflakeSink(client, config, ctx)
    }),
  sandbox: snowflakeSandboxCapability,
  identity: (input) => {
    // unquoted Snowflake identifiers are upper case; the account locator is not case-sensitive
    const account = input.account.toLowerCase()
    const database = input.database.toUpperCase()
    const schema = (input.schema ?? snowflakeConfigDefaults.schema).toUpperCase()
    return { key: { account, database, schema }, description: `Snowflake ${database}.${schema} in account ${account}` }
  }
})

export { makeSnowflakeClient, SnowflakeClient, type SnowflakeClientShape, connectionOptions } from "./client/SnowflakeClient.ts"
export { SnowflakeError, fromDriver, isTransient, toSystemError } from "./client/SnowflakeError.ts"
export { resolveSnowflakeConfig, snowflakeConfigDefaults, type SnowflakeConfig, type SnowflakeConfigInput } from "./SnowflakeConfig.ts"
export { makeSnowflakeSink } from "./SnowflakeSink.ts"
