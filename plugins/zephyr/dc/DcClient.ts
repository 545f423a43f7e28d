/**
 * The Zephyr DC REST API v1 client — named reads over `ctx.http` (auth, rate limit, retries, timeouts and counting
 * from core). Auth is a Jira personal access token (Bearer), or Jira's basic auth when `username` is set (`token`
 * is then the password). Searches are TQL (`projectKey = "X"`), answered as bare
 * arrays without a total: page by `startAt` until a page comes back empty (docs/vendors/zephyr.md §2).
 * Items stay raw: the caller decodes each one (a malformed one is quarantined, not the page).
 */
import { Context, Effect, Layer, Option, Stream, type Scope } from "effect"
import { SystemError, type ApiError, type ByteResponse, type PluginContext } from "../../../core/index.ts"
import type { ZephyrConfig } from "../ZephyrConfig.ts"
import { zephyrErrorMessage } from "../zephyrErrorMessage.ts"

export type DcClientError = ApiError | SystemError

/** What a search can look for; each has its own endpoint and the same TQL on `projectKey`. */
export type DcSearch = "testcase" | "testrun" | "testplan"

/** One page of a search: raw items, where it started, and where the next one starts (null: it was the last). */
export interface DcPage {
  readonly startAt: number
  readonly values: ReadonlyArray<unknown>
  readonly next: number | null
}

/** DC's TQL wants double-quoted strings; a project key never holds a quote (`[A-Z][A-Z0-9_]+`). */
export const projectQuery = (projectKey: string): string => `projectKey = "${projectKey}"`

export const makeDcClient = (config: ZephyrConfig, ctx: PluginContext) => {
  const http = ctx.http({
    baseUrl: config.baseUrl,
    ...(config.username === undefined ? { bearer: config.token } : { basic: { username: config.username, password: config.token } }),
    errorMessage: zephyrErrorMessage
  })
  const getJson = (path: string, query?: Readonly<Record<string, string | number | undefined>>) => Effect.map(http.send("GET", path, { query }), (r) => r.body)

  /** A body that must be an array (DC's lists): anything else is a protocol error naming the URL. */
  const array = (path: string) => (body: unknown): Effect.Effect<ReadonlyArray<unknown>, SystemError> =>
    Array.isArray(body)
      ? Effect.succeed(body)
      : Effect.fail(
          new SystemError({
            system: ctx.system,
            reason: "Protocol",
            message: `${config.baseUrl}${path} answered ${typeof body}, not a list`,
            hint: "check that baseUrl is your Jira's Zephyr API, https://<jira>/rest/atm/1.0"
          })
        )

  /** Pages of one search from `startAt`; the same `startAt` asks for the same page, so a retry skips nothing. */
  const searchPages = (search: DcSearch, options: { readonly startAt?: number | undefined; readonly maxResults?: number | undefined } = {}): Stream.Stream<DcPage, DcClientError> =>
    Stream.paginateEffect(options.startAt ?? 0, (startAt: number) => {
      const path = `/${search}/search`
      return getJson(path, { query: projectQuery(config.projectKey), startAt, maxResults: options.maxResults ?? config.pageSize }).pipe(
        Effect.flatMap(array(path)),
        Effect.map((values) => {
          // No total, no isLast, and no documented cap on maxResults: a server that serves fewer than asked looks
          // like a last page. Only an empty page ends the search — one request more per search, never a lost page.
          const next = values.length === 0 ? null : startAt + values.length
          return [{ startAt, values, next } satisfies DcPage, Option.fromNullable(next)] as const
        })
      )
    })

  const list = (path: string, query?: Readonly<Record<string, string | number | undefined>>) => Effect.flatMap(getJson(path, query), array(path))

  return {
    baseUrl: config.baseUrl,
    searchPages,
    /** Every result of a run, history included, in no particular order. */
    runResults: (runKey: string) => list(`/testrun/${encodeURIComponent(runKey)}/testresults`),
    /** The latest result of a case, in a run or ad hoc; none when it has none (404). The only way to see ad hoc ones. */
    latestResult: (caseKey: string) => getJson(`/testcase/${encodeURIComponent(caseKey)}/testresult/latest`),
    caseAttachments: (caseKey: string) => list(`/testcase/${encodeURIComponent(caseKey)}/attachments`),
    /** The attachments of one step of a case, by the step's `index`. */
    stepAttachments: (caseKey: string, index: number) => list(`/testcase/${encodeURIComponent(caseKey)}/step/${index}/attachments`),
    resultAttachments: (resultId: number) => list(`/testresult/${resultId}/attachments`),
    /** An attachment's bytes from its `url` (Jira's own attachment address), with the same credentials. */
    download: (url: string): Effect.Effect<ByteResponse, ApiError, Scope.Scope> => http.send("GET", url, { response: "bytes" })
  }
}

export type DcClient = ReturnType<typeof makeDcClient>

/** The client as a service: `make` and `layer` side by side, the same live layer in tests (pointed at a sandbox). */
export class DcClientService extends Context.Tag("migrate/zephyr/DcClient")<DcClientService, DcClient>() {
  static readonly layer = (config: ZephyrConfig, ctx: PluginContext) => Layer.sync(DcClientService, () => makeDcClient(config, ctx))
}
