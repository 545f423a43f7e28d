/**
 * The Zephyr Scale Cloud v2 read API over a `Tenant` (data file, demo or generator, plus mutations): path
 * matching, query filters, the offset and cursor paging envelopes and error bodies. No sockets and no clock
 * here, so the server file only deals with transport concerns (auth, latency, throttling, faults).
 *
 * Choices where the public docs are silent:
 * - a filter naming an unknown project / cycle / case (`projectKey=NOPE`) → 400 `{errorCode, message}`;
 * - an unknown entity in the path → 404 `{errorCode:404, message}`;
 * - `/testcases/{key}/testscript` on a step-by-step case → 404; `/teststeps` on a script case → empty page;
 * - `/testcases/{key}/versions/{n}` of an older version serves the current content under that version's id;
 * - list order is data-file order (offset endpoints); id order (cursor `/nextgen` endpoints);
 * - `updatedAfter` on `/nextgen` compares the tenant's internal update time (Tenant.ts), which mutations set;
 * - the attachment endpoints of docs/vendors/zephyr.md §1.6 that a working migrator confirmed (test cases and
 *   executions) are served; the unverified cycle / plan / step ones are not.
 *
 * Zephyr Essential (`edition: "essential"`, docs/vendors/zephyr.md §3) differs only where this file says so:
 * - the `/nextgen` cursor endpoints do not exist: 404 like any unknown path (not "test case nextgen not found");
 * - `updatedAfter` does not exist either: an offset list given it answers 400 rather than ignoring it, so a client
 *   that believes it reads only the changes is caught (a sandbox choice; Essential's docs say nothing of it);
 * - an attachment file answers 401 "Permission denied" to the API token, whatever the attachment id (the lists
 *   answer as on Cloud; an unknown owner is still 404).
 */
import type { Tenant } from "./mutableTenant.ts"
import { pathRoutes, type PathRoute } from "./PathRoutes.ts"
import type { Renderer } from "./Renderer.ts"
import { versionId } from "./SandboxIndex.ts"
import type { Entity, LazyList, StoredAttachment, TenantKind } from "./Tenant.ts"
import type { ZephyrTestCase, ZephyrTestCycle, ZephyrTestExecution, ZephyrTestPlan } from "./ZephyrData.ts"
import type { ZephyrEdition } from "./ZephyrEdition.ts"

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

export interface RouterOptions {
  readonly maxResultsCap: number
  readonly attachments: boolean
  /** What the missing attachment endpoints answer when `attachments` is false. */
  readonly attachmentsMissingStatus: 404 | 503
  /** The product imitated (ZephyrEdition.ts); default `cloud`. */
  readonly edition?: ZephyrEdition | undefined
}

const JSON_TYPE = "application/json"

export const json = (status: number, body: unknown): Reply => ({ status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(body) })
export const errorReply = (status: number, message: string): Reply => json(status, { errorCode: status, message })

/** An attachment's bytes as a download: its type, its length and its name (RFC 5987, for any Unicode name). */
export const fileReply = (a: StoredAttachment): Reply => ({
  status: 200,
  headers: {
    "content-type": a.contentType,
    "content-length": String(a.bytes.byteLength),
    "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`
  },
  body: a.bytes
})

/** An error response raised while handling a request; caught by the router and turned into its body. */
class Reject {
  readonly status: number
  readonly message: string
  constructor(status: number, message: string) {
    this.status = status
    this.message = message
  }
}

const reject = (status: number, message: string): never => {
  throw new Reject(status, message)
}

const START_AT_MAX = 1_000_000
/** The cursor endpoints, which Zephyr Essential does not have. */
const CURSOR_PATH = /^\/v2\/(testcases|testcycles|testplans|testexecutions)\/nextgen$/
const CACHE_SIZE = 64
const PAGING_PARAMS = new Set(["startAt", "maxResults", "startAtId", "limit"])

/** Anything with a length and random access: a lazy list or a plain array. */
interface Indexed<T> {
  readonly length: number
  readonly at: (i: number) => T | undefined
}

/**
 * A filter on one list item. It gets the id for free and the entity only on demand, so filters that need just
 * the id (`updatedAfter`, `onlyLastExecutions`, the executed case) never build generated entities.
 */
