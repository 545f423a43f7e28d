/**
 * A local HTTP server that answers like qTest Manager's REST API v3 — reads and writes — for the qTest sink's
 * tests, users' rehearsals and the benchmark. This file is the transport: bearer auth (the configured API
 * token and session tokens from `/oauth/token`), latency, the gateway's rate limit (429 with `retry-after` and
 * `x-ratelimit-*`, RateLimiter.ts) and 429 storms scheduled by request count, injected faults, request
 * statistics, the control endpoints and a scoped lifetime. What each path does lives in routes/*.ts; the project they work on, in ProjectState.ts.
 *
 * Faults come in two kinds. `faultRate` answers 500/502/503 or drops the connection, decided before the handler
 * runs, so it never leaves a write half done (or, with `faultKinds: ["slow"]`, handles the request and holds the
 * answer past the client's timeout). `faultAfterWriteRate` applies a successful write and then drops the
 * connection: the "confirmed but response lost" case a migrator must survive without creating twice.
 *
 * Control endpoints (not qTest's, so outside `/api`; bearer token required; never throttled, faulted or
 * counted): `POST /__sandbox/reject` `{objectType, nameContains?, status, message, times?}` refuses the next
 * creates/updates of that object type whose name contains the text (Rejections.ts); `POST /__sandbox/reset`
 * empties the project back to its initial state (ids keep increasing, so none is ever reused); `GET
 * /__sandbox/parameters` lists the parameters `[~identifier]` created.
 */
import { Buffer } from "node:buffer"
import { Data, Effect, type Scope } from "effect"
import * as http from "node:http"
import type { Socket } from "node:net"
import { checkFaultKinds, checkStormOptions, type FaultKind, makePrng, makeRequestStorm, type StormOptions } from "../../../core/sandbox.ts"
import * as fs from "node:fs"
import * as path from "node:path"
import { restoreSnapshot, writeSnapshot } from "./Snapshot.ts"
import { FIRST_ENTITY_ID, makeProjectState, type ProjectConfig, type ProjectState } from "./ProjectState.ts"
import { makeQtestRouter } from "./QtestRoutes.ts"
import { makeRateLimiter, stormHeaders } from "./RateLimiter.ts"
import { makeRejections, parseRejectRule } from "./Rejections.ts"
import { makeRenderer } from "./Render.ts"
import { errorReply, json, type Reply } from "./Reply.ts"
import type { BodyKind, Method, RequestContext } from "./Router.ts"
import { makeTokens } from "./Tokens.ts"

