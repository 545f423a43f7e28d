/**
 * The HTTP surface core gives a plugin (`ctx.http`): one `send`, the platform HttpClient specialised with the base
 * URL, bearer auth, a per-attempt timeout, the system's throttle (SystemThrottle: requests in flight, pacing on the
 * quota headers, the spec's rate cap, the budget), core's retry policy and request counting. Every failure leaves
 * here as an `ApiError` whose reason the retry policy and the plugin can act on; a budget reached stops the run
 * (RequestBudget.ts).
 */
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Cause, Duration, Effect, Exit, FiberRef, Option, Redacted, Stream } from "effect"
import { ApiError } from "../errors.ts"
import type { ApiHttp, ByteResponse, HttpMethod, HttpOptions, RequestBody, SendOptions, SentResponse } from "../plugin/Plugin.ts"
import type { Outcome } from "../policy/AdaptiveConcurrency.ts"
import type { RateLimiter } from "../policy/RateLimiter.ts"
import { Policies, type RetryOptions } from "../policy/RetryPolicy.ts"
import { isTimeLimit, type PlatformHttp } from "./platformHttp.ts"
import { currentRequestKind } from "./RequestKind.ts"
import { makeSystemThrottle, type SystemThrottle } from "../policy/SystemThrottle.ts"
import type { RequestMetrics } from "./RequestMetrics.ts"

export interface ApiHttpSettings {
  readonly system: string
  readonly client: HttpClient.HttpClient
  /** The client's own time limit on a request (platformHttp.ts); absent or declined: the exchange races `Effect.timeout`. */
  readonly timeLimited?: PlatformHttp["timeLimited"]
  /** The system's throttle, shared by all its `ctx.http`; absent: one of its own around `limiter`. */
  readonly throttle?: SystemThrottle | undefined
  readonly limiter?: RateLimiter | undefined
  readonly retry: RetryOptions
  readonly timeoutMs: number
  readonly metrics: RequestMetrics
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>

const reasonOf = (status: number): ApiError["reason"] =>
  status === 401
    ? "Unauthorized"
    : status === 403
      ? "Forbidden"
      : status === 404
        ? "NotFound"
        : status === 429
          ? "RateLimited"
          : status >= 500
            ? "Server"
            : "BadRequest"

/** `Retry-After` in seconds (or an HTTP date); 0, absent or unparsable → undefined, meaning "use backoff". */
export const parseRetryAfter = (value: string | undefined, now: number = Date.now()): number | undefined => {
  if (value === undefined || value.trim() === "") return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return seconds > 0 ? seconds : undefined
  const date = Date.parse(value)
  if (Number.isNaN(date)) return undefined
  const delta = Math.ceil((date - now) / 1000)
  return delta > 0 ? delta : undefined
}

/** The message of an error body: the plugin's reading of its system's format, else the text, cut short. */
const bodyMessage = (text: string, read: ((body: string) => string | undefined) | undefined): string => {
  const m = read === undefined ? undefined : (() => {
    try {
      return read(text)
    } catch {
      return undefined
    }
  })()
  if (m !== undefined && m !== "") return m
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/** The URL as shown in errors and logs: query strings can carry filters but never secrets (auth is a header). */
const joinUrl = (baseUrl: string, pathOrUrl: string, query?: Query): string => {
  const url = /^https?:\/\//.test(pathOrUrl)
    ? new URL(pathOrUrl)
    : new URL(baseUrl.replace(/\/+$/, "") + "/" + pathOrUrl.replace(/^\/+/, ""))
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v))
  return url.toString()
}

/** What an attempt tells the adaptive concurrency: 429, 5xx and timeouts mean "fewer at a time". */
const outcomeOf = (exit: Exit.Exit<unknown, ApiError>): Outcome =>
  Exit.isSuccess(exit)
    ? "success"
    : Option.match(Cause.failureOption(exit.cause), {
        onNone: () => "other" as const,
        onSome: (e) => (e.reason === "RateLimited" || e.reason === "Server" || e.reason === "Timeout" ? ("overload" as const) : ("other" as const))
      })

