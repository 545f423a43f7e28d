/**
 * Where the session stands, checked before anything is read or written. Snowflake logs in with a database or
 * schema that does not exist — or that the role cannot see — and leaves it unset instead of refusing; every
 * statement after that fails with "does not have a current database", which reads like a bug in the SQL. So the
 * sink asks first, and says what is missing, where (account, database, schema, role) and what to do.
 */
import { Effect } from "effect"
import { SystemError } from "../../../core/index.ts"
import type { SnowflakeClientShape } from "../client/SnowflakeClient.ts"
import type { SnowflakeError } from "../client/SnowflakeError.ts"
import type { SnowflakeConfig } from "../SnowflakeConfig.ts"

export const checkSessionPlace = (client: SnowflakeClientShape, config: SnowflakeConfig): Effect.Effect<void, SystemError | SnowflakeError> =>
  Effect.gen(function* () {
    const rows = yield* client.execute('SELECT CURRENT_DATABASE() AS "D", CURRENT_SCHEMA() AS "S", CURRENT_ROLE() AS "R"')
    const row = rows[0] ?? {}
    const role = typeof row["R"] === "string" ? row["R"] : (config.role ?? "the user's default role")
    const where = `account ${config.account}, database ${config.database}, schema ${config.schema}, role ${role}`
    if (row["D"] == null)
      return yield* new SystemError({
        system: "snowflake",
        reason: "Forbidden",
        message: `database ${config.database} does not exist, or role ${role} cannot see it: the session has no current database (${where})`,
        hint: `create it (CREATE DATABASE ${config.database}) or grant the role USAGE on it (GRANT USAGE ON DATABASE ${config.database} TO ROLE ${role}), or correct database in the snowflake section of the spec; the extract is kept and the next run loads`
      })
    if (row["S"] == null)
      return yield* new SystemError({
        system: "snowflake",
        reason: "Forbidden",
        message: `schema ${config.schema} does not exist in database ${config.database}, or role ${role} cannot see it: the session has no current schema (${where})`,
        hint: `create it (CREATE SCHEMA ${config.database}.${config.schema}) or grant the role USAGE on it (GRANT USAGE ON SCHEMA ${config.database}.${config.schema} TO ROLE ${role}), or correct schema in the snowflake section of the spec; the extract is kept and the next run loads`
      })
  })
