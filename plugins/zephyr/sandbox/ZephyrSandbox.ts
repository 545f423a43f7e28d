/**
 * A local HTTP server that answers like Zephyr Scale Cloud's REST API v2 (read endpoints), for tests, the
 * benchmark and users' rehearsals. This file is the transport: bearer auth, latency, rate limiting (429 with
 * `Retry-After`, sometimes `0` as the real service has sent), 429 storms scheduled by request count, injected
 * faults (5xx, dropped connections and responses slower than a client's timeout), request statistics, the mutation control endpoint and a scoped
 * lifetime. What each path answers lives in ZephyrRoutes.ts; what the tenant holds, in Tenant.ts.
 *
 * Control endpoint (not part of Zephyr's API, so outside `/v2`; bearer token required; never throttled, faulted
 * or counted in the statistics): `POST /__sandbox/mutate` with a JSON body `{changeFraction?, deleteFraction?,
 * addCount?, seed?}` edits, deletes and adds entities (TenantMutation.ts) and answers the `MutationResult`.
 */
import { Buffer } from "node:buffer"
import { Data, Effect, type Scope } from "effect"
import * as http from "node:http"
import type { Socket } from "node:net"
import { dataTenant } from "./dataTenant.ts"
import { demoData } from "./demoData.ts"
import { generatedData, type Scale } from "./generatedData.ts"
import { mutableTenant } from "./mutableTenant.ts"
import { checkFaultKinds, checkStormOptions, type FaultKind, makePrng, makeRequestStorm, type StormOptions } from "../../../core/sandbox.ts"
import { makeRenderer } from "./Renderer.ts"
import type { TenantCounts } from "./Tenant.ts"
import { checkMutationOptions, type MutationOptions, type MutationResult } from "./TenantMutation.ts"
import { validateZephyrData } from "./validateZephyrData.ts"
import type { ZephyrData } from "./ZephyrData.ts"
import { errorReply, json, makeRouter, type Reply, type Router } from "./ZephyrRoutes.ts"

/** Beyond core's default 30 s request timeout, so a slow-response fault is a timeout for a default client. */
export const DEFAULT_SLOW_RESPONSE_MS = 35_000

/** The path of the mutation control endpoint (outside `/v2`: it is the sandbox's, not Zephyr's). */
export const MUTATE_PATH = "/__sandbox/mutate"

export interface ZephyrSandboxOptions {
  /** The tenant's content; wins over `scale`. Default: `scale`, else `demoData()`. */
  readonly data?: ZephyrData | undefined
  /** A generated tenant (generatedData.ts) of this size, from `seed`; `"demo"` = the built-in demo. */
  readonly scale?: Scale | "demo" | undefined
  /** 0 (default) picks a free port. */
  readonly port?: number | undefined
  readonly host?: string | undefined
  readonly token?: string | undefined
  /** Added to every response. */
  readonly latencyMs?: number | undefined
  /** Requests per second; beyond it 429 with `Retry-After` (whole seconds, sometimes `0`). */
  readonly rateLimit?: number | undefined
  /**
   * 0..1: probability that a request fails: a 500/502/503, a dropped connection, or — when `slowResponseMs` is
   * set — a correct response held for `slowResponseMs`.
   */
  readonly faultRate?: number | undefined
  /**
   * Enables the slow-response fault and sets how long it holds the response; pick it above the client's timeout
   * (`DEFAULT_SLOW_RESPONSE_MS` = 35 s beats core's 30 s). Unset, faults are 5xx and drops only, so that
   * programmatic users of `faultRate` never wait 35 s unasked.
   */
  readonly slowResponseMs?: number | undefined
  /**
   * Restricts `faultRate` to these kinds (`slow` needs `slowResponseMs`), chosen evenly; absent: 500/502/503 and
   * drops (and slow answers when `slowResponseMs` is set), the historical seeded mix.
   */
  readonly faultKinds?: ReadonlyArray<FaultKind> | undefined
  /**
   * 429 storms by request count (core's RequestStorm): the refused requests answer `{errorCode: 429, message}`
   * with `Retry-After` when `retryAfterSeconds` is set and none otherwise. Zephyr sends no other rate-limit header.
   */
  readonly storm?: StormOptions | undefined
  /** Seeds the generated data (`scale`), the fault and `Retry-After` choices. Default 1. */
  readonly seed?: number | undefined
  /** Server cap on `maxResults` / `limit` (default and maximum 1000, the real maximum). */
  readonly maxResultsCap?: number | undefined
  /** false = an older tenant without attachment endpoints (see `attachmentsMissingStatus`). Default true. */
  readonly attachments?: boolean | undefined
  /** What the missing attachment endpoints answer: 404 (default) or 503, both seen on real tenants. */
  readonly attachmentsMissingStatus?: 404 | 503 | undefined
}

