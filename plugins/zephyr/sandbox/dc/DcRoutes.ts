/**
 * Zephyr Scale Data Center's REST API v1 read endpoints (`/rest/atm/1.0`, docs/vendors/zephyr.md §2) over the same `Tenant` the
 * Cloud routes serve: path matching, TQL search with DC's offset paging, error bodies. Like ZephyrRoutes.ts, no
 * sockets and no clock: the server file owns auth, throttling and faults.
 *
 * What DC has and the sandbox serves (`DC_ROUTES`, each held to the OpenAPI transcription by the contract test):
 * - `GET /testcase/search`, `/testrun/search`, `/testplan/search` with `query` (parseTql.ts), `startAt`,
 *   `maxResults` (default 200; at most `maxResultsCap`, 1000 by default — DC documents no cap, clients use 1000)
 *   and `fields`: a BARE JSON array of full objects, no total; a client pages until a short page;
 * - `GET /testcase/{key}`, `/testrun/{key}`, `/testplan/{key}` (with `fields`), `/testrun/{key}/testresults`
 *   (every result of the run, history included, in the tenant's order), `/testcase/{key}/testresult/latest`;
 * - attachment lists of test cases and test results `[{id, url, filename, filesize}]`, whose absolute `url` is
 *   Jira's internal servlet `/rest/tests/1.0/attachment/{id}`, served here with the same credentials; the lists
 *   of runs, plans and steps exist on DC and answer `[]` (the tenant has no such files);
 * - `GET /environments?projectKey=X` with string ids.
 *
 * What DC lacks answers 404 like any unknown path: there is no GET of folders, statuses, priorities, custom fields
 * or projects, and NO way to list results that belong to no run — an ad hoc result other than a case's latest is
 * invisible on DC, exactly the real API's limitation (docs/vendors/zephyr.md §2).
 *
 * Choices where DC's docs are silent: an unknown key in the path → 404 `{"errorMessages": [<DC's sentence>]}`;
 * `folder = "/x"` naming no folder → 400 `Value(s) not found for field folder: /x` (the documented form of an
 * unknown value); `startAt` beyond the end → `[]`.
 */
import type { Tenant } from "../mutableTenant.ts"
import { pathRoutes, type PathRoute } from "../PathRoutes.ts"
import { fileReply, json, type Reply } from "../ZephyrRoutes.ts"
import type { Entity, LazyList, TenantKind } from "../Tenant.ts"
import type { FolderType } from "../ZephyrData.ts"
import { DC_ATTACHMENT_SERVLET, makeDcRenderer, type Body } from "./DcRenderer.ts"
import { dcErrorReply } from "./dcErrorReply.ts"
import { makeFolderPaths } from "./FolderPaths.ts"
import { parseTql } from "./parseTql.ts"

/** Where DC's API lives under the Jira base URL. */
export const DC_BASE_PATH = "/rest/atm/1.0"

export interface DcRouterOptions {
  /** `http://127.0.0.1:<port>` (Jira's base URL: the API is under `DC_BASE_PATH`). */
  readonly origin: string
  readonly maxResultsCap: number
  readonly attachments: boolean
  readonly attachmentsMissingStatus: 404 | 503
  /** An entity's update time before any mutation (the source's), for `createdOn`. */
  readonly createdAt: (kind: TenantKind, id: number) => number
}

/** A route DC has: its template under `DC_BASE_PATH` (as the OpenAPI writes it) and the query parameters read. */
export interface DcRoute {
  readonly template: string
  readonly query: ReadonlyArray<string>
}

const SEARCH_QUERY = ["query", "startAt", "maxResults", "fields"]

/** Every API route the sandbox serves (all GET); the attachment servlet, outside the API, is not one of them. */
export const DC_ROUTES: ReadonlyArray<DcRoute> = [
  { template: "/testcase/search", query: SEARCH_QUERY },
  { template: "/testcase/{testCaseKey}", query: ["fields"] },
  { template: "/testcase/{testCaseKey}/attachments", query: [] },
  { template: "/testcase/{testCaseKey}/step/{stepIndex}/attachments", query: [] },
  { template: "/testcase/{testCaseKey}/testresult/latest", query: [] },
  { template: "/testrun/search", query: SEARCH_QUERY },
  { template: "/testrun/{testRunKey}", query: ["fields"] },
  { template: "/testrun/{testRunKey}/attachments", query: [] },
  { template: "/testrun/{testRunKey}/testresults", query: [] },
  { template: "/testplan/search", query: SEARCH_QUERY },
  { template: "/testplan/{testPlanKey}", query: ["fields"] },
  { template: "/testplan/{testPlanKey}/attachments", query: [] },
  { template: "/testresult/{testResultId}/attachments", query: [] },
  { template: "/testresult/{testResultId}/step/{stepIndex}/attachments", query: [] },
  { template: "/environments", query: ["projectKey"] }
]

