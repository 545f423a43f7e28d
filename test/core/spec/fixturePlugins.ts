/**
 * A stand-in for the plugin registry: fixture config schemas for zephyr (source) and qtest (sink), plus names
 * of other known plugins, so the loader's "unknown type" message has something to list.
 */
import { Effect } from "effect"
import type { PluginLookup, ResolvePlugin } from "../../../core/spec/ResolvePlugin.ts"
import zephyrSchema from "../../fixtures/specs/zephyr.config.schema.json" with { type: "json" }
import qtestSchema from "../../fixtures/specs/qtest.config.schema.json" with { type: "json" }

const plugins = {
  source: { zephyr: zephyrSchema },
  transform: {},
  sink: { qtest: qtestSchema, snowflake: { type: "object" } }
} as const satisfies Record<string, Record<string, Readonly<Record<string, unknown>>>>

export const fixturePlugins: ResolvePlugin = (kind, type) => {
  const known: Readonly<Record<string, Readonly<Record<string, unknown>>>> = plugins[kind]
  const configSchema = known[type]
  return Effect.succeed<PluginLookup>(
    configSchema === undefined
      ? { _tag: "Unknown", known: Object.keys(known) }
      : { _tag: "Found", configSchema, ...(kind === "source" && type === "zephyr" ? { projectField: "projectKey" } : {}) }
  )
}
