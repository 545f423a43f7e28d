/**
 * The Zephyr source's configuration: the typed value the client and source use, its defaults, and the one
 * function that turns a spec section (already validated against config.schema.json) into it. The token is a
 * `Redacted` from here on, so it cannot reach a log or an error message by accident.
 */
import { Effect, Redacted } from "effect"
import { PluginError } from "../../core/index.ts"

export interface ZephyrConfig {
  readonly baseUrl: string
  readonly projectKey: string
  readonly token: Redacted.Redacted<string>
  readonly pageSize: number
  readonly attachments: boolean
  readonly fetchVersions: boolean
}

/** The spec section as written: the token may still be a plain string (or already Redacted, from a sandbox). */
export interface ZephyrConfigInput {
  readonly baseUrl?: string | undefined
  readonly projectKey: string
  readonly token: string | Redacted.Redacted<string>
  readonly pageSize?: number | undefined
  readonly attachments?: boolean | undefined
  readonly fetchVersions?: boolean | undefined
}

/** Data-residency regions (the wrong one answers 404, so the hint names them all). */
export const zephyrRegions = {
  US: "https://api.zephyrscale.smartbear.com/v2",
  EU: "https://eu.api.zephyrscale.smartbear.com/v2",
  AU: "https://au.api.zephyrscale.smartbear.com/v2",
  DE: "https://de.api.zephyrscale.smartbear.com/v2"
} as const

export const zephyrConfigDefaults = {
  baseUrl: zephyrRegions.US,
  /** The API's documented maximum; the server may cap lower and the client copes. */
  pageSize: 1000,
  attachments: true,
  fetchVersions: false
} as const

const PROJECT_KEY = /^[A-Z][A-Z0-9_]+$/

/**
 * Applies the defaults and re-checks what the code relies on (the spec loader validates the schema, but a
 * plugin may also be driven directly, e.g. from a test or an external tool).
 */
export const resolveZephyrConfig = (input: ZephyrConfigInput): Effect.Effect<ZephyrConfig, PluginError> => {
  const problems: Array<string> = []
  const raw = input as unknown as Record<string, unknown>
  const baseUrl = (input.baseUrl ?? zephyrConfigDefaults.baseUrl).replace(/\/+$/, "")
  if (!/^https?:\/\/[^/]+/.test(baseUrl)) problems.push(`baseUrl must be an http(s) URL, got ${JSON.stringify(input.baseUrl)}`)
  if (typeof raw["projectKey"] !== "string" || !PROJECT_KEY.test(input.projectKey))
    problems.push(`projectKey must look like PROJ (upper-case letters, digits, _), got ${JSON.stringify(raw["projectKey"])}`)
  const token = Redacted.isRedacted(input.token) ? input.token : typeof input.token === "string" ? Redacted.make(input.token) : undefined
  if (token === undefined || Redacted.value(token).length === 0) problems.push("token is required: give it as ${env:ZEPHYR_TOKEN}")
  const pageSize = input.pageSize ?? zephyrConfigDefaults.pageSize
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) problems.push(`pageSize must be an integer from 1 to 1000, got ${pageSize}`)
  if (problems.length > 0 || token === undefined)
    return Effect.fail(new PluginError({ plugin: "zephyr", reason: "Config", message: problems.join("; ") }))
  return Effect.succeed({
    baseUrl,
    projectKey: input.projectKey,
    token,
    pageSize,
    attachments: input.attachments ?? zephyrConfigDefaults.attachments,
    fetchVersions: input.fetchVersions ?? zephyrConfigDefaults.fetchVersions
  })
}
