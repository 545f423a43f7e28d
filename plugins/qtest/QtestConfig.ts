/**
 * The qTest sink's configuration: the typed value the client, auth and mapping use, its defaults, and the one
 * function that turns a spec section (already validated against config.schema.json) into it. Secrets are
 * `Redacted` from here on; only the auth layer unwraps them.
 */
import { Effect, Redacted } from "effect"
import { PluginError } from "../../core/index.ts"

/** Labels of the qTest fields that carry Zephyr data qTest has no system field for (README: "fields"). */
export interface QtestFieldLabels {
  readonly zephyrKey: string
  readonly labels: string
  readonly component: string
  readonly estimatedTime: string
  readonly owner: string
  readonly executedBy: string
  readonly assignedTo: string
  readonly environment: string
  readonly coverage: string
  readonly executionKey: string
}

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
      /** A login, not a secret: unwrapped here when it came as ${env:…}. */
      readonly username: string
      readonly password: Redacted.Redacted<string>
      /** Sent as Basic base64("<siteName>:") to /oauth/token. */
      readonly siteName: string
    }

export interface QtestConfig {
  /** Without a trailing slash and without /api. */
  readonly baseUrl: string
  readonly projectId: number
  readonly auth: QtestAuthConfig
  readonly createMissingFields: boolean
  readonly approveTestCases: boolean
  readonly releases: boolean
  readonly attachments: boolean
  readonly executionsWithoutCycle: string
  readonly automatedExecutions: "manual" | "batch"
  readonly batchSize: number
  readonly scripts: "description" | "step"
  readonly fields: QtestFieldLabels
  readonly maps: QtestMaps
}

type Secret = string | Redacted.Redacted<string>
type RawMap = Readonly<Record<string, string>>

/** What `make` receives: the spec section with `${env:…}` references already resolved to `Redacted`. */
export interface QtestConfigInput {
  readonly baseUrl: string
  readonly projectId: number
  readonly token?: Secret | undefined
  readonly username?: Secret | undefined
  readonly password?: Secret | undefined
  readonly siteName?: string | undefined
  readonly createMissingFields?: boolean | undefined
  readonly approveTestCases?: boolean | undefined
  readonly releases?: boolean | undefined
  readonly attachments?: boolean | undefined
  readonly executionsWithoutCycle?: string | undefined
  readonly automatedExecutions?: "manual" | "batch" | undefined
  readonly batchSize?: number | undefined
  readonly scripts?: "description" | "step" | undefined
  readonly fields?: { readonly [K in keyof QtestFieldLabels]?: string | undefined } | undefined
  readonly maps?:
    | {
        readonly executionStatus?: RawMap | undefined
        readonly priority?: RawMap | undefined
        readonly testCaseStatus?: RawMap | undefined
        readonly users?: RawMap | undefined
        readonly customFields?: RawMap | undefined
      }
    | undefined
}

/** The defaults the README quotes; config.schema.json states the same values (a test holds them equal). */
export const qtestConfigDefaults = {
  createMissingFields: false,
  approveTestCases: true,
  releases: true,
  attachments: true,
  executionsWithoutCycle: "Zephyr — executions without cycle",
  automatedExecutions: "manual",
  batchSize: 100,
  scripts: "description",
  fields: {
    zephyrKey: "Zephyr Key",
    labels: "Zephyr Labels",
    component: "Zephyr Component",
    estimatedTime: "Zephyr Estimated Time",
    owner: "Zephyr Owner",
    executedBy: "Zephyr Executed By",
    assignedTo: "Assigned To",
    environment: "Zephyr Environment",
    coverage: "Zephyr Coverage",
    executionKey: "Zephyr Execution Key"
  },
  maps: {
    executionStatus: { Pass: "Passed", Fail: "Failed", "Not Executed": "Unexecuted", "In Progress": "Incomplete", Blocked: "Blocked", default: "Unexecuted" },
    priority: { High: "High", Normal: "Medium", Low: "Low", default: "Medium" },
    testCaseStatus: { Draft: "New", Approved: "Approved", Deprecated: "Obsolete", default: "New" },
    users: {},
    customFields: {}
  }
} as const satisfies {
  readonly fields: QtestFieldLabels
  readonly maps: Readonly<Record<keyof QtestMaps, RawMap>>
  readonly [key: string]: unknown
}

/** The key of a value map that holds its fallback. */
export const DEFAULT_KEY = "default"

