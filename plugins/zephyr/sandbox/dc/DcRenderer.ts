/**
 * The tenant's entities (kept in Zephyr Scale Cloud's shapes, ZephyrData.ts) as Zephyr Scale Data Center's REST
 * API v1 serves them (docs/vendors/zephyr.md §2): test cases, test runs (= cycles), test results (= executions), test plans,
 * attachments and environments. DC refers to everything by string — folder paths, status / priority /
 * environment names, Jira user keys, Jira issue keys — and numbers only test results, scripts, steps and
 * attachments: no test case, run or plan carries a numeric `id`. Unset optional fields are left out, never null
 * (the more certain real capture, docs/vendors/zephyr.md §2). What the tenant does not hold is derived, the same on every request:
 * - user keys from accountIds (dcUserKey.ts); an entity without an owner was created and updated by `migrate`;
 * - a component's name, unless the data file gives one, is `Component <Jira component id>`;
 * - an issue link's key is `<the entity's project key>-<Jira issue id>`;
 * - `createdOn` is a case's own `createdOn`, else the tenant's update time before any mutation (`createdAt`), for
 *   a run no later than its planned start; `updatedOn` is the tenant's update time now, which mutations move (never
 *   before `createdOn`); `createdBy` = `updatedBy` = the owner;
 * - a step-by-step script's `id` is the Cloud case's id; a call step's `stepParameters` are the call's
 *   parameters, `defaultValue` set on the called case's parameter when Cloud says DEFAULT_VALUE;
 * - a run's `estimatedTime` / `executionTime` are the sums over its items' latest results, when any has one;
 * - a script result's `comment` is the step's actual result (DC has no other field for it).
 */
import type { Tenant } from "../mutableTenant.ts"
import type { TenantKind } from "../Tenant.ts"
import type { IssueLink, Link, ZephyrEnvironment, ZephyrTestCase, ZephyrTestCycle, ZephyrTestExecution, ZephyrTestPlan, ZephyrTestStep } from "../ZephyrData.ts"
import { dcCustomFields, dcStepCustomFieldValues } from "./dcCustomFields.ts"
import { dcDate } from "./dcDate.ts"
import { dcDerivedId } from "./dcDerivedId.ts"
import { DC_USERNAME } from "./dcAuthorisation.ts"
import { dcUserKey, isAccountId } from "./dcUserKey.ts"
import type { FolderPaths } from "./FolderPaths.ts"

export type Body = Record<string, unknown>

export interface DcRendererOptions {
  /** `http://127.0.0.1:<port>`: attachment URLs are absolute, on Jira's internal attachment servlet. */
  readonly origin: string
  /** An entity's update time before any mutation (the source's), for `createdOn`. */
  readonly createdAt: (kind: TenantKind, id: number) => number
}

/** One item of a run: a test case and the latest of its results in the run (DC's `items[]`). */
export interface RunItem {
  readonly testCaseKey: string
  readonly latest: ZephyrTestExecution
}

export interface DcRenderer {
  readonly testCase: (tc: ZephyrTestCase) => Body
  readonly testRun: (c: ZephyrTestCycle) => Body
  readonly testResult: (e: ZephyrTestExecution) => Body
  readonly testPlan: (p: ZephyrTestPlan) => Body
  readonly environment: (env: ZephyrEnvironment) => Body
  /** `[{id, url, filename, filesize}]` of an owner (`testcases/KEY`, `testexecutions/ID`). */
  readonly attachments: (owner: string) => ReadonlyArray<Body>
  /** The latest result of a case by `actualEndDate` (undated ones before dated ones, then by id), in a run or ad hoc. */
  readonly latestResult: (caseKey: string) => ZephyrTestExecution | undefined
  readonly folderPaths: FolderPaths
}

/** Sets `key` only when the value is set: DC leaves unset fields out. */
const put = (body: Body, key: string, value: unknown): void => {
  if (value === null || value === undefined || value === "") return
  if (Array.isArray(value) && value.length === 0) return
  if (typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0) return
  body[key] = value
}

export const DC_ATTACHMENT_SERVLET = "/rest/tests/1.0/attachment"

