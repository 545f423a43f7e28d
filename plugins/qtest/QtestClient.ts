/**
 * The qTest Manager REST v3 client: one named operation per thing the sink does, over `ctx.http(...).send`
 * (which brings core's rate limiter, timeouts, request counting and retry policy). Every call is scoped to the
 * configured project, every answer is decoded where it enters (a bad body is ApiError Decode naming the URL),
 * and paged lists are Streams through two combinators — one per paging style qTest uses (docs/vendors/qtest.md §2.2):
 * bare arrays with no total, and `{page, page_size, total, items}` envelopes.
 *
 * Retries are core's: GET/PUT on every transient failure, POST only on 429. A create that timed out is not
 * resent here; the sink's exactly-once protocol looks it up first. POSTs that only read or link (search,
 * requirement link, login) are idempotent and ask for the transient policy explicitly.
 */
import { Chunk, Context, Data, Duration, Effect, Layer, Option, Redacted, Schema, Stream } from "effect"
import { ApiError, type PluginContext, type SendOptions, type SentResponse } from "../../core/index.ts"
import {
  AllowedValuesCreated,
  Attachment,
  CurrentUser,
  decodeBody,
  ExecutionStatus,
  Field,
  isTerminalState,
  LinkedObjects,
  Module,
  PagedItems,
  Project,
  QueueProcessingResponse,
  Release,
  Requirement,
  SearchItem,
  TestCase,
  TestCycle,
  TestLog,
  TestRun,
  User
} from "./api/index.ts"
import type {
  AllowedValue,
  AllowedValueBody,
  AutomationRequestBody,
  FieldBody,
  ManualTestLogBody,
  ModuleBody,
  ParentType,
  ReleaseBody,
  SearchBody,
  SearchObjectType,
  TestCaseBody,
  TestCycleBody,
  TestRunBody
} from "./api/index.ts"
import { makeQtestAuth, type QtestAuthConfig } from "./QtestAuth.ts"
import { qtestErrorMessage } from "./qtestErrorMessage.ts"

/** What the client needs; the sink resolves it from its spec section. */
export interface QtestClientConfig {
  /** `https://acme.qtestnet.com` — the site root, without `/api/v3`. */
  readonly baseUrl: string
  readonly projectId: number
  readonly auth: QtestAuthConfig
}

type Query = Readonly<Record<string, string | number | boolean | undefined>>

/** Object types that carry field settings (`…/settings/{objectType}/fields`). */
export type FieldObjectType = "releases" | "builds" | "requirements" | "test-cases" | "test-steps" | "defects" | "test-suites" | "test-runs"

/** Object types that take attachments (`…/{objectType}/{objectId}/blob-handles`). */
export type AttachmentObjectType = "releases" | "builds" | "requirements" | "test-cases" | "test-logs" | "test-steps" | "test-step-logs" | "defects"

/** Where a test cycle or run goes: `{ parentId: 0, parentType: "root" }` for the Test Execution root. */
export interface ExecutionParent {
  readonly parentId: number
  readonly parentType: ParentType
}

/** A file to upload: the body is made anew for every attempt, so a retried upload re-reads its source. */
export interface UploadFile {
  readonly name: string
  readonly contentType: string
  readonly contentLength?: number | undefined
  readonly make: () => Stream.Stream<Uint8Array, unknown>
}

export interface PollOptions {
  /** Between two polls; default 1 s (Tricentis' own tools use 2–3 s). */
  readonly interval?: Duration.DurationInput | undefined
  /** Give up (ApiError Timeout) when the job is still not finished after this long; default 1 h, as the Jenkins plugin. */
  readonly timeout?: Duration.DurationInput | undefined
}

/** A batch job qTest finished as FAILED; `content` is the server's error text (a JSON string, shape undocumented). */
export class QueueJobFailed extends Data.TaggedError("QueueJobFailed")<{
  readonly system: string
  readonly jobId: number
  readonly content: string
  readonly message: string
}> {}

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

