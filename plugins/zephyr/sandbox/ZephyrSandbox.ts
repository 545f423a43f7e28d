/**
 * A local HTTP server that answers like Zephyr Scale Cloud's REST API v2 (read endpoints), for tests, the
 * benchmark and users' rehearsals, built on core's sandbox kit (core/sandbox.ts), which owns the transport:
 * latency, throttling, faults, statistics, the control prefix and the scoped lifetime. What is Zephyr's stays
 * here: bearer auth, the `{errorCode, message}` error bodies, the 429s with `Retry-After` — sometimes `0`, as the
 * real service has sent — and no other rate-limit header, the default fault mix (500/502/503, drops and, when
 * `slowResponseMs` is set, answers held past a client's timeout), all decided before auth. What each path answers
 * lives in ZephyrRoutes.ts; what the tenant holds, in Tenant.ts. With `edition: "essential"` the same tenant is
 * served as Zephyr Essential Cloud's API v2.9 would serve it (ZephyrEdition.ts): same base path, token and
 * transport, Essential's differences in ZephyrRoutes.ts and Renderer.ts. With `edition: "dc"` the same tenant is
 * served as Zephyr Scale Data Center's REST API v1 (dc/): under `/rest/atm/1.0`, a bearer token or HTTP Basic
 * (`migrate` / `sandbox-password`), DC's `{errorMessages}` and 401 bodies, the same transport options.
 *
 * Control endpoint (not part of Zephyr's API, so outside `/v2`; the API's credentials required; never throttled, faulted
 * or counted in the statistics): `POST /__sandbox/mutate` with a JSON body `{changeFraction?, deleteFraction?,
 * addCount?, seed?}` edits, deletes and adds entities (TenantMutation.ts) and answers the `MutationResult`.
 */
import { Effect, type Scope } from "effect"
import type * as http from "node:http"
import { dataTenant } from "./dataTenant.ts"
import { demoData } from "./demoData.ts"
import { generatedData, type Scale } from "./generatedData.ts"
import { mutableTenant } from "./mutableTenant.ts"
import {
  checkTransportOptions,
  CONTROL_PREFIX,
  type SandboxAnswer,
  type SandboxReply,
  type SandboxTransportOptions,
  SandboxStartError,
  startHttpSandbox,
  type TransportStats
} from "../../../core/sandbox.ts"
import { makeRenderer } from "./Renderer.ts"
import type { TenantCounts } from "./Tenant.ts"
import { checkMutationOptions, type MutationOptions, type MutationResult } from "./TenantMutation.ts"
import { validateZephyrData } from "./validateZephyrData.ts"
import type { ZephyrData } from "./ZephyrData.ts"
import { isZephyrEdition, ZEPHYR_EDITIONS, type ZephyrEdition } from "./ZephyrEdition.ts"
import { errorReply, json, makeRouter } from "./ZephyrRoutes.ts"
import { DC_BASE_PATH, DC_PASSWORD, DC_USERNAME, dcAuthorisation, dcErrorReply, makeDcRouter } from "./dc/index.ts"

/** Beyond core's default 30 s request timeout, so a slow-response fault is a timeout for a default client. */
export const DEFAULT_SLOW_RESPONSE_MS = 35_000

/** The path of the mutation control endpoint (outside `/v2`: it is the sandbox's, not Zephyr's). */
export const MUTATE_PATH = "/__sandbox/mutate"

/**
 * The common transport options (core's `SandboxTransportOptions`) plus the tenant's. Zephyr's flavour of them:
 * `rateLimit` answers 429 with `Retry-After` in whole seconds, a quarter of them `0`; `faultRate` without
 * `faultKinds` is 500/502/503 or a dropped connection, and a correct answer held `slowResponseMs` only when that is
 * set (pick it above the client's timeout: `DEFAULT_SLOW_RESPONSE_MS` = 35 s beats core's 30 s), so that
 * programmatic users of `faultRate` never wait unasked; a `storm` sends `Retry-After` only when it sets one.
 * `quotaPerMinute` / `quotaPerMonth` (not Zephyr's own: its limits are unpublished) answer 429 with a positive
 * `Retry-After` beyond the quota and, when set, announce it in `x-ratelimit-*` headers on every answer.
 */
