/**
 * A deterministic, lazily generated Zephyr tenant (project `GEN`) at three scales, for load tests, the benchmark
 * and `migrate sandbox --scale`. Entity `i` is computed from `(seed, kind, i)` when a request needs it; the only
 * state kept is a few typed arrays saying which case and cycle each execution belongs to (≈ 2 MB at `large`),
 * so serving 100,000 executions never holds 100,000 execution objects, their step results or attachment bytes.
 *
 * Every scale has the hard cases: HTML and Unicode (CJK, emoji, RTL) text, every custom-field type, labels,
 * issue and web links, call-to-test chains with parameters (a case only ever calls a lower-numbered one, so there
 * is never a cycle), plain-text and BDD scripts, several versions, repeated executions of a cycle item, ad hoc
 * executions, step results, binary attachments of 1 KB–200 KB on cases and executions.
 *
 * Layout (so tests can reason about it): case `i` is `GEN-T{i+1}`, id `100001+i`; its kind follows `i % 20`
 * (5 plain text, 15 BDD, 8 calls `i-1`, 9 calls `i-1` which calls `i-2`, otherwise steps). Execution `x` is
 * `GEN-E{x+1}`, id `200001+x`; every 20th one (`x % 20 == 19`) is ad hoc. Base timestamps all lie before 2025,
 * so any "now" watermark sees only what `mutate` changed.
 */
import { bddScript, caseName, customFields, EXECUTION_COMMENTS, FOLDER_NAMES, GENERATED_USERS, labels, objective, plainScript, precondition, stepText } from "./generatedContent.ts"
import { CONTENT_TYPES, generatedFile, type GeneratedFileKind } from "./generatedBytes.ts"
import { mix, prngFor } from "../../../core/sandbox.ts"
import { versionId } from "./SandboxIndex.ts"
import {
  arrayList,
  countsOf,
  EMPTY_LIST,
  generatedList,
  positionsList,
  type AttachmentInfo,
  type KeyedTable,
  type LazyList,
  type Table,
  type TenantCounts,
  type TenantSource
} from "./Tenant.ts"
import type {
  IssueLink,
  JiraUserLink,
  Link,
  StepParameter,
  WebLink,
  ZephyrEnvironment,
  ZephyrExecutionStep,
  ZephyrFolder,
  ZephyrPriority,
  ZephyrProject,
  ZephyrStatus,
  ZephyrTestCase,
  ZephyrTestCycle,
  ZephyrTestExecution,
  ZephyrTestPlan,
  ZephyrTestScript,
  ZephyrTestStep
} from "./ZephyrData.ts"

export type Scale = "tiny" | "small" | "medium" | "large"

export interface ScaleSpec {
  readonly testcases: number
  readonly testexecutions: number
  readonly attachments: number
  readonly testcycles: number
  readonly testplans: number
}

/**
 * `tiny` is the smallest tenant with every kind of object (50 cases, so one without a folder; ad hoc executions,
 * plans, cycles, attachments): the chaos suite migrates it a few dozen times. `medium` is what CI extracts with faults on: one request per case for steps and one for attachments, two per
 * execution, so ≈ 26,000 requests in all; `large` is the issue's floor (10k cases, 100k executions, 1k files).
 */
export const SCALES: Readonly<Record<Scale, ScaleSpec>> = {
  tiny: { testcases: 50, testexecutions: 100, attachments: 10, testcycles: 3, testplans: 2 },
  small: { testcases: 200, testexecutions: 2_000, attachments: 50, testcycles: 10, testplans: 3 },
  medium: { testcases: 2_000, testexecutions: 10_000, attachments: 200, testcycles: 40, testplans: 8 },
  large: { testcases: 10_000, testexecutions: 100_000, attachments: 1_000, testcycles: 400, testplans: 40 }
}

export interface GeneratedTenant extends TenantSource {
  readonly scale: Scale
  readonly seed: number
  readonly projectKey: string
  readonly counts: () => TenantCounts
}

const API = "https://api.zephyrscale.smartbear.com/v2"
const JIRA = "https://generated-tenant.atlassian.net/rest/api/2"
const PROJECT_ID = 20000
const PROJECT_KEY = "GEN"

/** One salt per generated thing, so the `(seed, salt, index)` streams never overlap. */
const SALT = { case: 1, steps: 2, cycle: 3, plan: 4, execution: 5, execStatus: 6, execSteps: 7, layout: 8, attachments: 9, bytes: 10, created: 11, estimate: 12 } as const

const ID = { folder: 30001, case: 100001, cycle: 40001, plan: 45001, execution: 200001, attachment: 500001, executionStepBase: 10_000_000 } as const
const LINK_ID = { case: 20_000_000, cycle: 21_000_000, plan: 21_500_000, planCycle: 21_800_000, execution: 22_000_000 } as const

