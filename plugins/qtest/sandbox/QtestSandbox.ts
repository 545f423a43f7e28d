/**
 * A local HTTP server that answers like qTest Manager's REST API v3 — reads and writes — for the qTest sink's
 * tests, users' rehearsals and the benchmark, built on core's sandbox kit (core/sandbox.ts), which owns the
 * transport: latency, throttling, faults, body limits, statistics, the control prefix and the scoped lifetime.
 * What is qTest's stays here: bearer auth (the configured API token and session tokens from `/oauth/token`), the
 * `{"message": …}` error bodies, the gateway's rate limit style (429 with `retry-after` and `x-ratelimit-*` on
 * every answer), which requests are writes, the body kinds and their limits, and the control endpoints. What each
 * path does lives in routes/*.ts; the projects they work on, in SiteState.ts and ProjectState.ts.
 *
 * Like a qTest site, the sandbox serves one or several projects (`projects`; by default one, "Migration
 * Target", id 1001, the next ones 1002, 1003, …). Each has its own fields, statuses, modules, cases, cycles,
 * runs, logs, attachments, requirements and users. What is the site's is shared: the tokens and
 * `/oauth/token`, the gateway's rate limit and minute/month quota, the faults, and the id sequences — an id
 * names one object on the whole site, so a project's path with another project's id (a run of a case there, a
 * parent module there, a log for a run there, a called case there) gets the same 404 or 400 as an id that never
 * existed. A project id the site does not have is a 404 `{"message": "Project … not found"}`.
 *
 * Faults come in two kinds. `faultRate` answers 500/502/503 or drops the connection, decided before the handler
 * runs, so it never leaves a write half done (or, with `faultKinds: ["slow"]`, handles the request and holds the
 * answer past the client's timeout). `faultAfterWriteRate` applies a successful write and then drops the
 * connection: the "confirmed but response lost" case a migrator must survive without creating twice.
 *
 * Control endpoints (not qTest's, so outside `/api`; bearer token required; never throttled, faulted or
 * counted): `POST /__sandbox/reject` `{objectType, projectId?, nameContains?, status, message, times?}` refuses
 * the next creates/updates of that object type whose name contains the text (Rejections.ts), in that project or
 * in all; `POST /__sandbox/reset` empties every project back to its initial state, or only the one named by
 * `projectId` in the query or a JSON body (ids keep increasing, so none is ever reused); `GET
 * /__sandbox/parameters[?projectId=]` lists the parameters `[~identifier]` created, in that project or in all.
 * A `projectId` the site does not have is a 404.
 */
import { Effect, type Scope } from "effect"
import type * as http from "node:http"
import {
  type BodyResult,
  checkRate,
  checkTransportOptions,
  type SandboxAnswer,
  type SandboxReply,
  SandboxStartError,
  type SandboxTransportOptions,
  startHttpSandbox,
  type TransportStats
} from "../../../core/sandbox.ts"
import * as fs from "node:fs"
import * as path from "node:path"
import { writeSnapshot } from "./Snapshot.ts"
import type { ProjectConfig, ProjectState } from "./ProjectState.ts"
import { makeQtestRouter } from "./QtestRoutes.ts"
import { makeRejections, parseRejectRule } from "./Rejections.ts"
import { makeRenderer } from "./Render.ts"
import { errorReply, json } from "./Reply.ts"
import type { BodyKind, Match, Method, RequestContext } from "./Router.ts"
import { makeSiteState } from "./SiteState.ts"
import { makeTokens } from "./Tokens.ts"

/**
 * The common transport options (core's `SandboxTransportOptions`) plus qTest's. qTest's flavour of them:
 * `rateLimit` is the API gateway's quota — 429 + `retry-after` (seconds) + `x-ratelimit-*`, the latter on every
 * response; `faultRate` is a 500/502/503 or a dropped connection decided before the handler runs (never a
 * half-applied write), `faultKinds: ["slow"]` handles the request — a write is applied — and holds its answer
 * `slowResponseMs`; a `storm` (docs/vendors/qtest.md §3.1) answers `{"message":"API rate limit exceeded"}` with
 * `x-ratelimit-remaining-minute: 0`, and `retry-after` + `ratelimit-reset` when `retryAfterSeconds` is set
 * (absent: neither). Every answer carries the `x-ratelimit-{limit,remaining}-{minute,month}` and
 * `ratelimit-{limit,remaining}` headers, the last call before a storm with `remaining` 0, so a client can slow
 * down before it is refused. `quotaPerMinute` / `quotaPerMonth` set the gateway's minute and month quotas (by
 * default the minute's follows from `rateLimit`, the month's is 1,000,000); `resetQuota` (or
 * `POST /__sandbox/quota/reset`) starts them anew, as when the month turns.
 */
