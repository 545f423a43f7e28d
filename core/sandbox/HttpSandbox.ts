/**
 * The transport every sandbox stands on: a plain `node:http` server that listens (port 0 = any free one), tracks
 * its sockets and destroys them on close, delays answers (`latencyMs`), throttles (429 storms by request count,
 * a requests/second limit, `Retry-After` and — gateway style — `x-ratelimit-*` headers), injects faults (5xx, a
 * dropped connection, an answer held past the client's timeout, the answer of an applied write lost), reads
 * bodies up to a limit, counts requests, and hands `/__sandbox/*` to the sandbox's control endpoints — never
 * throttled, faulted, delayed or counted. A sandbox keeps its routes, state and data, and gives the kit hooks for
 * what is its vendor's: error bodies, the 429 and 5xx bodies, which requests are gated, auth, what a write is.
 *
 * A request's life: URL parsed (400 if it cannot be) → control prefix? → counted (by the route's template) →
 * the sandbox's handler. The handler calls `request.gate()` where its protocol throttles and faults (Zephyr and
 * qTest first of all, Snowflake only for query-requests, after the session check), reads the body with
 * `request.body(limit)` if it wants one, and answers a reply or `"drop"`. The kit then loses the answer of a
 * reply marked `wrote` (`lostAnswerRate`), holds a gated reply under a `slow` fault (unless marked
 * `hold: false`: a refusal before the request was handled), adds the gateway headers, waits `latencyMs` and writes
 * it. An unread body is drained. A handler that throws answers 500 `Sandbox error: …` in the sandbox's shape.
 *
 * Plain `node:http`, not @effect/platform's HttpServer: faults need the raw socket (a drop is `socket.destroy()`
 * at a chosen moment), answers are held on timers the kit clears on close, and the exact bytes of status,
 * headers and body are the point of a protocol-faithful sandbox.
 */
import { Buffer } from "node:buffer"
import { Effect, type Scope } from "effect"
import * as http from "node:http"
import type { Socket } from "node:net"
import { type FaultMix, makeFaults } from "./Faults.ts"
import { makePrng } from "./Prng.ts"
import { makeGatewayLimiter, makeTokenBucket, stormHeaders } from "./Throttling.ts"
import { type BodyResult, readBody } from "./RequestBody.ts"
import { makeRequestStorm } from "./RequestStorm.ts"
import { SandboxStartError } from "./sandboxStartError.ts"
import type { SandboxTransportOptions } from "./TransportOptions.ts"

export const CONTROL_PREFIX = "/__sandbox/"
/** The kit's own control endpoint (behind the sandbox's `authorize`): a fresh quota. */
export const QUOTA_RESET = `${CONTROL_PREFIX}quota/reset`

export interface SandboxReply {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>> | undefined
  readonly body: string | Uint8Array
  /** false: a refusal given before the request was handled (auth, a malformed body): a `slow` fault does not hold it. */
  readonly hold?: boolean | undefined
  /** The reply confirms a write the sandbox applied: `lostAnswerRate` may drop the connection instead of sending it. */
  readonly wrote?: boolean | undefined
}

/** A reply, or `"drop"`: destroy the connection (the client sees a reset, never a status). */
export type SandboxAnswer = SandboxReply | "drop"

export interface Routed {
  /** The request's key in `stats().byPath`, e.g. `/api/v3/projects/{projectId}/test-cases`. */
  readonly template: string
}

export interface ControlRequest {
  readonly req: http.IncomingMessage
  /** Upper case. */
  readonly method: string
  readonly url: URL
  /** The body, up to `limit` bytes (read once; a second call answers the same). */
  readonly body: (limit: number) => Promise<BodyResult>
}

export interface SandboxRequest<R extends Routed = Routed> extends ControlRequest {
  readonly route: R
  /**
   * Storm → rate limit → fault, once per request, wherever the protocol puts them: the refusal to answer as is
   * (a 429, a 5xx, `"drop"`), or undefined to go on — a `slow` fault then holds this request's reply.
   */
  readonly gate: () => SandboxAnswer | undefined
}

export type Handled = SandboxAnswer | Promise<SandboxAnswer>

export interface SandboxServer<R extends Routed = Routed> {
  /** What a request is, before it is handled (and its template for the statistics). Default `{ template: url.pathname }`. */
  readonly route?: ((method: string, url: URL) => R) | undefined
  readonly handle: (request: SandboxRequest<R>) => Handled
}

