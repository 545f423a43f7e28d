/** Spec loading: the YAML users write, validated and resolved into what the rest of core consumes. */
export { loadSpec } from "./loadSpec.ts"
export type { LoadSpecOptions } from "./loadSpec.ts"
export { registryResolver } from "./registryResolver.ts"
export { sandboxSpec, sandboxStateFile } from "./sandboxSpec.ts"
export { SpecDefaults, defaultSpecFile } from "./SpecDefaults.ts"
export type { LoadedSpec, PluginConfig, RuntimeConfig } from "./LoadedSpec.ts"
export type { MigrationSpec, PluginSection, RetrySpec, RuntimeSpec, StateSpec } from "./MigrationSpec.ts"
export type { PluginLookup, PluginOrigins, ResolvePlugin } from "./ResolvePlugin.ts"