const S = {
  caseDraft: 21001,
  caseApproved: 21002,
  caseDeprecated: 21003,
  planNotStarted: 21011,
  planInProgress: 21012,
  planDone: 21013,
  cycleNotExecuted: 21021,
  cycleInProgress: 21022,
  cycleDone: 21023,
  execNotExecuted: 21031,
  execInProgress: 21032,
  execPass: 21033,
  execFail: 21034,
  execBlocked: 21035,
  execRetest: 21036
} as const
const PRIORITY = { high: 22001, normal: 22002, low: 22003 } as const
const ENVIRONMENTS = [23001, 23002, 23003] as const
const JIRA_VERSIONS = [24001, 24002, 24003, 24004, 24005] as const
const COMPONENTS = [25001, 25002] as const

const DAY = 86_400_000
const HOUR = 3_600_000
const CASE_EPOCH = Date.UTC(2022, 5, 1, 8)
const CYCLE_EPOCH = Date.UTC(2022, 0, 3, 9)
const PLAN_EPOCH = Date.UTC(2022, 0, 1, 9)
const ADHOC_EPOCH = Date.UTC(2024, 0, 1, 12)

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z")
const link = (path: string, id: number): Link => ({ id, self: `${API}/${path}/${id}` })
const projectLink = link("projects", PROJECT_ID)
const owner = (accountId: string): JiraUserLink => ({ self: `${JIRA}/user?accountId=${accountId}`, accountId })
const issue = (id: number, issueId: number, type: IssueLink["type"]): IssueLink => ({ id, self: `${API}/links/${id}`, issueId, target: `${JIRA}/issue/${issueId}`, type })
const web = (id: number, url: string, description: string, type: WebLink["type"]): WebLink => ({ id, self: `${API}/links/${id}`, url, description, type })

type CaseKind = "steps" | "plain" | "bdd" | "callLogin" | "callCart"

/** Positions grouped by key (counting sort): `positions[offsets[k] .. offsets[k+1])` are the items of key `k`. */
const groupBy = (keys: Int32Array, buckets: number): { readonly offsets: Int32Array; readonly positions: Int32Array } => {
  const offsets = new Int32Array(buckets + 1)
  for (const k of keys) if (k >= 0) offsets[k + 1] = (offsets[k + 1] ?? 0) + 1
  for (let k = 0; k < buckets; k++) offsets[k + 1] = (offsets[k + 1] ?? 0) + (offsets[k] ?? 0)
  const fill = offsets.slice(0, buckets)
  const positions = new Int32Array(offsets[buckets] ?? 0)
  keys.forEach((k, x) => {
    if (k < 0) return
    const at = fill[k] ?? 0
    positions[at] = x
    fill[k] = at + 1
  })
  return { offsets, positions }
}

const memo = <K, V>(f: (k: K) => V): ((k: K) => V) => {
  const cache = new Map<K, V>()
  return (k) => {
    const hit = cache.get(k)
    if (hit !== undefined) return hit
    const v = f(k)
    cache.set(k, v)
    return v
  }
}

