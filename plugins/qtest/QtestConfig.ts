/**
 * The qTest sink's configuration. config.schema.json is its one description: config.gen.ts (generated from it)
 * holds the section's type and defaults, and `decodeConfig` checks a section against it (values, ranges, exactly
 * one kind of credentials), applies the defaults and makes the secrets `Redacted`; only the auth layer unwraps
 * them. What is left here is what the schema cannot say: the credentials as one tagged value (the site name
 * defaulting to baseUrl's host), value maps with their `default` key split off, and baseUrl without /api.
 */
import { Effect, Redacted } from "effect"
import { decodeConfig, PluginError } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import type { QtestConfigDecoded, QtestConfigInput as QtestConfigSection } from "./config.gen.ts"

export { qtestConfigDefaults } from "./config.gen.ts"

/** What `make` receives. `username` is a login, not a secret, but it may come as ${env:…} (resolved to `Redacted`). */
export type QtestConfigInput = Omit<QtestConfigSection, "username"> & { readonly username?: string | Redacted.Redacted<string> | undefined }

/** Labels of the qTest fields that carry Zephyr data qTest has no system field for (README: "fields"). */
export type QtestFieldLabels = QtestConfigDecoded["fields"]

/** A Zephyr name → qTest name map; `fallback` is the spec's `default` key (absent: an unmapped value is a gap). */
export interface QtestValueMap {
  readonly values: Readonly<Record<string, string>>
  readonly fallback: string | undefined
}

export interface QtestMaps {
  readonly executionStatus: QtestValueMap
  readonly priority: QtestValueMap
  readonly testCaseStatus: QtestValueMap
  /** accountId → qTest login (email or username). */
  readonly users: QtestValueMap
  /** Zephyr custom field name → qTest field label (renames; no default). */
  readonly customFields: Readonly<Record<string, string>>
}

/** Structurally the same as QtestAuth.ts's, so `config.auth` goes to the auth layer as is. */
export type QtestAuthConfig =
  | { readonly _tag: "Token"; readonly token: Redacted.Redacted<string> }
  | {
      readonly _tag: "Password"
      /** A login, not a secret: unwrapped when it came as ${env:…}. */
      readonly username: string
      readonly password: Redacted.Redacted<string>
      /** Sent as Basic base64("<siteName>:") to /oauth/token. */
      readonly siteName: string
    }

/** The decoded section with its credentials as `auth` and its maps split; `baseUrl` without a trailing slash and /api. */
export type QtestConfig = Omit<QtestConfigDecoded, "token" | "username" | "password" | "siteName" | "maps"> & {
  readonly auth: QtestAuthConfig
  readonly maps: QtestMaps
}

/** The key of a value map that holds its fallback. */
export const DEFAULT_KEY = "default"

/** Splits the spec's `default` key off a map. */
export const toValueMap = (raw: Readonly<Record<string, string>>): QtestValueMap => {
  const values: Record<string, string> = {}
  for (const [key, value] of Object.entries(raw)) if (key !== DEFAULT_KEY) values[key] = value
  return { values, fallback: raw[DEFAULT_KEY] }
}

/** `https://acme.qtestnet.com/` → `acme` (qTest's login wants the site name, which SaaS puts first in the host). */
export const siteNameOf = (baseUrl: string): string | undefined => {
  try {
    const host = new URL(baseUrl).hostname
    const first = host.split(".")[0]
    return first === undefined || first === "" ? undefined : first
  } catch {
    return undefined
  }
}

/**
 * Decodes a section (the spec loader validated it already, but the plugin may also be driven directly, from a
 * test or a sandbox override); a key set to `undefined` counts as absent.
 */
export const resolveQtestConfig = (input: QtestConfigInput): Effect.Effect<QtestConfig, PluginError> =>
  Effect.flatMap(decodeConfig<QtestConfigDecoded>("qtest", configSchema, input), (decoded) => {
    const { token, username, password, siteName, maps, ...rest } = decoded
    const baseUrl = rest.baseUrl.replace(/\/+$/, "").replace(/\/api(\/v3)?$/, "")
    // the schema's oneOf holds exactly one of token and username + password
    let auth: QtestAuthConfig | undefined
    if (token !== undefined) auth = { _tag: "Token", token }
    else if (username !== undefined && password !== undefined) {
      const site = siteName ?? siteNameOf(baseUrl)
      if (site === undefined) return Effect.fail(new PluginError({ plugin: "qtest", reason: "Config", message: "siteName is required: baseUrl has no host name to take it from" }))
      auth = { _tag: "Password", username, password, siteName: site }
    }
    if (auth === undefined) return Effect.fail(new PluginError({ plugin: "qtest", reason: "Config", message: "credentials are required: token (${env:QTEST_TOKEN}), or username + password" }))
    return Effect.succeed({
      ...rest,
      baseUrl,
      auth,
      maps: {
        executionStatus: toValueMap(maps.executionStatus),
        priority: toValueMap(maps.priority),
        testCaseStatus: toValueMap(maps.testCaseStatus),
        users: toValueMap(maps.users),
        customFields: { ...maps.customFields }
      }
    })
  })
