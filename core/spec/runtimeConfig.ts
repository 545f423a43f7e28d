/**
 * The spec's `runtime` section with every default applied (from the schema, via SpecDefaults), so policies read
 * plain values and never re-check the YAML.
 */
import type { RuntimeConfig } from "./LoadedSpec.ts"
import type { RuntimeSpec } from "./MigrationSpec.ts"
import { SpecDefaults } from "./SpecDefaults.ts"

/** Expects a validated section. */
export const runtimeConfig = (runtime: RuntimeSpec = {}): RuntimeConfig => ({
  concurrency: runtime.concurrency ?? SpecDefaults.concurrency,
  projects: runtime.projects ?? SpecDefaults.projects,
  requestTimeoutMs: runtime.requestTimeoutMs ?? SpecDefaults.requestTimeoutMs,
  retry: {
    maxAttempts: runtime.retry?.maxAttempts ?? SpecDefaults.retry.maxAttempts,
    baseDelayMs: runtime.retry?.baseDelayMs ?? SpecDefaults.retry.baseDelayMs,
    maxDelayMs: runtime.retry?.maxDelayMs ?? SpecDefaults.retry.maxDelayMs
  },
  rateLimits: { ...runtime.rateLimits },
  budget: { ...runtime.budget }
})