export interface QtestSandboxOptions {
  /** 0 or undefined picks a free port. */
  readonly port?: number | undefined
  /** Default 127.0.0.1. */
  readonly host?: string | undefined
  /** The bearer token accepted (the site's API token). Default "qtest-sandbox-token". */
  readonly token?: string | undefined
  /** The site name `/oauth/token` expects in `Basic base64("<site>:")`. Default "sandbox". */
  readonly siteName?: string | undefined
  /** The API user (login). Default "migration-bot@example.com". */
  readonly username?: string | undefined
  /** The API user's password for `/oauth/token`. Default "sandbox-password". */
  readonly password?: string | undefined
  /** Default "Migration Target". */
  readonly projectName?: string | undefined
  /** Added to every response. */
  readonly latencyMs?: number | undefined
  /** Requests per second; beyond it 429 + `retry-after` (seconds) + `x-ratelimit-*` (also on every response). */
  readonly rateLimit?: number | undefined
  /** 0..1: a 500/502/503 or a dropped connection, decided before the handler runs (never a half-applied write). */
  readonly faultRate?: number | undefined
  /**
   * Restricts `faultRate` to these kinds, chosen evenly: `5xx`, `drop`, or `slow` (needs `slowResponseMs`: the
   * request is handled — a write is applied — and its answer held that long, past the client's timeout).
   * Absent: 500/502/503 and drops, the historical seeded mix.
   */
  readonly faultKinds?: ReadonlyArray<FaultKind> | undefined
  /** How long a `slow` fault holds the answer. */
  readonly slowResponseMs?: number | undefined
  /** 0..1: a successful write (POST, PUT — creates, updates, approvals) is applied, then the connection is dropped. */
  readonly faultAfterWriteRate?: number | undefined
  /**
   * 429 storms by request count (core's RequestStorm), as the API gateway throttles (docs/vendors/qtest.md §3.1):
   * refused calls answer `{"message":"API rate limit exceeded"}` with `x-ratelimit-remaining-minute: 0`, and
   * `retry-after` + `ratelimit-reset` when `retryAfterSeconds` is set (absent: neither). Every answer carries the
   * `x-ratelimit-{limit,remaining}-{minute,month}` and `ratelimit-{limit,remaining}` headers, the last call before
   * a storm with `remaining` 0, so a client can slow down before it is refused.
   */
  readonly storm?: StormOptions | undefined
  /**
   * The configured API token is accepted for this many requests, then refused with 401 as an expired or revoked
   * token is (`issueToken` makes a new one, as an administrator does in qTest → Resources → API & SDK).
   */
  readonly tokenExpiresAfterRequests?: number | undefined
  /** Seeds the fault choices. Default 1. */
  readonly seed?: number | undefined
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
  /** Execution statuses beyond the defaults 601 Passed … 605 Unexecuted (a project's custom statuses). */
  readonly extraExecutionStatuses?: ReadonlyArray<{ readonly name: string; readonly color?: string }> | undefined
  /**
   * Keep the project in this file: restored at start when it exists, saved shortly after every applied write and
   * at shutdown (Snapshot.ts). `run --sandbox` uses it so rehearsals build on each other like runs against qTest.
   */
  readonly persistFile?: string | undefined
}

export interface QtestSandboxStats {
  readonly requests: number
  /** By path template, e.g. `/api/v3/projects/{projectId}/test-cases`. */
  readonly byPath: Record<string, number>
  readonly throttled: number
  /** Injected faults of both kinds. */
  readonly faults: number
}

export interface RunningQtestSandbox {
  /** `http://127.0.0.1:<port>`; clients add `/api/v3/…`. */
  readonly baseUrl: string
  readonly port: number
  readonly token: string
  readonly projectId: number
  readonly siteName: string
  readonly username: string
  readonly password: string
  readonly stats: () => QtestSandboxStats
  readonly resetStats: () => void
  /** Empties the project back to its initial state (also `POST /__sandbox/reset`). */
  readonly reset: () => void
  /** Parameters created by `[~identifier]` in test steps (also `GET /__sandbox/parameters`). */
  readonly parameters: () => ReadonlyArray<{ readonly id: number; readonly identifier: string }>
  /** A new API token, accepted from now on and never expiring (the configured one stays as it is). */
  readonly issueToken: () => string
}

export class QtestSandboxError extends Data.TaggedError("QtestSandboxError")<{
  readonly reason: "Listen" | "Config"
  readonly message: string
}> {}

export const DEFAULT_TOKEN = "qtest-sandbox-token"
export const DEFAULT_MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024
export const PROJECT_ID = 1001
const CONTROL_PREFIX = "/__sandbox/"
const MAX_SMALL_BODY = 64 * 1024
const FAULT_STATUSES = [500, 502, 503] as const
const FAULT_MESSAGES: Readonly<Record<number, string>> = {
  500: "Internal server error",
  502: "Bad gateway",
  503: "Service temporarily unavailable"
}

