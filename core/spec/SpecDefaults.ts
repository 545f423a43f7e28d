/**
 * The defaults of the spec, read from schemas/migration.schema.json so they are written once: editors show the
 * same `default` the loader applies. Removing a default from the schema breaks this file at type-check time.
 */
import migrationSchema from "../../schemas/migration.schema.json" with { type: "json" }

const runtime = migrationSchema.properties.runtime.properties

/** The file `-c` defaults to, in the current directory. */
export const defaultSpecFile = "migration.config.yaml"

export const SpecDefaults = {
  statePath: migrationSchema.properties.state.properties.path.default,
  concurrency: runtime.concurrency.default,
  projects: runtime.projects.default,
  requestTimeoutMs: runtime.requestTimeoutMs.default,
  retry: {
    maxAttempts: runtime.retry.properties.maxAttempts.default,
    baseDelayMs: runtime.retry.properties.baseDelayMs.default,
    maxDelayMs: runtime.retry.properties.maxDelayMs.default
  }
} as const
