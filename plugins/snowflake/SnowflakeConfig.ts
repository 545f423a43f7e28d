/**
 * The Snowflake sink's configuration: the typed value the client and the load use, its defaults, and the one
 * function that turns a spec section (already validated against config.schema.json) into it. Secrets are
 * `Redacted` from here on; only the client unwraps them, when it hands them to the driver.
 */
import { Effect, Redacted } from "effect"
import { PluginError } from "../../core/index.ts"
import { type BatchLimits, defaultBatchLimits } from "./dialect/index.ts"

export type SnowflakeAuth =
  | { readonly _tag: "Password"; readonly password: Redacted.Redacted<string> }
  | { readonly _tag: "KeyPair"; readonly privateKey: Redacted.Redacted<string>; readonly passphrase: Redacted.Redacted<string> | undefined }
  | { readonly _tag: "OAuth"; readonly token: Redacted.Redacted<string> }

export interface SnowflakeConfig {
  readonly account: string
  readonly user: string
  readonly auth: SnowflakeAuth
  readonly warehouse: string
  readonly database: string
  readonly schema: string
  readonly role: string | undefined
  readonly accessUrl: string | undefined
  readonly attachmentBytes: boolean
  readonly maxAttachmentBytes: number
  readonly batch: BatchLimits
  readonly queryTag: string
}

type Secret = string | Redacted.Redacted<string>

/** What `make` receives: the spec section with `${env:…}`/`${file:…}` references resolved to `Redacted`. */
export interface SnowflakeConfigInput {
  readonly account: string
  readonly user: Secret
  readonly password?: Secret | undefined
  readonly privateKey?: Secret | undefined
  readonly privateKeyPassphrase?: Secret | undefined
  readonly oauthToken?: Secret | undefined
  readonly warehouse: string
  readonly database: string
  readonly schema?: string | undefined
  readonly role?: string | undefined
  readonly accessUrl?: string | undefined
  readonly attachmentBytes?: boolean | undefined
  readonly maxAttachmentBytes?: number | undefined
  readonly batch?: { readonly maxValues?: number | undefined; readonly maxBytes?: number | undefined } | undefined
  readonly queryTag?: string | undefined
}

/** The defaults the README quotes; config.schema.json states the same values (a test holds them equal). */
export const snowflakeConfigDefaults = {
  schema: "PUBLIC",
  attachmentBytes: false,
  maxAttachmentBytes: 8 * 1024 * 1024,
  batch: defaultBatchLimits,
  queryTag: "migrate"
} as const

/** Below the driver's stage-binding threshold (docs/vendors, Snowflake §1.5): above it binds go through a stage. */
const STAGE_BINDING_THRESHOLD = 100_000

const toSecret = (value: Secret | undefined): Redacted.Redacted<string> | undefined =>
  value === undefined ? undefined : Redacted.isRedacted(value) ? value : Redacted.make(value)

const isEmpty = (secret: Redacted.Redacted<string> | undefined): boolean => secret === undefined || Redacted.value(secret).trim().length === 0

/**
 * Applies the defaults and re-checks what the code relies on (the plugin may be driven directly, from a test or a
 * sandbox override): exactly one of password, privateKey and oauthToken; a key set to `undefined` counts as absent.
 */
