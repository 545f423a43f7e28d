/**
 * The Zephyr Scale Cloud v2 read API over a `SandboxIndex`: path matching, query filters, the offset paging
 * envelope and error bodies. No sockets and no clock here, so the server file only deals with transport concerns
 * (auth, latency, throttling, faults).
 *
 * Choices where the public docs are silent:
 * - a filter naming an unknown project / cycle / case (`projectKey=NOPE`) → 400 `{errorCode, message}`;
 * - an unknown entity in the path → 404 `{errorCode:404, message}`;
 * - `/testcases/{key}/testscript` on a step-by-step case → 404; `/teststeps` on a script case → empty page;
 * - `/testcases/{key}/versions/{n}` of an older version serves the current content under that version's id;
 * - list order is data-file order (offset endpoints); id order (cursor `/nextgen` endpoints);
 * - `updatedAfter` on `/nextgen` uses the last visible timestamp (see `updatedAfter` below).
 */
import type { Renderer } from "./Renderer.ts"
import { versionId, type SandboxIndex, type StoredAttachment } from "./SandboxIndex.ts"
import type { ZephyrTestCase, ZephyrTestCycle, ZephyrTestExecution, ZephyrTestPlan } from "./ZephyrData.ts"

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

export interface RouterOptions {
  readonly maxResultsCap: number
  readonly attachments: boolean
}

const JSON_TYPE = "application/json"

export const json = (status: number, body: unknown): Reply => ({ status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(body) })
export const errorReply = (status: number, message: string): Reply => json(status, { errorCode: status, message })

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
const CACHE_SIZE = 64
const PAGING_PARAMS = new Set(["startAt", "maxResults", "startAtId", "limit"])

type Handler = (params: ReadonlyArray<string>, query: URLSearchParams, url: URL) => Reply

interface Route {
  readonly template: string
  readonly pattern: RegExp
  readonly handler: Handler
}

