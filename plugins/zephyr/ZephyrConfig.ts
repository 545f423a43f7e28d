/**
 * The Zephyr source's configuration. config.schema.json is its one description: config.gen.ts (generated from it)
 * holds the section's type and defaults, and `decodeConfig` checks a section against it, applies the defaults and
 * makes the token `Redacted`, so it cannot reach a log or an error message by accident. What is left here is what
 * the schema cannot say: the base URL without a trailing slash, and the regions' URLs for hints.
 */
import { Effect } from "effect"
import { decodeConfig, type PluginError } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import type { ZephyrConfigDecoded, ZephyrConfigInput } from "./config.gen.ts"

export { zephyrConfigDefaults, type ZephyrConfigInput } from "./config.gen.ts"

/** The decoded section; `baseUrl` without a trailing slash. */
export type ZephyrConfig = ZephyrConfigDecoded

/** Data-residency regions (the wrong one answers 404, so the hint names them all). */
export const zephyrRegions = {
  US: "https://api.zephyrscale.smartbear.com/v2",
  EU: "https://eu.api.zephyrscale.smartbear.com/v2",
  AU: "https://au.api.zephyrscale.smartbear.com/v2",
  DE: "https://de.api.zephyrscale.smartbear.com/v2"
} as const

/** Decodes a section (the spec loader validated it already, but a test or an external tool may drive the plugin directly). */
export const resolveZephyrConfig = (input: ZephyrConfigInput): Effect.Effect<ZephyrConfig, PluginError> =>
  Effect.map(decodeConfig<ZephyrConfigDecoded>("zephyr", configSchema, input), (config) => ({
    ...config,
    baseUrl: config.baseUrl.replace(/\/+$/, "")
  }))