export const resolveSnowflakeConfig = (input: SnowflakeConfigInput): Effect.Effect<SnowflakeConfig, PluginError> => {
  const problems: Array<string> = []
  const text = (name: string, value: unknown): string => {
    if (typeof value === "string" && value.trim() !== "") return value
    problems.push(`${name} is required (a non-empty string), got ${JSON.stringify(value)}`)
    return ""
  }
  const account = text("account", input.account)
  // A login name, not a secret: unwrapped when it came as ${env:…}.
  const user = text("user", Redacted.isRedacted(input.user) ? Redacted.value(input.user) : input.user)
  const warehouse = text("warehouse", input.warehouse)
  const database = text("database", input.database)

  const password = toSecret(input.password)
  const privateKey = toSecret(input.privateKey)
  const passphrase = toSecret(input.privateKeyPassphrase)
  const oauthToken = toSecret(input.oauthToken)
  const given = [password && "password", privateKey && "privateKey", oauthToken && "oauthToken"].filter((x) => typeof x === "string")
  let auth: SnowflakeAuth | undefined
  if (given.length !== 1) {
    problems.push(
      given.length === 0
        ? "credentials are required: password (${env:SNOWFLAKE_PASSWORD}), privateKey (${file:/path/rsa_key.p8}) or oauthToken (${env:SNOWFLAKE_OAUTH_TOKEN})"
        : `give exactly one of password, privateKey and oauthToken, not ${given.join(" and ")}`
    )
  } else if (password !== undefined) {
    if (isEmpty(password)) problems.push("password is empty: give it as ${env:SNOWFLAKE_PASSWORD}")
    else auth = { _tag: "Password", password }
  } else if (privateKey !== undefined) {
    if (isEmpty(privateKey)) problems.push("privateKey is empty: give it as ${file:/path/rsa_key.p8} or ${env:SNOWFLAKE_PRIVATE_KEY}")
    else if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(Redacted.value(privateKey)))
      problems.push("privateKey is not a PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----)")
    else auth = { _tag: "KeyPair", privateKey, passphrase: isEmpty(passphrase) ? undefined : passphrase }
  } else if (oauthToken !== undefined) {
    if (isEmpty(oauthToken)) problems.push("oauthToken is empty: give it as ${env:SNOWFLAKE_OAUTH_TOKEN}")
    else auth = { _tag: "OAuth", token: oauthToken }
  }
  if (passphrase !== undefined && privateKey === undefined) problems.push("privateKeyPassphrase is only used with privateKey")

  const accessUrl = input.accessUrl === undefined ? undefined : input.accessUrl.replace(/\/+$/, "")
  if (accessUrl !== undefined && !/^https?:\/\/[^/]+$/.test(accessUrl)) problems.push(`accessUrl must be an http(s) URL without a path, got ${JSON.stringify(input.accessUrl)}`)

  const maxValues = input.batch?.maxValues ?? snowflakeConfigDefaults.batch.maxValues
  const maxBytes = input.batch?.maxBytes ?? snowflakeConfigDefaults.batch.maxBytes
  if (!Number.isInteger(maxValues) || maxValues < 1 || maxValues >= STAGE_BINDING_THRESHOLD)
    problems.push(`batch.maxValues must be an integer from 1 to ${STAGE_BINDING_THRESHOLD - 1}, got ${maxValues}`)
  if (!Number.isInteger(maxBytes) || maxBytes < 1024 || maxBytes > 16 * 1024 * 1024)
    problems.push(`batch.maxBytes must be an integer from 1024 to 16777216, got ${maxBytes}`)
  const maxAttachmentBytes = input.maxAttachmentBytes ?? snowflakeConfigDefaults.maxAttachmentBytes
  if (!Number.isInteger(maxAttachmentBytes) || maxAttachmentBytes < 1 || maxAttachmentBytes > 12 * 1024 * 1024)
    problems.push(`maxAttachmentBytes must be an integer from 1 to 12582912, got ${maxAttachmentBytes}`)

  if (problems.length > 0 || auth === undefined)
    return Effect.fail(new PluginError({ plugin: "snowflake", reason: "Config", message: problems.join("; ") }))
  return Effect.succeed({
    account,
    user,
    auth,
    warehouse,
    database,
    schema: input.schema ?? snowflakeConfigDefaults.schema,
    role: input.role,
    accessUrl,
    attachmentBytes: input.attachmentBytes ?? snowflakeConfigDefaults.attachmentBytes,
    maxAttachmentBytes,
    batch: { maxValues, maxBytes },
    queryTag: input.queryTag ?? snowflakeConfigDefaults.queryTag
  })
}