export interface SandboxStats {
  readonly requests: number
  /** By path template, e.g. `/v2/testexecutions/{testExecutionIdOrKey}/teststeps`. */
  readonly byPath: Record<string, number>
  readonly faults: number
  readonly throttled: number
}

export interface RunningZephyrSandbox {
  /** `http://127.0.0.1:<port>/v2` */
  readonly baseUrl: string
  readonly port: number
  readonly token: string
  /** The first project's key. */
  readonly projectKey: string
  readonly stats: () => SandboxStats
  readonly resetStats: () => void
  /** Edits, deletes and adds entities now (see TenantMutation.ts); also `POST /__sandbox/mutate`. */
  readonly mutate: (options?: MutationOptions) => MutationResult
  /** Entity counts of the tenant as served now. */
  readonly counts: () => TenantCounts
}

export class SandboxStartError extends Data.TaggedError("SandboxStartError")<{
  readonly reason: "Options" | "Data" | "Listen"
  readonly message: string
}> {}

const FAULT_STATUSES = [500, 502, 503] as const
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
  if (o.port !== undefined && (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535)) return `port must be 0..65535, got ${o.port}`
  if (o.faultRate !== undefined && !(o.faultRate >= 0 && o.faultRate <= 1)) return `faultRate must be between 0 and 1, got ${o.faultRate}`
  if (o.rateLimit !== undefined && !(o.rateLimit > 0)) return `rateLimit must be a positive number of requests per second, got ${o.rateLimit}`
  if (o.latencyMs !== undefined && !(o.latencyMs >= 0)) return `latencyMs must be >= 0, got ${o.latencyMs}`
  if (o.maxResultsCap !== undefined && !(Number.isInteger(o.maxResultsCap) && o.maxResultsCap >= 1)) return `maxResultsCap must be a positive integer, got ${o.maxResultsCap}`
  if (o.token !== undefined && o.token.length === 0) return "token must not be empty"
  if (o.attachmentsMissingStatus !== undefined && o.attachmentsMissingStatus !== 404 && o.attachmentsMissingStatus !== 503) return `attachmentsMissingStatus must be 404 or 503, got ${String(o.attachmentsMissingStatus)}`
  if (o.scale !== undefined && !SCALES_ACCEPTED.includes(o.scale)) return `scale must be one of ${SCALES_ACCEPTED.join(", ")}, got ${String(o.scale)}`
  if (o.seed !== undefined && !Number.isInteger(o.seed)) return `seed must be an integer, got ${o.seed}`
  if (o.slowResponseMs !== undefined && !(Number.isFinite(o.slowResponseMs) && o.slowResponseMs >= 0)) return `slowResponseMs must be >= 0, got ${o.slowResponseMs}`
  return checkFaultKinds(o.faultKinds, o.slowResponseMs) ?? checkStormOptions(o.storm)
}

interface Listening {
  readonly server: http.Server
  readonly sockets: Set<Socket>
  readonly timers: Set<ReturnType<typeof setTimeout>>
  readonly port: number
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
    const host = options.host ?? "127.0.0.1"
    const latencyMs = options.latencyMs ?? 0
    const faultRate = options.faultRate ?? 0
    const slowMs = options.slowResponseMs
    const faultPrng = makePrng(seed)
    const throttlePrng = makePrng(seed ^ 0x9e3779b9)
    const storm = options.storm === undefined ? undefined : makeRequestStorm(options.storm)
    const faultKinds = options.faultKinds