export interface ZephyrSandboxOptions extends SandboxTransportOptions {
  /** The tenant's content; wins over `scale`. Default: `scale`, else `demoData()`. */
  readonly data?: ZephyrData | undefined
  /** A generated tenant (generatedData.ts) of this size, from `seed`; `"demo"` = the built-in demo. */
  readonly scale?: Scale | "demo" | undefined
  readonly token?: string | undefined
  /** Server cap on `maxResults` / `limit` (default and maximum 1000, the real maximum). */
  readonly maxResultsCap?: number | undefined
  /** false = an older tenant without attachment endpoints (see `attachmentsMissingStatus`). Default true. */
  readonly attachments?: boolean | undefined
  /** What the missing attachment endpoints answer: 404 (default) or 503, both seen on real tenants. */
  readonly attachmentsMissingStatus?: 404 | 503 | undefined
  /** The product imitated over the same tenant (ZephyrEdition.ts): Zephyr Scale Cloud (default), Zephyr Essential Cloud or Zephyr Scale Data Center. */
  readonly edition?: ZephyrEdition | undefined
}

/** By path template, e.g. `/v2/testexecutions/{testExecutionIdOrKey}/teststeps`. */
export type SandboxStats = TransportStats

export interface RunningZephyrSandbox {
  /** `http://127.0.0.1:<port>/v2`; `http://127.0.0.1:<port>/rest/atm/1.0` for `dc`. */
  readonly baseUrl: string
  readonly port: number
  readonly token: string
  /** The first project's key. */
  readonly projectKey: string
  /** Every project's key, in the tenant's order (the first is `projectKey`): an organisation serves several. */
  readonly projectKeys: ReadonlyArray<string>
  readonly stats: () => SandboxStats
  readonly resetStats: () => void
  /** Edits, deletes and adds entities now (see TenantMutation.ts); also `POST /__sandbox/mutate`. */
  readonly mutate: (options?: MutationOptions) => MutationResult
  /** Entity counts of the tenant as served now. */
  readonly counts: () => TenantCounts
  /** The product imitated. */
  readonly edition: ZephyrEdition
  /** `dc` only: the Jira user and password HTTP Basic accepts besides the bearer token. */
  readonly basicAuth?: { readonly username: string; readonly password: string } | undefined
}

export { SandboxStartError }

const SCALES_ACCEPTED = ["demo", "tiny", "small", "medium", "large"]
const MAX_CONTROL_BODY = 64 * 1024
const FAULT_MESSAGES: Readonly<Record<number, string>> = {
  500: "Internal server error",
  502: "Bad gateway: backend returned an invalid response",
  503: "Service unavailable, please retry later"
}
/** Share of 429s that carry `Retry-After: 0`, as Zephyr Cloud sent on every 429 until March 2025. */
const ZERO_RETRY_AFTER_SHARE = 0.25

const checkOptions = (o: ZephyrSandboxOptions): string | undefined => {
  const common = checkTransportOptions(o)
  if (common !== undefined) return common
  if (o.maxResultsCap !== undefined && !(Number.isInteger(o.maxResultsCap) && o.maxResultsCap >= 1)) return `maxResultsCap must be a positive integer, got ${o.maxResultsCap}`
  if (o.token !== undefined && o.token.length === 0) return "token must not be empty"
  if (o.attachmentsMissingStatus !== undefined && o.attachmentsMissingStatus !== 404 && o.attachmentsMissingStatus !== 503) return `attachmentsMissingStatus must be 404 or 503, got ${String(o.attachmentsMissingStatus)}`
  if (o.scale !== undefined && !SCALES_ACCEPTED.includes(o.scale)) return `scale must be one of ${SCALES_ACCEPTED.join(", ")}, got ${String(o.scale)}`
  if (o.edition !== undefined && !isZephyrEdition(o.edition)) return `edition must be one of ${ZEPHYR_EDITIONS.join(", ")}, got ${String(o.edition)}`
  return undefined
}