export interface ControlEndpoints {
  /** A refusal when the request may not use the control endpoints (checked before anything else). */
  readonly authorize?: ((req: http.IncomingMessage) => SandboxReply | undefined) | undefined
  /** `action` is the path after `/__sandbox/` (`reset` for `/__sandbox/reset`). */
  readonly handle: (action: string, request: ControlRequest) => Handled
}

export interface ThrottleStyle {
  /** The body of a 429 (its status is the kit's). */
  readonly reply: SandboxReply
  /**
   * `token-bucket` (default): `rateLimit` refills continuously, a 429 carries only `Retry-After`. `gateway`: fixed
   * windows, `x-ratelimit-*` / `ratelimit-*` on every gated answer (Throttling.ts).
   */
  readonly style?: "token-bucket" | "gateway" | undefined
  /** token-bucket: the share of rate-limit 429s that say `Retry-After: 0` (Zephyr Cloud's habit). Default 0. */
  readonly zeroRetryAfterShare?: number | undefined
}

export interface FaultStyle extends FaultMix {
  /** The body of a 5xx fault. Default: `errorReply(status, "Server error")`. */
  readonly reply?: ((status: number) => SandboxReply) | undefined
}

export interface SandboxAddress {
  readonly port: number
  /** `http://127.0.0.1:<port>` (a wildcard host is reached on 127.0.0.1, an IPv6 one in brackets). */
  readonly origin: string
}

export interface HttpSandboxConfig<R extends Routed = Routed> {
  /** The common options as the user gave them (checked by the sandbox with `checkTransportOptions`). */
  readonly options: SandboxTransportOptions
  /** 0..1: share of replies marked `wrote` whose connection is dropped instead (the write stays applied). */
  readonly lostAnswerRate?: number | undefined
  /** The sandbox's error body: a malformed URL (400), a sandbox still starting (503), a handler that threw (500). */
  readonly errorReply: (status: number, message: string) => SandboxReply
  readonly throttle: ThrottleStyle
  readonly faults?: FaultStyle | undefined
  readonly control?: ControlEndpoints | undefined
  /** Runs when the scope closes, before the sockets are destroyed (save state, end sessions). */
  readonly onClose?: (() => void) | undefined
  /** The routes, made once the port is known (a sandbox's links carry its URL). */
  readonly serve: (address: SandboxAddress) => SandboxServer<R>
}

export interface TransportStats {
  readonly requests: number
  /** By route template. */
  readonly byPath: Record<string, number>
  /** Injected faults of every kind, lost answers included. */
  readonly faults: number
  /** Requests answered 429 (storm or rate limit). */
  readonly throttled: number
}

export interface RunningHttpSandbox extends SandboxAddress {
  readonly stats: () => TransportStats
  readonly resetStats: () => void
  /** A fresh quota (`quotaPerMinute`, `quotaPerMonth`, the rate's windows), as when the month turns; also `POST /__sandbox/quota/reset`. */
  readonly resetQuota: () => void
}

/** Mixed into the seed for the lost-answer and throttle draws, so each has its own stream. */
const LOST_ANSWER_SALT = 0x5bd1e995
const THROTTLE_SALT = 0x9e3779b9

