/**
 * The spec as the user writes it (migration.config.yaml). The shape comes from schemas/migration.schema.json
 * through the generated Spec.gen.ts (`npm run schemas:types`), so the types cannot drift from the schema; this file
 * names the parts core uses. Values are raw: `${env:NAME}` references are still strings here — resolved configs
 * live in `LoadedSpec`.
 */
import type { MigrationSpec } from "./Spec.gen.ts"

export type { MigrationSpec } from "./Spec.gen.ts"

/** A plugin section: `type` names the plugin, every other key is that plugin's configuration. */
export type PluginSection = MigrationSpec["source"]

export type RuntimeSpec = NonNullable<MigrationSpec["runtime"]>

export type RetrySpec = NonNullable<RuntimeSpec["retry"]>

export type StateSpec = NonNullable<MigrationSpec["state"]>
