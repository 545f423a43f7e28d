/**
 * What every part of the Zephyr source works with, passed to each explicitly: the client, the resolved config,
 * the plugin context core hands the source (report, blobs, store lookups, concurrency), and `fatal`, the one
 * place a failed call becomes the `SystemError` the user reads.
 */
import type { PluginContext, StoreError, SystemError } from "../../../core/index.ts"
import type { ZephyrClientError, ZephyrClientShape } from "../ZephyrClient.ts"
import type { ZephyrConfig } from "../ZephyrConfig.ts"

export interface SourceContext {
  readonly client: ZephyrClientShape
  readonly config: ZephyrConfig
  readonly ctx: PluginContext
  readonly fatal: (error: ZephyrClientError | StoreError) => SystemError
}