/** `POST …/allowed-values` creates at most 100 values per call (S1). */
export const allowedValuesPerCall = 100

export interface QtestClientShape {
  readonly baseUrl: string
  readonly projectId: number

  // projects and users
  readonly getProject: () => Effect.Effect<Project, ApiError>
  /** Every project the credentials can see (for a hint when the configured id is wrong). */
  readonly listProjects: () => Effect.Effect<ReadonlyArray<Project>, ApiError>
  /** The user the credentials belong to: API-created logs are executed by this user. */
  readonly currentUser: () => Effect.Effect<CurrentUser, ApiError>
  /** Users whose login name (the qTest login email, or the LDAP/SSO name) matches `username`, paged ≤ 100. */
  readonly searchUsers: (username: string, options?: { readonly includeInactive?: boolean | undefined }) => Stream.Stream<User, ApiError>
  readonly listProjectUsers: (options?: { readonly includeInactive?: boolean | undefined }) => Effect.Effect<ReadonlyArray<User>, ApiError>

  // field settings
  readonly listFields: (objectType: FieldObjectType, options?: { readonly includeInactive?: boolean | undefined }) => Effect.Effect<ReadonlyArray<Field>, ApiError>
  readonly createField: (objectType: FieldObjectType, body: FieldBody) => Effect.Effect<Field, ApiError>
  /** Adds picklist values in calls of at most 100; answers the values created. */
  readonly addAllowedValues: (objectType: FieldObjectType, fieldId: number, values: ReadonlyArray<AllowedValueBody>) => Effect.Effect<ReadonlyArray<AllowedValue>, ApiError>
  readonly listExecutionStatuses: () => Effect.Effect<ReadonlyArray<ExecutionStatus>, ApiError>

  // modules (Test Design tree)
  /** Root modules, or the children of `parentId`; `descendants` nests each subtree in `children`. */
  readonly listModules: (options?: { readonly parentId?: number | undefined; readonly descendants?: boolean | undefined }) => Effect.Effect<ReadonlyArray<Module>, ApiError>
  readonly getModule: (moduleId: number, options?: { readonly descendants?: boolean | undefined }) => Effect.Effect<Module, ApiError>
  /** Under `parentId`, or at the root when it is absent. */
  readonly createModule: (body: ModuleBody, parentId?: number | undefined) => Effect.Effect<Module, ApiError>
  /** Name and description only: a move (`?parentId=`) would ignore the body. */
  readonly updateModule: (moduleId: number, body: ModuleBody) => Effect.Effect<Module, ApiError>

  // test cases
  /** The cases directly in a module, page by page until a short page (the endpoint gives no total). */
  readonly listTestCases: (
    moduleId: number,
    options?: { readonly expandSteps?: boolean | undefined; readonly expandProps?: boolean | undefined; readonly pageSize?: number | undefined }
  ) => Stream.Stream<TestCase, ApiError>
  /** By id or PID (`TC-12`), with its steps unless `steps: false`; the latest version unless `versionId`. */
  readonly getTestCase: (idOrPid: number | string, options?: { readonly steps?: boolean | undefined; readonly versionId?: number | undefined }) => Effect.Effect<TestCase, ApiError>
  readonly createTestCase: (body: TestCaseBody) => Effect.Effect<TestCase, ApiError>
  /** A save: bumps the version by 0.1. */
  readonly updateTestCase: (testCaseId: number, body: TestCaseBody) => Effect.Effect<TestCase, ApiError>
  /** Approves the latest version (4.2 → 5.0): runs and logs without a version id use the latest approved one. */
  readonly approveTestCase: (testCaseId: number) => Effect.Effect<TestCase, ApiError>
  /** Approved majors plus the last unapproved minor. */
  readonly listTestCaseVersions: (testCaseId: number) => Effect.Effect<ReadonlyArray<TestCase>, ApiError>

