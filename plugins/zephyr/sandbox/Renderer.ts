/**
 * Turns stored entities into response bodies: every link to a Zephyr resource gets an absolute `self` on the
 * sandbox's own base URL (the data file's `self` values are ignored), links to Jira (component, owner,
 * jiraProjectVersion, issue targets) are left as the data gives them, and the data-file-only `statusType` is
 * dropped. Entities that the real API always returns with `links` / `testScript` get them even when the data
 * omits them. For Zephyr Essential (ZephyrEdition.ts) the bodies are the same except for multi-select custom-field
 * values, wherever `customFields` appear (essentialCustomFields.ts).
 */
import { essentialCustomFields } from "./essentialCustomFields.ts"
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

/** A body's own `customFields` in Essential's rendering; the key keeps its place, a body without it is unchanged. */
const essentialFields = (body: unknown): unknown =>
  isBody(body) && Object.hasOwn(body, "customFields") ? { ...body, customFields: essentialCustomFields(body["customFields"]) } : body

/** The same for a step's `inline.customFields`. */
const essentialInlineFields = (step: unknown): unknown =>
  isBody(step) && isBody(step["inline"]) ? { ...step, inline: essentialFields(step["inline"]) } : step

/** Zephyr Essential's bodies: Scale Cloud's, with multi-select values as `[{id, name}]` wherever custom fields appear. */
const essentialRenderer = (cloud: Renderer): Renderer => ({
  ...cloud,
  testCase: (tc, version) => essentialFields(cloud.testCase(tc, version)),
  testStep: (s) => essentialInlineFields(cloud.testStep(s)),
  testCycle: (c) => essentialFields(cloud.testCycle(c)),
  testPlan: (p) => essentialFields(cloud.testPlan(p)),
  testExecution: (e) => essentialFields(cloud.testExecution(e)),
  executionStep: (s) => essentialInlineFields(cloud.executionStep(s))
})

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
  const issue = (l: IssueLink): IssueLink => ({ ...l, self: `${base}/links/${l.id}` })
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
    testCase: (tc, version) => ({
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
export const makeRenderer = (base: string, tenant: RenderLookups, edition: ZephyrEdition = "cloud"): Renderer => {
  const cloud = makeCloudRenderer(base, tenant)
  return edition === "essential" ? essentialRenderer(cloud) : cloud
}
