/**
 * A minimal sandbox for a new source, built on core's sandbox kit (docs/sandbox-kit.md): an imaginary test
 * tracker's read API — `GET /api/cases?offset=&limit=` and `GET /api/cases/{id}` behind a bearer token, errors as
 * `{"error": …}` — and one control endpoint, `POST /__sandbox/cases` `{title}`, that adds a case. Listening,
 * latency, 429 storms and the rate limit, faults, statistics and closing are the kit's; this file holds only
 * what is the tracker's: its data, its routes, its auth and its error body.
 */
import { Effect, Redacted, type Scope } from "effect"
import {
  type SandboxCapability,
  checkTransportOptions,
  SandboxStartError,
  sandboxStartError,
  startHttpSandbox,
  transportOptionsOf,
  type SandboxReply,
  type SandboxTransportOptions,
  type TransportStats
} from "../../core/sandbox.ts"

export interface MiniSandboxOptions extends SandboxTransportOptions {
  /** How many demo cases it serves at start. Default 25. */
  readonly cases?: number | undefined
  /** The bearer token it accepts. Default "mini-token". */
  readonly token?: string | undefined
}

export interface RunningMiniSandbox {
  /** `http://127.0.0.1:<port>/api` */
  readonly baseUrl: string
  readonly token: string
  readonly stats: () => TransportStats
}

interface Case {
  readonly id: number
  readonly title: string
}

const json = (status: number, body: unknown): SandboxReply => ({ status, headers: { "content-type": "application/json" }, body: JSON.stringify(body) })
/** The tracker's error body: every refusal, the kit's included (a fault, a 429, a handler that threw). */
const errorReply = (status: number, message: string): SandboxReply => json(status, { error: message })

const checkOptions = (o: MiniSandboxOptions): string | undefined =>
  checkTransportOptions(o) ??
  (o.cases !== undefined && !(Number.isInteger(o.cases) && o.cases >= 0) ? `cases must be an integer >= 0, got ${o.cases}` : undefined) ??
  (o.token === "" ? "token must not be empty" : undefined)

/** Starts the sandbox; it stops, connections included, when the scope closes. */
export const startMiniSandbox = (options: MiniSandboxOptions = {}): Effect.Effect<RunningMiniSandbox, SandboxStartError, Scope.Scope> =>
  Effect.gen(function* () {
    const invalid = checkOptions(options)
    if (invalid !== undefined) return yield* new SandboxStartError({ reason: "Config", message: invalid })
    const token = options.token ?? "mini-token"
    const cases: Array<Case> = Array.from({ length: options.cases ?? 25 }, (_, i) => ({ id: i + 1, title: `Case ${i + 1}` }))
    const authorize = (authorization: string | undefined): SandboxReply | undefined =>
      authorization === `Bearer ${token}` ? undefined : errorReply(401, "a valid bearer token is required")

    const running = yield* startHttpSandbox({
      options,
      errorReply,
      throttle: { reply: errorReply(429, "too many requests") },
      faults: { reply: (status) => errorReply(status, "the tracker is having a bad day") },
      control: {
        authorize: (req) => authorize(req.headers.authorization),
        handle: async (action, request) => {
          if (action !== "cases" || request.method !== "POST") return errorReply(404, `no control endpoint ${request.method} ${request.url.pathname}`)
          const read = await request.body(4096)
          if ("tooLarge" in read) return errorReply(413, "the body is too large")
          const { title } = JSON.parse(read.bytes.toString("utf8")) as { title?: unknown }
          if (typeof title !== "string" || title === "") return errorReply(400, "title must be a non-empty string")
          const added = { id: cases.length + 1, title }
          cases.push(added)
          return json(201, added)
        }
      },
      serve: () => ({
        // the statistics count `/api/cases/17` under its template
        route: (_method, url) => ({ template: /^\/api\/cases\/[^/]+$/.test(url.pathname) ? "/api/cases/{id}" : url.pathname }),
        handle: (request) => {
          // auth first, then the gate: an unauthenticated call is never throttled or faulted here
          const denied = authorize(request.req.headers.authorization)
          if (denied !== undefined) return denied
          const refused = request.gate()
          if (refused !== undefined) return refused
          if (request.method !== "GET") return errorReply(405, "the tracker's API is read-only")
          const { pathname, searchParams } = request.url
          if (pathname === "/api/cases") {
            const offset = Number(searchParams.get("offset") ?? 0)
            const limit = Math.min(Number(searchParams.get("limit") ?? 10), 100)
            if (!(Number.isInteger(offset) && offset >= 0 && Number.isInteger(limit) && limit >= 1)) return errorReply(400, "offset and limit must be whole numbers")
            return json(200, { total: cases.length, offset, items: cases.slice(offset, offset + limit) })
          }
          const id = /^\/api\/cases\/(\d+)$/.exec(pathname)?.[1]
          const found = id === undefined ? undefined : cases[Number(id) - 1]
          return found === undefined ? errorReply(404, `nothing at ${pathname}`) : json(200, found)
        }
      })
    })
    return { baseUrl: `${running.origin}/api`, token, stats: running.stats }
  })

/** What `migrate sandbox` and `run --sandbox` call: the common options passed on, its own declared. */
export const miniSandboxCapability: SandboxCapability = {
  options: [{ name: "mini-cases", type: "integer", description: "how many demo cases the mini sandbox serves" }],
  start: (o) =>
    Effect.gen(function* () {
      const cases = o.extra["mini-cases"]
      const running = yield* startMiniSandbox({ ...transportOptionsOf(o), cases: typeof cases === "number" ? cases : undefined }).pipe(
        Effect.mapError(sandboxStartError("mini", "mini tracker"))
      )
      return { baseUrl: running.baseUrl, configOverrides: { baseUrl: running.baseUrl, token: Redacted.make(running.token) } }
    })
}