  // search
  /** `POST …/search` with the UI's query language, e.g. `'Zephyr Key' = 'PROJ-T1'`; every page of items. */
  readonly search: (
    objectType: SearchObjectType,
    query: string,
    options?: { readonly fields?: ReadonlyArray<string> | undefined; readonly pageSize?: number | undefined }
  ) => Stream.Stream<SearchItem, ApiError>

  /** How many objects a query matches (`total` of a one-item page): one request. */
  readonly searchCount: (objectType: SearchObjectType, query: string) => Effect.Effect<number, ApiError>
  /** The test cases a query matches, whole — properties and steps (`appendTestSteps`): many read back per request. */
  readonly searchTestCases: (query: string) => Stream.Stream<TestCase, ApiError>
  /** The test logs a query matches, whole — properties and step logs (`includeTestLogProperties`). */
  readonly searchTestLogs: (query: string) => Stream.Stream<TestLog, ApiError>

  // releases (Test Plan)
  readonly listReleases: (options?: { readonly includeClosed?: boolean | undefined }) => Effect.Effect<ReadonlyArray<Release>, ApiError>
  readonly getRelease: (releaseId: number) => Effect.Effect<Release, ApiError>
  readonly createRelease: (body: ReleaseBody) => Effect.Effect<Release, ApiError>
  readonly updateRelease: (releaseId: number, body: ReleaseBody) => Effect.Effect<Release, ApiError>

  // test cycles (Test Execution tree)
  readonly listTestCycles: (
    parent: ExecutionParent,
    options?: { readonly descendants?: boolean | undefined; readonly pageSize?: number | undefined }
  ) => Stream.Stream<TestCycle, ApiError>
  readonly getTestCycle: (testCycleId: number, options?: { readonly descendants?: boolean | undefined }) => Effect.Effect<TestCycle, ApiError>
  readonly createTestCycle: (body: TestCycleBody, parent: ExecutionParent) => Effect.Effect<TestCycle, ApiError>
  /** Name, description and targets only: a move would ignore the body. */
  readonly updateTestCycle: (testCycleId: number, body: TestCycleBody) => Effect.Effect<TestCycle, ApiError>

  // test runs
  readonly listTestRuns: (
    parent: ExecutionParent,
    options?: { readonly descendants?: boolean | undefined; readonly pageSize?: number | undefined }
  ) => Stream.Stream<TestRun, ApiError>
  readonly getTestRun: (testRunId: number) => Effect.Effect<TestRun, ApiError>
  /** How many test runs are under `parent`, its sub-cycles included (`total` of a one-item page). */
  readonly countTestRuns: (parent: ExecutionParent) => Effect.Effect<number, ApiError>
  readonly createTestRun: (body: TestRunBody, parent: ExecutionParent) => Effect.Effect<TestRun, ApiError>
  /** `PUT …/test-runs/{id}` with a body (no `parentId`: that form moves the run and ignores the body). */
  readonly updateTestRun: (testRunId: number, body: TestRunBody) => Effect.Effect<TestRun, ApiError>

  // manual test logs
  readonly listTestLogs: (testRunId: number, options?: { readonly pageSize?: number | undefined }) => Stream.Stream<TestLog, ApiError>
  readonly getTestLog: (testRunId: number, testLogId: number) => Effect.Effect<TestLog, ApiError>
  readonly createTestLog: (testRunId: number, body: ManualTestLogBody) => Effect.Effect<TestLog, ApiError>
  /** Only the API user's own logs (project admins: any); step order and read-only fields cannot change. */
  readonly updateTestLog: (testRunId: number, testLogId: number, body: ManualTestLogBody) => Effect.Effect<TestLog, ApiError>

  // automation logs (batch, queued)
  /** `POST …/auto-test-logs?type=automation`: answers the queued job, not the created objects. */
  readonly submitAutomationLogs: (body: AutomationRequestBody) => Effect.Effect<QueueProcessingResponse, ApiError>
  readonly getQueueJob: (jobId: number) => Effect.Effect<QueueProcessingResponse, ApiError>
  /** Polls until SUCCESS (answered) or FAILED (QueueJobFailed with the server's `content`). */
  readonly pollQueue: (jobId: number, options?: PollOptions) => Effect.Effect<QueueProcessingResponse, ApiError | QueueJobFailed>

