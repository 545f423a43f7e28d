/**
 * Core's API for tests of plugins: a plugin context to call a plugin with outside a run, and the contract types a
 * test reads that no plugin imports (what `extract` yields and takes). Never imported by a plugin's own code
 * (test/architecture/boundary.test.ts holds the rule); tests of core's internals import those directly.
 */
export { makePluginContext } from "./plugin/PluginContext.ts"
export type { TestablePluginContext } from "./plugin/PluginContext.ts"
export type { ExtractOptions } from "./plugin/Plugin.ts"
export type { Emitted, Quarantined } from "./canonical/Canonical.ts"
