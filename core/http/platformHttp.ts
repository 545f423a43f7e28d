/**
 * The HTTP client under every `ctx.http`, one per process, chosen by the runtime we are on:
 * - Node: undici's own client over its global dispatcher. Node's `fetch` is undici wrapped in WHATWG streams and
 *   abort signals; a request through it costs about 1.5–2.5× the CPU (measured on a local server, 0.44–0.75 ms
 *   against 0.29 ms per request), and at a few hundred requests a second migrate's own CPU bounds a run.
 * - Deno: its native `fetch`.
 * Each is imported only on its own runtime. The global dispatcher lives as long as the process, so a client
 * taken by one plugin context stays usable after that context is built.
 *
 * The client's tracing is off under Node: a span per request (a dozen attributes, the headers redacted for it)
 * that no exporter reads — migrate counts its requests itself (RequestMetrics.ts) — and `traceparent`/`b3`
 * headers that would go to the vendors with every request.
 *
 * A request's time limit is undici's own on Node (`timeLimited`): its timers for the wait for the headers and for
 * each chunk of the body, set per request through the dispatcher. `Effect.timeout` races the exchange against a
 * sleep in two fibers of their own, twice a request (headers, body): a third of the runtime's operations per
 * request, measured. Elsewhere `timeLimited` is absent and the caller races with `Effect.timeout`.
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import type { UndiciRequestOptions } from "@effect/platform-node/NodeHttpClient"
import { Context, Effect } from "effect"
import { isDeno } from "../isDeno.ts"

export interface PlatformHttp {
  readonly client: HttpClient.HttpClient
  /**
   * Gives the requests `exchange` sends a time limit enforced by the client itself: `ms` from sending to the
   * headers, and `ms` between two chunks of the body. A request past it fails with an error `isTimeLimit` knows.
   * Absent where the client has no such limit; undefined for a limit too short for the client's timers.
   */
  readonly timeLimited: ((ms: number) => (<A, E, R>(exchange: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>) | undefined) | undefined
}

/** The undici errors of a time limit reached, anywhere in an error's chain of causes. */
const TIME_LIMIT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"])

export const isTimeLimit = (error: unknown): boolean => {
  for (let e: unknown = error, depth = 0; typeof e === "object" && e !== null && depth < 8; e = (e as { cause?: unknown }).cause, depth++)
    if (TIME_LIMIT_CODES.has(String((e as { code?: unknown }).code))) return true
  return false
}

/**
 * The shortest limit left to undici's timers: it checks the wait for headers on a timer that ticks every half
 * second, so a limit fires up to a second late — noise on the default 30 s, not on a test's 100 ms.
 */
const CLIENT_LIMIT_FROM_MS = 2000

/** Our key in a request's undici options: the time limit the dispatcher's interceptor turns into undici's two. */
const TIME_LIMIT = "migrateTimeLimitMs"

let platform: Promise<PlatformHttp> | undefined

const load = async (): Promise<PlatformHttp> => {
  if (isDeno()) {
    // The platform's client as it comes: with its tracing off (or only the propagation), Deno crashed (SIGSEGV)
    // at exit after a complete run on the libsql driver in 1–2 of 6–8 runs, against none in 16 without. Deno is
    // not what the throughput is measured on.
    const client = await Effect.runPromise(HttpClient.HttpClient.pipe(Effect.provide(FetchHttpClient.layer)))
    return { client, timeLimited: undefined }
  }
  const NodeHttpClient = await import("@effect/platform-node/NodeHttpClient")
  // undici is CommonJS: its default export is the module under every loader (a bundle's names may be absent)
  const Undici = (await import("@effect/platform-node/Undici")).default
  // The platform client sets undici's two timeouts on every request (to an hour, and none): the interceptor puts
  // the request's own limit in their place when one was given.
  const dispatcher = Undici.getGlobalDispatcher().compose((dispatch) => (opts, handler) => {
    const { [TIME_LIMIT]: ms, ...rest } = opts as typeof opts & { readonly [TIME_LIMIT]?: number }
    return dispatch(ms === undefined ? opts : { ...rest, headersTimeout: ms, bodyTimeout: ms }, handler)
  })
  const client = await Effect.runPromise(
    HttpClient.HttpClient.pipe(
      Effect.provide(NodeHttpClient.layerUndiciWithoutDispatcher),
      Effect.provideService(NodeHttpClient.Dispatcher, dispatcher)
    )
  )
  // the tag is typed as whole request options, but the client spreads it under its own: a part is what it takes
  const options = (ms: number) => Context.make(NodeHttpClient.UndiciRequestOptions, { [TIME_LIMIT]: ms } as unknown as UndiciRequestOptions["Type"])
  return {
    client: HttpClient.withTracerDisabledWhen(client, () => true),
    timeLimited: (ms) => {
      if (ms < CLIENT_LIMIT_FROM_MS) return undefined
      const context = options(ms)
      return (exchange) => Effect.provide(exchange, context)
    }
  }
}

export const platformHttp: Effect.Effect<PlatformHttp> = Effect.promise(() => (platform ??= load()))