    let stats = { requests: 0, byPath: {} as Record<string, number>, faults: 0, throttled: 0 }
    // Token bucket: `rateLimit` tokens per second, bursts up to one second's worth (at least one request).
    const rate = options.rateLimit
    const burst = Math.max(1, rate ?? 0)
    let tokens = burst
    let refilledAt = Date.now()
    const takeToken = (): number => {
      if (rate === undefined) return 0
      const now = Date.now()
      tokens = Math.min(burst, tokens + ((now - refilledAt) * rate) / 1000)
      refilledAt = now
      if (tokens >= 1) {
        tokens -= 1
        return 0
      }
      return ((1 - tokens) * 1000) / rate
    }

    let router: Router | undefined
    let timers: Set<ReturnType<typeof setTimeout>> | undefined

    const send = (req: http.IncomingMessage, res: http.ServerResponse, reply: Reply | "drop", extraDelayMs = 0): void => {
      const write = () => {
        if (res.destroyed || res.writableEnded) return
        if (reply === "drop") {
          // A dropped connection: the client sees a reset / "socket hang up", never a status.
          req.socket.destroy()
          return
        }
        const body = typeof reply.body === "string" ? Buffer.from(reply.body, "utf8") : reply.body
        res.writeHead(reply.status, { "content-length": String(body.byteLength), ...reply.headers })
        res.end(req.method === "HEAD" ? undefined : body)
      }
      const delay = latencyMs + extraDelayMs
      if (delay <= 0 || timers === undefined) return write()
      const t = setTimeout(() => {
        timers?.delete(t)
        write()
      }, delay)
      timers.add(t)
    }

    const authorised = (req: http.IncomingMessage): Reply | undefined => {
      const auth = req.headers.authorization
      if (auth === undefined || auth === "") return json(401, { error: "Authorization header is missing" })
      const match = /^Bearer\s+(.+)$/i.exec(auth)
      if (match?.[1]?.trim() !== token) return json(401, { error: "Invalid token: the bearer token is not a valid Zephyr API access token" })
      return undefined
    }