const checkOptions = (o: QtestSandboxOptions): string | undefined => {
  const rate = (v: number | undefined, name: string) => (v !== undefined && !(v >= 0 && v <= 1) ? `${name} must be between 0 and 1, got ${v}` : undefined)
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)) return `port must be 0..65535, got ${o.port}`
  if (o.rateLimit !== undefined && !(o.rateLimit > 0)) return `rateLimit must be a positive number of requests per second, got ${o.rateLimit}`
  if (o.latencyMs !== undefined && !(o.latencyMs >= 0)) return `latencyMs must be >= 0, got ${o.latencyMs}`
  if (o.maxAttachmentBytes !== undefined && !(Number.isInteger(o.maxAttachmentBytes) && o.maxAttachmentBytes >= 1)) return `maxAttachmentBytes must be a positive integer, got ${o.maxAttachmentBytes}`
  if (o.jobPolls !== undefined && !(Number.isInteger(o.jobPolls) && o.jobPolls >= 1)) return `jobPolls must be a positive integer, got ${o.jobPolls}`
  if (o.seed !== undefined && !Number.isInteger(o.seed)) return `seed must be an integer, got ${o.seed}`
  for (const [v, name] of [
    [o.token, "token"],
    [o.siteName, "siteName"],
    [o.username, "username"],
    [o.projectName, "projectName"]
  ] as const) {
    if (v !== undefined && v.trim() === "") return `${name} must not be empty`
  }
  const users = o.users ?? []
  for (const u of users) if (typeof u.username !== "string" || u.username === "" || typeof u.email !== "string") return "every user needs a username and an email"
  if (new Set(users.map((u) => u.username.toLowerCase())).size !== users.length) return "users must have distinct usernames"
  const statusNames = [...["Passed", "Failed", "Incomplete", "Blocked", "Unexecuted"], ...(o.extraExecutionStatuses ?? []).map((x) => x.name)]
  if (statusNames.some((n) => typeof n !== "string" || n.trim() === "")) return "every extra execution status needs a name"
  if (new Set(statusNames.map((n) => n.toLowerCase())).size !== statusNames.length) return "execution status names must be distinct"
  if (o.slowResponseMs !== undefined && !(Number.isFinite(o.slowResponseMs) && o.slowResponseMs >= 0)) return `slowResponseMs must be >= 0, got ${o.slowResponseMs}`
  if (o.tokenExpiresAfterRequests !== undefined && !(Number.isInteger(o.tokenExpiresAfterRequests) && o.tokenExpiresAfterRequests >= 0))
    return `tokenExpiresAfterRequests must be an integer >= 0, got ${o.tokenExpiresAfterRequests}`
  return rate(o.faultRate, "faultRate") ?? rate(o.faultAfterWriteRate, "faultAfterWriteRate") ?? checkFaultKinds(o.faultKinds, o.slowResponseMs) ?? checkStormOptions(o.storm)
}


interface Listening {
  readonly server: http.Server
  readonly sockets: Set<Socket>
  readonly timers: Set<ReturnType<typeof setTimeout>>
  readonly port: number
}

type BodyResult = { readonly bytes: Buffer } | { readonly refused: Reply }

/**
 * Reads a request body up to `limit` bytes. Above it the answer is 413 — at once when Content-Length says so,
 * else as soon as the stream passes it — and the rest of the body is read and discarded, not kept, so the
 * client (still sending) receives the 413 instead of a reset connection.
 */
const readBody = (req: http.IncomingMessage, limit: number, what: string, done: (r: BodyResult) => void): void => {
  const tooLarge = (size: string): Reply => errorReply(413, `The ${what} is too large: ${size} bytes, the maximum is ${limit} bytes`)
  const declared = Number(req.headers["content-length"])
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    return done({ refused: tooLarge(String(declared)) })
  }
  const chunks: Array<Buffer> = []
  let size = 0
  let finished = false
  req.on("data", (chunk: Buffer) => {
    if (finished) return
    size += chunk.byteLength
    if (size > limit) {
      finished = true
      chunks.length = 0
      done({ refused: tooLarge(`more than ${limit}`) })
      return
    }
    chunks.push(chunk)
  })
  req.on("end", () => {
    if (finished) return
    finished = true
    done({ bytes: Buffer.concat(chunks) })
  })
  req.on("error", () => {
    finished = true
  })
}