type Predicate<T> = (id: number, get: () => T | undefined) => boolean

type Handler = (params: ReadonlyArray<string>, query: URLSearchParams, url: URL) => Reply

type Route = PathRoute<Handler>

export const makeRouter = (tenant: Tenant, render: Renderer, options: RouterOptions) => {
  const origin = render.base.replace(/\/v2$/, "")
  const essential = options.edition === "essential"

  /**
   * Filtered lists (as positions into their base list), memoised per query so that paging through a filtered
   * list stays O(page) after page one. A mutation starts a new generation, which empties the cache.
   */
  const cache = new Map<string, LazyList<Entity>>()
  let cacheGeneration = tenant.generation()
  const cached = <T extends Entity>(key: string, compute: () => LazyList<T>): LazyList<T> => {
    if (cacheGeneration !== tenant.generation()) {
      cache.clear()
      cacheGeneration = tenant.generation()
    }
    const hit = cache.get(key)
    if (hit) return hit as unknown as LazyList<T>
    const value = compute()
    if (cache.size >= CACHE_SIZE) {
      const oldest = cache.keys().next()
      if (!oldest.done) cache.delete(oldest.value)
    }
    cache.set(key, value as unknown as LazyList<Entity>)
    return value
  }

  const intParam = (query: URLSearchParams, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
    const raw = query.get(name)
    if (raw === null || raw === "") return fallback
    const n = Number(raw)
    if (!Number.isInteger(n) || n < min) return reject(400, `${name} must be an integer greater than or equal to ${min}`)
    if (n > max) return reject(400, `${name} must be less than or equal to ${max}`)
    return n
  }

  const boolParam = (query: URLSearchParams, name: string): boolean => {
    const raw = query.get(name)
    if (raw === null || raw === "" || raw === "false") return false
    if (raw === "true") return true
    return reject(400, `${name} must be true or false`)
  }

  const dateParam = (query: URLSearchParams, name: string): number | undefined => {
    const raw = query.get(name)
    if (raw === null || raw === "") return undefined
    const ms = Date.parse(raw)
    if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(ms)) return reject(400, `${name} must be a date-time in the format yyyy-MM-dd'T'HH:mm:ss'Z'`)
    return ms
  }

  const enumParam = <T extends string>(query: URLSearchParams, name: string, values: ReadonlyArray<T>): T | undefined => {
    const raw = query.get(name)
    if (raw === null || raw === "") return undefined
    return (values as ReadonlyArray<string>).includes(raw) ? (raw as T) : reject(400, `${name} must be one of ${values.join(", ")}`)
  }

  /** `projectKey` filter: undefined when absent; 400 for a project that does not exist. */
  const projectParam = (query: URLSearchParams): number | undefined => {
    const key = query.get("projectKey")
    if (key === null || key === "") return undefined
    const p = tenant.projects.byKey(key)
    return p ? p.id : reject(400, `Project with key '${key}' not found`)
  }

  /** The offset envelope every list endpoint returns, with `next` an absolute URL of the following page. */
  const page = <T>(items: Indexed<T>, renderItem: (item: T) => unknown, query: URLSearchParams, url: URL): Reply => {
    if (essential && query.has("updatedAfter")) return reject(400, "updatedAfter is not a parameter of this API: Zephyr Essential has no filter on modification dates")
    const startAt = intParam(query, "startAt", 0, 0, START_AT_MAX)
    const maxResults = Math.min(intParam(query, "maxResults", 10, 1), options.maxResultsCap)
    const values: Array<unknown> = []
    for (let i = startAt; i < Math.min(items.length, startAt + maxResults); i++) {
      const item = items.at(i)
      if (item !== undefined) values.push(renderItem(item))
    }
    const isLast = startAt + values.length >= items.length
    let next: string | null = null
    if (!isLast) {
      const params = new URLSearchParams(url.search)
      params.set("maxResults", String(maxResults))
      params.set("startAt", String(startAt + maxResults))
      next = `${origin}${url.pathname}?${params.toString()}`
    }
    return json(200, { next, startAt, maxResults, total: items.length, isLast, values })
  }

  /** Positions of a list in id order, for the cursor endpoints; memoised per list (lists are stable values). */
  const sortedById = new WeakMap<LazyList<Entity>, Int32Array>()
  const idOrder = (items: LazyList<Entity>): Int32Array | undefined => {
    if (items.idOrdered) return undefined
    const hit = sortedById.get(items)
    if (hit) return hit
    const order = Int32Array.from({ length: items.length }, (_, i) => i).sort((a, b) => items.idAt(a) - items.idAt(b))
    sortedById.set(items, order)
    return order
  }

  /** The cursor envelope of the `/nextgen` endpoints: items in id order from `startAtId`, no total. */
  const cursorPage = <T extends Entity>(items: LazyList<T>, renderItem: (item: T) => unknown, query: URLSearchParams, url: URL): Reply => {
    const limit = Math.min(intParam(query, "limit", 10, 1), options.maxResultsCap)
    const startAtId = intParam(query, "startAtId", 0, 0)
    const order = idOrder(items)
    const position = (k: number) => (order === undefined ? k : (order[k] ?? -1))
    let lo = 0
    let hi = items.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (items.idAt(position(mid)) < startAtId) lo = mid + 1
      else hi = mid
    }
    const values: Array<unknown> = []
    for (let k = lo; k < Math.min(items.length, lo + limit); k++) {
      const item = items.at(position(k))
      if (item !== undefined) values.push(renderItem(item))
    }
    const nextStartAtId = lo + limit < items.length ? items.idAt(position(lo + limit)) : null
    let next: string | null = null
    if (nextStartAtId !== null) {
      const params = new URLSearchParams(url.search)
      params.set("limit", String(limit))
      params.set("startAtId", String(nextStartAtId))
      next = `${origin}${url.pathname}?${params.toString()}`
    }
    return json(200, { next, nextStartAtId, limit, values })
  }

  /** `updatedAfter` (cursor endpoints): the tenant's internal update time, strictly after the given instant. */
  const updatedAfter = <T>(query: URLSearchParams, kind: TenantKind): Array<Predicate<T>> => {
    const after = dateParam(query, "updatedAfter")
    if (after === undefined) return []
    return [(id) => tenant.updatedOn(kind, id) > after]
  }

  /** Cheapest candidate list, then the remaining predicates, memoised by the filter part of the query. */
  const filtered = <T extends Entity>(name: string, query: URLSearchParams, base: LazyList<T>, predicates: ReadonlyArray<Predicate<T>>): LazyList<T> => {
    if (predicates.length === 0) return base
    const filters = [...query.entries()].filter(([k]) => !PAGING_PARAMS.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return cached(`${name}?${new URLSearchParams(filters).toString()}`, () => {
      const keep = new Int32Array(base.length)
      let n = 0
      for (let i = 0; i < base.length; i++) {
        let item: T | undefined
        let built = false
        const get = () => {
          if (!built) {
            item = base.at(i)
            built = true
          }
          return item
        }
        const id = base.idAt(i)
        if (predicates.every((p) => p(id, get))) keep[n++] = i
      }
      const positions = keep.slice(0, n)
      return {
        length: n,
        at: (k) => {
          const p = positions[k]
          return p === undefined ? undefined : base.at(p)
        },
        idAt: (k) => {
          const p = positions[k]
          return p === undefined ? -1 : base.idAt(p)
        },
        idOrdered: base.idOrdered
      }
    })
  }

  /** Keeps items whose entity passes `test` (builds the entity). */
  const where =
    <T>(test: (t: T) => boolean): Predicate<T> =>
    (_, get) => {
      const t = get()
      return t !== undefined && test(t)
    }

  const byProject = <T extends Entity>(table: { readonly all: LazyList<T>; readonly byProject: (projectId: number) => LazyList<T> }, projectId: number | undefined) =>
    projectId === undefined ? table.all : table.byProject(projectId)

  const idParam = (raw: string, what: string): number => {
    const n = Number(raw)
    return Number.isInteger(n) && n > 0 ? n : reject(404, `${what} '${raw}' not found`)
  }

  const found = <T>(value: T | undefined, message: string): T => (value === undefined ? reject(404, message) : value)

  const caseByKey = (key: string) => found(tenant.testcases.byKey(key), `Test case '${key}' not found`)
  const byIdOrKey = <T>(table: { readonly byId: (id: number) => T | undefined; readonly byKey: (key: string) => T | undefined }, raw: string, what: string): T =>
    found(/^[0-9]+$/.test(raw) ? table.byId(Number(raw)) : table.byKey(raw), `${what} '${raw}' not found`)

  /**
   * An older tenant: 404 (no such route), or the 503 SmartBear's gateway gave while the endpoints were being
   * rolled out (smartbear-mcp #456, docs/vendors/zephyr.md §1.6).
   */
  const noAttachments = (): never =>
    options.attachmentsMissingStatus === 503
      ? reject(503, "The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions.")
      : reject(404, "Not found: this tenant has no attachment endpoints")

  const attachmentList = (owner: string): Reply => {
    if (!options.attachments) return noAttachments()
    return json(200, { attachments: tenant.attachments(owner).map((a) => ({ id: a.id, name: a.name })) })
  }
  const attachmentBytes = (owner: string, rawId: string): Reply => {
    if (!options.attachments) return noAttachments()
    // Essential gives the files only to the app's browser session (docs/vendors/zephyr.md §3.6)
    if (essential) return reject(401, "Permission denied")
    const wanted = Number(rawId)
    return fileReply(found(Number.isInteger(wanted) ? tenant.attachmentBytes(owner, wanted) : undefined, `Attachment '${rawId}' not found`))
  }

  const executionPredicates = (query: URLSearchParams): { base: LazyList<ZephyrTestExecution>; predicates: Array<Predicate<ZephyrTestExecution>> } => {
    const projectId = projectParam(query)
    const cycleRaw = query.get("testCycle")
    const caseRaw = query.get("testCase")
    const after = dateParam(query, "actualEndDateAfter")
    const before = dateParam(query, "actualEndDateBefore")
    const jiraVersion = intParam(query, "jiraProjectVersionId", 0, 1)
    const onlyLast = boolParam(query, "onlyLastExecutions")
    boolParam(query, "includeStepLinks")
    const predicates: Array<Predicate<ZephyrTestExecution>> = []
    let base: LazyList<ZephyrTestExecution> = byProject(tenant.testexecutions, projectId)
    if (projectId !== undefined && (cycleRaw || caseRaw)) predicates.push(where((e) => e.project.id === projectId))
    if (cycleRaw) {
      const cycle = /^[0-9]+$/.test(cycleRaw) ? tenant.testcycles.byId(Number(cycleRaw)) : tenant.testcycles.byKey(cycleRaw)
      if (!cycle) return reject(400, `Test cycle with key '${cycleRaw}' not found`)
      base = tenant.executionsByCycle(cycle.id)
    }
    if (caseRaw) {
      const tc = /^[0-9]+$/.test(caseRaw) ? tenant.testcases.byId(Number(caseRaw)) : tenant.testcases.byKey(caseRaw)
      if (!tc) return reject(400, `Test case with key '${caseRaw}' not found`)
      if (cycleRaw) predicates.push((id) => tenant.executionCase(id)?.key === tc.key)
      else base = tenant.executionsByCase(tc.key)
    }
    if (after !== undefined || before !== undefined) {
      predicates.push(
        where((e) => {
          if (!e.actualEndDate) return false
          const t = Date.parse(e.actualEndDate)
          return (after === undefined || t > after) && (before === undefined || t < before)
        })
      )
    }
    if (jiraVersion !== 0) predicates.push(where((e) => e.jiraProjectVersion?.id === jiraVersion))
    if (onlyLast) predicates.push((id) => tenant.isLastExecution(id))
    return { base, predicates }
  }

  const renderCase = (tc: ZephyrTestCase) => render.testCase(tc)

  // `extra` predicates come from the cursor endpoints; their results are cached under a separate name.
  const testCaseItems = (q: URLSearchParams, extra: Array<Predicate<ZephyrTestCase>> = []): LazyList<ZephyrTestCase> => {
    const projectId = projectParam(q)
    const folderId = intParam(q, "folderId", 0, 1)
    const base = folderId === 0 ? byProject(tenant.testcases, projectId) : tenant.casesByFolder(folderId)
    const predicates = folderId !== 0 && projectId !== undefined ? [where((tc: ZephyrTestCase) => tc.project.id === projectId), ...extra] : extra
    return filtered(extra.length > 0 ? "testcases/nextgen" : "testcases", q, base, predicates)
  }

  const cycleItems = (q: URLSearchParams, extra: Array<Predicate<ZephyrTestCycle>> = []): LazyList<ZephyrTestCycle> => {
    const projectId = projectParam(q)
    const folderId = intParam(q, "folderId", 0, 1)
    const jiraVersion = intParam(q, "jiraProjectVersionId", 0, 1)
    const base = folderId === 0 ? byProject(tenant.testcycles, projectId) : tenant.cyclesByFolder(folderId)
    const predicates: Array<Predicate<ZephyrTestCycle>> = [...extra]
    if (folderId !== 0 && projectId !== undefined) predicates.push(where((c) => c.project.id === projectId))
    if (jiraVersion !== 0) predicates.push(where((c) => c.jiraProjectVersion?.id === jiraVersion))
    return filtered(extra.length > 0 ? "testcycles/nextgen" : "testcycles", q, base, predicates)
  }

  const planItems = (q: URLSearchParams, extra: Array<Predicate<ZephyrTestPlan>> = []): LazyList<ZephyrTestPlan> =>
    filtered(extra.length > 0 ? "testplans/nextgen" : "testplans", q, byProject(tenant.testplans, projectParam(q)), extra)

  const executionItems = (q: URLSearchParams, extra: Array<Predicate<ZephyrTestExecution>> = []): LazyList<ZephyrTestExecution> => {
    const { base, predicates } = executionPredicates(q)
    return filtered(extra.length > 0 ? "testexecutions/nextgen" : "testexecutions", q, base, [...predicates, ...extra])
  }

  const routes: ReadonlyArray<Route> = [
    {
      template: "/v2/healthcheck",
      pattern: /^\/v2\/healthcheck$/,
      handler: () => ({ status: 200, headers: {}, body: "" })
    },
    {
      template: "/v2/projects",
      pattern: /^\/v2\/projects$/,
      handler: (_, q, url) => page(tenant.projects.all, render.project, q, url)
    },
    {
      template: "/v2/projects/{projectIdOrKey}",
      pattern: /^\/v2\/projects\/([^/]+)$/,
      handler: ([raw = ""]) =>
        json(200, render.project(found(/^[0-9]+$/.test(raw) ? tenant.projects.byId(Number(raw)) : tenant.projects.byKey(raw), `Project '${raw}' not found`)))
    },
    {
      template: "/v2/folders",
      pattern: /^\/v2\/folders$/,
      handler: (_, q, url) => {
        const folderType = enumParam(q, "folderType", ["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"] as const)
        const base = byProject(tenant.folders, projectParam(q))
        return page(filtered("folders", q, base, folderType ? [where((f) => f.folderType === folderType)] : []), render.folder, q, url)
      }
    },
    {
      template: "/v2/folders/{folderId}",
      pattern: /^\/v2\/folders\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.folder(found(tenant.folders.byId(idParam(raw, "Folder")), `Folder '${raw}' not found`)))
    },
    {
      template: "/v2/statuses",
      pattern: /^\/v2\/statuses$/,
      handler: (_, q, url) => {
        const statusType = enumParam(q, "statusType", ["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"] as const)
        const base = byProject(tenant.statuses, projectParam(q))
        return page(filtered("statuses", q, base, statusType ? [where((s) => s.statusType === statusType)] : []), render.status, q, url)
      }
    },
    {
      template: "/v2/statuses/{statusId}",
      pattern: /^\/v2\/statuses\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.status(found(tenant.statuses.byId(idParam(raw, "Status")), `Status '${raw}' not found`)))
    },
    {
      template: "/v2/priorities",
      pattern: /^\/v2\/priorities$/,
      handler: (_, q, url) => page(byProject(tenant.priorities, projectParam(q)), render.option, q, url)
    },
    {
      template: "/v2/priorities/{priorityId}",
      pattern: /^\/v2\/priorities\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.option(found(tenant.priorities.byId(idParam(raw, "Priority")), `Priority '${raw}' not found`)))
    },
    {
      template: "/v2/environments",
      pattern: /^\/v2\/environments$/,
      handler: (_, q, url) => page(byProject(tenant.environments, projectParam(q)), render.option, q, url)
    },
    {
      template: "/v2/environments/{environmentId}",
      pattern: /^\/v2\/environments\/([^/]+)$/,
      handler: ([raw = ""]) =>
        json(200, render.option(found(tenant.environments.byId(idParam(raw, "Environment")), `Environment '${raw}' not found`)))
    },
    {
      template: "/v2/testcases",
      pattern: /^\/v2\/testcases$/,
      handler: (_, q, url) => page(testCaseItems(q), renderCase, q, url)
    },
    {
      template: "/v2/testcases/nextgen",
      pattern: /^\/v2\/testcases\/nextgen$/,
      handler: (_, q, url) => cursorPage(testCaseItems(q, updatedAfter<ZephyrTestCase>(q, "testcases")), renderCase, q, url)
    },
    {
      template: "/v2/testcycles/nextgen",
      pattern: /^\/v2\/testcycles\/nextgen$/,
      handler: (_, q, url) => cursorPage(cycleItems(q, updatedAfter<ZephyrTestCycle>(q, "testcycles")), render.testCycle, q, url)
    },
    {
      template: "/v2/testplans/nextgen",
      pattern: /^\/v2\/testplans\/nextgen$/,
      handler: (_, q, url) => cursorPage(planItems(q, updatedAfter<ZephyrTestPlan>(q, "testplans")), render.testPlan, q, url)
    },
    {
      template: "/v2/testexecutions/nextgen",
      pattern: /^\/v2\/testexecutions\/nextgen$/,
      handler: (_, q, url) => cursorPage(executionItems(q, updatedAfter<ZephyrTestExecution>(q, "testexecutions")), render.testExecution, q, url)
    },
    {
      template: "/v2/testcases/{testCaseKey}",
      pattern: /^\/v2\/testcases\/([^/]+)$/,
      handler: ([key = ""]) => json(200, render.testCase(caseByKey(key)))
    },
    {
      template: "/v2/testcases/{testCaseKey}/links",
      pattern: /^\/v2\/testcases\/([^/]+)\/links$/,
      handler: ([key = ""]) => json(200, render.testCaseLinks(caseByKey(key)))
    },
    {
      template: "/v2/testcases/{testCaseKey}/versions",
      pattern: /^\/v2\/testcases\/([^/]+)\/versions$/,
      handler: ([key = ""], q, url) => {
        const tc = caseByKey(key)
        const latest = tenant.latestVersion(tc.key)
        const versions = Array.from({ length: latest }, (_, i) => i + 1)
        return page(versions, (v) => render.versionLink(tc.key, v, versionId(tc.id, v, latest)), q, url)
      }
    },
    {
      template: "/v2/testcases/{testCaseKey}/versions/{version}",
      pattern: /^\/v2\/testcases\/([^/]+)\/versions\/([^/]+)$/,
      handler: ([key = "", raw = ""]) => {
        const tc = caseByKey(key)
        const latest = tenant.latestVersion(tc.key)
        const v = Number(raw)
        if (!Number.isInteger(v) || v < 1 || v > latest) return reject(404, `Version '${raw}' of test case '${key}' not found`)
        return json(200, render.testCase(tc, { id: versionId(tc.id, v, latest) }))
      }
    },
    {
      template: "/v2/testcases/{testCaseKey}/testscript",
      pattern: /^\/v2\/testcases\/([^/]+)\/testscript$/,
      handler: ([key = ""]) => {
        const tc = caseByKey(key)
        return json(200, found(tenant.testscript(tc.key), `Test script for test case '${key}' not found`))
      }
    },
    {
      template: "/v2/testcases/{testCaseKey}/teststeps",
      pattern: /^\/v2\/testcases\/([^/]+)\/teststeps$/,
      handler: ([key = ""], q, url) => page(tenant.teststeps(caseByKey(key).key), render.testStep, q, url)
    },
    {
      template: "/v2/testcases/{testCaseKey}/attachments",
      pattern: /^\/v2\/testcases\/([^/]+)\/attachments$/,
      handler: ([key = ""]) => attachmentList(`testcases/${caseByKey(key).key}`)
    },
    {
      template: "/v2/testcases/{testCaseKey}/attachments/{attachmentId}",
      pattern: /^\/v2\/testcases\/([^/]+)\/attachments\/([^/]+)$/,
      handler: ([key = "", id = ""]) => attachmentBytes(`testcases/${caseByKey(key).key}`, id)
    },
    {
      template: "/v2/testplans",
      pattern: /^\/v2\/testplans$/,
      handler: (_, q, url) => page(planItems(q), render.testPlan, q, url)
    },
    {
      template: "/v2/testplans/{testPlanIdOrKey}",
      pattern: /^\/v2\/testplans\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.testPlan(byIdOrKey(tenant.testplans, raw, "Test plan")))
    },
    {
      template: "/v2/testcycles",
      pattern: /^\/v2\/testcycles$/,
      handler: (_, q, url) => page(cycleItems(q), render.testCycle, q, url)
    },
    {
      template: "/v2/testcycles/{testCycleIdOrKey}",
      pattern: /^\/v2\/testcycles\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.testCycle(byIdOrKey(tenant.testcycles, raw, "Test cycle")))
    },
    {
      template: "/v2/testcycles/{testCycleIdOrKey}/links",
      pattern: /^\/v2\/testcycles\/([^/]+)\/links$/,
      handler: ([raw = ""]) => json(200, render.testCycleLinks(byIdOrKey(tenant.testcycles, raw, "Test cycle")))
    },
    {
      template: "/v2/testexecutions",
      pattern: /^\/v2\/testexecutions$/,
      handler: (_, q, url) => page(executionItems(q), render.testExecution, q, url)
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}",
      pattern: /^\/v2\/testexecutions\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.testExecution(byIdOrKey(tenant.testexecutions, raw, "Test execution")))
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/teststeps",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/teststeps$/,
      handler: ([raw = ""], q, url) => {
        const e = byIdOrKey(tenant.testexecutions, raw, "Test execution")
        intParam(q, "testDataRowNumber", 0, 1)
        const row = q.get("testDataRowNumber")
        const steps = tenant.executionsteps(e.id)
        const rows = row ? steps.filter((s) => (s.inline.testDataRowNumber ?? 1) === Number(row)) : steps
        return page(rows, render.executionStep, q, url)
      }
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/links",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/links$/,
      handler: ([raw = ""]) => json(200, render.testExecutionLinks(byIdOrKey(tenant.testexecutions, raw, "Test execution")))
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/attachments",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/attachments$/,
      handler: ([raw = ""]) => attachmentList(`testexecutions/${byIdOrKey(tenant.testexecutions, raw, "Test execution").id}`)
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/attachments/{attachmentId}",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/attachments\/([^/]+)$/,
      handler: ([raw = "", id = ""]) => attachmentBytes(`testexecutions/${byIdOrKey(tenant.testexecutions, raw, "Test execution").id}`, id)
    }
  ]

  const table = pathRoutes(routes, (pathname) => essential && CURSOR_PATH.test(pathname))

  return {
    /** The path template a request hits (`unmatched` for paths the API does not have), for statistics. */
    templateOf: table.templateOf,
    /** Answers a request that passed auth, throttling and fault injection. */
    handle: (method: string, url: URL): Reply => {
      const found_ = table.find(url.pathname)
      if (!found_) return errorReply(404, `No resource at ${url.pathname}`)
      if (method !== "GET" && method !== "HEAD") return errorReply(405, `Method ${method} is not supported by the sandbox (read-only)`)
      let params: Array<string>
      try {
        params = found_.params.map((p) => decodeURIComponent(p))
      } catch {
        return errorReply(400, "Malformed path")
      }
      try {
        return found_.route.handler(params, url.searchParams, url)
      } catch (e) {
        if (e instanceof Reject) return errorReply(e.status, e.message)
        throw e
      }
    }
  }
}

export type Router = ReturnType<typeof makeRouter>
