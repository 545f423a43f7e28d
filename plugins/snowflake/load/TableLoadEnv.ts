/** What loading one table needs, shared by TableLoad.ts and the steps it calls (attachment bytes, removing gone rows). */
import type { LoadContext, PluginContext } from "../../../core/index.ts"
import type { SnowflakeClientShape } from "../client/SnowflakeClient.ts"
import type { SnowflakeConfig } from "../SnowflakeConfig.ts"
import type { LoadRecord } from "./LoadsTable.ts"

export interface TableLoadEnv {
  readonly client: SnowflakeClientShape
  readonly config: SnowflakeConfig
  readonly plugin: PluginContext
  readonly load: LoadContext
  /** What `_MIGRATE_LOADS` says earlier runs loaded, by table. */
  readonly loads: ReadonlyMap<string, LoadRecord>
  /** `sharedSchema`: the store's project key, which every statement is confined to; undefined otherwise. */
  readonly project: string | undefined
}
