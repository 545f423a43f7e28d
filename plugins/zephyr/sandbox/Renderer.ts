/**
 * Turns stored entities into response bodies: every link to a Zephyr resource gets an absolute `self` on the
 * sandbox's own base URL (the data file's `self` values are ignored), links to Jira (component, owner,
 * jiraProjectVersion, issue targets) are left as the data gives them, and the data-file-only `statusType` is
 * dropped. Entities that the real API always returns with `links` / `testScript` get them even when the data
 * omits them. Multi-select custom-field values, wherever `customFields` appear, take the edition's shape
 * (ZephyrEdition.ts, multiSelectValues.ts): names for Scale Cloud, `{id, name}` for Zephyr Essential; apart from
 * that the two editions' bodies are the same.
 */
import { asOptionNames, asOptionObjects } from "./multiSelectValues.ts"
import { parseVersionSelf } from "./SandboxIndex.ts"
import type { TenantSource } from "./Tenant.ts"
import type {
  IssueLink,
  Link,
  WebLink,
  ZephyrExecutionStep,
  ZephyrFolder,
  ZephyrStatus,
  ZephyrTestCase,
  ZephyrTestCycle,
  ZephyrTestExecution,
  ZephyrTestPlan,
  ZephyrTestStep
} from "./ZephyrData.ts"
import type { ZephyrEdition } from "./ZephyrEdition.ts"

export interface Renderer {
  readonly base: string
  readonly project: (p: { readonly id: number }) => unknown
  readonly folder: (f: ZephyrFolder) => unknown
  readonly status: (s: ZephyrStatus) => unknown
  readonly option: <T extends { readonly project: Link }>(o: T) => unknown
  readonly testCase: (tc: ZephyrTestCase, version?: { readonly id: number } | undefined) => unknown
  readonly testCaseLinks: (tc: ZephyrTestCase) => unknown
  readonly versionLink: (key: string, version: number, id: number) => unknown
  readonly testStep: (s: ZephyrTestStep) => unknown
  readonly testCycle: (c: ZephyrTestCycle) => unknown
  readonly testCycleLinks: (c: ZephyrTestCycle) => unknown
  readonly testPlan: (p: ZephyrTestPlan) => unknown
  readonly testExecution: (e: ZephyrTestExecution) => unknown
  readonly testExecutionLinks: (e: ZephyrTestExecution) => unknown
  readonly executionStep: (s: ZephyrExecutionStep) => unknown
}

const enc = encodeURIComponent

/** What rendering needs from the tenant: version numbers for links that lack one. */
export type RenderLookups = Pick<TenantSource, "latestVersion" | "executionCase">

type Body = Record<string, unknown>
const isBody = (value: unknown): value is Body => value !== null && typeof value === "object" && !Array.isArray(value)

/**
 * The bodies of `render` with every `customFields` map — a body's own, and a step's `inline` one — converted; a
 * body whose map did not change is the same object (no copy), and the key keeps its place.
 */
const withFields = (render: Renderer, convert: (fields: unknown) => unknown): Renderer => {
  const fields = (body: unknown): unknown => {
    if (!isBody(body) || !Object.hasOwn(body, "customFields")) return body
    const converted = convert(body["customFields"])
    return converted === body["customFields"] ? body : { ...body, customFields: converted }
  }
  const inlineFields = (step: unknown): unknown => {
    if (!isBody(step) || !isBody(step["inline"])) return step
    const inline = fields(step["inline"])
    return inline === step["inline"] ? step : { ...step, inline }
  }
  return {
    ...render,
    testCase: (tc, version) => fields(render.testCase(tc, version)),
    testStep: (s) => inlineFields(render.testStep(s)),
    testCycle: (c) => fields(render.testCycle(c)),
    testPlan: (p) => fields(render.testPlan(p)),
    testExecution: (e) => fields(render.testExecution(e)),
    executionStep: (s) => inlineFields(render.executionStep(s))
  }
}

