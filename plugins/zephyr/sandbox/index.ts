/** The Zephyr Scale Cloud v2 sandbox (also as Zephyr Essential Cloud and Zephyr Scale Data Center): a protocol-faithful local server, its data format, the demo, the generated tenants and the generated organisation. */
export {
  startZephyrSandbox,
  SandboxStartError,
  DEFAULT_SLOW_RESPONSE_MS,
  MUTATE_PATH,
  type RunningZephyrSandbox,
  type SandboxStats,
  type ZephyrSandboxOptions
} from "./ZephyrSandbox.ts"
export { isZephyrEdition, ZEPHYR_EDITIONS, type ZephyrEdition } from "./ZephyrEdition.ts"
export { loadZephyrData, checkZephyrData } from "./loadZephyrData.ts"
export { SandboxDataError, type ZephyrData } from "./ZephyrData.ts"
export { demoData, DEMO_USERS } from "./demoData.ts"
export { organisationData, organisationProjectKey, ORGANISATION_MAX_PROJECTS } from "./organisationData.ts"
export { generatedData, SCALES, type GeneratedTenant, type Scale, type ScaleSpec } from "./generatedData.ts"
export type { TenantCounts } from "./Tenant.ts"
export type { MutationOptions, MutationResult } from "./TenantMutation.ts"