export interface QtestSandboxOptions extends SandboxTransportOptions {
  /** The bearer token accepted (the site's API token). Default "qtest-sandbox-token". */
  readonly token?: string | undefined
  /** The site name `/oauth/token` expects in `Basic base64("<site>:")`. Default "sandbox". */
  readonly siteName?: string | undefined
  /** The API user (login). Default "migration-bot@example.com". */
  readonly username?: string | undefined
  /** The API user's password for `/oauth/token`. Default "sandbox-password". */
  readonly password?: string | undefined
  /** The name of the one project when `projects` is absent. Default "Migration Target". */
  readonly projectName?: string | undefined
  /**
   * The site's projects, in order (ids 1001, 1002, …); absent: one, named `projectName`. Each is set up alike
   * (fields, statuses, users, requirements as configured) and holds its own data; names must be distinct.
   */
  readonly projects?: ReadonlyArray<{ readonly name: string }> | undefined
  /** 0..1: a successful write (POST, PUT — creates, updates, approvals) is applied, then the connection is dropped. */
  readonly faultAfterWriteRate?: number | undefined
  /**
   * The configured API token is accepted for this many requests, then refused with 401 as an expired or revoked
   * token is (`issueToken` makes a new one, as an administrator does in qTest → Resources → API & SDK).
   */
  readonly tokenExpiresAfterRequests?: number | undefined
  /** Uploads and inline attachments above it → 413. Default 50 MB (qTest SaaS). */
  readonly maxAttachmentBytes?: number | undefined
  /** Labels of extra project-required test-case fields (a create without them → 412 {message}). */
  readonly requiredTestCaseFields?: ReadonlyArray<string> | undefined
  /** Polls of an auto-test-logs job before its terminal state. Default 3: IN_WAITING, IN_PROCESSING, SUCCESS|FAILED. */
  readonly jobPolls?: number | undefined
  /** Extra project users (the API user always exists). */
  readonly users?: ReadonlyArray<{ username: string; email: string; first_name?: string; last_name?: string }> | undefined
  /** Requirements present from the start, as a Jira integration syncs them (e.g. "DEMO-12 Login story"). */
  readonly requirements?: ReadonlyArray<string> | undefined
  /**
   * Every project has a Jira defect integration: its `defect_tracking_systems` lists a Jira connection, and
   * `POST …/test-logs/{id}/defects` links Jira issues (without it: 404, routes/defectRoutes.ts). Default false,
   * as a new qTest project.
   */
  readonly jiraDefects?: boolean | undefined
  /** Execution statuses beyond the defaults 601 Passed … 605 Unexecuted (a project's custom statuses). */
  readonly extraExecutionStatuses?: ReadonlyArray<{ readonly name: string; readonly color?: string }> | undefined
  /**
   * Keep the projects in this file: restored at start when it exists, saved shortly after every applied write and
   * at shutdown (Snapshot.ts). `run --sandbox` uses it so rehearsals build on each other like runs against qTest.
   */
  readonly persistFile?: string | undefined
}

/** By path template, e.g. `/api/v3/projects/{projectId}/test-cases`; `faults` counts both kinds. */
export type QtestSandboxStats = TransportStats

export interface RunningQtestSandbox {
  /** `http://127.0.0.1:<port>`; clients add `/api/v3/…`. */
  readonly baseUrl: string
  readonly port: number
  readonly token: string
  /** The first project's id (the only one's, by default). */
  readonly projectId: number
  /** Every project's id, in the configured order. */
  readonly projectIds: ReadonlyArray<number>
  readonly siteName: string
  readonly username: string
  readonly password: string
  readonly stats: () => QtestSandboxStats
  readonly resetStats: () => void
  /** A fresh quota: the gateway's windows, the month's included, start anew. */
  readonly resetQuota: () => void
  /**
   * Empties every project, or the one with `projectId`, back to its initial state (also `POST
   * /__sandbox/reset`); false when the site has no such project.
   */
  readonly reset: (projectId?: number) => boolean
  /** Parameters created by `[~identifier]` in test steps, in every project or one (also `GET /__sandbox/parameters`). */
  readonly parameters: (projectId?: number) => ReadonlyArray<{ readonly id: number; readonly identifier: string }>
  /** A new API token, accepted from now on and never expiring (the configured one stays as it is). */
  readonly issueToken: () => string
}

