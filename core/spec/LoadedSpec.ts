/**
 * A spec after loading: validated, defaulted, with each plugin section split into its plugin `type` and its
 * `config` (secrets resolved to `Redacted`). This is what the rest of core consumes; nothing downstream reads the
 * YAML again.
 */
import type { BudgetRule } from "../policy/RequestBudget.ts"
import type { MigrationSpec } from "./MigrationSpec.ts"

/** One plugin section: the plugin's name and its configuration without `type`, as the plugin's `make` receives it. */
export interface PluginConfig {
  readonly type: string
  /** `${env:…}` / `${file:…}` values are `Redacted<string>` here; only the HTTP layer or a driver unwraps them. */
  readonly config: Readonly<Record<string, unknown>>
}

export interface RuntimeConfig {
  readonly concurrency: number
  /** With `projects:`, how many run at a time (default 1). */
  readonly projects: number
  readonly requestTimeoutMs: number
  readonly retry: {
    readonly maxAttempts: number
    readonly baseDelayMs: number
    readonly maxDelayMs: number
  }
  /**
   * Per system (plugin name), as written and validated (`10/s`, `600/min`, `3600/h`, more than 0); systems absent
   * here are limited only by `concurrency`. core/policy's `parseRate` turns one into requests per second.
   */
  readonly rateLimits: Readonly<Record<string, string>>
  /** Per system (plugin name): requests per run, or what to leave of the month (core/policy/RequestBudget.ts). */
  readonly budget: Readonly<Record<string, BudgetRule>>
}

/** One project of a spec with `projects:`: its sections merged with what the project overrides, and its own state. */
export interface LoadedProject {
  /** The project's key as written under `projects:` (the source's project, e.g. a Zephyr project key). */
  readonly key: string
  readonly source: PluginConfig
  readonly sinks: ReadonlyArray<PluginConfig>
  /** Absolute path of the project's SQLite state file: `projects/<KEY>/` beside the configured state file. */
  readonly statePath: string
}

export interface LoadedSpec {
  /** Absolute path of the spec file (`<sandbox>` for the built-in sandbox spec). */
  readonly file: string
  /** The spec as written (references unresolved), for display and reports. */
  readonly spec: MigrationSpec
  readonly source: PluginConfig
  readonly transforms: ReadonlyArray<PluginConfig>
  readonly sinks: ReadonlyArray<PluginConfig>
  /** Absolute path of this run's SQLite state file. */
  readonly statePath: string
  /**
   * The directory of the configured state file: each project's state lies under its `projects/<KEY>/`, and a
   * command over several projects writes its report into its `runs/`.
   */
  readonly stateDir: string
  readonly runtime: RuntimeConfig
  /**
   * With `projects:`, every project in the order written; `source`, `sinks` and `statePath` above are then the
   * first project's. Absent: a single-project spec.
   */
  readonly projects?: ReadonlyArray<LoadedProject> | undefined
}
