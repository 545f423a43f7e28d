/**
 * A data file in Zephyr DC's own shapes (`--zephyr-data` with `"format": "zephyr-dc"`), turned into the tenant the
 * sandbox serves (ZephyrData.ts, Cloud's shapes), so a DC project can be written — or captured from a real instance —
 * as DC's REST API v1 answers it and served back in those shapes:
 *
 * ```json
 * { "format": "zephyr-dc",
 *   "project": { "key": "BANK", "jiraProjectId": 10400 },
 *   "testcases": [ GET /testcase/{key} bodies ],
 *   "testruns": [ GET /testrun/{key} bodies, each with "results": [ GET /testrun/{key}/testresults items ] ],
 *   "adHocResults": [ results that belong to no run ],
 *   "testplans": [ GET /testplan/{key} bodies, `testRuns: [{key}]` ],
 *   "attachments": { "testcases/BANK-T1" | "testresults/4711": [{id, name, contentType, base64}] } }
 * ```
 *
 * What DC names by string gets the tenant's numbers: folders from their paths (by type), statuses, priorities and
 * environments from their names, components by name, issue links by key (kept, so another project's issue keeps
 * its key). People stay the user keys the file writes (the DC renderer serves a non-accountId as it is). A case's
 * `parameters` (its test data table) are kept for the DC renderer; step custom fields come from `customFieldValues`.
 * Anything missing that DC always sends — a key, a name, a result's id or status — is a problem naming its JSON path.
 */
import type {
  CustomFields,
  FolderType,
  IssueLink,
  Link,
  StatusType,
  ZephyrData,
  ZephyrExecutionStep,
  ZephyrFolder,
  ZephyrTestCase,
  ZephyrTestCycle,
  ZephyrTestExecution,
  ZephyrTestPlan,
  ZephyrTestStep
} from "../ZephyrData.ts"

type Json = Record<string, unknown>

export const DC_DATA_FORMAT = "zephyr-dc"

export const isDcDataFile = (value: unknown): boolean => typeof value === "object" && value !== null && (value as Json)["format"] === DC_DATA_FORMAT

const BASE = "https://dc.invalid/rest/atm/1.0"
const obj = (v: unknown): Json | undefined => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : undefined)
const arr = (v: unknown): ReadonlyArray<unknown> => (Array.isArray(v) ? v : [])
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined)
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined)