/** Starts the server; it stops (closing every open socket) when the scope closes. */
export const startQtestSandbox = (options: QtestSandboxOptions = {}): Effect.Effect<RunningQtestSandbox, QtestSandboxError, Scope.Scope> =>
  Effect.gen(function* () {
    const invalid = checkOptions(options)
    if (invalid !== undefined) return yield* new QtestSandboxError({ reason: "Config", message: invalid })

    const token = options.token ?? DEFAULT_TOKEN
    const host = options.host ?? "127.0.0.1"
    const siteName = options.siteName ?? "sandbox"
    const username = options.username ?? "migration-bot@example.com"
    const password = options.password ?? "sandbox-password"
    const latencyMs = options.latencyMs ?? 0
    const faultRate = options.faultRate ?? 0
    const faultAfterWriteRate = options.faultAfterWriteRate ?? 0
    const seed = options.seed ?? 1
    const maxAttachmentBytes = options.maxAttachmentBytes ?? DEFAULT_MAX_ATTACHMENT_BYTES
    // Inline attachments travel base64-encoded inside JSON: room for a few of the largest allowed.
    const maxJsonBytes = Math.max(64 * 1024 * 1024, 3 * Math.ceil((maxAttachmentBytes * 4) / 3))
    const config: ProjectConfig = {
      projectId: PROJECT_ID,
      projectName: options.projectName ?? "Migration Target",
      apiUser: { username, email: username.includes("@") ? username : `${username}@example.com`, firstName: "Migration", lastName: "Bot" },
      users: options.users ?? [],
      requiredTestCaseFields: options.requiredTestCaseFields ?? [],
      requirements: options.requirements ?? [],
      extraStatuses: options.extraExecutionStatuses ?? []
    }

    let state: ProjectState = makeProjectState(config, FIRST_ENTITY_ID)
    const persistFile = options.persistFile
    if (persistFile !== undefined && fs.existsSync(persistFile)) {
      const saved = yield* Effect.try({
        try: () => restoreSnapshot(state, fs.readFileSync(persistFile, "utf8")),
        catch: (e) => new QtestSandboxError({ reason: "Config", message: `cannot restore the sandbox project from ${persistFile}: ${e instanceof Error ? e.message : String(e)} — delete the file to start empty` })
      })
      void saved
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
      writeSnapshot(persistFile, state)
    }
    // Saved shortly after a write, not on every one: a load makes thousands of writes a minute.
    const scheduleSave = () => {
      dirty = true
      if (persistFile !== undefined && saveTimer === undefined) saveTimer = setTimeout(saveNow, 250)
    }
    const rejections = makeRejections()
    // A fresh project, but ids continue from where they were: an id is never reused within a sandbox's life.
    const reset = () => {
      state = makeProjectState(config, state.ids.peek())
      rejections.clear()
    }
    const tokens = makeTokens(token, { expiresAfterUses: options.tokenExpiresAfterRequests })
    const limiter = options.rateLimit === undefined ? undefined : makeRateLimiter(options.rateLimit)
    const storm = options.storm === undefined ? undefined : makeRequestStorm(options.storm)
    let allowedByStorm = 0
    const faultKinds = options.faultKinds
    const slowMs = options.slowResponseMs ?? 0
    const faultPrng = makePrng(seed)
    const afterWritePrng = makePrng(seed ^ 0x5bd1e995)
    let stats = { requests: 0, byPath: {} as Record<string, number>, throttled: 0, faults: 0 }
    let timers: Set<ReturnType<typeof setTimeout>> | undefined
    let router: ReturnType<typeof makeQtestRouter> | undefined

    const bearerOf = (req: http.IncomingMessage): string | undefined => /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "")?.[1]

    const send = (req: http.IncomingMessage, res: http.ServerResponse, reply: Reply | "drop", extraHeaders: Readonly<Record<string, string>> = {}, holdMs = 0): void => {
      const write = () => {
        if (res.destroyed || res.writableEnded) return
        if (reply === "drop") {
          // A dropped connection: the client sees a reset / "socket hang up", never a status.
          req.socket.destroy()
          return
        }
        const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body
        res.writeHead(reply.status, { ...extraHeaders, ...reply.headers, "content-length": String(body.byteLength) })
        res.end(body)
      }
      const delay = latencyMs + holdMs
      if (delay <= 0 || timers === undefined) return write()
      const t = setTimeout(() => {
        timers?.delete(t)
        write()
      }, delay)
      timers.add(t)
    }

    const onControl = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): void => {
      const reply = (r: Reply) => {
        const body = typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body
        if (!res.writableEnded) res.writeHead(r.status, { ...r.headers, "content-length": String(body.byteLength) }).end(body)
      }
      const bearer = bearerOf(req)
      if (bearer === undefined || !(tokens.isApiToken(bearer) || tokens.use(bearer))) {
        req.resume()
        return reply(errorReply(401, "A valid bearer token is required"))
      }
      const action = url.pathname.slice(CONTROL_PREFIX.length)
      readBody(req, MAX_SMALL_BODY, "control request", (result) => {
        if ("refused" in result) return reply(result.refused)
        if (action === "parameters" && req.method === "GET") return reply(json(200, listParameters()))
        if (action === "reset" && req.method === "POST") {
          reset()
          return reply(json(200, { projectId: state.project.id }))
        }
        if (action === "reject" && req.method === "POST") {
          let body: unknown
          try {
            body = JSON.parse(result.bytes.toString("utf8"))
          } catch {
            return reply(errorReply(400, "The body must be JSON"))
          }
          const rule = parseRejectRule(body)
          if (Array.isArray(rule)) return reply(errorReply(400, rule.join("; ")))
          rejections.add(rule)
          return reply(json(200, { rules: rejections.list() }))
        }
        return reply(errorReply(404, `No control endpoint ${req.method} ${url.pathname}`))
      })
    }

    const listParameters = () =>
      state.parameters
        .values()
        .sort((a, b) => a.id - b.id)
        .map((p) => ({ id: p.id, identifier: p.identifier }))

    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      let url: URL
      try {
        url = new URL(req.url ?? "/", "http://sandbox.invalid")
      } catch {
        req.resume()
        return send(req, res, errorReply(400, "Malformed request URL"))
      }
      if (url.pathname.startsWith(CONTROL_PREFIX)) return onControl(req, res, url)
      stats.requests++
      if (router === undefined) {
        req.resume()
        return send(req, res, errorReply(503, "The sandbox is starting"))
      }
      const method = (req.method ?? "GET").toUpperCase()
      const match = router.match(method, url.pathname)
      const template = match.kind === "none" ? "unmatched" : match.template
      stats.byPath[template] = (stats.byPath[template] ?? 0) + 1

      const verdict = storm?.next()
      if (verdict !== undefined && !verdict.throttled) allowedByStorm++
      const decision = verdict?.throttled === true ? undefined : limiter?.()
      const rateHeaders =
        verdict !== undefined && options.storm !== undefined
          ? { ...decision?.headers, ...stormHeaders(options.storm, verdict.quota, verdict.remaining, allowedByStorm, verdict.throttled) }
          : (decision?.headers ?? {})
      const early = (reply: Reply | "drop") => {
        req.resume()
        send(req, res, reply, rateHeaders)
      }
      if (verdict?.throttled === true || (decision !== undefined && !decision.allowed)) {
        stats.throttled++
        return early(errorReply(429, "API rate limit exceeded"))
      }
      let holdMs = 0
      if (faultRate > 0 && faultKinds !== undefined && faultPrng.next() < faultRate) {
        stats.faults++
        const kind = faultPrng.pick(faultKinds)
        if (kind === "5xx") {
          const status = faultPrng.pick(FAULT_STATUSES)
          return early(errorReply(status, FAULT_MESSAGES[status] ?? "Server error"))
        }
        if (kind === "drop") return early("drop")
        holdMs = slowMs
      } else if (faultRate > 0 && faultKinds === undefined && faultPrng.next() < faultRate) {
        stats.faults++
        const kind = faultPrng.int(FAULT_STATUSES.length + 1)
        const status = FAULT_STATUSES[kind]
        return early(status === undefined ? "drop" : errorReply(status, FAULT_MESSAGES[status] ?? "Server error"))
      }
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
      readBody(req, limit, kind === "raw" ? "attachment" : "request body", (result) => {
        if ("refused" in result) return send(req, res, result.refused, rateHeaders)
        const contentType = String(req.headers["content-type"] ?? "").toLowerCase()
        let body: unknown = undefined
        let form: URLSearchParams | undefined
        if (kind === "json" && result.bytes.byteLength > 0) {
          // qTest answers an unsupported Content-Type with 405 (S2, docs/vendors/qtest.md §2.1).
          if (!contentType.includes("json")) return send(req, res, errorReply(405, "Unsupported Content-Type: send application/json"), rateHeaders)
          try {
            body = JSON.parse(result.bytes.toString("utf8"))
          } catch (e) {
            return send(req, res, errorReply(400, `Malformed JSON: ${e instanceof Error ? e.message : String(e)}`), rateHeaders)
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
        const { reply, applied } = router?.dispatch(match.route, ctx, state, rejections) ?? { reply: errorReply(503, "The sandbox is stopping"), applied: false }
        if (applied) scheduleSave()
        if (applied && faultAfterWriteRate > 0 && afterWritePrng.next() < faultAfterWriteRate) {
          stats.faults++
          return send(req, res, "drop")
        }
        send(req, res, reply, rateHeaders, holdMs)
      })
    }

    const listening = yield* Effect.acquireRelease(
      Effect.async<Listening, QtestSandboxError>((resume) => {
        const server = http.createServer(onRequest)
        const sockets = new Set<Socket>()
        const pending = new Set<ReturnType<typeof setTimeout>>()
        timers = pending
        server.on("connection", (socket) => {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
        })
        const onError = (e: Error) => resume(Effect.fail(new QtestSandboxError({ reason: "Listen", message: `cannot listen on ${host}:${options.port ?? 0}: ${e.message}` })))
        server.once("error", onError)
        server.listen(options.port ?? 0, host, () => {
          server.off("error", onError)
          const address = server.address()
          const port = typeof address === "object" && address !== null ? address.port : (options.port ?? 0)
          resume(Effect.succeed({ server, sockets, timers: pending, port }))
        })
      }),
      ({ server, sockets, timers: pending }) =>
        Effect.async<void>((resume) => {
          saveNow()
          for (const t of pending) clearTimeout(t)
          pending.clear()
          for (const s of sockets) s.destroy()
          server.close(() => resume(Effect.void))
        })
    )

    const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host
    const baseUrl = `http://${urlHost}:${listening.port}`
    router = makeQtestRouter({
      state: () => state,
      render: makeRenderer(() => state, baseUrl),
      tokens,
      siteName,
      username,
      password,
      maxAttachmentBytes,
      jobPolls: options.jobPolls ?? 3
    })

    return {
      baseUrl,
      port: listening.port,
      token,
      projectId: PROJECT_ID,
      siteName,
      username,
      password,
      stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
      resetStats: () => {
        stats = { requests: 0, byPath: {}, throttled: 0, faults: 0 }
      },
      reset,
      parameters: listParameters,
      issueToken: () => tokens.issueApiToken()
    }
  })