/** Starts the server; it stops (closing every open socket) when the scope closes. */
export const startZephyrSandbox = (options: ZephyrSandboxOptions = {}): Effect.Effect<RunningZephyrSandbox, SandboxStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const invalid = checkOptions(options)
    if (invalid !== undefined) return yield* new SandboxStartError({ reason: "Options", message: invalid })
    if (options.data !== undefined) {
      const problems = validateZephyrData(options.data)
      if (problems.length > 0) return yield* new SandboxStartError({ reason: "Data", message: `invalid sandbox data: ${problems.join("; ")}` })
    }
    const seed = options.seed ?? 1
    const scale = options.scale ?? "demo"
    const source =
      options.data !== undefined ? dataTenant(options.data, Date.now()) : scale === "demo" ? dataTenant(demoData(), Date.now()) : generatedData(scale, seed)
    const firstProject = source.projects.all.at(0)
    if (firstProject === undefined) return yield* new SandboxStartError({ reason: "Data", message: "the sandbox data has no projects" })
    const tenant = mutableTenant(source)

    const token = options.token ?? "sandbox-token"
    const edition = options.edition ?? "cloud"

    const dc = edition === "dc"
    // Data Center's bodies (dc/); Scale Cloud's and Essential's are the same, as before the `dc` edition existed
    const fail = dc ? dcErrorReply : errorReply
    const cloudAuthorised = (req: http.IncomingMessage): SandboxReply | undefined => {
      const auth = req.headers.authorization
      if (auth === undefined || auth === "") return json(401, { error: "Authorization header is missing" })
      const match = /^Bearer\s+(.+)$/i.exec(auth)
      if (match?.[1]?.trim() !== token) return json(401, { error: "Invalid token: the bearer token is not a valid Zephyr API access token" })
      return undefined
    }
    const authorised = dc ? dcAuthorisation(token) : cloudAuthorised

    let baseUrl = ""
    const running = yield* startHttpSandbox({
      options,
      errorReply: fail,
      // Jira DC's own rate limiting answers a positive `retry-after` (docs/vendors/zephyr.md §2); Zephyr Cloud's sometimes 0
      throttle: dc
        ? { reply: dcErrorReply(429, "Rate limit exceeded. Too many requests.") }
        : { reply: json(429, { errorCode: 429, message: "Rate limit exceeded. Too many requests." }), zeroRetryAfterShare: ZERO_RETRY_AFTER_SHARE },
      faults: { mix: ["5xx", "drop", "slow"], reply: (status) => fail(status, FAULT_MESSAGES[status] ?? "Server error") },
      control: {
        authorize: authorised,
        /** `POST /__sandbox/mutate`: the control endpoint for CLI users (documented at the top of this file). */
        handle: async (action, request): Promise<SandboxAnswer> => {
          if (action !== MUTATE_PATH.slice(CONTROL_PREFIX.length)) return fail(404, `No resource at ${request.url.pathname}`)
          if (request.method !== "POST") return { ...fail(405, `Use POST on ${MUTATE_PATH}`), headers: { "content-type": "application/json", allow: "POST" } }
          const read = await request.body(MAX_CONTROL_BODY)
          if ("tooLarge" in read) return fail(413, `the body must not exceed ${MAX_CONTROL_BODY} bytes`)
          const text = read.bytes.toString("utf8").trim()
          let body: unknown
          try {
            body = text === "" ? undefined : JSON.parse(text)
          } catch (e) {
            return fail(400, `the body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`)
          }
          const checked = checkMutationOptions(body)
          if (Array.isArray(checked)) return fail(400, checked.join("; "))
          return json(200, tenant.mutate(checked as MutationOptions))
        }
      },
      serve: ({ origin }) => {
        baseUrl = dc ? `${origin}${DC_BASE_PATH}` : `${origin}/v2`
        const router = dc
          ? makeDcRouter(tenant, {
              origin,
              maxResultsCap: Math.min(options.maxResultsCap ?? 1000, 1000),
              attachments: options.attachments ?? true,
              attachmentsMissingStatus: options.attachmentsMissingStatus ?? 404,
              // `createdOn` is an update time no mutation moves: the source's, under the overlay
              createdAt: (kind, id) => source.updatedOn(kind, id)
            })
          : makeRouter(tenant, makeRenderer(baseUrl, tenant, edition), {
              maxResultsCap: Math.min(options.maxResultsCap ?? 1000, 1000),
              attachments: options.attachments ?? true,
              attachmentsMissingStatus: options.attachmentsMissingStatus ?? 404,
              edition
            })
        return {
          route: (_method, url) => ({ template: router.templateOf(url.pathname) }),
          // Throttling and faults come before auth, as at Zephyr's gateway; a refused token is answered at once.
          handle: (request) => {
            const refused = request.gate()
            if (refused !== undefined) return refused
            const denied = authorised(request.req)
            if (denied !== undefined) return { ...denied, hold: false }
            return router.handle(request.req.method ?? "GET", request.url)
          }
        }
      }
    })

    return {
      baseUrl,
      port: running.port,
      token,
      projectKey: firstProject.key,
      projectKeys: Array.from({ length: source.projects.all.length }, (_, i) => source.projects.all.at(i)?.key ?? "").filter((key) => key !== ""),
      stats: running.stats,
      resetStats: running.resetStats,
      mutate: (o) => tenant.mutate(o),
      counts: () => tenant.counts(),
      edition,
      ...(dc ? { basicAuth: { username: DC_USERNAME, password: DC_PASSWORD } } : {})
    }
  })