/** `{ data }` or `{ problems }` (JSON paths and what is wrong there). */
export const fromDcData = (file: unknown): { readonly data: ZephyrData } | { readonly problems: ReadonlyArray<string> } => {
  const problems: Array<string> = []
  const root = obj(file) ?? {}
  const project = obj(root["project"])
  const projectKey = str(project?.["key"])
  if (projectKey === undefined) problems.push(`project.key: required (the Jira project key)`)
  const jiraProjectId = num(project?.["jiraProjectId"]) ?? 10_000
  const projectLink: Link = { id: jiraProjectId, self: `${BASE}/project/${jiraProjectId}` }
  const need = (path: string, v: unknown, what: string): string => {
    const s = str(v)
    if (s === undefined) problems.push(`${path}: required (${what})`)
    return s ?? ""
  }

  let nextId = 1
  const named = <T>(table: Map<string, T>, key: string, make: (id: number) => T): T => {
    const found = table.get(key)
    if (found !== undefined) return found
    const made = make(nextId++)
    table.set(key, made)
    return made
  }

  const folders = new Map<string, ZephyrFolder>()
  const folderOf = (type: FolderType, path: unknown): Link | null => {
    const names = (str(path) ?? "").split("/").filter((n) => n !== "")
    let parent: ZephyrFolder | undefined
    names.forEach((name, i) => {
      const p = `/${names.slice(0, i + 1).join("/")}`
      const parentId: number | null = parent?.id ?? null
      parent = named(folders, `${type}:${p}`, (id) => ({ id, parentId, name, index: folders.size, folderType: type, project: projectLink }))
    })
    return parent === undefined ? null : { id: parent.id, self: `${BASE}/folders/${parent.id}` }
  }
  const statuses = new Map<string, { id: number; type: StatusType; name: string }>()
  const statusOf = (type: StatusType, name: string): Link => {
    const s = named(statuses, `${type}:${name}`, (id) => ({ id, type, name }))
    return { id: s.id, self: `${BASE}/statuses/${s.id}` }
  }
  const priorities = new Map<string, number>()
  const priorityOf = (name: string): Link => {
    const id = named(priorities, name, (i) => i)
    return { id, self: `${BASE}/priorities/${id}` }
  }
  const environments = new Map<string, number>()
  const environmentOf = (name: string | undefined): Link | null => {
    if (name === undefined) return null
    const id = named(environments, name, (i) => i)
    return { id, self: `${BASE}/environments/${id}` }
  }
  const components = new Map<string, number>()
  const componentOf = (name: string | undefined): (Link & { readonly name: string }) | null => {
    if (name === undefined) return null
    const id = named(components, name, (i) => i)
    return { id, self: `https://jira.invalid/rest/api/2/component/${id}`, name }
  }
  const issues = (keys: unknown): ReadonlyArray<IssueLink> =>
    arr(keys).flatMap((k) => {
      const key = str(k)
      if (key === undefined) return []
      const id = nextId++
      const issueId = Number(/-(\d+)$/.exec(key)?.[1] ?? id)
      return [{ id, self: `${BASE}/links/${id}`, issueId, target: `https://jira.invalid/rest/api/2/issue/${issueId}`, type: "COVERAGE" as const, key }]
    })
  const user = (v: unknown) => (str(v) === undefined ? null : { accountId: str(v)! })
  const fields = (v: unknown): CustomFields | undefined => obj(v) as CustomFields | undefined

  // test cases, their steps or scripts
  const caseIds = new Map<string, number>()
  const teststeps: Record<string, Array<ZephyrTestStep>> = {}
  const testscripts: Record<string, { id: number; type: "plain" | "bdd"; text: string }> = {}
  const versions: Record<string, number> = {}
  const testcases: Array<ZephyrTestCase> = arr(root["testcases"]).map((raw, i) => {
    const at = `testcases[${i}]`
    const tc = obj(raw) ?? {}
    const key = need(`${at}.key`, tc["key"], "the test case key")
    const id = nextId++
    caseIds.set(key, id)
    const script = obj(tc["testScript"])
    const type = str(script?.["type"]) ?? "STEP_BY_STEP"
    if (type === "PLAIN_TEXT" || type === "BDD") testscripts[key] = { id: num(script?.["id"]) ?? nextId++, type: type === "BDD" ? "bdd" : "plain", text: str(script?.["text"]) ?? "" }
    else
      teststeps[key] = [...arr(script?.["steps"])]
        .map((s) => obj(s) ?? {})
        .sort((a, b) => (num(a["index"]) ?? 0) - (num(b["index"]) ?? 0))
        .map((s): ZephyrTestStep => {
          const callee = str(s["testCaseKey"])
          if (callee !== undefined)
            return {
              id: num(s["id"]) ?? null,
              testCase: {
                self: `${BASE}/testcase/${callee}`,
                testCaseKey: callee,
                parameters: arr(s["stepParameters"]).map((p) => {
                  const param = obj(obj(p)?.["testCaseParameter"])
                  return { name: str(param?.["name"]) ?? "", type: param?.["defaultValue"] != null ? "DEFAULT_VALUE" : "MANUAL_INPUT", value: (obj(p)?.["value"] as string | undefined) ?? null }
                })
              }
            }
          const stepFields: Record<string, unknown> = {}
          for (const v of arr(s["customFieldValues"])) {
            const value = obj(v) ?? {}
            const field = obj(value["customField"]) ?? {}
            const name = str(field["name"])
            if (name === undefined) continue
            const raw = value["booleanValue"] ?? value["stringValue"]
            stepFields[name] = field["type"] === "MULTI_CHOICE_SELECT_LIST" && typeof raw === "string" ? raw.split(", ") : field["type"] === "NUMBER" || field["type"] === "DECIMAL" ? Number(raw) : raw
          }
          return {
            id: num(s["id"]) ?? null,
            inline: { description: str(s["description"]) ?? null, testData: str(s["testData"]) ?? null, expectedResult: str(s["expectedResult"]) ?? null, customFields: stepFields as CustomFields }
          }
        })
    if (num(tc["majorVersion"]) !== undefined) versions[key] = num(tc["majorVersion"])!
    const parameters = obj(tc["parameters"])
    return {
      id,
      key,
      name: need(`${at}.name`, tc["name"], "the test case name"),
      project: projectLink,
      createdOn: str(tc["createdOn"]) ?? null,
      objective: str(tc["objective"]) ?? null,
      precondition: str(tc["precondition"]) ?? null,
      estimatedTime: num(tc["estimatedTime"]) ?? null,
      labels: arr(tc["labels"]).filter((l): l is string => typeof l === "string"),
      component: componentOf(str(tc["component"])),
      priority: priorityOf(str(tc["priority"]) ?? "Normal"),
      status: statusOf("TEST_CASE", str(tc["status"]) ?? "Draft"),
      folder: folderOf("TEST_CASE", tc["folder"]),
      owner: user(tc["owner"]),
      customFields: fields(tc["customFields"]),
      links: { self: `${BASE}/testcase/${key}/links`, issues: issues(tc["issueLinks"]), webLinks: [] },
      ...(parameters === undefined ? {} : { parameters: { variables: arr(parameters["variables"]), entries: arr(parameters["entries"]) } })
    } as ZephyrTestCase
  })

  // runs and their results; then the ad hoc results
  const runIds = new Map<string, number>()
  const testexecutions: Array<ZephyrTestExecution> = []
  const executionsteps: Record<string, Array<ZephyrExecutionStep>> = {}
  const result = (at: string, raw: unknown, run: Link | null) => {
    const r = obj(raw) ?? {}
    const id = num(r["id"])
    if (id === undefined) problems.push(`${at}.id: required (a test result's id)`)
    const caseKey = need(`${at}.testCaseKey`, r["testCaseKey"], "the key of the test case it ran")
    const status = need(`${at}.status`, r["status"], "the result's status name")
    const caseId = caseIds.get(caseKey) ?? 0
    testexecutions.push({
      id: id ?? 0,
      ...(str(r["key"]) === undefined ? {} : { key: str(r["key"]) }),
      project: projectLink,
      testCase: { id: caseId, self: `${BASE}/testcases/${caseKey}/versions/${versions[caseKey] ?? 1}` },
      environment: environmentOf(str(r["environment"])),
      testExecutionStatus: statusOf("TEST_EXECUTION", status),
      actualEndDate: str(r["actualEndDate"]) ?? str(r["executionDate"]) ?? null,
      executionTime: num(r["executionTime"]) ?? null,
      executedById: str(r["executedBy"]) ?? str(r["userKey"]) ?? null,
      assignedToId: str(r["assignedTo"]) ?? null,
      comment: str(r["comment"]) ?? null,
      automated: r["automated"] === true,
      testCycle: run,
      customFields: fields(r["customFields"]),
      links: { self: `${BASE}/testresult/${id}/links`, issues: issues(r["issueLinks"]) }
    })
    executionsteps[String(id)] = [...arr(r["scriptResults"])]
      .map((s, i) => ({ s: obj(s) ?? {}, i }))
      .sort((a, b) => (num(a.s["index"]) ?? a.i) - (num(b.s["index"]) ?? b.i))
      .map(({ s }) => ({
        inline: {
          description: str(s["description"]) ?? null,
          testData: str(s["testData"]) ?? null,
          expectedResult: str(s["expectedResult"]) ?? null,
          actualResult: str(s["comment"]) ?? null,
          status: statusOf("TEST_EXECUTION", str(s["status"]) ?? "Not Executed")
        }
      }))
  }
  const testcycles: Array<ZephyrTestCycle> = arr(root["testruns"]).map((raw, i) => {
    const at = `testruns[${i}]`
    const run = obj(raw) ?? {}
    const key = need(`${at}.key`, run["key"], "the test run key")
    const id = nextId++
    runIds.set(key, id)
    const link: Link = { id, self: `${BASE}/testcycles/${id}` }
    arr(run["results"]).forEach((r, j) => result(`${at}.results[${j}]`, r, link))
    return {
      id,
      key,
      name: need(`${at}.name`, run["name"], "the test run name"),
      project: projectLink,
      status: statusOf("TEST_CYCLE", str(run["status"]) ?? "Not Executed"),
      folder: folderOf("TEST_CYCLE", run["folder"]),
      description: str(run["description"]) ?? null,
      plannedStartDate: str(run["plannedStartDate"]) ?? null,
      plannedEndDate: str(run["plannedEndDate"]) ?? null,
      owner: user(run["owner"]),
      customFields: fields(run["customFields"]),
      links: { self: `${BASE}/testcycles/${id}/links`, issues: [], webLinks: [], testPlans: [] }
    }
  })
  arr(root["adHocResults"]).forEach((r, j) => result(`adHocResults[${j}]`, r, null))

  const testplans: Array<ZephyrTestPlan> = arr(root["testplans"]).map((raw, i) => {
    const at = `testplans[${i}]`
    const plan = obj(raw) ?? {}
    const key = need(`${at}.key`, plan["key"], "the test plan key")
    const id = nextId++
    return {
      id,
      key,
      name: need(`${at}.name`, plan["name"], "the test plan name"),
      objective: str(plan["objective"]) ?? null,
      project: projectLink,
      status: statusOf("TEST_PLAN", str(plan["status"]) ?? "Draft"),
      folder: folderOf("TEST_PLAN", plan["folder"]),
      owner: user(plan["owner"]),
      customFields: fields(plan["customFields"]),
      labels: arr(plan["labels"]).filter((l): l is string => typeof l === "string"),
      links: {
        webLinks: [],
        issues: issues(plan["issueLinks"]),
        testCycles: arr(plan["testRuns"]).flatMap((r, j) => {
          const runKey = str(obj(r)?.["key"])
          const testCycleId = runKey === undefined ? undefined : runIds.get(runKey)
          if (testCycleId === undefined) {
            problems.push(`${at}.testRuns[${j}].key: names no test run of the file`)
            return []
          }
          const linkId = nextId++
          return [{ id: linkId, self: `${BASE}/links/${linkId}`, testCycleId, type: "RELATED" as const, target: `${BASE}/testcycles/${testCycleId}` }]
        })
      }
    }
  })

  const attachments: Record<string, ReadonlyArray<never>> = {}
  for (const [owner, list] of Object.entries(obj(root["attachments"]) ?? {})) attachments[owner.replace(/^testresults\//, "testexecutions/")] = list as ReadonlyArray<never>

  if (problems.length > 0) return { problems }
  return {
    data: {
      projects: [{ id: jiraProjectId, jiraProjectId, key: projectKey!, enabled: true }],
      folders: [...folders.values()],
      statuses: [...statuses.values()].map((s, index) => ({ id: s.id, project: projectLink, name: s.name, index, statusType: s.type })),
      priorities: [...priorities].map(([name, id], index) => ({ id, project: projectLink, name, index })),
      environments: [...environments].map(([name, id], index) => ({ id, project: projectLink, name, index })),
      testcases,
      teststeps,
      testscripts,
      testcycles,
      testplans,
      testexecutions,
      executionsteps,
      attachments,
      versions
    }
  }
}
