/**
 * The spec as the user writes it (migration.config.yaml), typed after schemas/migration.schema.json.
 * Hand-written for now; a generator may replace it from the schema (`Spec.gen.ts`). Values are raw:
 * `${env:NAME}` references are still strings here — resolved configs live in `LoadedSpec`.
 */

/** A plugin section: `type` names the plugin, every other key is that plugin's configuration. */
export interface PluginSection {
  readonly type: string
  readonly [key: string]: unknown
}

export interface RetrySpec {
  readonly maxAttempts?: number
  readonly baseDelayMs?: number
  readonly maxDelayMs?: number
}

export interface RuntimeSpec {
  readonly concurrency?: number
  readonly requestTimeoutMs?: number
  readonly retry?: RetrySpec
  /** Per system (plugin name): `<number>/<s|min|h>`, e.g. `10/s`. */
  readonly rateLimits?: Readonly<Record<string, string>>
}

export interface StateSpec {
  readonly path?: string
}

export interface MigrationSpec {
  readonly version: 1
  readonly source: PluginSection
  readonly transforms?: ReadonlyArray<PluginSection>
  readonly sinks?: ReadonlyArray<PluginSection>
  readonly state?: StateSpec
  readonly runtime?: RuntimeSpec
  /** External plugins by module path (relative to the spec file) or package name. */
  readonly plugins?: ReadonlyArray<string>
}
