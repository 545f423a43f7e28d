/**
 * The Snowflake sink instance: `check` (the session has a database and schema, sessionPlace.ts), `load` (every
 * canonical table in dependency order, TableLoad.ts) and `verify` (verifySnowflake.ts). Driver failures become
 * core's SystemError with Snowflake's code and a hint; a refused row is quarantined by the table load and the rest go on.
 * With `sharedSchema` the load and verify are confined to the store's project (storeProjectKey.ts).
 */
import { Effect } from "effect"
import { entityOrder, type PluginContext, type SinkInstance, SystemError } from "../../core/index.ts"
import type { SnowflakeClientShape } from "./client/SnowflakeClient.ts"
import { SnowflakeError, toSystemError } from "./client/SnowflakeError.ts"
import { readLoads } from "./load/LoadsTable.ts"
import { checkSessionPlace } from "./load/sessionPlace.ts"
import { storeProjectKey } from "./load/storeProjectKey.ts"
import { loadTable } from "./load/TableLoad.ts"
import { verifySnowflake } from "./load/verifySnowflake.ts"
import type { SnowflakeConfig } from "./SnowflakeConfig.ts"

const toSystem = <E>(e: E): Exclude<E, SnowflakeError> | SystemError => (e instanceof SnowflakeError ? toSystemError(e) : (e as Exclude<E, SnowflakeError>))

export const makeSnowflakeSink = (client: SnowflakeClientShape, config: SnowflakeConfig, plugin: PluginContext): SinkInstance => ({
  // core checks every sink before it loads, plans or verifies it
  check: checkSessionPlace(client, config).pipe(Effect.mapError(toSystem)),
  load: (ctx) =>
    Effect.gen(function* () {
      const project = config.sharedSchema ? yield* storeProjectKey(ctx.store) : undefined
      const loads = yield* readLoads(client, ctx.planning, ctx.willSend, project)
      yield* Effect.forEach(entityOrder, (entity) => loadTable({ client, config, plugin, load: ctx, loads, project }, entity), { discard: true })
    }).pipe(Effect.mapError(toSystem)),
  verify: (ctx) => verifySnowflake(client, config, ctx).pipe(Effect.mapError(toSystem))
})