    /** `POST /__sandbox/mutate`: the control endpoint for CLI users (documented at the top of this file). */
    const onControl = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const reply = (r: Reply) => {
        const body = typeof r.body === "string" ? Buffer.from(r.body, "utf8") : r.body
        if (!res.writableEnded) res.writeHead(r.status, { "content-length": String(body.byteLength), ...r.headers }).end(body)
      }
      const denied = authorised(req)
      if (denied !== undefined) return reply(denied)
      if (req.method !== "POST") return reply({ ...errorReply(405, `Use POST on ${MUTATE_PATH}`), headers: { "content-type": "application/json", allow: "POST" } })
      const chunks: Array<Buffer> = []
      let size = 0
      req.on("data", (chunk: Buffer) => {
        size += chunk.byteLength
        if (size > MAX_CONTROL_BODY) {
          reply(errorReply(413, `the body must not exceed ${MAX_CONTROL_BODY} bytes`))
          req.destroy()
          return
        }
        chunks.push(chunk)
      })
      req.on("end", () => {
        if (res.writableEnded) return
        const text = Buffer.concat(chunks).toString("utf8").trim()
        let body: unknown
        try {
          body = text === "" ? undefined : JSON.parse(text)
        } catch (e) {
          return reply(errorReply(400, `the body is not valid JSON: ${e instanceof Error ? e.message : String(e)}`))
        }
        const checked = checkMutationOptions(body)
        if (Array.isArray(checked)) return reply(errorReply(400, checked.join("; ")))
        reply(json(200, tenant.mutate(checked as MutationOptions)))
      })
    }

    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      let url: URL
      try {
        url = new URL(req.url ?? "/", "http://sandbox.invalid")
      } catch {
        stats.requests++
        return send(req, res, errorReply(400, "Malformed request URL"))
      }
      if (url.pathname === MUTATE_PATH) return onControl(req, res)
      stats.requests++
      if (router === undefined) return send(req, res, errorReply(503, "Sandbox is starting"))
      const template = router.templateOf(url.pathname)
      stats.byPath[template] = (stats.byPath[template] ?? 0) + 1

      if (storm?.next().throttled === true) {
        stats.throttled++
        const reply = json(429, { errorCode: 429, message: "Rate limit exceeded. Too many requests." })
        const retryAfter = options.storm?.retryAfterSeconds
        return send(req, res, retryAfter === undefined ? reply : { ...reply, headers: { ...reply.headers, "retry-after": String(retryAfter) } })
      }
      const waitMs = takeToken()
      if (waitMs > 0) {
        stats.throttled++
        const retryAfter = throttlePrng.next() < ZERO_RETRY_AFTER_SHARE ? 0 : Math.max(1, Math.ceil(waitMs / 1000))
        const reply = json(429, { errorCode: 429, message: "Rate limit exceeded. Too many requests." })
        return send(req, res, { ...reply, headers: { ...reply.headers, "retry-after": String(retryAfter) } })
      }
      let holdMs = 0
      if (faultRate > 0 && faultKinds !== undefined && faultPrng.next() < faultRate) {
        stats.faults++
        const kind = faultPrng.pick(faultKinds)
        if (kind === "5xx") {
          const status = faultPrng.pick(FAULT_STATUSES)
          return send(req, res, errorReply(status, FAULT_MESSAGES[status] ?? "Server error"))
        }
        if (kind === "drop") return send(req, res, "drop")
        holdMs = slowMs ?? 0
      } else if (faultRate > 0 && faultKinds === undefined && faultPrng.next() < faultRate) {
        stats.faults++
        // Kinds: 500, 502, 503, dropped connection, and (only when enabled, so seeded sequences without it are
        // unchanged) a correct answer held past the client's timeout.
        const kind = faultPrng.int(FAULT_STATUSES.length + (slowMs === undefined ? 1 : 2))
        const status = FAULT_STATUSES[kind]
        if (status !== undefined) return send(req, res, errorReply(status, FAULT_MESSAGES[status] ?? "Server error"))
        if (kind === FAULT_STATUSES.length) return send(req, res, "drop")
        holdMs = slowMs ?? 0
      }
      const denied = authorised(req)
      if (denied !== undefined) return send(req, res, denied)

      let reply: Reply
      try {
        reply = router.handle(req.method ?? "GET", url)
      } catch (e) {
        reply = errorReply(500, `Sandbox error: ${e instanceof Error ? e.message : String(e)}`)
      }
      send(req, res, reply, holdMs)
    }

    const listening = yield* Effect.acquireRelease(
      Effect.async<Listening, SandboxStartError>((resume) => {
        const server = http.createServer(onRequest)
        const sockets = new Set<Socket>()
        const pending = new Set<ReturnType<typeof setTimeout>>()
        timers = pending
        server.on("connection", (socket) => {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
        })
        const onError = (e: Error) =>
          resume(Effect.fail(new SandboxStartError({ reason: "Listen", message: `cannot listen on ${host}:${options.port ?? 0}: ${e.message}` })))
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
          for (const t of pending) clearTimeout(t)
          pending.clear()
          for (const s of sockets) s.destroy()
          server.close(() => resume(Effect.void))
        })
    )

    const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host
    const baseUrl = `http://${urlHost}:${listening.port}/v2`
    router = makeRouter(tenant, makeRenderer(baseUrl, tenant), {
      maxResultsCap: Math.min(options.maxResultsCap ?? 1000, 1000),
      attachments: options.attachments ?? true,
      attachmentsMissingStatus: options.attachmentsMissingStatus ?? 404
    })

    return {
      baseUrl,
      port: listening.port,
      token,
      projectKey: firstProject.key,
      stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
      resetStats: () => {
        stats = { requests: 0, byPath: {}, faults: 0, throttled: 0 }
      },
      mutate: (o) => tenant.mutate(o),
      counts: () => tenant.counts()
    }
  })