/** The kit's start error, under the name this sandbox has always exported. */
export { SandboxStartError as QtestSandboxError }

export const DEFAULT_TOKEN = "qtest-sandbox-token"
export const DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
export const PROJECT_ID = 1001
const MAX_SMALL_BODY = 64 * 1024
const FAULT_MESSAGES: Readonly<Record<number, string>> = {
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service temporarily unavailable"
}

const checkOptions = (o: QtestSandboxOptions): string | undefined => {
  const common = checkTransportOptions(o) ?? checkRate(o.faultAfterWriteRate, "faultAfterWriteRate")
  if (common !== undefined) return common
  if (o.maxAttachmentBytes !== undefined && !(Number.isInteger(o.maxAttachmentBytes) && o.maxAttachmentBytes >= 1)) return `maxAttachmentBytes must be a positive integer, got ${o.maxAttachmentBytes}`
  if (o.jobPolls !== undefined && !(Number.isInteger(o.jobPolls) && o.jobPolls >= 1)) return `jobPolls must be a positive integer, got ${o.jobPolls}`
  for (const [v, name] of [
    [o.token, "token"],
    [o.siteName, "siteName"],
    [o.username, "username"],
    [o.projectName, "projectName"]
  ] as const) {
    if (v !== undefined && v.trim() === "") return `${name} must not be empty`
  }
  if (o.projects !== undefined) {
    if (o.projectName !== undefined) return "give projectName (one project) or projects, not both"
    if (!Array.isArray(o.projects) || o.projects.length === 0) return "projects must list at least one project"
    if (o.projects.some((x) => typeof x?.name !== "string" || x.name.trim() === "")) return "every project needs a name"
    if (new Set(o.projects.map((x) => x.name.toLowerCase())).size !== o.projects.length) return "project names must be distinct"
  }
  const users = o.users ?? []
  for (const u of users) if (typeof u.username !== "string" || u.username === "" || typeof u.email !== "string") return "every user needs a username and an email"
  if (new Set(users.map((u) => u.username.toLowerCase())).size !== users.length) return "users must have distinct usernames"
  const statusNames = [...["Passed", "Failed", "Incomplete", "Blocked", "Unexecuted"], ...(o.extraExecutionStatuses ?? []).map((x) => x.name)]
  if (statusNames.some((n) => typeof n !== "string" || n.trim() === "")) return "every extra execution status needs a name"
  if (new Set(statusNames.map((n) => n.toLowerCase())).size !== statusNames.length) return "execution status names must be distinct"
  if (o.tokenExpiresAfterRequests !== undefined && !(Number.isInteger(o.tokenExpiresAfterRequests) && o.tokenExpiresAfterRequests >= 0))
    return `tokenExpiresAfterRequests must be an integer >= 0, got ${o.tokenExpiresAfterRequests}`
  return undefined
}

/** A body above its limit: 413 with what was too large. */
const tooLarge = (what: string, refused: Extract<BodyResult, { tooLarge: unknown }>["tooLarge"]): SandboxReply =>
  errorReply(413, `The ${what} is too large: ${refused.declared ?? `more than ${refused.limit}`} bytes, the maximum is ${refused.limit} bytes`)