export const makeRouter = (index: SandboxIndex, render: Renderer, options: RouterOptions) => {
  const origin = render.base.replace(/\/v2$/, "")

  /** Filtered lists, memoised per query so that paging through a filtered list stays O(page) after page one. */
  const cache = new Map<string, ReadonlyArray<unknown>>()
  const cached = <T>(key: string, compute: () => ReadonlyArray<T>): ReadonlyArray<T> => {
    const hit = cache.get(key)
    if (hit) return hit as ReadonlyArray<T>
    const value = compute()
    if (cache.size >= CACHE_SIZE) {
      const oldest = cache.keys().next()
      if (!oldest.done) cache.delete(oldest.value)
    }
    cache.set(key, value)
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
    const p = index.projectByKey.get(key)
    return p ? p.id : reject(400, `Project with key '${key}' not found`)
  }

  /** The offset envelope every list endpoint returns, with `next` an absolute URL of the following page. */
  const page = <T>(items: ReadonlyArray<T>, renderItem: (item: T) => unknown, query: URLSearchParams, url: URL): Reply => {
    const startAt = intParam(query, "startAt", 0, 0, START_AT_MAX)
    const maxResults = Math.min(intParam(query, "maxResults", 10, 1), options.maxResultsCap)
    const values = items.slice(startAt, startAt + maxResults).map(renderItem)
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

  /** Lists sorted by id for the cursor endpoints, memoised per list (the lists themselves are stable values). */
  const sortedById = new WeakMap<ReadonlyArray<unknown>, ReadonlyArray<unknown>>()
  const byIdOrder = <T extends { readonly id: number }>(items: ReadonlyArray<T>): ReadonlyArray<T> => {
    const hit = sortedById.get(items)
    if (hit) return hit as ReadonlyArray<T>
    let sorted = true
    for (let i = 1; i < items.length && sorted; i++) sorted = (items[i - 1]?.id ?? 0) < (items[i]?.id ?? 0)
    const value = sorted ? items : [...items].sort((a, b) => a.id - b.id)
    sortedById.set(items, value)
    return value
  }

  /** The cursor envelope of the `/nextgen` endpoints: items in id order from `startAtId`, no total. */
  const cursorPage = <T extends { readonly id: number }>(items: ReadonlyArray<T>, renderItem: (item: T) => unknown, query: URLSearchParams, url: URL): Reply => {
    const limit = Math.min(intParam(query, "limit", 10, 1), options.maxResultsCap)
    const startAtId = intParam(query, "startAtId", 0, 0)
    const sorted = byIdOrder(items)
    let lo = 0
    let hi = sorted.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((sorted[mid]?.id ?? 0) < startAtId) lo = mid + 1
      else hi = mid
    }
    const values = sorted.slice(lo, lo + limit).map(renderItem)
    const nextStartAtId = sorted[lo + limit]?.id ?? null
    let next: string | null = null
    if (nextStartAtId !== null) {
      const params = new URLSearchParams(url.search)
      params.set("limit", String(limit))
      params.set("startAtId", String(nextStartAtId))
      next = `${origin}${url.pathname}?${params.toString()}`
    }
    return json(200, { next, nextStartAtId, limit, values })
  }

  /**
   * `updatedAfter` (cursor endpoints): Zephyr's update time is not in its read shapes, so the sandbox uses the
   * last time it can see (a case's createdOn, an execution's actualEndDate); entities with none are always
   * included, which over-fetches rather than silently missing a change.
   */
  const updatedAfter = <T>(query: URLSearchParams, at: (t: T) => string | null | undefined): Array<(t: T) => boolean> => {
    const after = dateParam(query, "updatedAfter")
    if (after === undefined) return []
    return [
      (t) => {
        const when = at(t)
        return when === null || when === undefined || Date.parse(when) > after
      }
    ]
  }

  /** Cheapest candidate list, then the remaining predicates, memoised by the filter part of the query. */
  const filtered = <T>(name: string, query: URLSearchParams, base: ReadonlyArray<T>, predicates: ReadonlyArray<(t: T) => boolean>): ReadonlyArray<T> => {
    if (predicates.length === 0) return base
    const filters = [...query.entries()].filter(([k]) => !PAGING_PARAMS.has(k)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return cached(`${name}?${new URLSearchParams(filters).toString()}`, () => base.filter((t) => predicates.every((p) => p(t))))
  }

  const byProject = <T>(table: { readonly all: ReadonlyArray<T>; readonly byProject: ReadonlyMap<number, ReadonlyArray<T>> }, projectId: number | undefined) =>
    projectId === undefined ? table.all : (table.byProject.get(projectId) ?? [])

  const idParam = (raw: string, what: string): number => {
    const n = Number(raw)
    return Number.isInteger(n) && n > 0 ? n : reject(404, `${what} '${raw}' not found`)
  }

  const found = <T>(value: T | undefined, message: string): T => (value === undefined ? reject(404, message) : value)

  const caseByKey = (key: string) => found(index.testcases.byKey.get(key), `Test case '${key}' not found`)
  const byIdOrKey = <T>(table: { readonly byId: ReadonlyMap<number, T>; readonly byKey: ReadonlyMap<string, T> }, raw: string, what: string): T =>
    found(/^[0-9]+$/.test(raw) ? table.byId.get(Number(raw)) : table.byKey.get(raw), `${what} '${raw}' not found`)

  const attachmentList = (owner: string): Reply => {
    if (!options.attachments) return reject(404, "Not found: this tenant has no attachment endpoints")
    return json(200, { attachments: (index.attachments.get(owner) ?? []).map((a) => ({ id: a.id, name: a.name })) })
  }
  const attachmentBytes = (owner: string, rawId: string): Reply => {
    if (!options.attachments) return reject(404, "Not found: this tenant has no attachment endpoints")
    const wanted = Number(rawId)
    const a: StoredAttachment = found(
      (index.attachments.get(owner) ?? []).find((x) => x.id === wanted),
      `Attachment '${rawId}' not found`
    )
    return {
      status: 200,
      headers: {
        "content-type": a.contentType,
        "content-length": String(a.bytes.byteLength),
        "content-disposition": `attachment; filename*=UTF-8''${encodeURIComponent(a.name)}`
      },
      body: a.bytes
    }
  }

  const executionPredicates = (query: URLSearchParams): { base: ReadonlyArray<ZephyrTestExecution>; predicates: Array<(e: ZephyrTestExecution) => boolean> } => {
    const projectId = projectParam(query)
    const cycleRaw = query.get("testCycle")
    const caseRaw = query.get("testCase")
    const after = dateParam(query, "actualEndDateAfter")
    const before = dateParam(query, "actualEndDateBefore")
    const jiraVersion = intParam(query, "jiraProjectVersionId", 0, 1)
    const onlyLast = boolParam(query, "onlyLastExecutions")
    boolParam(query, "includeStepLinks")
    const predicates: Array<(e: ZephyrTestExecution) => boolean> = []
    let base: ReadonlyArray<ZephyrTestExecution> = byProject(index.testexecutions, projectId)
    if (projectId !== undefined && (cycleRaw || caseRaw)) predicates.push((e) => e.project.id === projectId)
    if (cycleRaw) {
      const cycle = /^[0-9]+$/.test(cycleRaw) ? index.testcycles.byId.get(Number(cycleRaw)) : index.testcycles.byKey.get(cycleRaw)
      if (!cycle) return reject(400, `Test cycle with key '${cycleRaw}' not found`)
      base = index.executionsByCycle.get(cycle.id) ?? []
    }
    if (caseRaw) {
      const tc = /^[0-9]+$/.test(caseRaw) ? index.testcases.byId.get(Number(caseRaw)) : index.testcases.byKey.get(caseRaw)
      if (!tc) return reject(400, `Test case with key '${caseRaw}' not found`)
      if (cycleRaw) predicates.push((e) => index.executionCase.get(e.id)?.key === tc.key)
      else base = index.executionsByCase.get(tc.key) ?? []
    }
    if (after !== undefined || before !== undefined) {
      predicates.push((e) => {
        if (!e.actualEndDate) return false
        const t = Date.parse(e.actualEndDate)
        return (after === undefined || t > after) && (before === undefined || t < before)
      })
    }
    if (jiraVersion !== 0) predicates.push((e) => e.jiraProjectVersion?.id === jiraVersion)
    if (onlyLast) predicates.push((e) => index.lastExecutions.has(e.id))
    return { base, predicates }
  }

  const renderCase = (tc: ZephyrTestCase) => render.testCase(tc)

  // `extra` predicates come from the cursor endpoints; their results are cached under a separate name.
  const testCaseItems = (q: URLSearchParams, extra: Array<(tc: ZephyrTestCase) => boolean> = []): ReadonlyArray<ZephyrTestCase> => {
    const projectId = projectParam(q)
    const folderId = intParam(q, "folderId", 0, 1)
    const base = folderId === 0 ? byProject(index.testcases, projectId) : (index.casesByFolder.get(folderId) ?? [])
    const predicates = folderId !== 0 && projectId !== undefined ? [(tc: ZephyrTestCase) => tc.project.id === projectId, ...extra] : extra
    return filtered(extra.length > 0 ? "testcases/nextgen" : "testcases", q, base, predicates)
  }

  const cycleItems = (q: URLSearchParams, extra: Array<(c: ZephyrTestCycle) => boolean> = []): ReadonlyArray<ZephyrTestCycle> => {
    const projectId = projectParam(q)
    const folderId = intParam(q, "folderId", 0, 1)
    const jiraVersion = intParam(q, "jiraProjectVersionId", 0, 1)
    const base = folderId === 0 ? byProject(index.testcycles, projectId) : (index.cyclesByFolder.get(folderId) ?? [])
    const predicates: Array<(c: ZephyrTestCycle) => boolean> = [...extra]
    if (folderId !== 0 && projectId !== undefined) predicates.push((c) => c.project.id === projectId)
    if (jiraVersion !== 0) predicates.push((c) => c.jiraProjectVersion?.id === jiraVersion)
    return filtered(extra.length > 0 ? "testcycles/nextgen" : "testcycles", q, base, predicates)
  }

  const planItems = (q: URLSearchParams, extra: Array<(p: ZephyrTestPlan) => boolean> = []): ReadonlyArray<ZephyrTestPlan> =>
    filtered(extra.length > 0 ? "testplans/nextgen" : "testplans", q, byProject(index.testplans, projectParam(q)), extra)

  const executionItems = (q: URLSearchParams, extra: Array<(e: ZephyrTestExecution) => boolean> = []): ReadonlyArray<ZephyrTestExecution> => {
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
      handler: (_, q, url) => page(index.projects, render.project, q, url)
    },
    {
      template: "/v2/projects/{projectIdOrKey}",
      pattern: /^\/v2\/projects\/([^/]+)$/,
      handler: ([raw = ""]) =>
        json(200, render.project(found(/^[0-9]+$/.test(raw) ? index.projectById.get(Number(raw)) : index.projectByKey.get(raw), `Project '${raw}' not found`)))
    },
    {
      template: "/v2/folders",
      pattern: /^\/v2\/folders$/,
      handler: (_, q, url) => {
        const folderType = enumParam(q, "folderType", ["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"] as const)
        const base = byProject(index.folders, projectParam(q))
        return page(filtered("folders", q, base, folderType ? [(f) => f.folderType === folderType] : []), render.folder, q, url)
      }
    },
    {
      template: "/v2/folders/{folderId}",
      pattern: /^\/v2\/folders\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.folder(found(index.folders.byId.get(idParam(raw, "Folder")), `Folder '${raw}' not found`)))
    },
    {
      template: "/v2/statuses",
      pattern: /^\/v2\/statuses$/,
      handler: (_, q, url) => {
        const statusType = enumParam(q, "statusType", ["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"] as const)
        const base = byProject(index.statuses, projectParam(q))
        return page(filtered("statuses", q, base, statusType ? [(s) => s.statusType === statusType] : []), render.status, q, url)
      }
    },
    {
      template: "/v2/statuses/{statusId}",
      pattern: /^\/v2\/statuses\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.status(found(index.statuses.byId.get(idParam(raw, "Status")), `Status '${raw}' not found`)))
    },
    {
      template: "/v2/priorities",
      pattern: /^\/v2\/priorities$/,
      handler: (_, q, url) => page(byProject(index.priorities, projectParam(q)), render.option, q, url)
    },
    {
      template: "/v2/priorities/{priorityId}",
      pattern: /^\/v2\/priorities\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.option(found(index.priorities.byId.get(idParam(raw, "Priority")), `Priority '${raw}' not found`)))
    },
    {
      template: "/v2/environments",
      pattern: /^\/v2\/environments$/,
      handler: (_, q, url) => page(byProject(index.environments, projectParam(q)), render.option, q, url)
    },
    {
      template: "/v2/environments/{environmentId}",
      pattern: /^\/v2\/environments\/([^/]+)$/,
      handler: ([raw = ""]) =>
        json(200, render.option(found(index.environments.byId.get(idParam(raw, "Environment")), `Environment '${raw}' not found`)))
    },
    {
      template: "/v2/testcases",
      pattern: /^\/v2\/testcases$/,
      handler: (_, q, url) => page(testCaseItems(q), renderCase, q, url)
    },
    {
      template: "/v2/testcases/nextgen",
      pattern: /^\/v2\/testcases\/nextgen$/,
      handler: (_, q, url) => cursorPage(testCaseItems(q, updatedAfter<ZephyrTestCase>(q, (tc) => tc.createdOn)), renderCase, q, url)
    },
    {
      template: "/v2/testcycles/nextgen",
      pattern: /^\/v2\/testcycles\/nextgen$/,
      handler: (_, q, url) => cursorPage(cycleItems(q, updatedAfter<ZephyrTestCycle>(q, () => undefined)), render.testCycle, q, url)
    },
    {
      template: "/v2/testplans/nextgen",
      pattern: /^\/v2\/testplans\/nextgen$/,
      handler: (_, q, url) => cursorPage(planItems(q, updatedAfter<ZephyrTestPlan>(q, () => undefined)), render.testPlan, q, url)
    },
    {
      template: "/v2/testexecutions/nextgen",
      pattern: /^\/v2\/testexecutions\/nextgen$/,
      handler: (_, q, url) => cursorPage(executionItems(q, updatedAfter<ZephyrTestExecution>(q, (e) => e.actualEndDate)), render.testExecution, q, url)
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
        const latest = index.latestVersion.get(tc.key) ?? 1
        const versions = Array.from({ length: latest }, (_, i) => i + 1)
        return page(versions, (v) => render.versionLink(tc.key, v, versionId(tc.id, v, latest)), q, url)
      }
    },
    {
      template: "/v2/testcases/{testCaseKey}/versions/{version}",
      pattern: /^\/v2\/testcases\/([^/]+)\/versions\/([^/]+)$/,
      handler: ([key = "", raw = ""]) => {
        const tc = caseByKey(key)
        const latest = index.latestVersion.get(tc.key) ?? 1
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
        return json(200, found(index.testscripts.get(tc.key), `Test script for test case '${key}' not found`))
      }
    },
    {
      template: "/v2/testcases/{testCaseKey}/teststeps",
      pattern: /^\/v2\/testcases\/([^/]+)\/teststeps$/,
      handler: ([key = ""], q, url) => page(index.teststeps.get(caseByKey(key).key) ?? [], render.testStep, q, url)
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
      handler: ([raw = ""]) => json(200, render.testPlan(byIdOrKey(index.testplans, raw, "Test plan")))
    },
    {
      template: "/v2/testcycles",
      pattern: /^\/v2\/testcycles$/,
      handler: (_, q, url) => page(cycleItems(q), render.testCycle, q, url)
    },
    {
      template: "/v2/testcycles/{testCycleIdOrKey}",
      pattern: /^\/v2\/testcycles\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.testCycle(byIdOrKey(index.testcycles, raw, "Test cycle")))
    },
    {
      template: "/v2/testcycles/{testCycleIdOrKey}/links",
      pattern: /^\/v2\/testcycles\/([^/]+)\/links$/,
      handler: ([raw = ""]) => json(200, render.testCycleLinks(byIdOrKey(index.testcycles, raw, "Test cycle")))
    },
    {
      template: "/v2/testexecutions",
      pattern: /^\/v2\/testexecutions$/,
      handler: (_, q, url) => page(executionItems(q), render.testExecution, q, url)
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}",
      pattern: /^\/v2\/testexecutions\/([^/]+)$/,
      handler: ([raw = ""]) => json(200, render.testExecution(byIdOrKey(index.testexecutions, raw, "Test execution")))
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/teststeps",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/teststeps$/,
      handler: ([raw = ""], q, url) => {
        const e = byIdOrKey(index.testexecutions, raw, "Test execution")
        intParam(q, "testDataRowNumber", 0, 1)
        const row = q.get("testDataRowNumber")
        const steps = index.executionsteps.get(e.id) ?? []
        const rows = row ? filtered(`executionsteps/${e.id}`, q, steps, [(s) => (s.inline.testDataRowNumber ?? 1) === Number(row)]) : steps
        return page(rows, render.executionStep, q, url)
      }
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/links",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/links$/,
      handler: ([raw = ""]) => json(200, render.testExecutionLinks(byIdOrKey(index.testexecutions, raw, "Test execution")))
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/attachments",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/attachments$/,
      handler: ([raw = ""]) => attachmentList(`testexecutions/${byIdOrKey(index.testexecutions, raw, "Test execution").id}`)
    },
    {
      template: "/v2/testexecutions/{testExecutionIdOrKey}/attachments/{attachmentId}",
      pattern: /^\/v2\/testexecutions\/([^/]+)\/attachments\/([^/]+)$/,
      handler: ([raw = "", id = ""]) => attachmentBytes(`testexecutions/${byIdOrKey(index.testexecutions, raw, "Test execution").id}`, id)
    }
  ]

  const find = (pathname: string): { route: Route; match: RegExpExecArray } | undefined => {
    for (const route of routes) {
      const match = route.pattern.exec(pathname)
      if (match) return { route, match }
    }
    return undefined
  }

  return {
    /** The path template a request hits (`unmatched` for paths the API does not have), for statistics. */
    templateOf: (pathname: string): string => find(pathname)?.route.template ?? "unmatched",
    /** Answers a request that passed auth, throttling and fault injection. */
    handle: (method: string, url: URL): Reply => {
      const found_ = find(url.pathname)
      if (!found_) return errorReply(404, `No resource at ${url.pathname}`)
      if (method !== "GET" && method !== "HEAD") return errorReply(405, `Method ${method} is not supported by the sandbox (read-only)`)
      let params: Array<string>
      try {
        params = found_.match.slice(1).map((p) => decodeURIComponent(p ?? ""))
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