/** Splits the spec's `default` key off a map. */
export const toValueMap = (raw: RawMap): QtestValueMap => {
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

const toSecret = (value: Secret | undefined): Redacted.Redacted<string> | undefined =>
  value === undefined ? undefined : Redacted.isRedacted(value) ? value : Redacted.make(value)

const isEmpty = (secret: Redacted.Redacted<string> | undefined): boolean => secret === undefined || Redacted.value(secret).length === 0

const BATCH_MAX = 1000

/**
 * Applies the defaults and re-checks what the code relies on (the spec loader validates the schema, but the
 * plugin may also be driven directly, from a test or a sandbox override). Exactly one of `token` and
 * `username` + `password` must be given; a key set to `undefined` counts as absent.
 */
export const resolveQtestConfig = (input: QtestConfigInput): Effect.Effect<QtestConfig, PluginError> => {
  const problems: Array<string> = []
  const raw = input as unknown as Record<string, unknown>
  const baseUrl = typeof input.baseUrl === "string" ? input.baseUrl.replace(/\/+$/, "").replace(/\/api(\/v3)?$/, "") : ""
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) problems.push(`baseUrl must be an http(s) URL, got ${JSON.stringify(raw["baseUrl"])}`)
  if (typeof raw["projectId"] !== "number" || !Number.isInteger(input.projectId) || input.projectId < 1)
    problems.push(`projectId must be a positive integer (the number after /p/ in the project's URL), got ${JSON.stringify(raw["projectId"])}`)

  const token = toSecret(input.token)
  const username = toSecret(input.username)
  const password = toSecret(input.password)
  let auth: QtestAuthConfig | undefined
  if (token !== undefined && (username !== undefined || password !== undefined)) {
    problems.push("give either token or username + password, not both")
  } else if (token !== undefined) {
    if (isEmpty(token)) problems.push("token is empty: give it as ${env:QTEST_TOKEN}")
    else auth = { _tag: "Token", token }
  } else if (username !== undefined || password !== undefined) {
    if (isEmpty(username)) problems.push("username is required with password")
    if (isEmpty(password)) problems.push("password is required with username: give it as ${env:QTEST_PASSWORD}")
    const siteName = input.siteName ?? siteNameOf(baseUrl)
    if (siteName === undefined || siteName === "") problems.push("siteName is required: baseUrl has no host name to take it from")
    if (username !== undefined && password !== undefined && !isEmpty(username) && !isEmpty(password) && siteName)
      auth = { _tag: "Password", username: Redacted.value(username), password, siteName }
  } else {
    problems.push("credentials are required: token (${env:QTEST_TOKEN}), or username + password")
  }

  const batchSize = input.batchSize ?? qtestConfigDefaults.batchSize
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > BATCH_MAX)
    problems.push(`batchSize must be an integer from 1 to ${BATCH_MAX}, got ${batchSize}`)
  const automatedExecutions = input.automatedExecutions ?? qtestConfigDefaults.automatedExecutions
  if (automatedExecutions !== "manual" && automatedExecutions !== "batch")
    problems.push(`automatedExecutions must be manual or batch, got ${JSON.stringify(automatedExecutions)}`)
  const scripts = input.scripts ?? qtestConfigDefaults.scripts
  if (scripts !== "description" && scripts !== "step") problems.push(`scripts must be description or step, got ${JSON.stringify(scripts)}`)
  const executionsWithoutCycle = input.executionsWithoutCycle ?? qtestConfigDefaults.executionsWithoutCycle
  if (executionsWithoutCycle.trim() === "") problems.push("executionsWithoutCycle must not be empty")

  const fields: QtestFieldLabels = { ...qtestConfigDefaults.fields, ...definedOnly(input.fields ?? {}) }
  for (const [key, label] of Object.entries(fields)) if (label.trim() === "") problems.push(`fields.${key} must not be empty`)
  const maps = input.maps ?? {}

  if (problems.length > 0 || auth === undefined)
    return Effect.fail(new PluginError({ plugin: "qtest", reason: "Config", message: problems.join("; ") }))
  return Effect.succeed({
    baseUrl,
    projectId: input.projectId,
    auth,
    createMissingFields: input.createMissingFields ?? qtestConfigDefaults.createMissingFields,
    approveTestCases: input.approveTestCases ?? qtestConfigDefaults.approveTestCases,
    releases: input.releases ?? qtestConfigDefaults.releases,
    attachments: input.attachments ?? qtestConfigDefaults.attachments,
    executionsWithoutCycle,
    automatedExecutions,
    batchSize,
    scripts,
    fields,
    maps: {
      executionStatus: toValueMap(maps.executionStatus ?? qtestConfigDefaults.maps.executionStatus),
      priority: toValueMap(maps.priority ?? qtestConfigDefaults.maps.priority),
      testCaseStatus: toValueMap(maps.testCaseStatus ?? qtestConfigDefaults.maps.testCaseStatus),
      users: toValueMap(maps.users ?? qtestConfigDefaults.maps.users),
      customFields: { ...(maps.customFields ?? qtestConfigDefaults.maps.customFields) }
    }
  })
}

/** Drops `undefined` members, so they do not override defaults in a spread. */
const definedOnly = <T extends object>(value: T): { readonly [K in keyof T]?: Exclude<T[K], undefined> } =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { readonly [K in keyof T]?: Exclude<T[K], undefined> }