/** Starts the server; it stops (closing every open socket) when the scope closes. */
export const startQtestSandbox = (options: QtestSandboxOptions = {}): Effect.Effect<RunningQtestSandbox, SandboxStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const invalid = checkOptions(options)
    if (invalid !== undefined) return yield* new SandboxStartError({ reason: "Config", message: invalid })

    const token = options.token ?? DEFAULT_TOKEN
    const siteName = options.siteName ?? "sandbox"
    const username = options.username ?? "migration-bot@example.com"
    const password = options.password ?? "sandbox-password"
    const maxAttachmentBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES
    // Inline attachments travel base64-encoded inside JSON: room for a few of the largest allowed.
    const maxJsonBytes = Math.max(64 * 1024 * 1024, 3 * Math.ceil((maxAttachmentBytes * 4) / 3))
    const config = (projectId: number, projectName: string): ProjectConfig => ({
      projectId,
      projectName,
      apiUser: { username, email: username.includes("@") ? username : `${username}@example.com`, firstName: "Migration", lastName: "Bot" },
      users: options.users ?? [],
      requiredTestCaseFields: options.requiredTestCaseFields ?? [],
      requirements: options.requirements ?? [],
      extraStatuses: options.extraExecutionStatuses ?? [],
      jiraDefects: options.jiraDefects ?? false
    })
    const names = options.projects?.map((x) => x.name) ?? [options.projectName ?? "Migration Target"]
    const site = makeSiteState(names.map((name, i) => config(PROJECT_ID + i, name)))
    const projectIds = site.projects().map((x) => x.project.id)

    const persistFile = options.persistFile
    if (persistFile !== undefined && fs.existsSync(persistFile)) {
      yield* Effect.try({
        try: () => site.restore(fs.readFileSync(persistFile, "utf8")),
        catch: (e) => new SandboxStartError({ reason: "Config", message: `cannot restore the sandbox projects from ${persistFile}: ${e instanceof Error ? e.message : String(e)} — delete the file to start empty` })
      })
    }
    let saveTimer: ReturnType<typeof setTimeout> | undefined
    let dirty = false
    // only a project something was written to is saved: a dry run or a plan leaves no file behind
    const saveNow = () => {
      if (saveTimer !== undefined) clearTimeout(saveTimer)
      saveTimer = undefined
      if (persistFile === undefined || !dirty) return
      dirty = false
      fs.mkdirSync(path.dirname(persistFile), { recursive: true })
      writeSnapshot(persistFile, site.projects())
    }
    // Saved shortly after a write, not on every one: a load makes thousands of writes a minute.
    const scheduleSave = () => {
      dirty = true
      if (persistFile !== undefined && saveTimer === undefined) saveTimer = setTimeout(saveNow, 250)
    }
    const rejections = makeRejections()
    // Fresh projects, but ids continue from where they were: an id is never reused within a sandbox's life.
    const reset = (project?: ProjectState) => {
      site.reset(project)
      rejections.clear(project?.project.id)
    }
    const tokens = makeTokens(token, { expiresAfterUses: options.tokenExpiresAfterRequests })
    const bearerOf = (req: http.IncomingMessage): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1]

    /**
     * The project a control request names by `projectId` (query first, then a JSON body's): undefined for all
     * of them, or the 404/400 to answer.
     */
    const controlProject = (url: URL, body: unknown): { readonly project: ProjectState | undefined } | SandboxReply => {
      const named = url.searchParams.get("projectId") ?? (body !== null && typeof body === "object" ? (body as Record<string, unknown>)["projectId"] : undefined)
      if (named === undefined || named === null) return { project: undefined }
      const project = typeof named === "string" || typeof named === "number" ? site.project(named) : undefined
      return project === undefined ? errorReply(404, `Project ${String(named)} not found`) : { project }
    }

    /** The control endpoints (documented at the top of this file). */
    const control = async (action: string, method: string, url: URL, read: Promise<BodyResult>): Promise<SandboxAnswer> => {
      const result = await read
      if ("tooLarge" in result) return tooLarge("control request", result.tooLarge)
      let body: unknown = undefined
      if (result.bytes.byteLength > 0) {
        try {
          body = JSON.parse(result.bytes.toString("utf8"))
        } catch {
          if (action === "reject") return errorReply(400, "The body must be JSON")
        }
      }
      if (action === "parameters" && method === "GET") {
        const named = controlProject(url, undefined)
        return "status" in named ? named : json(200, listParameters(named.project))
      }
      if (action === "reset" && method === "POST") {
        const named = controlProject(url, body)
        if ("status" in named) return named
        reset(named.project)
        const done = named.project === undefined ? projectIds : [named.project.project.id]
        // one project reset: `{projectId}`, as before the site had several; several: the list too
        return json(200, done.length === 1 ? { projectId: done[0] } : { projectId: done[0], projectIds: done })
      }
      if (action === "reject" && method === "POST") {
        if (body === undefined) return errorReply(400, "The body must be JSON")
        const rule = parseRejectRule(body)
        if (Array.isArray(rule)) return errorReply(400, rule.join("; "))
        if (rule.projectId !== undefined && site.project(rule.projectId) === undefined) return errorReply(404, `Project ${rule.projectId} not found`)
        rejections.add(rule)
        return json(200, { rules: rejections.list() })
      }
      return errorReply(404, `No control endpoint ${method} ${url.pathname}`)
    }

    const listParameters = (project?: ProjectState) =>
      (project === undefined ? site.projects() : [project])
        .flatMap((x) => x.parameters.values())
        .sort((a, b) => a.id - b.id)
        .map((p) => ({ id: p.id, identifier: p.identifier }))

    let baseUrl = ""
    const running = yield* startHttpSandbox({
      options,
      lostAnswerRate: options.faultAfterWriteRate,
      errorReply,
      throttle: { reply: errorReply(429, "API rate limit exceeded"), style: "gateway" },
      faults: { mix: ["5xx", "drop"], reply: (status) => errorReply(status, FAULT_MESSAGES[status] ?? "Server error") },
      control: {
        authorize: (req) => {
          const bearer = bearerOf(req)
          return bearer === undefined || !(tokens.isApiToken(bearer) || tokens.use(bearer)) ? errorReply(401, "A valid bearer token is required") : undefined
        },
        handle: (action, request) => control(action, request.req.method ?? "GET", request.url, request.body(MAX_SMALL_BODY))
      },
      onClose: saveNow,
      serve: ({ origin }) => {
        baseUrl = origin
        const router = makeQtestRouter({
          state: site.current,
          site,
          render: makeRenderer(site.current, baseUrl),
          tokens,
          siteName,
          username,
          password,
          maxAttachmentBytes,
          jobPolls: options.jobPolls ?? 3
        })
        return {
          route: (method, url): { readonly match: Match; readonly template: string } => {
            const match = router.match(method, url.pathname)
            return { match, template: match.kind === "none" ? "unmatched" : match.template }
          },
          // The gateway's quota and the faults come first; every refusal after them is answered at once (`hold: false`).
          handle: async (request): Promise<SandboxAnswer> => {
            const refused = request.gate()
            if (refused !== undefined) return refused
            const { req, url, method } = request
            const match = request.route.match
            const early = (reply: SandboxReply): SandboxReply => ({ ...reply, hold: false })
            const route = match.kind === "route" ? match.route : undefined
            const bearer = bearerOf(req)
            if (route?.auth !== "none") {
              if (req.headers.authorization === undefined) return early(errorReply(401, "Authorization header is missing: send Authorization: Bearer <token>"))
              if (bearer === undefined || !tokens.use(bearer)) return early(errorReply(401, "Invalid or expired access token"))
            }
            if (match.kind === "none") return early(errorReply(404, `No resource at ${url.pathname}`))
            if (match.kind === "wrong-method") {
              const reply = errorReply(405, `Method ${method} is not supported on ${match.template}; use ${match.allowed.join(", ")}`)
              return early({ ...reply, headers: { ...reply.headers, allow: match.allowed.join(", ") } })
            }
            const kind: BodyKind = match.route.body ?? (method === "POST" || method === "PUT" ? "json" : "none")
            const limit = kind === "raw" ? maxAttachmentBytes : kind === "json" ? maxJsonBytes : MAX_SMALL_BODY
            const result = await request.body(limit)
            if ("tooLarge" in result) return early(tooLarge(kind === "raw" ? "attachment" : "request body", result.tooLarge))
            const contentType = String(req.headers["content-type"] ?? "").toLowerCase()
            let body: unknown = undefined
            let form: URLSearchParams | undefined
            if (kind === "json" && result.bytes.byteLength > 0) {
              // qTest answers an unsupported Content-Type with 405 (S2, docs/vendors/qtest.md §2.1).
              if (!contentType.includes("json")) return early(errorReply(405, "Unsupported Content-Type: send application/json"))
              try {
                body = JSON.parse(result.bytes.toString("utf8"))
              } catch (e) {
                return early(errorReply(400, `Malformed JSON: ${e instanceof Error ? e.message : String(e)}`))
              }
            }
            if (kind === "form" && contentType.includes("application/x-www-form-urlencoded")) form = new URLSearchParams(result.bytes.toString("utf8"))
            const ctx: RequestContext = {
              method: method as Method,
              url,
              query: url.searchParams,
              params: match.params,
              headers: req.headers,
              body,
              form,
              raw: kind === "raw" ? new Uint8Array(result.bytes) : undefined,
              token: bearer
            }
            const { reply, applied } = router.dispatch(match.route, ctx, site, rejections)
            if (applied) scheduleSave()
            return { ...reply, wrote: applied }
          }
        }
      }
    })

    return {
      baseUrl,
      port: running.port,
      token,
      projectId: PROJECT_ID,
      projectIds,
      siteName,
      username,
      password,
      stats: running.stats,
      resetStats: running.resetStats,
      resetQuota: running.resetQuota,
      reset: (projectId) => {
        const project = projectId === undefined ? undefined : site.project(projectId)
        if (projectId !== undefined && project === undefined) return false
        reset(project)
        return true
      },
      parameters: (projectId) => {
        if (projectId === undefined) return listParameters()
        const project = site.project(projectId)
        return project === undefined ? [] : listParameters(project)
      },
      issueToken: () => tokens.issueApiToken()
    }
  })
