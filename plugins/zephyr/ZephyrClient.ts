/**
 * The Zephyr Cloud v2 client (both editions: Edition.ts): named read operations over `ctx.http` (which brings
 * auth, rate limit, retries, timeouts and request counting from core). Lists come back as Streams of *raw* items through one
 * pagination combinator; envelopes are decoded here (a bad envelope is a protocol error), items by the caller
 * (a bad item is quarantined). Every call that reads project data passes the configured `projectKey`.
 */
import { Chunk, Context, Effect, Layer, Option, type Scope, Stream } from "effect"
import { SystemError, type ApiError, type ByteResponse, type PluginContext } from "../../core/index.ts"
import { AttachmentList, CursorPage, decodeEnvelope, OffsetPage, Project } from "./api/index.ts"
import type { ZephyrId, ZephyrTestCaseKey } from "./api/index.ts"
import type { ZephyrConfig } from "./ZephyrConfig.ts"
import { zephyrErrorMessage } from "./zephyrErrorMessage.ts"

type Query = Readonly<Record<string, string | number | boolean | undefined>>

export type ZephyrClientError = ApiError | SystemError

/** Whose attachments: test cases are addressed by key, executions by id. */
export type AttachmentOwner =
  | { readonly kind: "testcases"; readonly key: ZephyrTestCaseKey }
  | { readonly kind: "testexecutions"; readonly id: ZephyrId }

/** The four big lists of a project. Zephyr Cloud also has cursor ("NextGen") endpoints for them, which take `updatedAfter`. */
export type BigList = "testcases" | "testcycles" | "testplans" | "testexecutions"

/** One cursor page: its raw items and where the next one starts. */
export interface CursorChunk {
  /** The `startAtId` this page was asked with. */
  readonly startAtId: number
  readonly values: ReadonlyArray<unknown>
  /** `startAtId` of the next page; null when this page was the last. */
  readonly next: number | null
}

/** One offset page of a big list: its raw items and where the next one starts. */
export interface OffsetChunk {
  /** The `startAt` this page was asked with. */
  readonly startAt: number
  readonly values: ReadonlyArray<unknown>
  /** `startAt` of the next page; null when this page was the last. */
  readonly next: number | null
}