  // attachments
  /** Streams the file to `blob-handles`; too large is ApiError BadRequest with status 413. */
  readonly uploadAttachment: (objectType: AttachmentObjectType, objectId: number, file: UploadFile) => Effect.Effect<Attachment, ApiError>
  readonly listAttachments: (objectType: AttachmentObjectType, objectId: number) => Effect.Effect<ReadonlyArray<Attachment>, ApiError>

  // requirements
  /** Requirements whose name contains `text` (`Name ~ '…'`): how Jira-synced requirements are found by issue key. */
  readonly findRequirements: (text: string) => Stream.Stream<Requirement, ApiError>
  /** Links test cases to a requirement (qTest links from the requirement side); unlinkable ids are ignored by qTest. */
  readonly linkRequirement: (requirementId: number, testCaseIds: ReadonlyArray<number>) => Effect.Effect<ReadonlyArray<LinkedObjects>, ApiError>
}

/** The URL as error messages show it (auth is a header: URLs carry no secret). Mirrors core's join. */
const urlOf = (baseUrl: string, path: string, query: Query = {}): string => {
  const url = new URL(baseUrl.replace(/\/+$/, "") + "/" + path.replace(/^\/+/, ""))
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v))
  return url.toString()
}

const withMessage = (e: ApiError, message: string): ApiError =>
  new ApiError({ system: e.system, reason: e.reason, method: e.method, url: e.url, status: e.status, retryAfterSeconds: e.retryAfterSeconds, message })

/**
 * Header values must be Latin-1 for fetch: a name outside printable ASCII is sent percent-encoded rather than
 * failing the upload before it leaves the process [inferred: qTest documents no encoding for File-Name].
 */
export const fileNameHeader = (name: string): string => (/^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name))

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