export const makeDcRenderer = (tenant: Tenant, folderPaths: FolderPaths, options: DcRendererOptions): DcRenderer => {
  const projectKeyOf = (link: Link | null | undefined, fallbackKey?: string): string =>
    tenant.projects.byId(link?.id ?? -1)?.key ?? fallbackKey?.replace(/-[A-Z]+[0-9]+$/, "") ?? ""
  const jiraProjectIdOf = (link: Link | null | undefined): number | undefined => tenant.projects.byId(link?.id ?? -1)?.jiraProjectId

  const statusName = (link: Link | null | undefined, fallback: string): string => tenant.statuses.byId(link?.id ?? -1)?.name ?? fallback
  const priorityName = (link: Link | null | undefined): string => tenant.priorities.byId(link?.id ?? -1)?.name ?? "Normal"
  const environmentName = (link: Link | null | undefined): string | undefined => (link ? tenant.environments.byId(link.id)?.name : undefined)
  // a DC data file's people are user keys already, served as written
  const userKey = (accountId: string | null | undefined): string | undefined => (accountId ? (isAccountId(accountId) ? dcUserKey(accountId) : accountId) : undefined)
  const componentName = (component: Link | null | undefined): string | undefined => {
    if (component === null || component === undefined) return undefined
    const named = (component as { readonly name?: unknown }).name
    return typeof named === "string" && named !== "" ? named : `Component ${component.id}`
  }
  const issueKeys = (projectKey: string, issues: ReadonlyArray<IssueLink> | undefined): Array<string> =>
    (issues ?? []).map((l) => l.key ?? `${projectKey}-${l.issueId}`).filter((k, i, all) => all.indexOf(k) === i)

  const time = (iso: string | null | undefined): number => (iso ? Date.parse(iso) : Number.NaN)

  /** createdOn / createdBy / updatedOn / updatedBy: the entity's own creation date, else see the top of this file. */
  const audit = (body: Body, kind: TenantKind, id: number, owner: string | undefined, dates: { readonly createdOn?: string | null | undefined; readonly notAfter?: string | null | undefined } = {}): void => {
    const own = time(dates.createdOn)
    const bound = time(dates.notAfter)
    const fallback = options.createdAt(kind, id)
    const created = Number.isFinite(own) ? own : Number.isFinite(bound) ? Math.min(fallback, bound) : fallback
    const updated = Math.max(created, tenant.updatedOn(kind, id))
    const by = owner ?? DC_USERNAME
    body["createdOn"] = dcDate(created)
    body["createdBy"] = by
    body["updatedOn"] = dcDate(updated)
    body["updatedBy"] = by
  }

  const latestResult = (caseKey: string): ZephyrTestExecution | undefined => {
    const list = tenant.executionsByCase(caseKey)
    let best: ZephyrTestExecution | undefined
    let bestAt = Number.NEGATIVE_INFINITY
    for (let i = 0; i < list.length; i++) {
      const e = list.at(i)
      if (e === undefined) continue
      const parsed = e.actualEndDate ? Date.parse(e.actualEndDate) : Number.NaN
      const at = Number.isFinite(parsed) ? parsed : Number.NEGATIVE_INFINITY
      if (best === undefined || at > bestAt || (at === bestAt && e.id > best.id)) {
        best = e
        bestAt = at
      }
    }
    return best
  }

  const step = (s: ZephyrTestStep, index: number, tc: ZephyrTestCase): Body => {
    const id = typeof s.id === "number" ? s.id : dcDerivedId("step", tc.key, index)
    if (s.testCase) {
      const callee = s.testCase.testCaseKey
      const body: Body = { id, index, testCaseKey: callee }
      put(
        body,
        "stepParameters",
        (s.testCase.parameters ?? []).map((p, j) => {
          const parameter: Body = { id: dcDerivedId("testCaseParameter", callee, p.name), index: j, name: p.name, testCaseKey: callee }
          if (p.type === "DEFAULT_VALUE") put(parameter, "defaultValue", p.value)
          const sp: Body = { id: dcDerivedId("stepParameter", tc.key, id, p.name) }
          put(sp, "value", p.value)
          sp["testCaseParameter"] = parameter
          return sp
        })
      )
      return body
    }
    const body: Body = { id, index }
    put(body, "description", s.inline?.description)
    put(body, "testData", s.inline?.testData)
    put(body, "expectedResult", s.inline?.expectedResult)
    put(body, "customFieldValues", dcStepCustomFieldValues(s.inline?.customFields, { id, projectId: jiraProjectIdOf(tc.project) ?? 0 }))
    return body
  }

  const testScript = (tc: ZephyrTestCase): Body => {
    const script = tenant.testscript(tc.key)
    if (script !== undefined) return { id: script.id, type: script.type === "bdd" ? "BDD" : "PLAIN_TEXT", text: script.text }
    return { id: tc.id, type: "STEP_BY_STEP", steps: tenant.teststeps(tc.key).map((s, i) => step(s, i, tc)) }
  }

  const testCase = (tc: ZephyrTestCase): Body => {
    const projectKey = projectKeyOf(tc.project, tc.key)
    const owner = userKey(tc.owner?.accountId)
    const body: Body = { key: tc.key, projectKey, name: tc.name }
    put(body, "objective", tc.objective)
    put(body, "precondition", tc.precondition)
    put(body, "folder", folderPaths.pathOf(tc.folder?.id))
    body["status"] = statusName(tc.status, "Draft")
    body["priority"] = priorityName(tc.priority)
    put(body, "component", componentName(tc.component))
    put(body, "owner", owner)
    put(body, "estimatedTime", tc.estimatedTime)
    body["labels"] = [...(tc.labels ?? [])]
    body["issueLinks"] = issueKeys(projectKey, tc.links?.issues)
    body["customFields"] = dcCustomFields(tc.customFields)
    body["parameters"] = tc.parameters ?? { variables: [], entries: [] }
    body["testScript"] = testScript(tc)
    audit(body, "testcases", tc.id, owner, { createdOn: tc.createdOn })
    body["majorVersion"] = tenant.latestVersion(tc.key)
    body["latestVersion"] = true
    const latest = latestResult(tc.key)
    if (latest !== undefined) body["lastTestResultStatus"] = statusName(latest.testExecutionStatus, "Not Executed")
    return body
  }

  /** One item per test case run in the cycle, in the order its first result appears; the latest result by id. */
  const runItems = (c: ZephyrTestCycle): ReadonlyArray<RunItem> => {
    const items = new Map<string, ZephyrTestExecution>()
    const list = tenant.executionsByCycle(c.id)
    for (let i = 0; i < list.length; i++) {
      const e = list.at(i)
      const key = e === undefined ? undefined : tenant.executionCase(e.id)?.key
      if (e === undefined || key === undefined) continue
      const previous = items.get(key)
      if (previous === undefined || previous.id < e.id) items.set(key, e)
    }
    return [...items].map(([testCaseKey, latest]) => ({ testCaseKey, latest }))
  }

  const sumOf = (items: ReadonlyArray<RunItem>, field: "estimatedTime" | "executionTime"): number | undefined => {
    const values = items.map((i) => i.latest[field]).filter((v): v is number => typeof v === "number")
    return values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0)
  }

  const item = (i: RunItem): Body => {
    const e = i.latest
    const body: Body = { id: e.id, testCaseKey: i.testCaseKey, status: statusName(e.testExecutionStatus, "Not Executed") }
    put(body, "environment", environmentName(e.environment))
    put(body, "executedBy", userKey(e.executedById))
    put(body, "userKey", userKey(e.executedById))
    put(body, "assignedTo", userKey(e.assignedToId))
    put(body, "actualEndDate", dcDate(e.actualEndDate))
    put(body, "executionDate", dcDate(e.actualEndDate))
    return body
  }

  /** A run with `items` (GET and search), or the summary a plan lists (docs/vendors/zephyr.md §2: no items, no summary map). */
  const run = (c: ZephyrTestCycle, full: boolean): Body => {
    const projectKey = projectKeyOf(c.project, c.key)
    const owner = userKey(c.owner?.accountId)
    const items = runItems(c)
    const body: Body = { key: c.key, projectKey, name: c.name, status: statusName(c.status, "Not Executed") }
    put(body, "folder", folderPaths.pathOf(c.folder?.id))
    put(body, "owner", owner)
    if (full) put(body, "description", c.description)
    put(body, "plannedStartDate", dcDate(c.plannedStartDate))
    put(body, "plannedEndDate", dcDate(c.plannedEndDate))
    audit(body, "testcycles", c.id, owner, { notAfter: c.plannedStartDate })
    put(body, "estimatedTime", sumOf(items, "estimatedTime"))
    put(body, "executionTime", sumOf(items, "executionTime"))
    body["testCaseCount"] = items.length
    body["issueCount"] = c.links?.issues.length ?? 0
    if (!full) return body
    const summary: Record<string, number> = {}
    for (const i of items) {
      const status = statusName(i.latest.testExecutionStatus, "Not Executed")
      summary[status] = (summary[status] ?? 0) + 1
    }
    body["executionSummary"] = summary
    put(body, "customFields", dcCustomFields(c.customFields))
    body["items"] = items.map(item)
    return body
  }

  const testResult = (e: ZephyrTestExecution): Body => {
    const projectKey = projectKeyOf(e.project, e.key)
    const body: Body = { id: e.id }
    put(body, "key", e.key)
    put(body, "projectId", jiraProjectIdOf(e.project))
    put(body, "testCaseKey", tenant.executionCase(e.id)?.key)
    body["status"] = statusName(e.testExecutionStatus, "Not Executed")
    put(body, "environment", environmentName(e.environment))
    put(body, "comment", e.comment)
    put(body, "executionTime", e.executionTime)
    put(body, "executedBy", userKey(e.executedById))
    put(body, "userKey", userKey(e.executedById))
    put(body, "assignedTo", userKey(e.assignedToId))
    put(body, "actualEndDate", dcDate(e.actualEndDate))
    put(body, "executionDate", dcDate(e.actualEndDate))
    body["automated"] = e.automated === true
    put(body, "customFields", dcCustomFields(e.customFields))
    put(body, "issueLinks", issueKeys(projectKey, e.links?.issues))
    body["scriptResults"] = tenant.executionsteps(e.id).map((s, index) => {
      const r: Body = { index, status: statusName(s.inline?.status, "Not Executed") }
      put(r, "description", s.inline?.description)
      put(r, "expectedResult", s.inline?.expectedResult)
      put(r, "testData", s.inline?.testData)
      put(r, "comment", s.inline?.actualResult)
      return r
    })
    return body
  }

  const testPlan = (p: ZephyrTestPlan): Body => {
    const projectKey = projectKeyOf(p.project, p.key)
    const owner = userKey(p.owner?.accountId)
    const body: Body = { key: p.key, projectKey, name: p.name, status: statusName(p.status, "Draft") }
    put(body, "objective", p.objective)
    put(body, "folder", folderPaths.pathOf(p.folder?.id))
    put(body, "owner", owner)
    body["labels"] = [...(p.labels ?? [])]
    body["issueLinks"] = issueKeys(projectKey, p.links?.issues)
    put(body, "customFields", dcCustomFields(p.customFields))
    audit(body, "testplans", p.id, owner)
    body["testRuns"] = (p.links?.testCycles ?? []).flatMap((l) => {
      const c = tenant.testcycles.byId(l.testCycleId)
      return c === undefined ? [] : [run(c, false)]
    })
    return body
  }

  const environment = (env: ZephyrEnvironment): Body => ({
    id: String(env.id),
    projectKey: projectKeyOf(env.project),
    name: env.name,
    description: env.description ?? ""
  })

  const attachments = (owner: string): ReadonlyArray<Body> =>
    tenant.attachments(owner).map((a) => ({
      id: a.id,
      url: `${options.origin}${DC_ATTACHMENT_SERVLET}/${a.id}`,
      filename: a.name,
      filesize: tenant.attachmentBytes(owner, a.id)?.bytes.byteLength ?? 0
    }))

  return { testCase, testRun: (c) => run(c, true), testResult, testPlan, environment, attachments, latestResult, folderPaths }
}
