/**
 * A local HTTP server that answers like Zephyr Scale Cloud's REST API v2 (read endpoints), for tests, the
 * benchmark and users' rehearsals. This file is the transport: bearer auth, latency, rate limiting (429 with
 * `Retry-After`, sometimes `0` as the real service has sent), injected faults (5xx and dropped connections),
 * request statistics, and a scoped lifetime. What each path answers lives in ZephyrRoutes.ts.
 */
import { Buffer } from "node:buffer"
import { Data, Effect, type Scope } from "effect"
import * as http from "node:http"
import type { Socket } from "node:net"
import { demoData } from "./demoData.ts"
import { makePrng } from "./Prng.ts"
import { makeRenderer } from "./Renderer.ts"
import { buildIndex } from "./SandboxIndex.ts"
import { validateZephyrData } from "./validateZephyrData.ts"
import type { ZephyrData } from "./ZephyrData.ts"
import { errorReply, json, makeRouter, type Reply, type Router } from "./ZephyrRoutes.ts"

export interface ZephyrSandboxOptions {
  /** The tenant's content; default `demoData()`. */
  readonly data?: ZephyrData | undefined
  /** 0 (default) picks a free port. */
  readonly port?: number | undefined
  readonly host?: string | undefined
  readonly token?: string | undefined
  /** Added to every response. */
  readonly latencyMs?: number | undefined
  /** Requests per second; beyond it 429 with `Retry-After` (whole seconds, sometimes `0`). */
  readonly rateLimit?: number | undefined
  /** 0..1: probability of a 500/502/503 or a dropped connection. */
  readonly faultRate?: number | undefined
  /** Seeds the fault and `Retry-After` choices. */
  readonly seed?: number | undefined
  /** Server cap on `maxResults` (default 1000, the real maximum). */
  readonly maxResultsCap?: number | undefined
  /** false = a tenant without attachment endpoints (404 on them). Default true. */
  readonly attachments?: boolean | undefined
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
}

export class SandboxStartError extends Data.TaggedError("SandboxStartError")<{
  readonly reason: "Options" | "Data" | "Listen"
  readonly message: string
}> {}

const FAULT_STATUSES = [500, 502, 503] as const
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
  return undefined
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
    const data = options.data ?? demoData()
    if (options.data !== undefined) {
      const problems = validateZephyrData(options.data)
      if (problems.length > 0) return yield* new SandboxStartError({ reason: "Data", message: `invalid sandbox data: ${problems.join("; ")}` })
    }
    const firstProject = data.projects[0]
    if (firstProject === undefined) return yield* new SandboxStartError({ reason: "Data", message: "the sandbox data has no projects" })

    const index = buildIndex(data)
    const token = options.token ?? "sandbox-token"
    const host = options.host ?? "127.0.0.1"
    const latencyMs = options.latencyMs ?? 0
    const faultRate = options.faultRate ?? 0
    const seed = options.seed ?? 1
    const faultPrng = makePrng(seed)
    const throttlePrng = makePrng(seed ^ 0x9e3779b9)

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

    const send = (req: http.IncomingMessage, res: http.ServerResponse, reply: Reply | "drop"): void => {
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
      if (latencyMs <= 0 || timers === undefined) return write()
      const t = setTimeout(() => {
        timers?.delete(t)
        write()
      }, latencyMs)
      timers.add(t)
    }

    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      stats.requests++
      let url: URL
      try {
        url = new URL(req.url ?? "/", "http://sandbox.invalid")
      } catch {
        return send(req, res, errorReply(400, "Malformed request URL"))
      }
      if (router === undefined) return send(req, res, errorReply(503, "Sandbox is starting"))
      const template = router.templateOf(url.pathname)
      stats.byPath[template] = (stats.byPath[template] ?? 0) + 1

      const waitMs = takeToken()
      if (waitMs > 0) {
        stats.throttled++
        const retryAfter = throttlePrng.next() < ZERO_RETRY_AFTER_SHARE ? 0 : Math.max(1, Math.ceil(waitMs / 1000))
        const reply = json(429, { errorCode: 429, message: "Rate limit exceeded. Too many requests." })
        return send(req, res, { ...reply, headers: { ...reply.headers, "retry-after": String(retryAfter) } })
      }
      if (faultRate > 0 && faultPrng.next() < faultRate) {
        stats.faults++
        const kind = faultPrng.int(FAULT_STATUSES.length + 1)
        const status = FAULT_STATUSES[kind]
        return send(req, res, status === undefined ? "drop" : errorReply(status, FAULT_MESSAGES[status] ?? "Server error"))
      }
      const auth = req.headers.authorization
      if (auth === undefined || auth === "") return send(req, res, json(401, { error: "Authorization header is missing" }))
      const match = /^Bearer\s+(.+)$/i.exec(auth)
      if (match?.[1]?.trim() !== token) return send(req, res, json(401, { error: "Invalid token: the bearer token is not a valid Zephyr API access token" }))

      let reply: Reply
      try {
        reply = router.handle(req.method ?? "GET", url)
      } catch (e) {
        reply = errorReply(500, `Sandbox error: ${e instanceof Error ? e.message : String(e)}`)
      }
      send(req, res, reply)
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
    router = makeRouter(index, makeRenderer(baseUrl, index), {
      maxResultsCap: options.maxResultsCap ?? 1000,
      attachments: options.attachments ?? true
    })

    return {
      baseUrl,
      port: listening.port,
      token,
      projectKey: firstProject.key,
      stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
      resetStats: () => {
        stats = { requests: 0, byPath: {}, faults: 0, throttled: 0 }
      }
    }
  })
