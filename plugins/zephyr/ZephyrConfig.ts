/**
 * The Zephyr source's configuration. config.schema.json is its one description: config.gen.ts (generated from it)
 * holds the section's type and defaults, and `decodeConfig` checks a section against it, applies the defaults and
 * makes the token `Redacted`, so it cannot reach a log or an error message by accident. What is left here is what
 * the schema cannot say: the edition's default base URL (without a trailing slash), the edition itself as a value
 * (Edition.ts), a key that means nothing on the chosen edition, and the regions' URLs for hints.
 */
import { Effect } from "effect"
import { decodeConfig, PluginError } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import type { ZephyrConfigDecoded, ZephyrConfigInput } from "./config.gen.ts"
import { editions, type Edition } from "./Edition.ts"

export { zephyrConfigDefaults, type ZephyrConfigInput } from "./config.gen.ts"

/** The decoded section: `baseUrl` always set (the edition's by default) and without a trailing slash. */
export interface ZephyrConfig extends Omit<ZephyrConfigDecoded, "baseUrl" | "edition"> {
  readonly baseUrl: string
  readonly edition: Edition
}

/** Zephyr Cloud's data-residency regions (the wrong one answers 404, so the hint names them all). */
export const zephyrRegions = {
  US: "https://api.zephyrscale.smartbear.com/v2",
  EU: "https://eu.api.zephyrscale.smartbear.com/v2",
  AU: "https://au.api.zephyrscale.smartbear.com/v2",
  DE: "https://de.api.zephyrscale.smartbear.com/v2"
} as const

/** The base URL a section points at: its own, else its edition's ('' for an edition without one: the config check refuses it). */
export const zephyrBaseUrl = (input: Pick<ZephyrConfigInput, "baseUrl" | "edition">): string =>
  (input.baseUrl ?? editions[input.edition ?? "cloud"].defaultBaseUrl ?? "").replace(/\/+$/, "")

/** Decodes a section (the spec loader validated it already, but a test or an external tool may drive the plugin directly). */
export const resolveZephyrConfig = (input: ZephyrConfigInput): Effect.Effect<ZephyrConfig, PluginError> =>
  Effect.flatMap(decodeConfig<ZephyrConfigDecoded>("zephyr", configSchema, input), (config) => {
    const edition = editions[config.edition]
    // an edition without a default base URL (DC) needs one: config.schema.json requires it there, with the hint
    if (config.username !== undefined && edition.lists !== "tql")
      return new PluginError({
        plugin: "zephyr",
        reason: "Config",
        message: `username applies to edition: dc only (Jira's basic auth) — ${edition.product} takes an API token alone. Remove the key`
      })
    if (config.incremental !== undefined && edition.lists !== "offset")
      return new PluginError({
        plugin: "zephyr",
        reason: "Config",
        message: `incremental: ${config.incremental} applies to edition: essential only — ${edition.product} finds what changed by its update time. Remove the key, or set edition: essential if the project is in Zephyr Essential`
      })
    return Effect.succeed({ ...config, edition, baseUrl: zephyrBaseUrl(config) })
  })
