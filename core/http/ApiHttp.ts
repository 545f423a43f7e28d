/**
 * The HTTP surface core gives a plugin (`ctx.http`): the platform HttpClient specialised with the base URL, bearer
 * auth, a per-attempt timeout, the system's token bucket, the transient-retry policy and request counting.
 * Every failure leaves here as an `ApiError` whose reason the retry policy and the plugin can act on.
 */
import { HttpClient, HttpClientRequest, type HttpClientResponse } from "@effect/platform"
import { Duration, Effect, Redacted, Stream } from "effect"
import { ApiError } from "../errors.ts"
import type { ApiHttp, ByteResponse, HttpOptions, RequestBody } from "../plugin/Plugin.ts"
import type { RateLimiter } from "../policy/RateLimiter.ts"
import { Policies, type RetryOptions } from "../policy/RetryPolicy.ts"
import type { RequestMetrics } from "./RequestMetrics.ts"

export interface ApiHttpSettings {
  readonly system: string
  readonly client: HttpClient.HttpClient
  readonly limiter: RateLimiter
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

/** The message of an error body: Zephyr `{errorCode,message}` / `{error}`, qTest `{message}`, else the text. */
const bodyMessage = (text: string): string => {
  try {
    const body = JSON.parse(text) as Record<string, unknown>
    const m = body["message"] ?? body["error"] ?? body["errorMessage"]
    if (typeof m === "string") return m
  } catch {
    // not JSON: fall through to the raw text
  }
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

export const makeApiHttp = (settings: ApiHttpSettings, options: HttpOptions): ApiHttp => {
  const { system, limiter, metrics } = settings
  const counters = metrics.of(system)
  const observer = {
    onRetry: (error: ApiError) =>
      Effect.sync(() => {
        counters.retries++
        if (error.reason === "RateLimited") counters.throttled++
      })
  }
  const retry = Policies.transient(settings.retry, observer)
  const retryUnapplied = Policies.unappliedOnly(settings.retry, observer)

  const authorize = (request: HttpClientRequest.HttpClientRequest) => {
    let r = HttpClientRequest.acceptJson(request)
    // a request that brings its own authorization (a login with Basic auth) keeps it
    if (options.bearer && request.headers["authorization"] === undefined) r = HttpClientRequest.bearerToken(r, Redacted.value(options.bearer))
    if (options.headers) r = HttpClientRequest.setHeaders(r, options.headers)
    return r
  }

  /** One attempt: wait for a token, send, fail with ApiError on transport errors, timeouts and non-2xx. */
  const send = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<HttpClientResponse.HttpClientResponse, ApiError> => {
    const fail = (reason: ApiError["reason"], message: string, status?: number, retryAfterSeconds?: number) =>
      new ApiError({ system, reason, method: request.method, url: request.url, status, retryAfterSeconds, message })
    return limiter.take.pipe(
      Effect.zipRight(Effect.sync(() => counters.requests++)),
      Effect.zipRight(settings.client.execute(authorize(request))),
      Effect.mapError((e) => fail("Transport", `${request.method} ${request.url}: ${e.message}`)),
      Effect.timeoutFail({
        duration: Duration.millis(settings.timeoutMs),
        onTimeout: () => fail("Timeout", `${request.method} ${request.url}: no response within ${settings.timeoutMs} ms`)
      }),
      Effect.flatMap((response) =>
        response.status >= 200 && response.status < 300
          ? Effect.succeed(response)
          : response.text.pipe(
              Effect.orElseSucceed(() => ""),
              Effect.flatMap((text) =>
                Effect.fail(
                  fail(
                    reasonOf(response.status),
                    `${request.method} ${request.url} answered ${response.status}: ${bodyMessage(text)}`,
                    response.status,
                    parseRetryAfter(response.headers["retry-after"])
                  )
                )
              )
            )
      ),
      Effect.tapError(() => Effect.sync(() => counters.failed++))
    )
  }

  /** One attempt, and the body parsed as JSON (null when empty), with status and headers. */
  const attemptJson = (request: HttpClientRequest.HttpClientRequest) =>
    send(request).pipe(
      Effect.flatMap((response) =>
        Effect.flatMap(
          Effect.mapError(response.text, (e) =>
            new ApiError({ system, reason: "Transport", method: request.method, url: request.url, message: `reading the body of ${request.url}: ${e.message}` })
          ),
          (text) =>
            Effect.try({
              try: () => (text === "" ? null : (JSON.parse(text) as unknown)),
              catch: () =>
                new ApiError({ system, reason: "Decode", method: request.method, url: request.url, status: response.status, message: `${request.url} did not return JSON: ${bodyMessage(text)}` })
            }).pipe(Effect.map((body) => ({ status: response.status, headers: response.headers as Readonly<Record<string, string>>, body })))
        )
      ),
      Effect.timeoutFail({
        duration: Duration.millis(settings.timeoutMs * 2),
        onTimeout: () => new ApiError({ system, reason: "Timeout", method: request.method, url: request.url, message: `${request.url}: body not received in time` })
      })
    )

  const readJson = (request: HttpClientRequest.HttpClientRequest) =>
    retry(attemptJson(request)).pipe(Effect.map((r) => r.body))

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

  const sendRequest: ApiHttp["send"] = (method, pathOrUrl, o = {}) => {
    const url = joinUrl(options.baseUrl, pathOrUrl, o.query)
    // built inside the attempt, so a stream body is made anew on every retry
    const attempt = Effect.suspend(() => {
      let request = withBody(HttpClientRequest.make(method)(url), o.body)
      if (o.headers) request = HttpClientRequest.setHeaders(request, o.headers)
      return attemptJson(request)
    })
    const policy = o.retry ?? (method === "POST" || method === "PATCH" ? "unappliedOnly" : "transient")
    return policy === "transient" ? retry(attempt) : policy === "unappliedOnly" ? retryUnapplied(attempt) : attempt
  }

  const getJson: ApiHttp["getJson"] = (pathOrUrl, query) =>
    readJson(HttpClientRequest.get(joinUrl(options.baseUrl, pathOrUrl, query)))

  const requestJson: ApiHttp["requestJson"] = (method, pathOrUrl, body, query) => {
    const url = joinUrl(options.baseUrl, pathOrUrl, query)
    const base = HttpClientRequest.make(method)(url)
    return readJson(body === undefined ? base : HttpClientRequest.bodyUnsafeJson(base, body))
  }

  const getBytes: ApiHttp["getBytes"] = (pathOrUrl) => {
    const url = joinUrl(options.baseUrl, pathOrUrl)
    return retry(send(HttpClientRequest.get(url).pipe(HttpClientRequest.setHeader("accept", "*/*")))).pipe(
      Effect.map((response): ByteResponse => {
        const length = Number(response.headers["content-length"])
        return {
          contentType: response.headers["content-type"],
          contentLength: Number.isFinite(length) ? length : undefined,
          stream: Stream.mapError(response.stream, (e) =>
            new ApiError({ system, reason: "Transport", method: "GET", url, message: `download of ${url} broke off: ${e.message}` })
          )
        }
      })
    )
  }

  return { getJson, getBytes, requestJson, send: sendRequest, client: settings.client, retry }
}
