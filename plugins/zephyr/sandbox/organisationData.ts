/**
 * A generated Zephyr organisation: several small projects on one tenant, with references across projects, for
 * rehearsing the migration of many projects from one spec (`migrate sandbox --zephyr-projects N`). Zephyr lets a
 * call-to-test step call a case of another project, and a cycle run cases of another project; a migrator that
 * reads one project at a time must cope with both, so the organisation has both.
 *
 * Layout (so tests can reason about it), for project `p` (0-based) of `N`:
 * - key `ORGA`, `ORGB`, … `ORGZ`, then `ORGAA`, `ORGAB`, … (`organisationProjectKey`); id `20000 + p`, Jira
 *   project id `30000 + p`. Every other id of the project lies in its own block, `1,000,000 + p × 10,000`, so
 *   ids never collide across projects (folders +100, statuses +200, priorities +300, environments +400, cases
 *   +1000, steps +2000, scripts +3000, plans +4000, cycles +4100, executions +5000, step results +6000, links
 *   +9000, attachments +9500).
 * - its own statuses of the four types, priorities and environments (one archived), as Zephyr keeps them per
 *   project; TEST_CASE folders three levels deep with siblings out of id order, a plan folder, two cycle folders.
 * - 10 cases: T1 "Log in as {username}" (reusable, two versions), T2 calls T1 with a DEFAULT_VALUE and a
 *   MANUAL_INPUT parameter (the in-project call), T3–T8 step by step (T8 without folder), T9 plain text, T10 BDD;
 *   HTML and Unicode text, labels, every custom-field type, issue and web links, owners.
 * - one plan and two cycles: R1 (done, a Jira version, older case versions) and R2 (in progress, latest
 *   versions, one item not executed), each item run once or twice; two ad hoc executions; step results with
 *   calls expanded and parameters substituted, as Zephyr does; a picture on T1 and a log on the first failure.
 * Across projects:
 * - the second project's T3 calls the first project's T1 (`ORGA-T1`) — when N ≥ 2;
 * - the third project's R2 also runs the first project's T1, T2 and T4: those executions belong to the third
 *   project (its statuses, environments, cycle) but their `testCase` links point at `ORGA-T…` versions — when N ≥ 3.
 *
 * Deterministic for a seed; each project draws from its own stream, so the first k projects of a larger
 * organisation are the organisation of k projects.
 */