const makeCloudRenderer = (base: string, tenant: RenderLookups): Renderer => {
  // A record the data file declares malformed may lack a link: it is served without one, as written.
  const to = (path: string) => (l: Link): Link => (typeof l === "object" && l !== null ? { ...l, self: `${base}${path}/${l.id}` } : l)
  const projectLink = to("/projects")
  const statusLink = to("/statuses")
  const priorityLink = to("/priorities")
  const folderLink = to("/folders")
  const environmentLink = to("/environments")
  const cycleLink = to("/testcycles")
  /** Optional links keep `null` (the real API's way of saying "unset") and stay absent when absent. */
  const maybe = <T>(value: T | null | undefined, f: (v: T) => unknown): unknown => (value === null || value === undefined ? value : f(value))
  const issue = (l: IssueLink): IssueLink => {
    const { key: _dcOnly, ...rest } = l
    return { ...rest, self: `${base}/links/${l.id}` }
  }
  const web = (l: WebLink): WebLink => ({ ...l, self: `${base}/links/${l.id}` })

  const caseVersionSelf = (self: string, fallbackKey: string | undefined): string => {
    const parsed = parseVersionSelf(self)
    const key = parsed?.key ?? fallbackKey
    if (key === undefined) return self
    const version = parsed?.version ?? tenant.latestVersion(key)
    return `${base}/testcases/${enc(key)}/versions/${version}`
  }

  const testCaseLinks = (tc: ZephyrTestCase) => ({
    self: `${base}/testcases/${enc(tc.key)}/links`,
    issues: (tc.links?.issues ?? []).map(issue),
    webLinks: (tc.links?.webLinks ?? []).map(web)
  })

  const testCycleLinks = (c: ZephyrTestCycle) => ({
    self: `${base}/testcycles/${c.id}/links`,
    issues: (c.links?.issues ?? []).map(issue),
    webLinks: (c.links?.webLinks ?? []).map(web),
    testPlans: (c.links?.testPlans ?? []).map((l) => ({ ...l, self: `${base}/links/${l.id}`, target: `${base}/testplans/${l.testPlanId}` }))
  })

  const testExecutionLinks = (e: ZephyrTestExecution) => ({
    self: `${base}/testexecutions/${e.id}/links`,
    issues: (e.links?.issues ?? []).map(issue)
  })

  return {
    base,
    project: (p) => ({ ...p }),
    folder: (f) => ({ ...f, project: projectLink(f.project) }),
    status: (s) => {
      const { statusType: _dataOnly, ...rest } = s
      return { ...rest, project: projectLink(s.project) }
    },
    option: (o) => ({ ...o, project: projectLink(o.project) }),
    testCase: ({ parameters: _dcOnly, ...tc }, version) => ({
      ...tc,
      id: version?.id ?? tc.id,
      project: projectLink(tc.project),
      priority: priorityLink(tc.priority),
      status: statusLink(tc.status),
      folder: maybe(tc.folder, folderLink),
      testScript: { self: `${base}/testcases/${enc(tc.key)}/testscript` },
      links: testCaseLinks(tc)
    }),
    testCaseLinks,
    versionLink: (key, version, id) => ({ id, self: `${base}/testcases/${enc(key)}/versions/${version}` }),
    testStep: (s) =>
      s.testCase
        ? { ...s, testCase: { ...s.testCase, self: caseVersionSelf(s.testCase.self, s.testCase.testCaseKey) } }
        : { ...s },
    testCycle: (c) => ({
      ...c,
      project: projectLink(c.project),
      status: statusLink(c.status),
      folder: maybe(c.folder, folderLink),
      links: testCycleLinks(c)
    }),
    testCycleLinks,
    testPlan: (p) => ({
      ...p,
      project: projectLink(p.project),
      status: statusLink(p.status),
      folder: maybe(p.folder, folderLink),
      links: {
        webLinks: (p.links?.webLinks ?? []).map(web),
        issues: (p.links?.issues ?? []).map(issue),
        testCycles: (p.links?.testCycles ?? []).map((l) => ({ ...l, self: `${base}/links/${l.id}`, target: `${base}/testcycles/${l.testCycleId}` }))
      }
    }),
    testExecution: (e) => ({
      ...e,
      project: projectLink(e.project),
      testCase: maybe(e.testCase, (tc) => ({ ...tc, self: caseVersionSelf(tc.self, tenant.executionCase(e.id)?.key) })),
      environment: maybe(e.environment, environmentLink),
      testExecutionStatus: statusLink(e.testExecutionStatus),
      testCycle: maybe(e.testCycle, cycleLink),
      links: testExecutionLinks(e)
    }),
    testExecutionLinks,
    executionStep: (s) => ({ ...s, inline: maybe(s.inline, (inline) => ({ ...inline, status: statusLink(inline.status) })) })
  }
}

/** The renderer of an edition: Scale Cloud's bodies, or Essential's (ZephyrEdition.ts). */
export const makeRenderer = (base: string, tenant: RenderLookups, edition: ZephyrEdition = "cloud"): Renderer =>
  withFields(makeCloudRenderer(base, tenant), edition === "essential" ? asOptionObjects : asOptionNames)