export interface ZephyrClientShape {
  readonly baseUrl: string
  readonly projectKey: string
  /** One page of any list; `startAt`/`maxResults` are the caller's. */
  readonly page: (path: string, query: Query) => Effect.Effect<OffsetPage, ZephyrClientError>
  /** Every raw item of a list, page by page (see `nextStartAt` for when it stops). */
  readonly paginate: (path: string, query?: Query) => Stream.Stream<unknown, ZephyrClientError>
  readonly getProject: (projectKey: string) => Effect.Effect<Project, ZephyrClientError>
  /** The first `maxResults` projects the token can see (for hints when the configured key is wrong). */
  readonly listProjects: (maxResults: number) => Effect.Effect<OffsetPage, ZephyrClientError>
  /** `total` of a project-scoped list, from a one-item page; undefined when the server omits it. */
  readonly countOf: (path: string, query?: Query) => Effect.Effect<number | undefined, ZephyrClientError>
  readonly listFolders: () => Stream.Stream<unknown, ZephyrClientError>
  readonly listStatuses: () => Stream.Stream<unknown, ZephyrClientError>
  readonly listPriorities: () => Stream.Stream<unknown, ZephyrClientError>
  readonly listEnvironments: () => Stream.Stream<unknown, ZephyrClientError>
  readonly listTestCases: () => Stream.Stream<unknown, ZephyrClientError>
  readonly listTestSteps: (key: ZephyrTestCaseKey) => Stream.Stream<unknown, ZephyrClientError>
  /** The raw script body; fails with ApiError NotFound for step-by-step cases on some tenants. */
  readonly getTestScript: (key: ZephyrTestCaseKey) => Effect.Effect<unknown, ZephyrClientError>
  /** The current version number of a case: the number of its versions (one request). */
  readonly countTestCaseVersions: (key: ZephyrTestCaseKey) => Effect.Effect<number | undefined, ZephyrClientError>
  readonly listTestPlans: () => Stream.Stream<unknown, ZephyrClientError>
  readonly listTestCycles: () => Stream.Stream<unknown, ZephyrClientError>
  /** Every execution, not only the last per cycle item: history is part of the migration. */
  readonly listTestExecutions: () => Stream.Stream<unknown, ZephyrClientError>
  readonly listExecutionSteps: (id: ZephyrId) => Stream.Stream<unknown, ZephyrClientError>
  /**
   * A cursor list of the project, page by page from `startAtId` (inclusive; 0 = the start), in id order, with
   * `updatedAfter` when given. Each page is one request, retried as a whole by core's policy: the same
   * `startAtId` always asks for the same page, so a retry can neither skip nor repeat items.
   */
  readonly cursorPages: (list: BigList, options: { readonly updatedAfter?: string | undefined; readonly startAtId?: number | undefined }) => Stream.Stream<CursorChunk, ZephyrClientError>
  /**
   * A big list of the project through its plain endpoint, page by page from `startAt` (0 = the start), for an
   * edition without cursor endpoints. The same `startAt` asks for the same page, so a retried page neither skips
   * nor repeats items while the list does not change.
   */
  readonly offsetPages: (list: BigList, options: { readonly startAt?: number | undefined }) => Stream.Stream<OffsetChunk, ZephyrClientError>
  /** The raw entries of an owner's attachment list. */
  readonly listAttachments: (owner: AttachmentOwner) => Effect.Effect<ReadonlyArray<unknown>, ZephyrClientError>
  readonly attachmentUrl: (owner: AttachmentOwner, attachmentId: ZephyrId) => string
  /** The attachment's bytes as a stream (never buffered whole); the response lives as long as the scope. */
  readonly downloadAttachment: (owner: AttachmentOwner, attachmentId: ZephyrId) => Effect.Effect<ByteResponse, ApiError, Scope.Scope>
}

/**
 * Where the next page starts, or none when this page was the last. The server may cap `maxResults` below what
 * we asked and may omit `total`, `isLast` and `next`, so: advance by what actually came back; stop when
 * `isLast` is true, when the page is empty, or — when `isLast` is absent — when there is no `next` link and
 * no `total` says more is coming. Never trust the response's `maxResults` to be what was asked.
 */
export const nextStartAt = (startAt: number, page: OffsetPage): Option.Option<number> => {
  const received = page.values.length
  const next = startAt + received
  if (page.isLast === true || received === 0) return Option.none()
  if (page.isLast == null && page.next == null && (page.total == null || next >= page.total)) return Option.none()
  return Option.some(next)
}

/**
 * Where the next cursor page starts, or null when this one was the last: the last page has `next: null`;
 * otherwise `nextStartAtId`, else the `startAtId` of the `next` link. A cursor that does not move forward would
 * loop forever, so it is a protocol problem (the string says what is wrong).
 */
export const nextCursor = (startAtId: number, page: CursorPage): { readonly next: number | null } | { readonly problem: string } => {
  if (page.next === null) return { next: null }
  let next = page.nextStartAtId ?? undefined
  if (next === undefined && typeof page.next === "string") {
    const fromLink = Number(new URL(page.next, "http://relative.invalid").searchParams.get("startAtId") ?? Number.NaN)
    if (Number.isInteger(fromLink)) next = fromLink
  }
  // Neither a `next` link nor a cursor: nothing says more is coming.
  if (next === undefined) return page.next === undefined ? { next: null } : { problem: `the next link ${page.next} carries no startAtId` }
  if (!(next > startAtId)) return { problem: `the cursor does not advance (startAtId ${startAtId} → ${next})` }
  return { next }
}

