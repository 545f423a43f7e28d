/**
 * The driver sends a failed HTTP request again on its own — after a 5xx, a 429, a dropped connection or its own
 * timeout, with its own backoff — out of the client's sight, so a run's report would show none of it. All its
 * requests go through one axios instance, and it marks a retry in the URL (`retryCount`, beside the statement's
 * `requestId`): a request interceptor on that instance counts them, and a response transform (which sees every
 * answer, refused ones too, before the driver's own retry handler) counts the 429s — by request id, so the client
 * takes each statement's own when it completes, whatever else the process runs.
 * Reaching into the driver's module is tied to its version (pinned, 3.3.0); if it moves, nothing is counted.
 */
import { Effect } from "effect"

export interface DriverRetryCounts {
  readonly retries: number
  readonly throttled: number
}

const counts = new Map<string, { retries: number; throttled: number }>()

const requestIdOf = (url: string | undefined): string | undefined => /[?&]requestId=([^&]+)/.exec(url ?? "")?.[1]

const countOf = (url: string | undefined) => {
  const id = requestIdOf(url)
  if (id === undefined) return undefined
  let c = counts.get(id)
  if (c === undefined) counts.set(id, (c = { retries: 0, throttled: 0 }))
  return c
}

type Transform = (data: unknown, headers: unknown, status?: number) => unknown

interface AxiosLike {
  readonly interceptors: { readonly request: { use: <C extends { url?: string | undefined }>(f: (config: C) => C) => unknown } }
  readonly defaults: { transformResponse?: Transform | ReadonlyArray<Transform> | undefined }
}

let installed: Promise<void> | undefined

/** Installs the counter once per process (best effort). */
export const countDriverRetries: Effect.Effect<void> = Effect.promise(
  () =>
    (installed ??= import("snowflake-sdk/dist/lib/http/axios_instance.js").then(
      (m: unknown) => {
        // a CommonJS module: its exports under `default`, the instance under their `default`
        const exports = (m as { default?: { default?: AxiosLike } }).default
        const axios = exports?.default ?? (exports as AxiosLike | undefined)
        if (axios?.interceptors === undefined) return
        axios.interceptors.request.use((config) => {
          const retry = /[?&]retryCount=(\d+)/.exec(config.url ?? "")
          if (retry !== null && Number(retry[1]) > 0) {
            const c = countOf(config.url)
            if (c !== undefined) c.retries++
          }
          return config
        })
        const transforms = axios.defaults.transformResponse
        axios.defaults.transformResponse = [
          // axios calls a transform with the request's config as `this`
          function (this: { url?: string } | undefined, data: unknown, _headers: unknown, status?: number) {
            if (status === 429) {
              const c = countOf(this?.url)
              if (c !== undefined) c.throttled++
            }
            return data
          },
          ...(transforms === undefined ? [] : Array.isArray(transforms) ? transforms : [transforms as Transform])
        ]
      },
      () => undefined
    ))
)

/** The retries the driver made for one statement (its request id), forgotten once taken. */
export const takeDriverRetries = (requestId: string | undefined): DriverRetryCounts => {
  const c = requestId === undefined ? undefined : counts.get(requestId)
  if (requestId !== undefined) counts.delete(requestId)
  return c ?? { retries: 0, throttled: 0 }
}