type Timer = ReturnType<typeof setTimeout>

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** Starts the server; it stops (every open socket destroyed, held answers dropped) when the scope closes. */
export const startHttpSandbox = <R extends Routed = Routed>(config: HttpSandboxConfig<R>): Effect.Effect<RunningHttpSandbox, SandboxStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const o = config.options
    const host = o.host ?? "127.0.0.1"
    const port = o.port ?? 0
    const latencyMs = o.latencyMs ?? 0
    const seed = o.seed ?? 1
    const lostAnswerRate = config.lostAnswerRate ?? 0
    const gateway = config.throttle.style === "gateway"
    const zeroShare = config.throttle.zeroRetryAfterShare ?? 0
    const storm = o.storm === undefined ? undefined : { options: o.storm, next: makeRequestStorm(o.storm).next }
    const quotas = o.quotaPerMinute !== undefined || o.quotaPerMonth !== undefined
    // gateway: one limiter counts the rate and the quotas; token bucket: the bucket the rate, a limiter the quotas
    const windows =
      gateway && (o.rateLimit !== undefined || quotas)
        ? makeGatewayLimiter({ perSecond: o.rateLimit, perMinute: o.quotaPerMinute, perMonth: o.quotaPerMonth })
        : !gateway && quotas
          ? makeGatewayLimiter({ perMinute: o.quotaPerMinute, perMonth: o.quotaPerMonth })
          : undefined
    const bucket = !gateway && o.rateLimit !== undefined ? makeTokenBucket(o.rateLimit) : undefined
    const fault = makeFaults(o, config.faults ?? {}, makePrng(seed))
    const lostAnswerPrng = makePrng(seed ^ LOST_ANSWER_SALT)
    const throttlePrng = makePrng(seed ^ THROTTLE_SALT)
    const faultReply = config.faults?.reply ?? ((status: number) => config.errorReply(status, "Server error"))
    const timers = new Set<Timer>()
    let allowedByStorm = 0
    let stats = { requests: 0, byPath: {} as Record<string, number>, faults: 0, throttled: 0 }
    let server: SandboxServer<R> | undefined

    const resetQuota = () => windows?.reset()

    const urlHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host
    const addressOf = (bound: number): SandboxAddress => ({ port: bound, origin: `http://${urlHost}:${bound}` })

    const send = (req: http.IncomingMessage, res: http.ServerResponse, answer: SandboxAnswer, headers: Readonly<Record<string, string>>, delay: number): void => {
      const write = () => {
        if (res.destroyed || res.writableEnded) return
        if (answer === "drop") {
          req.socket.destroy()
          return
        }
        const body = typeof answer.body === "string" ? Buffer.from(answer.body, "utf8") : answer.body
        res.writeHead(answer.status, { ...headers, ...answer.headers, "content-length": String(body.byteLength) })
        res.end(req.method === "HEAD" ? undefined : body)
      }
      if (delay <= 0) return write()
      const t = setTimeout(() => {
        timers.delete(t)
        write()
      }, delay)
      timers.add(t)
    }

    const withRetryAfter = (reply: SandboxReply, seconds: number | undefined): SandboxReply =>
      seconds === undefined ? reply : { ...reply, headers: { ...reply.headers, "retry-after": String(seconds) } }
    const tooMany = (): SandboxReply => ({ ...config.throttle.reply, status: 429 })

    /** One request's transport state: whether its body was read, what its gate decided. */
    const begin = (req: http.IncomingMessage, url: URL) => {
      let body: Promise<BodyResult> | undefined
      let gated: { readonly refusal: SandboxAnswer | undefined; readonly holdMs: number; readonly headers: Readonly<Record<string, string>> } | undefined
      const request: ControlRequest = {
        req,
        method: (req.method ?? "GET").toUpperCase(),
        url,
        body: (limit) => (body ??= readBody(req, limit))
      }
      const gate = (): SandboxAnswer | undefined => {
        if (gated !== undefined) return gated.refusal
        const verdict = storm?.next()
        if (verdict !== undefined && !verdict.throttled) allowedByStorm++
        let headers: Readonly<Record<string, string>> = {}
        let refusal: SandboxAnswer | undefined
        if (gateway) {
          const decision = verdict?.throttled === true ? undefined : windows?.()
          headers =
            verdict !== undefined && storm !== undefined
              ? { ...decision?.headers, ...stormHeaders(storm.options, verdict.quota, verdict.remaining, allowedByStorm, verdict.throttled) }
              : (decision?.headers ?? {})
          if (verdict?.throttled === true || (decision !== undefined && !decision.allowed)) refusal = tooMany()
        } else if (verdict?.throttled === true) refusal = withRetryAfter(tooMany(), storm?.options.retryAfterSeconds)
        else {
          const waitMs = bucket?.() ?? 0
          if (waitMs > 0) refusal = withRetryAfter(tooMany(), zeroShare > 0 && throttlePrng.next() < zeroShare ? 0 : Math.max(1, Math.ceil(waitMs / 1000)))
          else if (windows !== undefined) {
            // the quotas: their headers on every answer; beyond them a 429 with a positive Retry-After
            const decision = windows()
            headers = decision.headers
            if (!decision.allowed) refusal = withRetryAfter(tooMany(), decision.retryAfter)
          }
        }
        if (refusal !== undefined) {
          stats.throttled++
          gated = { refusal, holdMs: 0, headers }
          return refusal
        }
        const f = fault()
        if (f.kind !== "none") stats.faults++
        refusal = f.kind === "5xx" ? faultReply(f.status) : f.kind === "drop" ? "drop" : undefined
        gated = { refusal, holdMs: f.kind === "slow" ? f.holdMs : 0, headers }
        return refusal
      }
      /** Sends what the handler answered, with the gate's headers, hold and the lost-answer fault; an unread body is drained. */
      const answer = (res: http.ServerResponse, a: SandboxAnswer) => {
        if (body === undefined) req.resume()
        if (a !== "drop" && a.wrote === true && lostAnswerRate > 0 && lostAnswerPrng.next() < lostAnswerRate) {
          stats.faults++
          return send(req, res, "drop", {}, latencyMs)
        }
        const hold = a !== "drop" && a.hold !== false ? (gated?.holdMs ?? 0) : 0
        send(req, res, a, gated?.headers ?? {}, latencyMs + hold)
      }
      /** A control endpoint's answer: at once, nothing added. */
      const control = (res: http.ServerResponse, a: SandboxAnswer) => {
        if (body === undefined) req.resume()
        send(req, res, a, {}, 0)
      }
      return { request, gate, answer, control }
    }

    const run = (handled: () => Handled, done: (a: SandboxAnswer) => void): void => {
      const failed = (e: unknown) => done(config.errorReply(500, `Sandbox error: ${messageOf(e)}`))
      try {
        const a = handled()
        if (a instanceof Promise) a.then(done, failed)
        else done(a)
      } catch (e) {
        failed(e)
      }
    }

    const onRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      let url: URL
      try {
        url = new URL(req.url ?? "/", "http://sandbox.invalid")
      } catch {
        stats.requests++
        req.resume()
        return send(req, res, config.errorReply(400, "Malformed request URL"), {}, latencyMs)
      }
      const { request, gate, answer, control } = begin(req, url)
      const endpoints = config.control
      if (endpoints !== undefined && url.pathname.startsWith(CONTROL_PREFIX)) {
        const denied = endpoints.authorize?.(req)
        if (denied !== undefined) return control(res, denied)
        if (url.pathname === QUOTA_RESET && request.method === "POST") {
          resetQuota()
          return control(res, { status: 204, body: "" })
        }
        return run(() => endpoints.handle(url.pathname.slice(CONTROL_PREFIX.length), request), (a) => control(res, a))
      }
      stats.requests++
      const current = server
      // unreachable: `serve` runs in the listen callback, before any connection is accepted
      if (current === undefined) return answer(res, config.errorReply(503, "The sandbox is starting"))
      let route: R
      try {
        route = current.route?.(request.method, url) ?? ({ template: url.pathname } as R)
      } catch (e) {
        return answer(res, config.errorReply(500, `Sandbox error: ${messageOf(e)}`))
      }
      stats.byPath[route.template] = (stats.byPath[route.template] ?? 0) + 1
      run(() => current.handle({ ...request, route, gate }), (a) => answer(res, a))
    }

    const listening = yield* Effect.acquireRelease(
      Effect.async<{ readonly http: http.Server; readonly sockets: Set<Socket>; readonly port: number }, SandboxStartError>((resume) => {
        const s = http.createServer(onRequest)
        const sockets = new Set<Socket>()
        s.on("connection", (socket) => {
          sockets.add(socket)
          socket.on("close", () => sockets.delete(socket))
        })
        const onError = (e: Error) => resume(Effect.fail(new SandboxStartError({ reason: "Listen", message: `cannot listen on ${host}:${port}: ${e.message}` })))
        s.once("error", onError)
        s.listen(port, host, () => {
          s.off("error", onError)
          const bound = s.address()
          const actual = typeof bound === "object" && bound !== null ? bound.port : port
          // the routes are in place before the first connection is accepted: no request finds the sandbox starting
          try {
            server = config.serve(addressOf(actual))
          } catch (e) {
            s.close()
            return resume(Effect.die(e))
          }
          resume(Effect.succeed({ http: s, sockets, port: actual }))
        })
      }),
      ({ http: s, sockets }) =>
        Effect.async<void>((resume) => {
          config.onClose?.()
          for (const t of timers) clearTimeout(t)
          timers.clear()
          for (const socket of sockets) socket.destroy()
          s.close(() => resume(Effect.void))
        })
    )

    return {
      ...addressOf(listening.port),
      stats: () => ({ ...stats, byPath: { ...stats.byPath } }),
      resetQuota,
      resetStats: () => {
        stats = { requests: 0, byPath: {}, faults: 0, throttled: 0 }
      }
    }
  })