export const makeApiHttp = (settings: ApiHttpSettings, options: HttpOptions): ApiHttp => {
  const { system, metrics } = settings
  const { concurrency, pacer, limiter, budget } = settings.throttle ?? makeSystemThrottle({ system, limiter: settings.limiter })
  const counters = metrics.of(system)
  const observer = {
    onRetry: (error: ApiError) =>
      Effect.sync(() => {
        counters.retries++
        if (error.reason === "RateLimited") counters.throttled++
      })
  }
  /**
   * An exchange (sending, or reading a body) within the request time limit: the client's own where it has one —
   * set for the request, it also covers the body's reading, so the body is not raced again — else a race with a
   * sleep.
   */
  const timeLimited = settings.timeLimited?.(settings.timeoutMs)
  const limited = <A>(exchange: Effect.Effect<A, ApiError>, onTimeout: () => ApiError): Effect.Effect<A, ApiError> =>
    timeLimited !== undefined ? timeLimited(exchange) : Effect.timeoutFail(exchange, { duration: Duration.millis(settings.timeoutMs), onTimeout })
  const bodyLimited = <A>(read: Effect.Effect<A, ApiError>, onTimeout: () => ApiError): Effect.Effect<A, ApiError> =>
    timeLimited !== undefined ? read : limited(read, onTimeout)
  const retry = Policies.transient(settings.retry, observer)
  const retryUnapplied = Policies.unappliedOnly(settings.retry, observer)

  const authorize = (request: HttpClientRequest.HttpClientRequest) => {
    let r = HttpClientRequest.acceptJson(request)
    // a request that brings its own authorization (a login with Basic auth) keeps it
    if (request.headers["authorization"] === undefined) {
      if (options.basic) r = HttpClientRequest.basicAuth(r, options.basic.username, Redacted.value(options.basic.password))
      else if (options.bearer) r = HttpClientRequest.bearerToken(r, Redacted.value(options.bearer))
    }
    if (options.headers) r = HttpClientRequest.setHeaders(r, options.headers)
    return r
  }

  /**
   * One attempt: a place among the requests in flight, its slot in the quota's pace and the rate cap, the budget,
   * then send; the answer's quota headers are read, and its outcome adapts the concurrency. Fails with ApiError on
   * transport errors, timeouts and non-2xx.
   */
  const send = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<HttpClientResponse.HttpClientResponse, ApiError> => {
    const fail = (reason: ApiError["reason"], message: string, status?: number, retryAfterSeconds?: number) =>
      new ApiError({ system, reason, method: request.method, url: request.url, status, retryAfterSeconds, message })
    const noResponse = () => fail("Timeout", `${request.method} ${request.url}: no response within ${settings.timeoutMs} ms`)
    const attempt = pacer.take.pipe(
      Effect.zipRight(limiter.take),
      Effect.zipRight(Effect.suspend(() => budget.spend(pacer.monthRemaining()))),
      Effect.zipRight(Effect.flatMap(FiberRef.get(currentRequestKind), (kind) => Effect.sync(() => metrics.count(system, kind)))),
      // the time limit is the exchange's own: a wait for a slot in the pace or under the cap is no reason to give up
      Effect.zipRight(
        limited(
          settings.client
            .execute(authorize(request))
            .pipe(Effect.mapError((e) => (isTimeLimit(e) ? noResponse() : fail("Transport", `${request.method} ${request.url}: ${e.message}`)))),
          noResponse
        )
      ),
      Effect.tap((response) => pacer.observe(response.status, response.headers)),
      Effect.flatMap((response) =>
        response.status >= 200 && response.status < 300
          ? Effect.succeed(response)
          : response.text.pipe(
              Effect.orElseSucceed(() => ""),
              Effect.flatMap((text) =>
                Effect.fail(
                  fail(
                    reasonOf(response.status),
                    `${request.method} ${request.url} answered ${response.status}: ${bodyMessage(text, options.errorMessage)}`,
                    response.status,
                    parseRetryAfter(response.headers["retry-after"])
                  )
                )
              )
            )
      ),
      Effect.tapError((e) =>
        Effect.sync(() => {
          counters.failed++
          if (e.reason === "Timeout") counters.timedOut++
        })
      )
    )
    return Effect.uninterruptibleMask((restore) =>
      Effect.flatMap(restore(concurrency.acquire), (permit) => restore(attempt).pipe(Effect.onExit((exit) => permit.release(outcomeOf(exit)))))
    )
  }

  const bodyTooSlow = (request: HttpClientRequest.HttpClientRequest) =>
    new ApiError({ system, reason: "Timeout", method: request.method, url: request.url, message: `${request.url}: body not received in time` })

  /** One attempt, and the body parsed as JSON (null when empty), with status and headers. */
  const attemptJson = (request: HttpClientRequest.HttpClientRequest) =>
    send(request).pipe(
      Effect.flatMap((response) =>
        Effect.flatMap(
          // the body's own time limit: the attempt's (in `send`) ended with the headers, and a wait for a slot in
          // the pace before it is no reason to give up (nor an attempt the counts would not see)
          bodyLimited(
            Effect.mapError(response.text, (e) =>
              isTimeLimit(e)
                ? bodyTooSlow(request)
                : new ApiError({ system, reason: "Transport", method: request.method, url: request.url, message: `reading the body of ${request.url}: ${e.message}` })
            ),
            () => bodyTooSlow(request)
          ),
          (text) =>
            Effect.try({
              try: () => (text === "" ? null : (JSON.parse(text) as unknown)),
              catch: () =>
                new ApiError({ system, reason: "Decode", method: request.method, url: request.url, status: response.status, message: `${request.url} did not return JSON: ${bodyMessage(text, undefined)}` })
            }).pipe(Effect.map((body) => ({ status: response.status, headers: response.headers as Readonly<Record<string, string>>, body })))
        )
      )
    )

  const withBody = (request: HttpClientRequest.HttpClientRequest, body: RequestBody | undefined): HttpClientRequest.HttpClientRequest => {
    if (body === undefined) return request
    switch (body._tag) {
      case "json":
        return HttpClientRequest.bodyUnsafeJson(request, body.value)
      case "form":
        return HttpClientRequest.bodyUrlParams(request, body.value)
      case "bytes":
        return HttpClientRequest.bodyUint8Array(request, body.value, body.contentType)
      case "stream":
        return HttpClientRequest.bodyStream(request, body.make(), { contentType: body.contentType, contentLength: body.contentLength })
    }
  }

  /** The body as a byte stream, once the headers have arrived. */
  const attemptBytes = (request: HttpClientRequest.HttpClientRequest) =>
    send(request).pipe(
      Effect.map((response): ByteResponse => {
        const length = Number(response.headers["content-length"])
        return {
          contentType: response.headers["content-type"],
          contentLength: Number.isFinite(length) ? length : undefined,
          stream: Stream.mapError(response.stream, (e) =>
            new ApiError({
              system,
              reason: isTimeLimit(e) ? "Timeout" : "Transport",
              method: request.method,
              url: request.url,
              message: isTimeLimit(e) ? `download of ${request.url} stalled for ${settings.timeoutMs} ms` : `download of ${request.url} broke off: ${e.message}`
            })
          )
        }
      })
    )

  const sendRequest = (method: HttpMethod, pathOrUrl: string, o: SendOptions = {}): Effect.Effect<SentResponse | ByteResponse, ApiError> => {
    const url = joinUrl(options.baseUrl, pathOrUrl, o.query)
    // built inside the attempt, so a stream body is made anew on every retry
    const attempt = Effect.suspend((): Effect.Effect<SentResponse | ByteResponse, ApiError> => {
      let request = withBody(HttpClientRequest.make(method)(url), o.body)
      if (o.response === "bytes") request = HttpClientRequest.setHeader(request, "accept", "*/*")
      if (o.headers) request = HttpClientRequest.setHeaders(request, o.headers)
      return o.response === "bytes" ? attemptBytes(request) : attemptJson(request)
    })
    const policy = o.retry ?? (method === "POST" || method === "PATCH" ? "unappliedOnly" : "transient")
    return policy === "transient" ? retry(attempt) : policy === "unappliedOnly" ? retryUnapplied(attempt) : attempt
  }

  return { send: sendRequest as ApiHttp["send"] }
}