import { makePrng, mix, type Prng } from "../../../core/sandbox.ts"
import { tinyPng, toBase64, utf8 } from "./demoAttachments.ts"
import { bddScript, caseName, customFields, EXECUTION_COMMENTS, GENERATED_USERS, labels, objective, plainScript, precondition, stepText } from "./generatedContent.ts"
import { versionId } from "./SandboxIndex.ts"
import type {
  IssueLink,
  JiraUserLink,
  Link,
  LinkType,
  StepParameter,
  WebLink,
  ZephyrAttachmentData,
  ZephyrData,
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

/** An organisation, not a load test (that is `--scale`): enough projects for any multi-project spec. */
export const ORGANISATION_MAX_PROJECTS = 100

/** The key of project `index` (0-based): ORGA … ORGZ, ORGAA, ORGAB, … (bijective base 26, so never repeated). */
export const organisationProjectKey = (index: number): string => {
  let letters = ""
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters
  return `ORG${letters}`
}

/** `self` values as the real API writes them; the sandbox rewrites them to its own URL when serving. */
const API = "https://api.zephyrscale.smartbear.com/v2"
const JIRA = "https://org-tenant.atlassian.net/rest/api/2"

const link = (path: string, id: number): Link => ({ id, self: `${API}/${path}/${id}` })
const owner = (accountId: string): JiraUserLink => ({ self: `${JIRA}/user?accountId=${accountId}`, accountId })
const jiraLink = (path: string, id: number): Link => ({ id, self: `${JIRA}/${path}/${id}` })
const caseVersionSelf = (key: string, version: number) => `${API}/testcases/${key}/versions/${version}`

const CASES_PER_PROJECT = 10
/** Cases with two versions: executions of R1 ran version 1, everything newer the latest. */
const TWO_VERSIONS = new Set([1])
/** The first project's cases the third project's R2 runs. */
const SHARED_CASES = [1, 2, 4]

// Offsets inside a project's id block.
const ID = { folder: 100, status: 200, priority: 300, environment: 400, testcase: 1000, step: 2000, script: 3000, plan: 4000, cycle: 4100, execution: 5000, stepResult: 6000, link: 9000, attachment: 9500 } as const
const STATUS = {
  caseDraft: 0,
  caseApproved: 1,
  caseDeprecated: 2,
  planNotStarted: 10,
  planInProgress: 11,
  planDone: 12,
  cycleNotExecuted: 20,
  cycleInProgress: 21,
  cycleDone: 22,
  execNotExecuted: 30,
  execInProgress: 31,
  execPass: 32,
  execFail: 33,
  execBlocked: 34
} as const
type StatusName = keyof typeof STATUS

/** Folder number → [parent, name, index, type]; ids are `block + 100 + number`. */
const FOLDERS: ReadonlyArray<readonly [number | null, string, number, ZephyrFolder["folderType"]]> = [
  [null, "Authentication", 1, "TEST_CASE"],
  [null, "Payments", 0, "TEST_CASE"],
  [0, "Login", 0, "TEST_CASE"],
  [1, "Checkout", 0, "TEST_CASE"],
  [null, "Internationalisation — 国際化", 2, "TEST_CASE"],
  [null, "Release plans", 0, "TEST_PLAN"],
  [null, "Releases", 0, "TEST_CYCLE"],
  [null, "Sprints", 1, "TEST_CYCLE"],
  [2, "Edge cases ⚠️", 0, "TEST_CASE"]
]
/** Folder number of case T1…T10 (null: no folder). */
const CASE_FOLDERS: ReadonlyArray<number | null> = [2, 3, 3, 8, 0, 1, 4, null, 1, 3]

/** Everything generated so far; later projects read earlier ones (calls, shared cycle items, step expansion). */
interface Organisation {
  readonly projects: Array<ZephyrProject>
  readonly folders: Array<ZephyrFolder>
  readonly statuses: Array<ZephyrStatus>
  readonly priorities: Array<ZephyrPriority>
  readonly environments: Array<ZephyrEnvironment>
  readonly testcases: Array<ZephyrTestCase>
  readonly teststeps: Record<string, Array<ZephyrTestStep>>
  readonly testscripts: Record<string, ZephyrTestScript>
  readonly testcycles: Array<ZephyrTestCycle>
  readonly testplans: Array<ZephyrTestPlan>
  readonly testexecutions: Array<ZephyrTestExecution>
  readonly executionsteps: Record<string, Array<ZephyrExecutionStep>>
  readonly attachments: Record<string, Array<ZephyrAttachmentData>>
  readonly versions: Record<string, number>
  readonly caseByKey: Map<string, ZephyrTestCase>
}

const pad = (n: number) => String(n).padStart(2, "0")
const at = (month: number, day: number, hour: number) => `2024-${pad(month)}-${pad(day)}T${pad(hour)}:00:00Z`

/** Execution steps are the case's steps with calls expanded (across projects too) and parameters substituted. */
const expand = (org: Organisation, key: string, params: Readonly<Record<string, string>> = {}, depth = 0): Array<{ description: string; testData: string; expectedResult: string }> => {
  if (depth > 5) return []
  const script = org.testscripts[key]
  if (script) return [{ description: script.text, testData: "", expectedResult: "" }]
  const subst = (text: string | null | undefined) => (text ?? "").replace(/\{(\w+)\}/g, (m, name: string) => params[name] || m)
  return (org.teststeps[key] ?? []).flatMap((s) => {
    if (s.testCase) {
      const inner: Record<string, string> = {}
      for (const p of s.testCase.parameters ?? []) inner[p.name] = subst(p.value ?? "")
      return expand(org, s.testCase.testCaseKey, inner, depth + 1)
    }
    return [{ description: subst(s.inline?.description), testData: subst(s.inline?.testData), expectedResult: subst(s.inline?.expectedResult) }]
  })
}

const addProject = (org: Organisation, p: number, seed: number): void => {
  const rng: Prng = makePrng(mix(seed, p))
  const key = organisationProjectKey(p)
  const projectId = 20000 + p
  const block = 1_000_000 + p * 10_000
  const project = link("projects", projectId)
  const status = (name: StatusName) => block + ID.status + STATUS[name]
  const user = () => rng.pick(GENERATED_USERS)
  let nextLink = block + ID.link
  const issue = (issueId: number, type: LinkType): IssueLink => {
    const id = nextLink++
    return { id, self: `${API}/links/${id}`, issueId, target: `${JIRA}/issue/${issueId}`, type }
  }
  const web = (url: string, description: string, type: LinkType): WebLink => {
    const id = nextLink++
    return { id, self: `${API}/links/${id}`, url, description, type }
  }
  const issueId = (n: number) => 40000 + p * 100 + n

  org.projects.push({ id: projectId, jiraProjectId: 30000 + p, key, enabled: true })
  FOLDERS.forEach(([parent, name, index, folderType], n) =>
    org.folders.push({ id: block + ID.folder + n, parentId: parent === null ? null : block + ID.folder + parent, name, index, folderType, project })
  )
  const folder = (n: number | null) => (n === null ? null : link("folders", block + ID.folder + n))

  // Statuses, priorities and environments are per project in Zephyr: the same names, the project's own ids.
  const statusRow = (name: StatusName, statusType: NonNullable<ZephyrStatus["statusType"]>, label: string, index: number, color: string): ZephyrStatus => ({
    id: status(name),
    project,
    name: label,
    description: `${label} (${statusType.toLowerCase().replace("_", " ")})`,
    index,
    color,
    archived: false,
    default: index === 0,
    statusType
  })
  org.statuses.push(
    statusRow("caseDraft", "TEST_CASE", "Draft", 0, "#CCCCCC"),
    statusRow("caseApproved", "TEST_CASE", "Approved", 1, "#00875A"),
    statusRow("caseDeprecated", "TEST_CASE", "Deprecated", 2, "#999999"),
    statusRow("planNotStarted", "TEST_PLAN", "Not Started", 0, "#CCCCCC"),
    statusRow("planInProgress", "TEST_PLAN", "In Progress", 1, "#0052CC"),
    statusRow("planDone", "TEST_PLAN", "Done", 2, "#00875A"),
    statusRow("cycleNotExecuted", "TEST_CYCLE", "Not Executed", 0, "#CCCCCC"),
    statusRow("cycleInProgress", "TEST_CYCLE", "In Progress", 1, "#0052CC"),
    statusRow("cycleDone", "TEST_CYCLE", "Done", 2, "#00875A"),
    statusRow("execNotExecuted", "TEST_EXECUTION", "Not Executed", 0, "#CCCCCC"),
    statusRow("execInProgress", "TEST_EXECUTION", "In Progress", 1, "#F4F5F7"),
    statusRow("execPass", "TEST_EXECUTION", "Pass", 2, "#00FF00"),
    statusRow("execFail", "TEST_EXECUTION", "Fail", 3, "#FF0000"),
    statusRow("execBlocked", "TEST_EXECUTION", "Blocked", 4, "#4C9AFF")
  )
  const priority = (n: number) => block + ID.priority + n
  org.priorities.push(
    { id: priority(0), project, name: "High", description: "Must pass before release", index: 0, color: "#FF5630", default: false },
    { id: priority(1), project, name: "Normal", description: null, index: 1, color: "#FFAB00", default: true },
    { id: priority(2), project, name: "Low", description: "Nice to have", index: 2, color: "#36B37E", default: false }
  )
  const environment = (n: number) => block + ID.environment + n
  org.environments.push(
    { id: environment(0), project, name: "Chrome 120 / Windows 11", description: "Default desktop browser", index: 0, archived: false },
    { id: environment(1), project, name: "Firefox ESR / Ubuntu 22.04", description: null, index: 1, archived: false },
    { id: environment(2), project, name: "Safari / iOS 17 📱", description: "Mobile", index: 2, archived: false },
    { id: environment(3), project, name: "Internet Explorer 11 (retired)", description: null, index: 3, archived: true }
  )

  // ---- test cases, steps and scripts -----------------------------------------------------------------------
  let nextStep = block + ID.step
  const inline = (description: string, expectedResult: string, testData = ""): ZephyrTestStep => ({
    id: nextStep++,
    inline: { description, testData, expectedResult, customFields: {}, reflectRef: null }
  })
  const call = (callee: string, parameters: ReadonlyArray<StepParameter>): ZephyrTestStep => ({
    id: nextStep++,
    testCase: { self: caseVersionSelf(callee, org.versions[callee] ?? 1), testCaseKey: callee, parameters }
  })
  const generatedSteps = (): Array<ZephyrTestStep> =>
    Array.from({ length: 1 + rng.int(4) }, () => {
      const s = stepText(rng)
      return inline(s.description, s.expectedResult, s.testData)
    })
  const firstKey = organisationProjectKey(0)
  for (let n = 1; n <= CASES_PER_PROJECT; n++) {
    const caseKey = `${key}-T${n}`
    const i = n - 1
    if (TWO_VERSIONS.has(n)) org.versions[caseKey] = 2
    const crossCall = n === 3 && p === 1
    const name =
      n === 1
        ? "Log in as {username} (reusable)"
        : n === 2
          ? `Checkout as a returning customer (calls ${key}-T1)`
          : crossCall
            ? `Order history after logging in (calls ${firstKey}-T1 of project ${firstKey})`
            : caseName(i, rng)
    const tc: ZephyrTestCase = {
      id: block + ID.testcase + n,
      key: caseKey,
      name,
      project,
      createdOn: at(1 + (n % 12), 1 + rng.int(28), 8 + rng.int(10)),
      objective: objective(i, rng),
      precondition: precondition(i, rng),
      estimatedTime: n % 4 === 3 ? null : 60_000 * (1 + rng.int(7)),
      labels: labels(rng),
      component: n % 3 === 0 ? null : jiraLink("component", 10001 + (n % 2)),
      priority: link("priorities", priority(n <= 2 ? 0 : rng.int(3))),
      status: link("statuses", status(n <= 2 ? "caseApproved" : n === 7 ? "caseDeprecated" : "caseDraft")),
      folder: folder(CASE_FOLDERS[i] ?? null),
      owner: n % 6 === 0 ? null : owner(user()),
      testScript: { self: `${API}/testcases/${caseKey}/testscript` },
      customFields: customFields(i, rng),
      links: {
        self: `${API}/testcases/${caseKey}/links`,
        issues: n % 4 === 1 ? [issue(issueId(n), "COVERAGE"), issue(issueId(50 + n), n % 8 === 1 ? "BLOCKS" : "RELATED")] : n % 4 === 2 ? [issue(issueId(n), "COVERAGE")] : [],
        webLinks: n % 5 === 1 ? [web(`https://wiki.example.com/qa/${caseKey}`, `Spec for ${caseKey}`, "RELATED")] : []
      }
    }
    org.testcases.push(tc)
    org.caseByKey.set(caseKey, tc)
    if (n === 9) org.testscripts[caseKey] = { id: block + ID.script + 1, type: "plain", text: plainScript(i) }
    else if (n === 10) org.testscripts[caseKey] = { id: block + ID.script + 2, type: "bdd", text: bddScript(i) }
    else if (n === 1)
      org.teststeps[caseKey] = [
        inline("Open the <b>login</b> page", "The login form is shown"),
        inline("Log in as {username}", "Dashboard is shown<br>Welcome banner says <i>Hello, {username}</i>", "Username = {username}<br>Password = {password}")
      ]
    else if (n === 2)
      org.teststeps[caseKey] = [
        call(`${key}-T1`, [
          { name: "username", type: "DEFAULT_VALUE", value: "buyer@example.com" },
          { name: "password", type: "MANUAL_INPUT", value: "" }
        ]),
        inline("Add one item to the cart and open checkout", "Checkout page shows the total"),
        inline("Pay with the saved card", "Payment is authorised", "Card = 4111 1111 1111 1111")
      ]
    else if (crossCall)
      org.teststeps[caseKey] = [
        inline("Clear the browser's cookies", "No session cookie is left"),
        call(`${firstKey}-T1`, [
          { name: "username", type: "DEFAULT_VALUE", value: "auditor@example.com" },
          { name: "password", type: "MANUAL_INPUT", value: "" }
        ]),
        inline("Open <em>My orders</em>", "The order history lists every order — 注文履歴")
      ]
    else org.teststeps[caseKey] = generatedSteps()
  }

  // ---- plan and cycles ---------------------------------------------------------------------------------------
  const planId = block + ID.plan + 1
  const cycleId = (n: number) => block + ID.cycle + n
  const planLinkIds = [nextLink++, nextLink++]
  const jiraVersion = 50000 + p * 10 + 1
  const month = 3 + (p % 6)
  interface CycleSpec {
    readonly n: number
    readonly name: string
    readonly folder: number
    readonly status: StatusName
    readonly version: number | null
    readonly month: number
    /** Case keys run in the cycle, in item order. */
    readonly cases: ReadonlyArray<string>
  }
  const own = (ns: ReadonlyArray<number>) => ns.map((n) => `${key}-T${n}`)
  const sharesFirst = p === 2
  const cycles: ReadonlyArray<CycleSpec> = [
    { n: 1, name: `Release 2024.${1 + (p % 4)} regression`, folder: 6, status: "cycleDone", version: jiraVersion, month, cases: own([1, 2, 3, 4, 5, 6, 9, 10]) },
    {
      n: 2,
      name: sharesFirst ? `Sprint ${20 + p} — with ${firstKey}'s login and checkout cases` : `Sprint ${20 + p} — ünïcödé 🧪`,
      folder: 7,
      status: "cycleInProgress",
      version: null,
      month: month + 1,
      cases: [...own([1, 2, 7, 8]), ...(sharesFirst ? SHARED_CASES.map((n) => `${firstKey}-T${n}`) : [])]
    }
  ]
  org.testplans.push({
    id: planId,
    key: `${key}-P1`,
    name: `Release 2024.${1 + (p % 4)} test plan 🧭`,
    objective: `<p>Plan the testing of project <b>${key}</b>.</p>`,
    project,
    status: link("statuses", status("planInProgress")),
    folder: folder(5),
    owner: owner(user()),
    customFields: { "Release Manager": user(), "Sign-off Date": at(month + 2, 28, 9).slice(0, 10), Approved: false, "Risk Level": rng.pick(["High", "Medium", "Low"]) },
    labels: ["Release"],
    links: {
      webLinks: [web(`https://confluence.example.com/plans/${key}-P1`, `Plan page of ${key}`, "RELATED")],
      issues: [issue(issueId(90), "COVERAGE")],
      testCycles: cycles.map((c, k) => ({
        id: planLinkIds[k] ?? 0,
        self: `${API}/links/${planLinkIds[k] ?? 0}`,
        testCycleId: cycleId(c.n),
        type: "RELATED" as const,
        target: `${API}/testcycles/${cycleId(c.n)}`
      }))
    }
  })
  cycles.forEach((c, k) => {
    const start = at(c.month, 4, 9)
    org.testcycles.push({
      id: cycleId(c.n),
      key: `${key}-R${c.n}`,
      name: c.name,
      project,
      jiraProjectVersion: c.version === null ? null : jiraLink("version", c.version),
      status: link("statuses", status(c.status)),
      folder: folder(c.folder),
      description: c.n === 1 ? `<p>Cycle <b>${c.name}</b>: run every case in scope.</p>` : null,
      plannedStartDate: start,
      plannedEndDate: at(c.month, 9, 9),
      owner: owner(user()),
      customFields: { "Test Environment": c.n === 1 ? "QA" : "Staging", "Sprint Number": 20 + p, Automated: false },
      links: {
        self: `${API}/testcycles/${cycleId(c.n)}/links`,
        issues: c.n === 1 ? [issue(issueId(91), "COVERAGE")] : [],
        webLinks: c.n === 1 ? [web(`https://ci.example.com/builds/${key}`, `CI build of ${key}`, "RELATED")] : [],
        testPlans: [{ id: planLinkIds[k] ?? 0, self: `${API}/links/${planLinkIds[k] ?? 0}`, testPlanId: planId, type: "RELATED", target: `${API}/testplans/${planId}` }]
      }
    })
  })

  // ---- executions and their step results ---------------------------------------------------------------------
  let execN = 0
  let nextResult = block + ID.stepResult
  const environments = [environment(0), environment(1), environment(2)]
  const addExecution = (caseKey: string, cycle: CycleSpec | null, outcome: StatusName, endedAt: string | null, version: number, automated: boolean): ZephyrTestExecution => {
    execN++
    const id = block + ID.execution + execN
    const tc = org.caseByKey.get(caseKey)
    if (tc === undefined) throw new Error(`organisationData: no case ${caseKey}`)
    const latest = org.versions[caseKey] ?? 1
    const executed = outcome !== "execNotExecuted" && endedAt !== null
    const failed = outcome === "execFail" || outcome === "execBlocked"
    const execution: ZephyrTestExecution = {
      id,
      key: `${key}-E${execN}`,
      // The executing project, whatever project the case belongs to.
      project,
      testCase: { id: versionId(tc.id, version, latest), self: caseVersionSelf(caseKey, version) },
      environment: execN % 5 === 0 ? null : link("environments", environments[execN % environments.length] ?? environment(0)),
      jiraProjectVersion: cycle?.version ? jiraLink("version", cycle.version) : null,
      testExecutionStatus: link("statuses", status(outcome)),
      actualEndDate: executed ? endedAt : null,
      estimatedTime: tc.estimatedTime ?? null,
      executionTime: executed ? 30_000 + rng.int(600) * 1000 : null,
      executedById: executed ? user() : null,
      assignedToId: execN % 4 === 0 ? null : user(),
      comment: failed ? rng.pick(EXECUTION_COMMENTS) : null,
      automated,
      testCycle: cycle === null ? null : link("testcycles", cycleId(cycle.n)),
      customFields: execN % 3 === 0 ? {} : { Browser: rng.pick(["Chrome", "Firefox", "Safari"]), "Build Number": 1000 + execN, Flaky: execN % 9 === 0 },
      links: { self: `${API}/testexecutions/${id}/links`, issues: failed ? [issue(issueId(60 + execN), "BLOCKS")] : [] }
    }
    org.testexecutions.push(execution)
    // Step results follow the outcome: a failure stops the run at a step, later steps stay unexecuted.
    const steps = expand(org, caseKey)
    const failAt = failed ? rng.int(Math.max(1, steps.length)) : -1
    const inProgressUntil = outcome === "execInProgress" ? Math.ceil(steps.length / 2) : -1
    org.executionsteps[String(id)] = steps.map((s, k) => {
      const result: StatusName =
        outcome === "execNotExecuted" || outcome === "execPass"
          ? outcome
          : outcome === "execInProgress"
            ? k < inProgressUntil
              ? "execPass"
              : "execNotExecuted"
            : k < failAt
              ? "execPass"
              : k === failAt
                ? outcome
                : "execNotExecuted"
      const actualResult = result === "execPass" ? "As expected ✓" : result === "execNotExecuted" ? "" : result === "execBlocked" ? "Could not run: <b>environment down</b>" : "<p>Got <code>HTTP 500</code> instead</p>"
      return {
        id: nextResult++,
        inline: { description: s.description, testData: s.testData, expectedResult: s.expectedResult, actualResult, testDataRowNumber: 1, reflectRef: null, status: link("statuses", status(result)) }
      }
    })
    return execution
  }
  for (const c of cycles) {
    c.cases.forEach((caseKey, item) => {
      const latest = org.versions[caseKey] ?? 1
      const version = c.n === 1 ? 1 : latest
      if (c.status === "cycleInProgress" && item === c.cases.length - 1) {
        addExecution(caseKey, c, "execNotExecuted", null, version, false)
        return
      }
      // History: one or two runs of the item, the earlier one failing, the last one mostly passing.
      const runs = 1 + rng.int(2)
      for (let r = 0; r < runs; r++) {
        const roll = rng.next()
        const outcome: StatusName =
          r < runs - 1 ? "execFail" : c.status === "cycleInProgress" && roll < 0.2 ? "execInProgress" : roll < 0.75 ? "execPass" : roll < 0.9 ? "execFail" : "execBlocked"
        addExecution(caseKey, c, outcome, outcome === "execInProgress" ? null : at(c.month, 5 + r + (item % 4), 10 + (item % 8)), version, false)
      }
    })
  }
  // Ad hoc (no cycle): a manual run and a CI one.
  addExecution(`${key}-T1`, null, "execPass", at(month + 2, 1, 14), org.versions[`${key}-T1`] ?? 1, false)
  addExecution(`${key}-T9`, null, "execPass", at(month + 2, 2, 15), 1, true)

  // ---- attachments -------------------------------------------------------------------------------------------
  let nextAttachment = block + ID.attachment
  const file = (name: string, contentType: string, bytes: Uint8Array): ZephyrAttachmentData => ({ id: nextAttachment++, name, contentType, base64: toBase64(bytes) })
  org.attachments[`testcases/${key}-T1`] = [file("login-screen.png", "image/png", tinyPng())]
  const firstFailure = org.testexecutions.find((e) => e.project.id === projectId && e.testExecutionStatus.id === status("execFail"))
  if (firstFailure) org.attachments[`testexecutions/${firstFailure.id}`] = [file("console ✅.log", "text/plain; charset=utf-8", utf8(`ERROR 500 at /pay 💥 (${key})\nstack: …\n`))]
}

/**
 * The organisation of `projects` projects (1 … ORGANISATION_MAX_PROJECTS) generated from `seed` (default 1), as
 * a data file in the API's own shapes (ZephyrData.ts): the sandbox serves it like any `--zephyr-data` file.
 */
export const organisationData = (projects: number, seed = 1): ZephyrData => {
  if (!Number.isInteger(projects) || projects < 1 || projects > ORGANISATION_MAX_PROJECTS)
    throw new RangeError(`an organisation has 1 to ${ORGANISATION_MAX_PROJECTS} projects, got ${projects}`)
  const org: Organisation = {
    projects: [],
    folders: [],
    statuses: [],
    priorities: [],
    environments: [],
    testcases: [],
    teststeps: {},
    testscripts: {},
    testcycles: [],
    testplans: [],
    testexecutions: [],
    executionsteps: {},
    attachments: {},
    versions: {},
    caseByKey: new Map()
  }
  for (let p = 0; p < projects; p++) addProject(org, p, seed)
  const { caseByKey: _lookupOnly, ...data } = org
  return data
}