export const makeQtestClient = (config: QtestClientConfig, ctx: PluginContext): QtestClientShape => {
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
  const json = (value: unknown) => ({ _tag: "json", value }) as const

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
    const items = Schema.Array(schema)
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

  const searchWith = <A, I>(schema: Schema.Schema<A, I>, body: SearchBody, pageSize: number, query: Query = {}): Stream.Stream<A, ApiError> =>
    pagedItems(schema, "POST", `${project}/search`, query, pageSize, body)

  // --- projects and users ---------------------------------------------------------------------------------

  const getProject = Effect.fn("QtestClient.getProject")(function* () {
    return yield* get(Project, project)
  })

  const listProjects = Effect.fn("QtestClient.listProjects")(function* () {
    return yield* get(Schema.Array(Project), "/api/v3/projects", { assigned: true })
  })

  const currentUser = Effect.fn("QtestClient.currentUser")(function* () {
    return yield* get(CurrentUser, "/api/v3/re-evaluation")
  })

  const searchUsers: QtestClientShape["searchUsers"] = (username, options = {}) =>
    pagedItems(User, "GET", "/api/v3/users/search", { username, includeInactiveUsers: options.includeInactive, pagination: true }, defaultPageSizes.users).pipe(
      Stream.withSpan("QtestClient.searchUsers")
    )

  const listProjectUsers = Effect.fn("QtestClient.listProjectUsers")(function* (options: { readonly includeInactive?: boolean | undefined } = {}) {
    return yield* get(Schema.Array(User), `${project}/users`, { inactive: options.includeInactive ?? false })
  })

  // --- field settings ---------------------------------------------------------------------------------------

  const listFields = Effect.fn("QtestClient.listFields")(function* (objectType: FieldObjectType, options: { readonly includeInactive?: boolean | undefined } = {}) {
    return yield* get(Schema.Array(Field), `${project}/settings/${objectType}/fields`, { includeInactive: options.includeInactive })
  })

  const createField = Effect.fn("QtestClient.createField")(function* (objectType: FieldObjectType, body: FieldBody) {
    return yield* call(Field, "POST", `${project}/settings/${objectType}/fields`, { body: json(body) })
  })

  const addAllowedValues = Effect.fn("QtestClient.addAllowedValues")(function* (
    objectType: FieldObjectType,
    fieldId: number,
    values: ReadonlyArray<AllowedValueBody>
  ) {
    const path = `${project}/settings/${objectType}/fields/${fieldId}/allowed-values`
    const created: Array<AllowedValue> = []
    for (let i = 0; i < values.length; i += allowedValuesPerCall) {
      const answer = yield* call(AllowedValuesCreated, "POST", path, { body: json(values.slice(i, i + allowedValuesPerCall)) })
      created.push(...(Array.isArray(answer) ? answer : (answer as { readonly items: ReadonlyArray<AllowedValue> }).items))
    }
    return created as ReadonlyArray<AllowedValue>
  })

  const listExecutionStatuses = Effect.fn("QtestClient.listExecutionStatuses")(function* () {
    return yield* get(Schema.Array(ExecutionStatus), `${project}/test-runs/execution-statuses`)
  })

  // --- modules ----------------------------------------------------------------------------------------------

  const descendants = (on: boolean | undefined) => (on === true ? "descendants" : undefined)

  const listModules = Effect.fn("QtestClient.listModules")(function* (
    options: { readonly parentId?: number | undefined; readonly descendants?: boolean | undefined } = {}
  ) {
    return yield* get(Schema.Array(Module), `${project}/modules`, { parentId: options.parentId, expand: descendants(options.descendants) })
  })

  const getModule = Effect.fn("QtestClient.getModule")(function* (moduleId: number, options: { readonly descendants?: boolean | undefined } = {}) {
    return yield* get(Module, `${project}/modules/${moduleId}`, { expand: descendants(options.descendants) })
  })

  const createModule = Effect.fn("QtestClient.createModule")(function* (body: ModuleBody, parentId?: number | undefined) {
    return yield* call(Module, "POST", `${project}/modules`, { query: { parentId }, body: json(body) })
  })

  const updateModule = Effect.fn("QtestClient.updateModule")(function* (moduleId: number, body: ModuleBody) {
    return yield* call(Module, "PUT", `${project}/modules/${moduleId}`, { body: json(body) })
  })

  // --- test cases -------------------------------------------------------------------------------------------

  const listTestCases: QtestClientShape["listTestCases"] = (moduleId, options = {}) =>
    bareArrayPages(
      TestCase,
      `${project}/test-cases`,
      { parentId: moduleId, expandSteps: options.expandSteps, expandProps: options.expandProps },
      "size",
      options.pageSize ?? defaultPageSizes.testCases
    ).pipe(Stream.withSpan("QtestClient.listTestCases"))

  const getTestCase = Effect.fn("QtestClient.getTestCase")(function* (
    idOrPid: number | string,
    options: { readonly steps?: boolean | undefined; readonly versionId?: number | undefined } = {}
  ) {
    return yield* get(TestCase, `${project}/test-cases/${encodeURIComponent(String(idOrPid))}`, {
      expand: options.steps === false ? undefined : "teststep",
      versionId: options.versionId
    })
  })

  const createTestCase = Effect.fn("QtestClient.createTestCase")(function* (body: TestCaseBody) {
    return yield* call(TestCase, "POST", `${project}/test-cases`, { body: json(body) })
  })

  const updateTestCase = Effect.fn("QtestClient.updateTestCase")(function* (testCaseId: number, body: TestCaseBody) {
    return yield* call(TestCase, "PUT", `${project}/test-cases/${testCaseId}`, { body: json(body) })
  })

  const approveTestCase = Effect.fn("QtestClient.approveTestCase")(function* (testCaseId: number) {
    return yield* call(TestCase, "PUT", `${project}/test-cases/${testCaseId}/approve`)
  })

  const listTestCaseVersions = Effect.fn("QtestClient.listTestCaseVersions")(function* (testCaseId: number) {
    return yield* get(Schema.Array(TestCase), `${project}/test-cases/${testCaseId}/versions`)
  })

  // --- search -----------------------------------------------------------------------------------------------

  const search: QtestClientShape["search"] = (objectType, query, options = {}) =>
    searchWith(SearchItem, { object_type: objectType, fields: options.fields ?? ["*"], query }, options.pageSize ?? defaultPageSizes.search).pipe(
      Stream.withSpan("QtestClient.search")
    )

  const searchCount = Effect.fn("QtestClient.searchCount")(function* (objectType: SearchObjectType, query: string) {
    const page = yield* call(PagedItems(SearchItem), "POST", `${project}/search`, {
      query: { page: 1, pageSize: 1 },
      body: json({ object_type: objectType, fields: ["id"], query }),
      retry: "transient"
    })
    return page.total ?? page.items.length
  })

  const searchTestCases: QtestClientShape["searchTestCases"] = (query) =>
    searchWith(TestCase, { object_type: "test-cases", fields: ["*"], query }, defaultPageSizes.search, { appendTestSteps: true }).pipe(Stream.withSpan("QtestClient.searchTestCases"))

  const searchTestLogs: QtestClientShape["searchTestLogs"] = (query) =>
    searchWith(TestLog, { object_type: "test-logs", fields: ["*"], query }, defaultPageSizes.search, { includeTestLogProperties: true }).pipe(
      Stream.withSpan("QtestClient.searchTestLogs")
    )

  // --- releases ---------------------------------------------------------------------------------------------

  const listReleases = Effect.fn("QtestClient.listReleases")(function* (options: { readonly includeClosed?: boolean | undefined } = {}) {
    // closed releases too by default: a migration re-run must find what it created, open or not
    return yield* get(Schema.Array(Release), `${project}/releases`, { includeClosed: options.includeClosed ?? true })
  })

  const getRelease = Effect.fn("QtestClient.getRelease")(function* (releaseId: number) {
    return yield* get(Release, `${project}/releases/${releaseId}`)
  })

  const createRelease = Effect.fn("QtestClient.createRelease")(function* (body: ReleaseBody) {
    return yield* call(Release, "POST", `${project}/releases`, { body: json(body) })
  })

  const updateRelease = Effect.fn("QtestClient.updateRelease")(function* (releaseId: number, body: ReleaseBody) {
    return yield* call(Release, "PUT", `${project}/releases/${releaseId}`, { body: json(body) })
  })

  // --- test cycles ------------------------------------------------------------------------------------------

  const listTestCycles: QtestClientShape["listTestCycles"] = (parent, options = {}) =>
    bareArrayPages(
      TestCycle,
      `${project}/test-cycles`,
      { parentId: parent.parentId, parentType: parent.parentType, expand: descendants(options.descendants) },
      "pageSize",
      options.pageSize ?? defaultPageSizes.testCycles
    ).pipe(Stream.withSpan("QtestClient.listTestCycles"))

  const getTestCycle = Effect.fn("QtestClient.getTestCycle")(function* (testCycleId: number, options: { readonly descendants?: boolean | undefined } = {}) {
    return yield* get(TestCycle, `${project}/test-cycles/${testCycleId}`, { expand: descendants(options.descendants) })
  })

  const createTestCycle = Effect.fn("QtestClient.createTestCycle")(function* (body: TestCycleBody, parent: ExecutionParent) {
    return yield* call(TestCycle, "POST", `${project}/test-cycles`, { query: { parentId: parent.parentId, parentType: parent.parentType }, body: json(body) })
  })

  const updateTestCycle = Effect.fn("QtestClient.updateTestCycle")(function* (testCycleId: number, body: TestCycleBody) {
    return yield* call(TestCycle, "PUT", `${project}/test-cycles/${testCycleId}`, { body: json(body) })
  })

  // --- test runs --------------------------------------------------------------------------------------------

  const listTestRuns: QtestClientShape["listTestRuns"] = (parent, options = {}) =>
    pagedItems(
      TestRun,
      "GET",
      `${project}/test-runs`,
      { parentId: parent.parentId, parentType: parent.parentType, expand: descendants(options.descendants) },
      options.pageSize ?? defaultPageSizes.testRuns
    ).pipe(Stream.withSpan("QtestClient.listTestRuns"))

  const countTestRuns = Effect.fn("QtestClient.countTestRuns")(function* (parent: ExecutionParent) {
    const page = yield* get(PagedItems(TestRun), `${project}/test-runs`, {
      parentId: parent.parentId,
      parentType: parent.parentType,
      expand: "descendants",
      page: 1,
      pageSize: 1
    })
    return page.total ?? page.items.length
  })

  const getTestRun = Effect.fn("QtestClient.getTestRun")(function* (testRunId: number) {
    return yield* get(TestRun, `${project}/test-runs/${testRunId}`)
  })

  const createTestRun = Effect.fn("QtestClient.createTestRun")(function* (body: TestRunBody, parent: ExecutionParent) {
    return yield* call(TestRun, "POST", `${project}/test-runs`, { query: { parentId: parent.parentId, parentType: parent.parentType }, body: json(body) })
  })

  const updateTestRun = Effect.fn("QtestClient.updateTestRun")(function* (testRunId: number, body: TestRunBody) {
    return yield* call(TestRun, "PUT", `${project}/test-runs/${testRunId}`, { body: json(body) })
  })

  // --- manual test logs -------------------------------------------------------------------------------------

  const listTestLogs: QtestClientShape["listTestLogs"] = (testRunId, options = {}) =>
    pagedItems(TestLog, "GET", `${project}/test-runs/${testRunId}/test-logs`, {}, options.pageSize ?? defaultPageSizes.testLogs).pipe(
      Stream.withSpan("QtestClient.listTestLogs")
    )

  const getTestLog = Effect.fn("QtestClient.getTestLog")(function* (testRunId: number, testLogId: number) {
    return yield* get(TestLog, `${project}/test-runs/${testRunId}/test-logs/${testLogId}`)
  })

  const createTestLog = Effect.fn("QtestClient.createTestLog")(function* (testRunId: number, body: ManualTestLogBody) {
    return yield* call(TestLog, "POST", `${project}/test-runs/${testRunId}/test-logs`, { body: json(body) })
  })

  const updateTestLog = Effect.fn("QtestClient.updateTestLog")(function* (testRunId: number, testLogId: number, body: ManualTestLogBody) {
    return yield* call(TestLog, "PUT", `${project}/test-runs/${testRunId}/test-logs/${testLogId}`, { body: json(body) })
  })

  // --- automation logs --------------------------------------------------------------------------------------

  const submitAutomationLogs = Effect.fn("QtestClient.submitAutomationLogs")(function* (body: AutomationRequestBody) {
    return yield* call(QueueProcessingResponse, "POST", `${project}/auto-test-logs`, { query: { type: "automation" }, body: json(body) })
  })

  const getQueueJob = Effect.fn("QtestClient.getQueueJob")(function* (jobId: number) {
    // the one path without the project: jobs are site-wide
    return yield* get(QueueProcessingResponse, `/api/v3/projects/queue-processing/${jobId}`)
  })

  const pollQueue = Effect.fn("QtestClient.pollQueue")(function* (jobId: number, options: PollOptions = {}) {
    const interval = Duration.decode(options.interval ?? Duration.seconds(1))
    const timeout = Duration.decode(options.timeout ?? Duration.hours(1))
    // counted in polls, not wall time, so a test with TestClock and a slow server behave alike
    const maxPolls = Math.max(1, Math.ceil(Duration.toMillis(timeout) / Math.max(1, Duration.toMillis(interval))))
    let job = yield* getQueueJob(jobId)
    for (let polls = 1; !isTerminalState(job.state); polls++) {
      if (polls >= maxPolls)
        return yield* new ApiError({
          system,
          reason: "Timeout",
          method: "GET",
          url: urlOf(baseUrl, `/api/v3/projects/queue-processing/${jobId}`),
          message: `qTest job ${jobId} is still ${job.state} after ${Duration.format(timeout)}: the results may yet appear; re-query before resubmitting`
        })
      yield* Effect.sleep(interval)
      job = yield* getQueueJob(jobId)
    }
    if (job.state === "FAILED") {
      const content = job.content ?? ""
      return yield* new QueueJobFailed({ system, jobId, content, message: `qTest job ${jobId} FAILED: ${content || "(no content)"}` })
    }
    return job
  })

  // --- attachments ------------------------------------------------------------------------------------------

  const uploadAttachment = Effect.fn("QtestClient.uploadAttachment")(function* (objectType: AttachmentObjectType, objectId: number, file: UploadFile) {
    return yield* call(Attachment, "POST", `${project}/${objectType}/${objectId}/blob-handles`, {
      headers: { "File-Name": fileNameHeader(file.name), "Content-Type": file.contentType },
      body: { _tag: "stream", make: file.make, contentType: file.contentType, contentLength: file.contentLength }
    }).pipe(
      Effect.mapError((e) =>
        e.status === 413
          ? withMessage(e, `${file.name}${file.contentLength === undefined ? "" : ` (${file.contentLength} bytes)`} is larger than qTest accepts (413): ${e.message}`)
          : e
      )
    )
  })

  const listAttachments = Effect.fn("QtestClient.listAttachments")(function* (objectType: AttachmentObjectType, objectId: number) {
    return yield* get(Schema.Array(Attachment), `${project}/${objectType}/${objectId}/attachments`)
  })

  // --- requirements -----------------------------------------------------------------------------------------

  const findRequirements: QtestClientShape["findRequirements"] = (text) =>
    searchWith(Requirement, { object_type: "requirements", fields: ["*"], query: `Name ~ '${text}'` }, defaultPageSizes.search).pipe(
      Stream.withSpan("QtestClient.findRequirements")
    )

  const linkRequirement = Effect.fn("QtestClient.linkRequirement")(function* (requirementId: number, testCaseIds: ReadonlyArray<number>) {
    if (testCaseIds.length === 0) return []
    // linking is idempotent (an existing link is kept), so a timed-out link may safely be sent again
    return yield* call(Schema.Array(LinkedObjects), "POST", `${project}/requirements/${requirementId}/link`, {
      query: { type: "test-cases" },
      body: json(testCaseIds),
      retry: "transient"
    })
  })

  return {
    baseUrl,
    projectId: config.projectId,
    getProject,
    listProjects,
    currentUser,
    searchUsers,
    listProjectUsers,
    listFields,
    createField,
    addAllowedValues,
    listExecutionStatuses,
    listModules,
    getModule,
    createModule,
    updateModule,
    listTestCases,
    getTestCase,
    createTestCase,
    updateTestCase,
    approveTestCase,
    listTestCaseVersions,
    search,
    searchCount,
    searchTestCases,
    searchTestLogs,
    listReleases,
    getRelease,
    createRelease,
    updateRelease,
    listTestCycles,
    getTestCycle,
    createTestCycle,
    updateTestCycle,
    listTestRuns,
    getTestRun,
    countTestRuns,
    createTestRun,
    updateTestRun,
    listTestLogs,
    getTestLog,
    createTestLog,
    updateTestLog,
    submitAutomationLogs,
    getQueueJob,
    pollQueue,
    uploadAttachment,
    listAttachments,
    findRequirements,
    linkRequirement
  }
}

/** The client as a service: `make` and `layer` side by side, the same live layer in tests (pointed at the sandbox). */
export class QtestClient extends Context.Tag("migrate/qtest/QtestClient")<QtestClient, QtestClientShape>() {
  static readonly make = makeQtestClient
  static readonly layer = (config: QtestClientConfig, ctx: PluginContext): Layer.Layer<QtestClient> => Layer.succeed(QtestClient, makeQtestClient(config, ctx))
}