/** An error answer raised while handling a request; the router turns it into DC's body. */
class Refusal {
  readonly status: number
  readonly messages: ReadonlyArray<string>
  constructor(status: number, messages: ReadonlyArray<string>) {
    this.status = status
    this.messages = messages
  }
}

const refuse = (status: number, ...messages: ReadonlyArray<string>): never => {
  throw new Refusal(status, messages)
}

const START_AT_MAX = 1_000_000
const DEFAULT_MAX_RESULTS = 200
const CACHE_SIZE = 64

type Handler = (params: ReadonlyArray<string>, query: URLSearchParams) => Reply

type Matcher = PathRoute<Handler>

/** `/testcase/{testCaseKey}` → a pattern whose groups are the path parameters. */
const patternOf = (prefix: string, template: string): RegExp =>
  new RegExp(`^${prefix.replace(/[.]/g, "\\.")}${template.replace(/\{[^}]+\}/g, "([^/]+)")}$`)

export const makeDcRouter = (tenant: Tenant, options: DcRouterOptions) => {
  const folderPaths = makeFolderPaths(tenant.folders)
  const render = makeDcRenderer(tenant, folderPaths, { origin: options.origin, createdAt: options.createdAt })

  // Filtered lists (root folder, plan folders) are scans: memoised per query, for one tenant generation.
  const cache = new Map<string, ReadonlyArray<number>>()
  let cacheGeneration = tenant.generation()
  const positions = (key: string, compute: () => ReadonlyArray<number>): ReadonlyArray<number> => {
    if (cacheGeneration !== tenant.generation()) {
      cache.clear()
      cacheGeneration = tenant.generation()
    }
    const hit = cache.get(key)
    if (hit !== undefined) return hit
    const value = compute()
    if (cache.size >= CACHE_SIZE) {
      const oldest = cache.keys().next()
      if (!oldest.done) cache.delete(oldest.value)
    }
    cache.set(key, value)
    return value
  }

  const intParam = (query: URLSearchParams, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = query.get(name)
    if (raw === null || raw === "") return fallback
    const n = Number(raw)
    if (!/^[0-9]+$/.test(raw) || !Number.isSafeInteger(n)) return refuse(400, `The parameter ${name} must be a non-negative integer, got ${raw}.`)
    return Math.min(n, max)
  }

  /** `fields=a,b`: only those top-level fields (unknown names ignored, as DC documents); all when absent. */
  const onlyFields = (body: Body, query: URLSearchParams): Body => {
    const raw = query.get("fields")
    if (raw === null || raw.trim() === "") return body
    const wanted = new Set(raw.split(",").map((f) => f.trim()))
    return Object.fromEntries(Object.entries(body).filter(([k]) => wanted.has(k)))
  }

  /** The list a TQL query selects, as `{length, at}` over the tenant's lists. */
  const select = <T extends Entity & { readonly folder?: { readonly id: number } | null | undefined }>(
    kind: string,
    folderType: FolderType,
    query: URLSearchParams,
    byProject: (projectId: number) => LazyList<T>,
    byFolder: ((folderId: number) => LazyList<T>) | undefined
  ): { readonly length: number; readonly at: (i: number) => T | undefined } => {
    const tql = parseTql(query.get("query"))
    if ("errors" in tql) return refuse(400, ...tql.errors)
    const project = tenant.projects.byKey(tql.projectKey)
    if (project === undefined) return refuse(400, `The project ${tql.projectKey} was not found for field projectKey.`)
    const all = byProject(project.id)
    if (tql.folder === undefined) return all
    const folderId = tql.folder === "/" ? undefined : folderPaths.idOf(project.id, folderType, tql.folder)
    if (tql.folder !== "/" && folderId === undefined) return refuse(400, `Value(s) not found for field folder: ${tql.folder}`)
    if (folderId !== undefined && byFolder !== undefined) return byFolder(folderId)
    const keep = positions(`${kind}/${project.id}/${tql.folder}`, () => {
      const out: Array<number> = []
      for (let i = 0; i < all.length; i++) {
        const f = all.at(i)?.folder?.id
        if (folderId === undefined ? f === null || f === undefined : f === folderId) out.push(i)
      }
      return out
    })
    return { length: keep.length, at: (i) => all.at(keep[i] ?? -1) }
  }

  const page = <T>(items: { readonly length: number; readonly at: (i: number) => T | undefined }, renderItem: (t: T) => Body, query: URLSearchParams): Reply => {
    const startAt = intParam(query, "startAt", 0, START_AT_MAX)
    const maxResults = intParam(query, "maxResults", DEFAULT_MAX_RESULTS, options.maxResultsCap)
    const out: Array<Body> = []
    for (let i = startAt; i < Math.min(items.length, startAt + maxResults); i++) {
      const item = items.at(i)
      if (item !== undefined) out.push(onlyFields(renderItem(item), query))
    }
    return json(200, out)
  }

  const found = <T>(value: T | undefined, message: string): T => (value === undefined ? refuse(404, message) : value)
  const caseByKey = (key: string) => found(tenant.testcases.byKey(key), "No Test Case has been found with the given key.")
  const runByKey = (key: string) => found(tenant.testcycles.byKey(key), "No Test Run has been found with the given key.")
  const planByKey = (key: string) => found(tenant.testplans.byKey(key), "No Test Plan has been found with the given key.")
  const resultById = (raw: string) =>
    found(/^[0-9]+$/.test(raw) ? tenant.testexecutions.byId(Number(raw)) : undefined, "No Test Result has been found with the given id.")

  /** An older Jira without Zephyr's attachment endpoints (`--zephyr-no-attachments`): 404, or 503 as on Cloud. */
  const attachmentsGate = (): void => {
    if (!options.attachments) refuse(options.attachmentsMissingStatus, "The attachment endpoints are not available on this instance.")
  }
  const attachmentList = (owner: string | undefined): Reply => {
    attachmentsGate()
    return json(200, owner === undefined ? [] : render.attachments(owner))
  }

  /** Attachment id → owner, for the servlet (a URL names only the id); rebuilt after a mutation deleted owners. */
  let ownerIndex: { readonly generation: number; readonly owners: ReadonlyMap<number, string> } | undefined
  const ownerOf = (id: number): string | undefined => {
    if (ownerIndex === undefined || ownerIndex.generation !== tenant.generation()) {
      const owners = new Map<number, string>()
      const add = (owner: string) => {
        for (const a of tenant.attachments(owner)) if (!owners.has(a.id)) owners.set(a.id, owner)
      }
      const cases = tenant.testcases.all
      for (let i = 0; i < cases.length; i++) {
        const key = cases.at(i)?.key
        if (key !== undefined) add(`testcases/${key}`)
      }
      const executions = tenant.testexecutions.all
      for (let i = 0; i < executions.length; i++) add(`testexecutions/${executions.idAt(i)}`)
      ownerIndex = { generation: tenant.generation(), owners }
    }
    return ownerIndex.owners.get(id)
  }

  const attachmentFile = (raw: string): Reply => {
    attachmentsGate()
    const id = /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN
    const owner = Number.isSafeInteger(id) ? ownerOf(id) : undefined
    return fileReply(found(owner === undefined ? undefined : tenant.attachmentBytes(owner, id), "No attachment has been found with the given id."))
  }

  /** A step's attachments: none are held, but a step index the owner lacks is DC's 404 (`notFound`). */
  const stepAttachments = (raw: string, steps: number, notFound: string): Reply => {
    const index = /^[0-9]+$/.test(raw) ? Number(raw) : -1
    if (index < 0 || index >= steps) refuse(404, notFound)
    return attachmentList(undefined)
  }

  const handlers: Readonly<Record<string, Handler>> = {
    "/testcase/search": (_, q) => page(select("testcases", "TEST_CASE", q, (p) => tenant.testcases.byProject(p), (f) => tenant.casesByFolder(f)), render.testCase, q),
    "/testcase/{testCaseKey}": ([key = ""], q) => json(200, onlyFields(render.testCase(caseByKey(key)), q)),
    "/testcase/{testCaseKey}/attachments": ([key = ""]) => attachmentList(`testcases/${caseByKey(key).key}`),
    "/testcase/{testCaseKey}/step/{stepIndex}/attachments": ([key = "", raw = ""]) =>
      stepAttachments(raw, tenant.teststeps(caseByKey(key).key).length, "No Test Case has been found with the given key or the Step Index was not found."),
    "/testcase/{testCaseKey}/testresult/latest": ([key = ""]) =>
      json(200, render.testResult(found(render.latestResult(caseByKey(key).key), "No Test Result has been found for the given Test Case."))),
    "/testrun/search": (_, q) => page(select("testruns", "TEST_CYCLE", q, (p) => tenant.testcycles.byProject(p), (f) => tenant.cyclesByFolder(f)), render.testRun, q),
    "/testrun/{testRunKey}": ([key = ""], q) => json(200, onlyFields(render.testRun(runByKey(key)), q)),
    "/testrun/{testRunKey}/attachments": ([key = ""]) => {
      runByKey(key)
      return attachmentList(undefined)
    },
    "/testrun/{testRunKey}/testresults": ([key = ""]) => {
      const list = tenant.executionsByCycle(runByKey(key).id)
      const out: Array<Body> = []
      for (let i = 0; i < list.length; i++) {
        const e = list.at(i)
        if (e !== undefined) out.push(render.testResult(e))
      }
      return json(200, out)
    },
    "/testplan/search": (_, q) => page(select("testplans", "TEST_PLAN", q, (p) => tenant.testplans.byProject(p), undefined), render.testPlan, q),
    "/testplan/{testPlanKey}": ([key = ""], q) => json(200, onlyFields(render.testPlan(planByKey(key)), q)),
    "/testplan/{testPlanKey}/attachments": ([key = ""]) => {
      planByKey(key)
      return attachmentList(undefined)
    },
    "/testresult/{testResultId}/attachments": ([raw = ""]) => attachmentList(`testexecutions/${resultById(raw).id}`),
    "/testresult/{testResultId}/step/{stepIndex}/attachments": ([raw = "", step = ""]) =>
      stepAttachments(step, tenant.executionsteps(resultById(raw).id).length, "No Test Result has been found with the given id or the Step Index was not found."),
    "/environments": (_, q) => {
      const key = q.get("projectKey")
      if (key === null || key === "") return refuse(400, "The field projectKey is required.")
      const p = tenant.projects.byKey(key) ?? refuse(400, `Could not find project ${key}`)
      const list = tenant.environments.byProject(p.id)
      return json(200, Array.from({ length: list.length }, (_, i) => list.at(i)).flatMap((env) => (env === undefined ? [] : [render.environment(env)])))
    }
  }

  const matchers: ReadonlyArray<Matcher> = [
    ...DC_ROUTES.map((r) => ({ template: `${DC_BASE_PATH}${r.template}`, pattern: patternOf(DC_BASE_PATH, r.template), handler: handlers[r.template] ?? (() => refuse(500, `no handler for ${r.template}`)) })),
    { template: `${DC_ATTACHMENT_SERVLET}/{id}`, pattern: patternOf(DC_ATTACHMENT_SERVLET, "/{id}"), handler: ([id = ""]) => attachmentFile(id) }
  ]

  // `search` is a key to no entity: the fixed paths come first in DC_ROUTES, so `/testcase/search` never reads as a key.
  const table = pathRoutes(matchers)

  return {
    /** The path template a request hits (`unmatched` for paths DC does not have), for statistics. */
    templateOf: table.templateOf,
    /** Answers a request that passed auth, throttling and fault injection. */
    handle: (method: string, url: URL): Reply => {
      const hit = table.find(url.pathname)
      if (hit === undefined) return dcErrorReply(404, `No resource at ${url.pathname}`)
      if (method !== "GET" && method !== "HEAD") return dcErrorReply(405, `Method ${method} is not supported by the sandbox (read-only)`)
      try {
        const params = hit.params.map((p) => decodeURIComponent(p))
        return hit.route.handler(params, url.searchParams)
      } catch (e) {
        if (e instanceof Refusal) return dcErrorReply(e.status, ...e.messages)
        if (e instanceof URIError) return dcErrorReply(400, "Malformed path")
        throw e
      }
    }
  }
}

export type DcRouter = ReturnType<typeof makeDcRouter>
