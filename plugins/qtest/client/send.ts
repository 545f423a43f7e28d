/**
 * What every area of the qTest client shares: the authorized request with its answer decoded where it enters
 * (`call`, `get`), the project's path, and the two paging combinators — one per paging style qTest uses
 * (docs/vendors/qtest.md §2.2): bare arrays with no total, and `{page, page_size, total, items}` envelopes.
 * An area of the client is a function of this kit, `(send: Send) => ({ ...operations })`.
 */
import { Chunk, Effect, Option, Redacted, Schema, Stream } from "effect"
import { ApiError, type PluginContext, type SendOptions, type SentResponse } from "../../../core/index.ts"
import { decodeBody, PagedItems, arrayOf } from "../api/index.ts"
import type { SearchBody } from "../api/index.ts"
import { makeQtestAuth, type QtestAuthConfig } from "../QtestAuth.ts"
import { qtestErrorMessage } from "../qtestErrorMessage.ts"

/** What the client needs; the sink resolves it from its spec section. */
export interface QtestClientConfig {
  /** `https://acme.qtestnet.com` — the site root, without `/api/v3`. */
  readonly baseUrl: string
  readonly projectId: number
  readonly auth: QtestAuthConfig
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>

export const defaultPageSizes = {
  /** Test cases page with `size` and return a bare array with no total; 100 is within every documented cap. */
  testCases: 100,
  testCycles: 100,
  /** Runs, logs and search accept up to 999 per page: fewer requests for big cycles. */
  testRuns: 999,
  testLogs: 999,
  search: 999,
  /** `users/search` caps at 100. */
  users: 100
} as const

/** The URL as error messages show it (auth is a header: URLs carry no secret). Mirrors core's join. */
export const urlOf = (baseUrl: string, path: string, query: Query = {}): string => {
  const url = new URL(baseUrl.replace(/\/+$/, "") + "/" + path.replace(/^\/+/, ""))
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v))
  return url.toString()
}

export const withMessage = (e: ApiError, message: string): ApiError =>
  new ApiError({ system: e.system, reason: e.reason, method: e.method, url: e.url, status: e.status, retryAfterSeconds: e.retryAfterSeconds, message })

/**
 * Stop rule of the `{page, page_size, total, items}` lists: an empty page ends it; a known total ends it once
 * reached; without one, a page shorter than its size (the server's `page_size`, which may be below what we
 * asked) is the last.
 */
export const morePagedItems = (seen: number, page: PagedItems<unknown>, asked: number): boolean => {
  if (page.items.length === 0) return false
  if (page.total != null) return seen < page.total
  return page.items.length >= (page.page_size ?? asked)
}

/** `expand=descendants` when asked for. */
export const descendants = (on: boolean | undefined) => (on === true ? "descendants" : undefined)

export const json = (value: unknown) => ({ _tag: "json", value }) as const

export const makeSend = (config: QtestClientConfig, ctx: PluginContext) => {
  const baseUrl = config.baseUrl.replace(/\/+$/, "")
  const system = ctx.system
  // no bearer here: the token comes from QtestAuth per call, so a password login can be renewed mid-run
  const http = ctx.http({ baseUrl, errorMessage: qtestErrorMessage })
  const auth = makeQtestAuth(baseUrl, config.auth, ctx)
  const project = `/api/v3/projects/${config.projectId}`

  /** One request with the current token; a 401 to a login token logs in again once (a 401 applied nothing). */
  const authorized = (method: "GET" | "POST" | "PUT", path: string, options: SendOptions): Effect.Effect<SentResponse, ApiError> => {
    const attempt = (token: Redacted.Redacted<string>) =>
      http
        .send(method, path, { ...options, headers: { ...options.headers, authorization: `Bearer ${Redacted.value(token)}` } })
        .pipe(Effect.mapError((e) => (e.reason === "Unauthorized" ? withMessage(e, `qTest rejected ${auth.describe}: ${e.message}`) : e)))
    return Effect.flatMap(auth.token, (token) =>
      attempt(token).pipe(
        Effect.catchIf(
          (e) => e.reason === "Unauthorized",
          (e) => Effect.flatMap(auth.renew(token), (renewed) => (renewed ? Effect.flatMap(auth.token, attempt) : Effect.fail(e)))
        )
      )
    )
  }

  /** A request whose answer is decoded with `schema`. */
  const call = <A, I>(
    schema: Schema.Schema<A, I>,
    method: "GET" | "POST" | "PUT",
    path: string,
    options: SendOptions = {}
  ): Effect.Effect<A, ApiError> =>
    Effect.flatMap(authorized(method, path, options), (response) =>
      decodeBody(schema, { system, method, url: urlOf(baseUrl, path, options.query), status: response.status })(response.body)
    )

  const get = <A, I>(schema: Schema.Schema<A, I>, path: string, query?: Query) => call(schema, "GET", path, { query })

  /**
   * A bare-array list paged with `page` (from 1) and a size parameter, with no total: a short page is the last.
   * A server that ignores `page` would answer the first page forever; a page that brings no new id ends it.
   */
  const bareArrayPages = <A extends { readonly id: number }, I>(
    schema: Schema.Schema<A, I>,
    path: string,
    query: Query,
    sizeParam: "size" | "pageSize",
    pageSize: number
  ): Stream.Stream<A, ApiError> => {
    const items = arrayOf(schema)
    // suspended so that every run of the stream starts with its own set of seen ids
    return Stream.suspend(() => {
      const seen = new Set<number>()
      return Stream.paginateChunkEffect(1, (page: number) =>
        Effect.map(get(items, path, { ...query, page, [sizeParam]: pageSize }), (batch) => {
          const fresh = batch.filter((item) => !seen.has(item.id))
          for (const item of fresh) seen.add(item.id)
          const more = batch.length >= pageSize && fresh.length > 0
          return [Chunk.fromIterable(fresh), more ? Option.some(page + 1) : Option.none()] as const
        })
      )
    })
  }

  /** A `{page, page_size, total, items}` list, by GET or (search) by an idempotent POST. */
  const pagedItems = <A, I>(
    schema: Schema.Schema<A, I>,
    method: "GET" | "POST",
    path: string,
    query: Query,
    pageSize: number,
    body?: unknown
  ): Stream.Stream<A, ApiError> => {
    const envelope = PagedItems(schema)
    return Stream.paginateChunkEffect({ page: 1, seen: 0 }, ({ page, seen }) =>
      Effect.map(
        call(envelope, method, path, {
          query: { ...query, page, pageSize },
          ...(body === undefined ? {} : { body: json(body), retry: "transient" as const })
        }),
        (p) => {
          const total = seen + p.items.length
          return [Chunk.fromIterable(p.items), morePagedItems(total, p, pageSize) ? Option.some({ page: page + 1, seen: total }) : Option.none()] as const
        }
      )
    )
  }

  /** Every page of a `POST …/search` (idempotent: retried on every transient failure). */
  const searchWith = <A, I>(schema: Schema.Schema<A, I>, body: SearchBody, pageSize: number, query: Query = {}): Stream.Stream<A, ApiError> =>
    pagedItems(schema, "POST", `${project}/search`, query, pageSize, body)

  return { baseUrl, projectId: config.projectId, system, project, call, get, bareArrayPages, pagedItems, searchWith } as const
}

/** The request kit an area of the client is written against. */
export type Send = ReturnType<typeof makeSend>