export const generatedData = (scale: Scale, seed: number): GeneratedTenant => {
  const spec = SCALES[scale]
  const N = spec.testcases
  const E = spec.testexecutions
  const C = spec.testcycles
  const P = spec.testplans
  const A = spec.attachments

  // ---- folders, statuses, priorities, environments (small: materialised) -----------------------------------
  const caseFolderCount = Math.max(8, Math.ceil(N / 40))
  const planFolderBase = ID.folder + caseFolderCount
  const cycleFolderBase = planFolderBase + 2
  const cycleFolderCount = 2 + Math.ceil(C / 50)
  const folders: Array<ZephyrFolder> = []
  for (let k = 0; k < caseFolderCount; k++) {
    // A binary tree: log2(F) levels deep; an even parent lists its two children in reverse id order.
    const parent = k < 2 ? -1 : Math.floor((k - 2) / 2)
    const first = parent < 0 ? 0 : 2 * parent + 2
    const siblings = Math.min(2, caseFolderCount - first)
    const position = k - first
    const pool = FOLDER_NAMES[k % FOLDER_NAMES.length] ?? "Folder"
    folders.push({
      id: ID.folder + k,
      parentId: parent < 0 ? null : ID.folder + parent,
      name: k < FOLDER_NAMES.length ? pool : `${pool} ${Math.floor(k / FOLDER_NAMES.length) + 1}`,
      index: parent >= 0 && parent % 2 === 0 ? siblings - 1 - position : position,
      folderType: "TEST_CASE",
      project: projectLink
    })
  }
  folders.push({ id: planFolderBase, parentId: null, name: "Release plans", index: 0, folderType: "TEST_PLAN", project: projectLink })
  folders.push({ id: planFolderBase + 1, parentId: planFolderBase, name: "2024 — 計画", index: 0, folderType: "TEST_PLAN", project: projectLink })
  for (let k = 0; k < cycleFolderCount; k++) {
    const parent = k < 2 ? null : cycleFolderBase + (k % 2)
    folders.push({
      id: cycleFolderBase + k,
      parentId: parent,
      name: k === 0 ? "Releases" : k === 1 ? "Sprints" : k % 2 === 0 ? `2024.${k - 1}` : `Sprint block ${k - 1}`,
      index: k < 2 ? k : cycleFolderCount - k,
      folderType: "TEST_CYCLE",
      project: projectLink
    })
  }

  const status = (id: number, statusType: ZephyrStatus["statusType"], name: string, index: number, color: string, extra: Partial<ZephyrStatus> = {}): ZephyrStatus => ({
    id,
    project: projectLink,
    name,
    description: `${name} (${(statusType ?? "").toLowerCase().replace("_", " ")})`,
    index,
    color,
    archived: false,
    default: index === 0,
    statusType,
    ...extra
  })
  const statuses: Array<ZephyrStatus> = [
    status(S.caseDraft, "TEST_CASE", "Draft", 0, "#CCCCCC"),
    status(S.caseApproved, "TEST_CASE", "Approved", 1, "#00875A"),
    status(S.caseDeprecated, "TEST_CASE", "Deprecated", 2, "#999999"),
    status(S.planNotStarted, "TEST_PLAN", "Not Started", 0, "#CCCCCC"),
    status(S.planInProgress, "TEST_PLAN", "In Progress", 1, "#0052CC"),
    status(S.planDone, "TEST_PLAN", "Done", 2, "#00875A"),
    status(S.cycleNotExecuted, "TEST_CYCLE", "Not Executed", 0, "#CCCCCC"),
    status(S.cycleInProgress, "TEST_CYCLE", "In Progress", 1, "#0052CC"),
    status(S.cycleDone, "TEST_CYCLE", "Done", 2, "#00875A"),
    status(S.execNotExecuted, "TEST_EXECUTION", "Not Executed", 0, "#CCCCCC"),
    status(S.execInProgress, "TEST_EXECUTION", "In Progress", 1, "#F4F5F7"),
    status(S.execPass, "TEST_EXECUTION", "Pass", 2, "#00FF00"),
    status(S.execFail, "TEST_EXECUTION", "Fail", 3, "#FF0000"),
    status(S.execBlocked, "TEST_EXECUTION", "Blocked", 4, "#4C9AFF"),
    status(S.execRetest, "TEST_EXECUTION", "Retest (retired) ♻", 5, "#FFAB00", { archived: true })
  ]
  const priorities: Array<ZephyrPriority> = [
    { id: PRIORITY.high, project: projectLink, name: "High", description: "Must pass before release", index: 0, color: "#FF5630", default: false },
    { id: PRIORITY.normal, project: projectLink, name: "Normal", description: null, index: 1, color: "#FFAB00", default: true },
    { id: PRIORITY.low, project: projectLink, name: "Low", description: "Nice to have", index: 2, color: "#36B37E", default: false }
  ]
  const environments: Array<ZephyrEnvironment> = [
    { id: 23001, project: projectLink, name: "Chrome 120 / Windows 11", description: "Default desktop browser", index: 0, archived: false },
    { id: 23002, project: projectLink, name: "Firefox ESR / Ubuntu 22.04", description: null, index: 1, archived: false },
    { id: 23003, project: projectLink, name: "Safari / iOS 17 📱", description: "Mobile", index: 2, archived: false },
    { id: 23004, project: projectLink, name: "Internet Explorer 11 (retired)", description: null, index: 3, archived: true }
  ]
  const project: ZephyrProject = { id: PROJECT_ID, jiraProjectId: 20100, key: PROJECT_KEY, enabled: true }

  const smallTable = <T extends { readonly id: number }>(items: ReadonlyArray<T>): Table<T> => {
    const all = arrayList(items)
    const byId = new Map(items.map((t) => [t.id, t]))
    return { all, byId: (id) => byId.get(id), byProject: (projectId) => (projectId === PROJECT_ID ? all : EMPTY_LIST) }
  }

  // ---- test cases ---------------------------------------------------------------------------------------------
  const caseKey = (i: number) => `${PROJECT_KEY}-T${i + 1}`
  const caseIndexOfKey = (key: string): number => {
    const m = /^GEN-T([1-9][0-9]*)$/.exec(key)
    const i = m?.[1] === undefined ? -1 : Number(m[1]) - 1
    return i < N ? i : -1
  }
  const kindOf = (i: number): CaseKind => {
    switch (i % 20) {
      case 5:
        return "plain"
      case 15:
        return "bdd"
      case 8:
        return "callLogin"
      case 9:
        return "callCart"
      default:
        return "steps"
    }
  }
  const latestOf = (i: number): number => (i % 7 === 0 ? 3 : i % 7 === 3 ? 2 : 1)
  const folderOf = (i: number): number => (i % 50 === 49 ? -1 : Math.floor((i * caseFolderCount) / N))
  const createdOnMs = (i: number): number => CASE_EPOCH + Math.floor((i * 540 * DAY) / N) + (mix(seed, SALT.created, i) % 36_000) * 1000
  const estimateOf = (i: number): number | null => {
    const h = mix(seed, SALT.estimate, i)
    return h % 4 === 0 ? null : (1 + (h % 30)) * 60_000
  }

  const caseAt = (i: number): ZephyrTestCase => {
    const rng = prngFor(seed, SALT.case, i)
    const key = caseKey(i)
    const folder = folderOf(i)
    const roll = rng.next()
    return {
      id: ID.case + i,
      key,
      name: caseName(i, rng),
      project: projectLink,
      createdOn: isoSeconds(createdOnMs(i)),
      objective: objective(i, rng),
      precondition: precondition(i, rng),
      estimatedTime: estimateOf(i),
      labels: labels(rng),
      component: i % 4 === 2 ? null : { id: COMPONENTS[i % 2] ?? 25001, self: `${JIRA}/component/${COMPONENTS[i % 2] ?? 25001}` },
      priority: link("priorities", roll < 0.2 ? PRIORITY.high : roll < 0.8 ? PRIORITY.normal : PRIORITY.low),
      status: link("statuses", i % 17 === 16 ? S.caseDeprecated : rng.next() < 0.6 ? S.caseApproved : S.caseDraft),
      folder: folder < 0 ? null : link("folders", ID.folder + folder),
      owner: i % 9 === 8 ? null : owner(rng.pick(GENERATED_USERS)),
      testScript: { self: `${API}/testcases/${key}/testscript` },
      customFields: customFields(i, rng),
      links: {
        self: `${API}/testcases/${key}/links`,
        issues: i % 3 === 0 ? [issue(LINK_ID.case + i * 4, 10_000 + (i % 9000), i % 6 === 0 ? "COVERAGE" : "RELATED")] : [],
        webLinks: i % 5 === 0 ? [web(LINK_ID.case + i * 4 + 1, `https://wiki.example.com/qa/${key}?lang=ja&v=2`, `Spec for ${key} — 仕様`, "RELATED")] : []
      }
    }
  }

  const callStep = (i: number, callee: number, j: number, parameters: ReadonlyArray<StepParameter>): ZephyrTestStep => ({
    id: (ID.case + i) * 64 + j,
    testCase: { self: `${API}/testcases/${caseKey(callee)}/versions/${latestOf(callee)}`, testCaseKey: caseKey(callee), parameters }
  })
  const inlineStep = (i: number, j: number, description: string, testData: string, expectedResult: string, withFields: boolean): ZephyrTestStep => ({
    id: (ID.case + i) * 64 + j,
    inline: { description, testData, expectedResult, customFields: withFields ? { "Step Type": "UI", "Step Weight": 3 } : {}, reflectRef: null }
  })

  /** The case's own steps (not expanded): at most 5 inline, or a call plus up to 3 inline. */
  const stepsOf = (i: number): ReadonlyArray<ZephyrTestStep> => {
    const rng = prngFor(seed, SALT.steps, i)
    const kind = kindOf(i)
    if (kind === "plain" || kind === "bdd") return []
    if (kind === "callLogin")
      return [
        inlineStep(i, 0, "Start from an empty cart", "", "Cart badge shows 0", false),
        callStep(i, i - 1, 1, [
          { name: "username", type: "DEFAULT_VALUE", value: `buyer-${i}@example.com` },
          { name: "password", type: "MANUAL_INPUT", value: "" }
        ]),
        inlineStep(i, 2, "Search for {item}", "item = {item}", "The product page of {item} is shown", false),
        inlineStep(i, 3, "Add {quantity} to the cart", "quantity = {quantity}", "Cart badge shows {quantity}", rng.next() < 0.5)
      ]
    if (kind === "callCart")
      return [
        callStep(i, i - 1, 0, [
          { name: "item", type: "DEFAULT_VALUE", value: "Blue mug ☕" },
          { name: "quantity", type: "MANUAL_INPUT", value: "2" }
        ]),
        inlineStep(i, 1, "Pay and confirm", "", "Order confirmation page shows the order number", false)
      ]
    const n = 1 + rng.int(5)
    const steps: Array<ZephyrTestStep> = []
    for (let j = 0; j < n; j++) {
      // The callee of a login chain (i % 20 == 7) uses the parameters its caller passes.
      if (i % 20 === 7 && j === 0) steps.push(inlineStep(i, j, "Log in as {username}", "Username = {username}<br>Password = {password}", "Dashboard is shown", true))
      else {
        const t = stepText(rng)
        steps.push(inlineStep(i, j, t.description, t.testData, t.expectedResult, j === 0 && i % 3 === 0))
      }
    }
    return steps
  }

  const scriptOf = (i: number): ZephyrTestScript | undefined => {
    const kind = kindOf(i)
    return kind === "plain" ? { id: ID.case + i, type: "plain", text: plainScript(i) } : kind === "bdd" ? { id: ID.case + i, type: "bdd", text: bddScript(i) } : undefined
  }

  /** Steps as an execution records them: calls expanded (depth ≤ 2 by construction), parameters substituted. */
  const expand = (i: number, params: Readonly<Record<string, string>>): Array<{ description: string; testData: string; expectedResult: string }> => {
    const script = scriptOf(i)
    if (script) return [{ description: script.text, testData: "", expectedResult: "" }]
    const subst = (text: string | null | undefined) => (text ?? "").replace(/\{(\w+)\}/g, (m, name: string) => params[name] || m)
    return stepsOf(i).flatMap((s) => {
      if (s.testCase) {
        const inner: Record<string, string> = {}
        for (const p of s.testCase.parameters ?? []) inner[p.name] = subst(p.value ?? "")
        const callee = caseIndexOfKey(s.testCase.testCaseKey)
        return callee >= 0 && callee < i ? expand(callee, inner) : []
      }
      return [{ description: subst(s.inline?.description), testData: subst(s.inline?.testData), expectedResult: subst(s.inline?.expectedResult) }]
    })
  }

  // ---- cycles and plans ---------------------------------------------------------------------------------------
  const cycleKey = (c: number) => `${PROJECT_KEY}-R${c + 1}`
  const cycleStartMs = (c: number): number => CYCLE_EPOCH + Math.floor((c * 900) / Math.max(1, C)) * DAY
  const cycleStatusOf = (c: number): number => (c < C * 0.6 ? S.cycleDone : c < C * 0.85 ? S.cycleInProgress : S.cycleNotExecuted)
  const cycleVersionOf = (c: number): number | null => (c % 4 === 3 ? null : (JIRA_VERSIONS[c % JIRA_VERSIONS.length] ?? null))
  const cycleFolderOf = (c: number): number => (c % 7 === 6 ? -1 : cycleFolderBase + (cycleFolderCount > 2 ? 2 + (c % (cycleFolderCount - 2)) : c % 2))
  const planOfCycle = (c: number): number => (P > 0 && c % 3 !== 2 ? c % P : -1)

  const cycleAt = (c: number): ZephyrTestCycle => {
    const rng = prngFor(seed, SALT.cycle, c)
    const name = c % 6 === 4 ? `スプリント ${c + 1} 回帰テスト` : c % 2 === 1 ? `Sprint ${c + 1} regression` : `Release 2024.${c + 1} — full run`
    const version = cycleVersionOf(c)
    const folder = cycleFolderOf(c)
    const plan = planOfCycle(c)
    const id = ID.cycle + c
    return {
      id,
      key: cycleKey(c),
      name,
      project: projectLink,
      jiraProjectVersion: version === null ? null : { id: version, self: `${JIRA}/version/${version}` },
      status: link("statuses", cycleStatusOf(c)),
      folder: folder < 0 ? null : link("folders", folder),
      description: c % 2 === 0 ? `<p>Cycle <b>${name}</b>: run every case in scope.</p>` : null,
      plannedStartDate: isoSeconds(cycleStartMs(c)),
      plannedEndDate: isoSeconds(cycleStartMs(c) + 5 * DAY),
      owner: owner(rng.pick(GENERATED_USERS)),
      customFields: { "Test Environment": c % 2 === 0 ? "Staging" : "QA", "Sprint Number": 10 + c, Automated: c % 5 === 0 },
      links: {
        self: `${API}/testcycles/${id}/links`,
        issues: c % 3 === 0 ? [issue(LINK_ID.cycle + c * 4, 10_600 + c, "COVERAGE")] : [],
        webLinks: c % 5 === 0 ? [web(LINK_ID.cycle + c * 4 + 1, `https://ci.example.com/builds/${c + 1}`, `CI build ${c + 1}`, "RELATED")] : [],
        testPlans:
          plan < 0
            ? []
            : [{ id: LINK_ID.planCycle + c, self: `${API}/links/${LINK_ID.planCycle + c}`, testPlanId: ID.plan + plan, type: "RELATED" as const, target: `${API}/testplans/${ID.plan + plan}` }]
      }
    }
  }

  const planAt = (p: number): ZephyrTestPlan => {
    const rng = prngFor(seed, SALT.plan, p)
    const testCycles: Array<{ id: number; self: string; testCycleId: number; type: "RELATED"; target: string }> = []
    for (let c = p; c < C; c += P)
      if (planOfCycle(c) === p) testCycles.push({ id: LINK_ID.planCycle + c, self: `${API}/links/${LINK_ID.planCycle + c}`, testCycleId: ID.cycle + c, type: "RELATED", target: `${API}/testcycles/${ID.cycle + c}` })
    return {
      id: ID.plan + p,
      key: `${PROJECT_KEY}-P${p + 1}`,
      name: p % 3 === 2 ? `Plan de test ${p + 1} — révision` : `Release plan 2024.${p + 1}`,
      objective: p % 2 === 0 ? `<p>Sign off release <b>2024.${p + 1}</b> ✅</p>` : null,
      project: projectLink,
      status: link("statuses", p === 0 ? S.planDone : p % 2 === 0 ? S.planInProgress : S.planNotStarted),
      folder: link("folders", planFolderBase + (p % 2)),
      owner: owner(rng.pick(GENERATED_USERS)),
      customFields: { "Release Manager": rng.pick(GENERATED_USERS), "Sign-off Date": `2024-${String(1 + (p % 12)).padStart(2, "0")}-28`, Approved: p % 2 === 0, "Risk Level": rng.pick(["High", "Medium"]) },
      labels: p % 3 === 2 ? ["Exploratory"] : ["Release", `R2024.${p + 1}`],
      links: {
        webLinks: [web(LINK_ID.plan + p * 4, `https://confluence.example.com/plans/${PROJECT_KEY}-P${p + 1}`, `Plan page ${p + 1}`, "RELATED")],
        issues: p % 2 === 0 ? [issue(LINK_ID.plan + p * 4 + 1, 10_500 + p, "COVERAGE")] : [],
        testCycles
      }
    }
  }

  // ---- executions: the one compact index ------------------------------------------------------------------
  const execCase = new Int32Array(E)
  const execCycle = new Int32Array(E)
  const execRun = new Uint8Array(E)
  const execLast = new Uint8Array(E)
  {
    const rng = prngFor(seed, SALT.layout)
    const inCycle = E - Math.floor((E + 1) / 20)
    const quota = (c: number) => Math.floor((inCycle * (c + 1)) / C) - Math.floor((inCycle * c) / C)
    const newRuns = () => (rng.next() < 0.3 ? 2 + rng.int(3) : 1)
    let c = 0
    let left = C > 0 ? quota(0) : 0
    let item = 0
    let run = 0
    let runs = newRuns()
    for (let x = 0; x < E; x++) {
      if (x % 20 === 19 || C === 0) {
        execCase[x] = rng.int(N)
        execCycle[x] = -1
        execLast[x] = 1
        continue
      }
      while (left === 0 && c < C - 1) {
        c++
        left = quota(c)
        item = 0
        run = 0
        runs = newRuns()
      }
      // Items of a cycle are distinct consecutive cases from a per-cycle start; the last case absorbs any rest.
      if (item >= N - 1) runs = Number.MAX_SAFE_INTEGER
      execCase[x] = ((c * 131) % N + item) % N
      execCycle[x] = c
      execRun[x] = Math.min(run, 255)
      left--
      run++
      const done = run >= runs || left === 0
      execLast[x] = done ? 1 : 0
      if (done) {
        item++
        run = 0
        runs = newRuns()
      }
    }
  }
  const byCycle = groupBy(execCycle, C)
  const byCase = groupBy(execCase, N)

  const execIndexOfId = (id: number): number => (Number.isInteger(id) && id >= ID.execution && id < ID.execution + E ? id - ID.execution : -1)
  const endMs = (x: number): number => {
    const c = execCycle[x] ?? -1
    const run = execRun[x] ?? 0
    return c >= 0 ? cycleStartMs(c) + (Math.min(run, 4) + (x % 4)) * DAY + (10 + (x % 8)) * HOUR : ADHOC_EPOCH + Math.floor((x * 180 * DAY) / Math.max(1, E))
  }
  const statusOf = (x: number): number => {
    const rng = prngFor(seed, SALT.execStatus, x)
    const roll = rng.next()
    const roll2 = rng.next()
    const c = execCycle[x] ?? -1
    const cycleStatus = c >= 0 ? cycleStatusOf(c) : undefined
    if (cycleStatus === S.cycleNotExecuted && roll2 < 0.5) return S.execNotExecuted
    if (execLast[x] !== 1) return roll < 0.6 ? S.execFail : S.execBlocked
    if (cycleStatus === S.cycleInProgress && roll2 < 0.2) return S.execInProgress
    return roll < 0.75 ? S.execPass : roll < 0.87 ? S.execFail : roll < 0.95 ? S.execBlocked : S.execNotExecuted
  }
  const executedVersion = (x: number): number => {
    const i = execCase[x] ?? 0
    const c = execCycle[x] ?? -1
    return c >= 0 && c < C / 3 ? 1 : latestOf(i)
  }

  const executionAt = (x: number): ZephyrTestExecution => {
    const rng = prngFor(seed, SALT.execution, x)
    const i = execCase[x] ?? 0
    const c = execCycle[x] ?? -1
    const id = ID.execution + x
    const st = statusOf(x)
    const executed = st !== S.execNotExecuted && st !== S.execInProgress
    const failed = st === S.execFail || st === S.execBlocked
    const version = executedVersion(x)
    const automated = kindOf(i) === "plain" || kindOf(i) === "bdd"
    const jiraVersion = c >= 0 ? cycleVersionOf(c) : null
    return {
      id,
      key: `${PROJECT_KEY}-E${x + 1}`,
      project: projectLink,
      testCase: { self: `${API}/testcases/${caseKey(i)}/versions/${version}`, id: versionId(ID.case + i, version, latestOf(i)) },
      environment: x % 6 === 5 ? null : link("environments", ENVIRONMENTS[x % ENVIRONMENTS.length] ?? 23001),
      jiraProjectVersion: jiraVersion === null ? null : { id: jiraVersion, self: `${JIRA}/version/${jiraVersion}` },
      testExecutionStatus: link("statuses", st),
      actualEndDate: executed ? isoSeconds(endMs(x)) : null,
      estimatedTime: estimateOf(i),
      executionTime: executed ? 30_000 + rng.int(600) * 1000 : null,
      executedById: executed ? (automated ? (GENERATED_USERS[3] ?? null) : rng.pick(GENERATED_USERS)) : null,
      assignedToId: x % 4 === 0 ? null : (GENERATED_USERS[x % GENERATED_USERS.length] ?? null),
      comment: failed ? rng.pick(EXECUTION_COMMENTS) : x % 7 === 0 ? (EXECUTION_COMMENTS[1] ?? null) : null,
      automated,
      testCycle: c >= 0 ? link("testcycles", ID.cycle + c) : null,
      customFields: x % 3 === 0 ? {} : { Browser: ["Chrome", "Firefox", "Safari"][x % 3] ?? "Chrome", "Build Number": 1000 + x, Flaky: x % 9 === 0 },
      links: { self: `${API}/testexecutions/${id}/links`, issues: failed ? [issue(LINK_ID.execution + x * 2, 10_700 + (x % 5000), "BLOCKS")] : [] }
    }
  }

  /** Step results follow the outcome: a failure stops the run at a step, later steps stay unexecuted. */
  const executionStepsAt = (x: number): ReadonlyArray<ZephyrExecutionStep> => {
    const rng = prngFor(seed, SALT.execSteps, x)
    const st = statusOf(x)
    const steps = expand(execCase[x] ?? 0, {})
    const failed = st === S.execFail || st === S.execBlocked
    const failAt = failed ? rng.int(Math.max(1, steps.length)) : -1
    const inProgressUntil = st === S.execInProgress ? Math.ceil(steps.length / 2) : -1
    return steps.map((s, j) => {
      const stepStatus =
        st === S.execNotExecuted || st === S.execPass
          ? st
          : st === S.execInProgress
            ? j < inProgressUntil
              ? S.execPass
              : S.execNotExecuted
            : j < failAt
              ? S.execPass
              : j === failAt
                ? st
                : S.execNotExecuted
      const actualResult =
        stepStatus === S.execPass ? (j % 2 === 0 ? "As expected" : "<p>As expected ✓</p>") : stepStatus === S.execNotExecuted ? "" : stepStatus === S.execBlocked ? "Could not run: <b>environment down</b>" : "<p>Got <code>HTTP 500</code> instead — 失敗</p>"
      return {
        id: ID.executionStepBase + x * 32 + j,
        inline: { description: s.description, testData: s.testData, expectedResult: s.expectedResult, actualResult, testDataRowNumber: 1, reflectRef: null, status: link("statuses", stepStatus) }
      }
    })
  }

  // ---- attachments --------------------------------------------------------------------------------------------
  const FILE_KINDS: ReadonlyArray<GeneratedFileKind> = ["png", "text", "pdf", "binary"]
  const NAMES: Readonly<Record<GeneratedFileKind, ReadonlyArray<(n: number) => string>>> = {
    png: [(n) => `screenshot-${n}.png`, (n) => `スクリーンショット ${n}.png`, (n) => `écran ${n} 📸.png`],
    text: [(n) => `console-${n}.log`, (n) => `notes ✅ ${n}.txt`, (n) => `журнал-${n}.txt`],
    pdf: [(n) => `report-${n}.pdf`, (n) => `تقرير-${n}.pdf`, (n) => `spec (v2) ${n}.pdf`],
    binary: [(n) => `trace-${n}.bin`, (n) => `dump ${n}.bin`, (n) => `evidence#${n}.dat`]
  }
  const attachmentSize = new Int32Array(A)
  const attachmentsByOwner = new Map<string, Array<number>>()
  {
    const rng = prngFor(seed, SALT.attachments)
    let previous = ""
    for (let a = 0; a < A; a++) {
      // Every tenth file joins the previous owner, so some owners have several.
      const owner = a % 10 === 1 && previous !== "" ? previous : a % 5 < 3 ? `testcases/${caseKey(rng.int(N))}` : `testexecutions/${ID.execution + rng.int(E)}`
      attachmentSize[a] = 1024 + rng.int(199 * 1024 + 1)
      const list = attachmentsByOwner.get(owner)
      if (list) list.push(a)
      else attachmentsByOwner.set(owner, [a])
      previous = owner
    }
  }
  const attachmentInfo = (a: number): AttachmentInfo => {
    const kind = FILE_KINDS[a % FILE_KINDS.length] ?? "binary"
    const name = NAMES[kind][a % 3] ?? ((n: number) => `file-${n}`)
    return { id: ID.attachment + a, name: name(a + 1), contentType: CONTENT_TYPES[kind] }
  }

  // ---- tables -------------------------------------------------------------------------------------------------
  const cases = generatedList(N, caseAt, (i) => ID.case + i)
  const cycles = generatedList(C, cycleAt, (c) => ID.cycle + c)
  const plans = generatedList(P, planAt, (p) => ID.plan + p)
  const executions = generatedList(E, executionAt, (x) => ID.execution + x)

  const keyed = <T extends { readonly id: number }>(all: LazyList<T>, firstId: number, keyPattern: RegExp): KeyedTable<T> => {
    const at = (i: number) => (Number.isInteger(i) && i >= 0 && i < all.length ? all.at(i) : undefined)
    return {
      all,
      byId: (id) => at(id - firstId),
      byKey: (key) => {
        const m = keyPattern.exec(key)
        return m?.[1] === undefined ? undefined : at(Number(m[1]) - 1)
      },
      byProject: (projectId) => (projectId === PROJECT_ID ? all : EMPTY_LIST)
    }
  }
  const slice = (group: { readonly offsets: Int32Array; readonly positions: Int32Array }, k: number): Int32Array =>
    group.positions.subarray(group.offsets[k] ?? 0, group.offsets[k + 1] ?? 0)

  const casesByFolder = memo((folderId: number): LazyList<ZephyrTestCase> => {
    const k = folderId - ID.folder
    if (!(k >= 0 && k < caseFolderCount)) return EMPTY_LIST
    const positions: Array<number> = []
    for (let i = Math.floor((k * N) / caseFolderCount) - 1; i <= Math.ceil(((k + 1) * N) / caseFolderCount); i++) if (i >= 0 && i < N && folderOf(i) === k) positions.push(i)
    return positionsList(cases, Int32Array.from(positions))
  })
  const cyclesByFolder = memo((folderId: number): LazyList<ZephyrTestCycle> => {
    const positions: Array<number> = []
    for (let c = 0; c < C; c++) if (cycleFolderOf(c) === folderId) positions.push(c)
    return positions.length === 0 ? EMPTY_LIST : positionsList(cycles, Int32Array.from(positions))
  })
  const executionsByCycle = memo((cycleId: number): LazyList<ZephyrTestExecution> => {
    const c = cycleId - ID.cycle
    return c >= 0 && c < C ? positionsList(executions, slice(byCycle, c)) : EMPTY_LIST
  })
  const executionsByCase = memo((key: string): LazyList<ZephyrTestExecution> => {
    const i = caseIndexOfKey(key)
    return i >= 0 ? positionsList(executions, slice(byCase, i)) : EMPTY_LIST
  })

  const tenant: GeneratedTenant = {
    scale,
    seed,
    projectKey: PROJECT_KEY,
    projects: {
      all: arrayList([project]),
      byId: (id) => (id === PROJECT_ID ? project : undefined),
      byKey: (key) => (key === PROJECT_KEY ? project : undefined)
    },
    folders: smallTable(folders),
    statuses: smallTable(statuses),
    priorities: smallTable(priorities),
    environments: smallTable(environments),
    testcases: keyed(cases, ID.case, /^GEN-T([1-9][0-9]*)$/),
    casesByFolder,
    latestVersion: (key) => {
      const i = caseIndexOfKey(key)
      return i >= 0 ? latestOf(i) : 1
    },
    teststeps: (key) => {
      const i = caseIndexOfKey(key)
      return i >= 0 ? stepsOf(i) : []
    },
    testscript: (key) => {
      const i = caseIndexOfKey(key)
      return i >= 0 ? scriptOf(i) : undefined
    },
    testcycles: keyed(cycles, ID.cycle, /^GEN-R([1-9][0-9]*)$/),
    cyclesByFolder,
    testplans: keyed(plans, ID.plan, /^GEN-P([1-9][0-9]*)$/),
    testexecutions: keyed(executions, ID.execution, /^GEN-E([1-9][0-9]*)$/),
    executionsByCycle,
    executionsByCase,
    executionCase: (id) => {
      const x = execIndexOfId(id)
      return x < 0 ? undefined : { key: caseKey(execCase[x] ?? 0), version: executedVersion(x) }
    },
    isLastExecution: (id) => {
      const x = execIndexOfId(id)
      return x >= 0 && execLast[x] === 1
    },
    executionsteps: (id) => {
      const x = execIndexOfId(id)
      return x < 0 ? [] : executionStepsAt(x)
    },
    attachments: (owner) => (attachmentsByOwner.get(owner) ?? []).map(attachmentInfo),
    attachmentBytes: (owner, id) => {
      const a = id - ID.attachment
      if (!(attachmentsByOwner.get(owner) ?? []).includes(a)) return undefined
      const kind = FILE_KINDS[a % FILE_KINDS.length] ?? "binary"
      return { ...attachmentInfo(a), bytes: generatedFile(kind, attachmentSize[a] ?? 1024, mix(seed, SALT.bytes, a)) }
    },
    attachmentCount: A,
    updatedOn: (kind, id) => {
      switch (kind) {
        case "testcases":
          return createdOnMs(id - ID.case) + (mix(seed, SALT.created, id) % 90) * DAY
        case "testcycles":
          return cycleStartMs(id - ID.cycle)
        case "testplans":
          return PLAN_EPOCH + (id - ID.plan) * DAY
        case "testexecutions": {
          const x = execIndexOfId(id)
          return x < 0 ? 0 : endMs(x)
        }
      }
    },
    maxKeyNumber: (letter, projectKey) => (projectKey !== PROJECT_KEY ? 0 : letter === "T" ? N : E),
    counts: () => countsOf(tenant)
  }
  return tenant
}
