/**
 * The Snowflake sink's configuration. config.schema.json is its one description: config.gen.ts (generated from it)
 * holds the section's type and defaults, and `decodeConfig` checks a section against it (values, ranges, exactly
 * one credential), applies the defaults and makes the secrets `Redacted`; only the client unwraps them, when it
 * hands them to the driver. What is left here is what the schema cannot say: the credential as one tagged value,
 * a private key that must be PEM, and an accessUrl without a path.
 */
import { Effect, Redacted } from "effect"
import { decodeConfig, PluginError } from "../../core/index.ts"
import configSchema from "./config.schema.json" with { type: "json" }
import type { SnowflakeConfigDecoded, SnowflakeConfigInput as SnowflakeConfigSection } from "./config.gen.ts"

export { snowflakeConfigDefaults } from "./config.gen.ts"

/** What `make` receives. `user` is a login, not a secret, but it may come as ${env:…} (resolved to `Redacted`). */
export type SnowflakeConfigInput = Omit<SnowflakeConfigSection, "user"> & { readonly user: string | Redacted.Redacted<string> }

export type SnowflakeAuth =
  | { readonly _tag: "Password"; readonly password: Redacted.Redacted<string> }
  | { readonly _tag: "KeyPair"; readonly privateKey: Redacted.Redacted<string>; readonly passphrase: Redacted.Redacted<string> | undefined }
  | { readonly _tag: "OAuth"; readonly token: Redacted.Redacted<string> }

type Credentials = "password" | "privateKey" | "privateKeyPassphrase" | "oauthToken"

/** The decoded section, its one credential as `auth`; `accessUrl` without a trailing slash. */
export type SnowflakeConfig = Omit<SnowflakeConfigDecoded, Credentials> & { readonly auth: SnowflakeAuth }

/**
 * Decodes a section (the spec loader validated it already, but a test or a sandbox override may drive the plugin
 * directly); a key set to `undefined` counts as absent.
 */
export const resolveSnowflakeConfig = (input: SnowflakeConfigInput): Effect.Effect<SnowflakeConfig, PluginError> =>
  Effect.flatMap(decodeConfig<SnowflakeConfigDecoded>("snowflake", configSchema, input), (decoded) => {
    const { password, privateKey, privateKeyPassphrase, oauthToken, ...rest } = decoded
    const problems: Array<string> = []
    // the schema's oneOf holds exactly one of the three
    const auth: SnowflakeAuth | undefined =
      password !== undefined
        ? { _tag: "Password", password }
        : privateKey !== undefined
          ? { _tag: "KeyPair", privateKey, passphrase: privateKeyPassphrase }
          : oauthToken !== undefined
            ? { _tag: "OAuth", token: oauthToken }
            : undefined
    if (privateKey !== undefined && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(Redacted.value(privateKey)))
      problems.push("privateKey is not a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----)")
    const accessUrl = rest.accessUrl?.replace(/\/+$/, "")
    if (accessUrl !== undefined && !/^https?:\/\/[^/]+$/.test(accessUrl)) problems.push(`accessUrl must be an http(s) URL without a path, got ${JSON.stringify(rest.accessUrl)}`)
    if (problems.length > 0 || auth === undefined)
      return Effect.fail(new PluginError({ plugin: "snowflake", reason: "Config", message: problems.join("; ") || "no credential" }))
    return Effect.succeed({ ...rest, accessUrl, auth })
  })
