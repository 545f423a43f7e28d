/**
 * The Zephyr Scale Cloud v2 client: named read operations over `ctx.http` (which brings auth, rate limit,
 * retries, timeouts and request counting from core). Lists come back as Streams of *raw* items through one
 * pagination combinator; envelopes are decoded here (a bad envelope is a protocol error), items by the caller
 * (a bad item is quarantined). Every call that reads project data passes the configured `projectKey`.
 */
import { Chunk, Context, Effect, Layer, Option, type Scope, Stream } from "effect"
import type { ApiError, ByteResponse, PluginContext, SystemError } from "../../core/index.ts"
import { AttachmentList, decodeEnvelope, OffsetPage, Project } from "./api/index.ts"
import type { ZephyrId, ZephyrTestCaseKey } from "./api/index.ts"
import type { ZephyrConfig } from "./ZephyrConfig.ts"

type Query = Readonly<Record<string, string | number | boolean | undefined>>

export type ZephyrClientError = ApiError | SystemError

/** Whose attachments: test cases are addressed by key, executions by id. */
export type AttachmentOwner =
  | { readonly kind: "testcases"; readonly key: ZephyrTestCaseKey }
  | { readonly kind: "testexecutions"; readonly id: ZephyrId }

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

const ownerPath = (owner: AttachmentOwner): string =>
  owner.kind === "testcases" ? `/testcases/${encodeURIComponent(owner.key)}` : `/testexecutions/${owner.id}`

export const makeZephyrClient = (config: ZephyrConfig, ctx: PluginContext): ZephyrClientShape => {
  const http = ctx.http({ baseUrl: config.baseUrl, bearer: config.token })
  const project = { projectKey: config.projectKey }

  /** The URL as the error message shows it (auth is a header: URLs carry no secret). */
  const urlOf = (path: string, query: Query = {}): string => {
    const url = new URL(config.baseUrl + path)
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v))
    return url.toString()
  }

  const page = Effect.fn("ZephyrClient.page")(function* (path: string, query: Query) {
    const raw = yield* http.getJson(path, query)
    return yield* decodeEnvelope(OffsetPage, ctx.system, urlOf(path, query))(raw)
  })

  const paginate = (path: string, query: Query = {}): Stream.Stream<unknown, ZephyrClientError> =>
    Stream.paginateChunkEffect(0, (startAt: number) =>
      Effect.map(page(path, { ...query, startAt, maxResults: config.pageSize }), (p) => [Chunk.fromIterable(p.values), nextStartAt(startAt, p)] as const)
    )

  const list = (name: string, path: string, query: Query = {}) => () => paginate(path, { ...project, ...query }).pipe(Stream.withSpan(`ZephyrClient.${name}`))

  const getProject = Effect.fn("ZephyrClient.getProject")(function* (projectKey: string) {
    const path = `/projects/${encodeURIComponent(projectKey)}`
    const raw = yield* http.getJson(path)
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
    return yield* http.getJson(`/testcases/${encodeURIComponent(key)}/testscript`)
  })

  const countTestCaseVersions = Effect.fn("ZephyrClient.countTestCaseVersions")(function* (key: ZephyrTestCaseKey) {
    const p = yield* page(`/testcases/${encodeURIComponent(key)}/versions`, { startAt: 0, maxResults: 1 })
    return p.total ?? undefined
  })

  const listAttachments = Effect.fn("ZephyrClient.listAttachments")(function* (owner: AttachmentOwner) {
    const path = `${ownerPath(owner)}/attachments`
    const raw = yield* http.getJson(path)
    const body = yield* decodeEnvelope(AttachmentList, ctx.system, urlOf(path))(raw)
    return body.attachments
  })

  const attachmentUrl = (owner: AttachmentOwner, attachmentId: ZephyrId): string => urlOf(`${ownerPath(owner)}/attachments/${attachmentId}`)

  const downloadAttachment = (owner: AttachmentOwner, attachmentId: ZephyrId) =>
    http.getBytes(`${ownerPath(owner)}/attachments/${attachmentId}`).pipe(Effect.withSpan("ZephyrClient.downloadAttachment"))

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
