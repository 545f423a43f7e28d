/**
 * How the spec loader learns about plugins without depending on the registry: the caller (CLI, tests) passes a
 * function that answers "which plugin is `<kind>` `<type>`?" — with its config schema, or with the names it does
 * know so the error can list them.
 */
import type { Effect } from "effect"
import type { PluginError } from "../errors.ts"
import type { PluginKind } from "../plugin/Plugin.ts"

export type PluginLookup =
  | {
      readonly _tag: "Found"
      /** The plugin's JSON Schema for its section without `type` (a `Plugin`'s `configSchema`). */
      readonly configSchema: Readonly<Record<string, unknown>>
      /** A source's `projectField`: the config key `projects:` fills with each project's key. */
      readonly projectField?: string | undefined
    }
  | {
      readonly _tag: "Unknown"
      /** Names of the plugins of this kind that are known, for "unknown type … known: …". */
      readonly known: ReadonlyArray<string>
    }

/** What the spec says about where plugins come from, so a registry can load external ones first. */
export interface PluginOrigins {
  /** The spec's `plugins:` entries as written (module paths or package names). */
  readonly plugins: ReadonlyArray<string>
  /** Absolute directory of the spec file: relative module paths are relative to it. */
  readonly specDir: string
}

/**
 * Fails with `PluginError` when an external plugin cannot be loaded or breaks the contract; the loader reports it
 * at the `plugins:` entry named by `PluginError.plugin` when there is one.
 */
export type ResolvePlugin = (
  kind: PluginKind,
  type: string,
  origins: PluginOrigins
) => Effect.Effect<PluginLookup, PluginError>