const cursorPaths: Readonly<Record<BigList, string>> = {
  testcases: "/testcases/nextgen",
  testcycles: "/testcycles/nextgen",
  testplans: "/testplans/nextgen",
  testexecutions: "/testexecutions/nextgen"
}

const ownerPath = (owner: AttachmentOwner): string =>
  owner.kind === "testcases" ? `/testcases/${encodeURIComponent(owner.key)}` : `/testexecutions/${owner.id}`

export const makeZephyrClient = (config: ZephyrConfig, ctx: PluginContext): ZephyrClientShape => {
  const http = ctx.http({ baseUrl: config.baseUrl, bearer: config.token, errorMessage: zephyrErrorMessage })
  const getJson = (path: string, query?: Query) => Effect.map(http.send("GET", path, { query }), (r) => r.body)
  const project = { projectKey: config.projectKey }

  /** The URL as the error message shows it (auth is a header: URLs carry no secret). */
  const urlOf = (path: string, query: Query = {}): string => {
    const url = new URL(config.baseUrl + path)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v))
    return url.toString()
  }

  const page = Effect.fn("ZephyrClient.page")(function* (path: string, query: Query) {
    const raw = yield* getJson(path, query)
    return yield* decodeEnvelope(OffsetPage, ctx.system, urlOf(path, query))(raw)
  })

  const paginate = (path: string, query: Query = {}): Stream.Stream<unknown, ZephyrClientError> =>
    Stream.paginateChunkEffect(0, (startAt: number) =>
      Effect.map(page(path, { ...query, startAt, maxResults: config.pageSize }), (p) => [Chunk.fromIterable(p.values), nextStartAt(startAt, p)] as const)
    )

  const cursorPage = Effect.fn("ZephyrClient.cursorPage")(function* (path: string, query: Query, startAtId: number) {
    const q = { ...query, limit: config.pageSize, startAtId }
    const url = urlOf(path, q)
    const p = yield* decodeEnvelope(CursorPage, ctx.system, url)(yield* getJson(path, q))
    const step = nextCursor(startAtId, p)
    if ("problem" in step)
      return yield* new SystemError({
        system: ctx.system,
        reason: "Protocol",
        message: `${url}: ${step.problem}`,
        hint: "check that baseUrl points at the Zephyr REST API v2 (…/v2), not at a proxy that rewrites query strings"
      })
    return { startAtId, values: p.values, next: step.next } satisfies CursorChunk
  })

  const cursorPages: ZephyrClientShape["cursorPages"] = (list, options) => {
    // Executions: every one, not only the last per cycle item (history is part of the migration).
    const query: Query = { ...project, updatedAfter: options.updatedAfter, ...(list === "testexecutions" ? { onlyLastExecutions: false } : {}) }
    return Stream.paginateEffect(options.startAtId ?? 0, (startAtId: number) =>
      Effect.map(cursorPage(cursorPaths[list], query, startAtId), (chunk) => [chunk, Option.fromNullable(chunk.next)] as const)
    ).pipe(Stream.withSpan(`ZephyrClient.cursorPages.${list}`))
  }

  const offsetPages: ZephyrClientShape["offsetPages"] = (list, options) => {
    const query: Query = { ...project, ...(list === "testexecutions" ? { onlyLastExecutions: false } : {}) }
    return Stream.paginateEffect(options.startAt ?? 0, (startAt: number) =>
      Effect.map(page(`/${list}`, { ...query, startAt, maxResults: config.pageSize }), (p) => {
        const next = nextStartAt(startAt, p)
        return [{ startAt, values: p.values, next: Option.getOrNull(next) } satisfies OffsetChunk, next] as const
      })
    ).pipe(Stream.withSpan(`ZephyrClient.offsetPages.${list}`))
  }

  const list = (name: string, path: string, query: Query = {}) => () => paginate(path, { ...project, ...query }).pipe(Stream.withSpan(`ZephyrClient.${name}`))

  const getProject = Effect.fn("ZephyrClient.getProject")(function* (projectKey: string) {
    const path = `/projects/${encodeURIComponent(projectKey)}`
    const raw = yield* getJson(path)
    return yield* decodeEnvelope(Project, ctx.system, urlOf(path))(raw)
  })

  const listProjects = Effect.fn("ZephyrClient.listProjects")(function* (maxResults: number) {
    return yield* page("/projects", { startAt: 0, maxResults })
  })

  const countOf = Effect.fn("ZephyrClient.countOf")(function* (path: string, query: Query = {}) {
    const p = yield* page(path, { ...project, ...query, startAt: 0, maxResults: 1 })
    return p.total ?? undefined
  })

  const getTestScript = Effect.fn("ZephyrClient.getTestScript")(function* (key: ZephyrTestCaseKey) {
    return yield* getJson(`/testcases/${encodeURIComponent(key)}/testscript`)
  })

  const countTestCaseVersions = Effect.fn("ZephyrClient.countTestCaseVersions")(function* (key: ZephyrTestCaseKey) {
    const p = yield* page(`/testcases/${encodeURIComponent(key)}/versions`, { startAt: 0, maxResults: 1 })
    return p.total ?? undefined
  })

  const listAttachments = Effect.fn("ZephyrClient.listAttachments")(function* (owner: AttachmentOwner) {
    const path = `${ownerPath(owner)}/attachments`
    const raw = yield* getJson(path)
    const body = yield* decodeEnvelope(AttachmentList, ctx.system, urlOf(path))(raw)
    return body.attachments
  })

  const attachmentUrl = (owner: AttachmentOwner, attachmentId: ZephyrId): string => urlOf(`${ownerPath(owner)}/attachments/${attachmentId}`)

  const downloadAttachment = (owner: AttachmentOwner, attachmentId: ZephyrId) =>
    http.send("GET", `${ownerPath(owner)}/attachments/${attachmentId}`, { response: "bytes" }).pipe(Effect.withSpan("ZephyrClient.downloadAttachment"))

  return {
    baseUrl: config.baseUrl,
    projectKey: config.projectKey,
    page,
    paginate,
    getProject,
    listProjects,
    countOf,
    // One call for all three folder types: `folderType` is an optional filter, and one list is fewer requests.
    listFolders: list("listFolders", "/folders"),
    // Statuses of all four types share one id space, so one unfiltered list serves every lookup.
    listStatuses: list("listStatuses", "/statuses"),
    listPriorities: list("listPriorities", "/priorities"),
    listEnvironments: list("listEnvironments", "/environments"),
    listTestCases: list("listTestCases", "/testcases"),
    listTestSteps: (key) => paginate(`/testcases/${encodeURIComponent(key)}/teststeps`).pipe(Stream.withSpan("ZephyrClient.listTestSteps")),
    getTestScript,
    countTestCaseVersions,
    listTestPlans: list("listTestPlans", "/testplans"),
    listTestCycles: list("listTestCycles", "/testcycles"),
    listTestExecutions: list("listTestExecutions", "/testexecutions", { onlyLastExecutions: false }),
    listExecutionSteps: (id) => paginate(`/testexecutions/${id}/teststeps`).pipe(Stream.withSpan("ZephyrClient.listExecutionSteps")),
    cursorPages,
    offsetPages,
    listAttachments,
    attachmentUrl,
    downloadAttachment
  }
}

/** The client as a service: `make` and `layer` side by side, the same live layer in tests (pointed at a sandbox). */
export class ZephyrClient extends Context.Tag("migrate/zephyr/ZephyrClient")<ZephyrClient, ZephyrClientShape>() {
  static readonly make = makeZephyrClient
  static readonly layer = (config: ZephyrConfig, ctx: PluginContext): Layer.Layer<ZephyrClient> =>
    Layer.succeed(ZephyrClient, makeZephyrClient(config, ctx))
}
