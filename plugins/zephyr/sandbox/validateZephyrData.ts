/**
 * Structural check of a Zephyr sandbox data file. Hand-written checkers rather than a schema library, because
 * the point is the message: `testcases[3].key: expected a string like PROJ-T12`, naming the JSON path and what
 * a real Zephyr response would hold there. Also checks what a shape check cannot: unique ids and keys, and
 * that steps, scripts, executions and attachments refer to entities that exist.
 */
import { isOptionObjects } from "./multiSelectValues.ts"

type Check = (value: unknown, path: string, out: Array<string>) => void

const MAX_PROBLEMS = 20

const describe = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "an array" : typeof value === "string" ? `"${value.length > 40 ? value.slice(0, 40) + "…" : value}"` : typeof value === "object" ? "an object" : String(value)

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v)

const str = (what = "a string"): Check => (v, p, out) => {
  if (typeof v !== "string") out.push(`${p}: expected ${what}, got ${describe(v)}`)
}
const pattern = (re: RegExp, what: string): Check => (v, p, out) => {
  if (typeof v !== "string" || !re.test(v)) out.push(`${p}: expected ${what}, got ${describe(v)}`)
}
const int = (what = "an integer"): Check => (v, p, out) => {
  if (typeof v !== "number" || !Number.isInteger(v)) out.push(`${p}: expected ${what}, got ${describe(v)}`)
}
const bool: Check = (v, p, out) => {
  if (typeof v !== "boolean") out.push(`${p}: expected true or false, got ${describe(v)}`)
}
const oneOf = (values: ReadonlyArray<string>): Check => (v, p, out) => {
  if (typeof v !== "string" || !values.includes(v)) out.push(`${p}: expected one of ${values.join(" | ")}, got ${describe(v)}`)
}
/** Optional fields may be absent or null (the real API returns null for unset optionals). */
const opt = (check: Check): Check => (v, p, out) => {
  if (v !== undefined && v !== null) check(v, p, out)
}
const arrayOf = (item: Check): Check => (v, p, out) => {
  if (!Array.isArray(v)) return void out.push(`${p}: expected an array, got ${describe(v)}`)
  for (let i = 0; i < v.length && out.length < MAX_PROBLEMS; i++) item(v[i], `${p}[${i}]`, out)
}
const recordOf = (item: Check): Check => (v, p, out) => {
  if (!isObject(v)) return void out.push(`${p}: expected an object, got ${describe(v)}`)
  for (const [k, x] of Object.entries(v)) {
    if (out.length >= MAX_PROBLEMS) return
    item(x, `${p}${/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`}`, out)
  }
}
const obj = (fields: Readonly<Record<string, Check>>): Check => (v, p, out) => {
  if (!isObject(v)) return void out.push(`${p}: expected an object, got ${describe(v)}`)
  for (const [name, check] of Object.entries(fields)) {
    if (out.length >= MAX_PROBLEMS) return
    check(v[name], `${p}.${name}`, out)
  }
}

const id = int("a positive integer id")
const link = obj({ id, self: str("a URL string") })
// a Jira user key too (`vitor.pelizza`, `JIRAUSER10412`): a DC data file's people (dc/dcDataFile.ts)
const accountId = pattern(/^[-:._@a-zA-Z0-9]{1,255}$/, "an Atlassian accountId or a Jira user key")
const user = obj({ accountId })
const linkType = oneOf(["COVERAGE", "BLOCKS", "RELATED"])
const isoDateTime = pattern(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/, "an ISO date-time like 2024-05-01T10:00:00Z")
/** A multi-select is written in either edition's shape: option names (Scale Cloud) or `{id, name}` (Essential). */
const customFieldValue: Check = (v, p, out) => {
  const ok =
    typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v === null || (Array.isArray(v) && v.every((x) => typeof x === "string")) || isOptionObjects(v)
  if (!ok) out.push(`${p}: expected a custom field value (number, string, boolean, array of option names or of {id, name}), got ${describe(v)}`)
}
const customFields = opt(recordOf(customFieldValue))
const issueLink = obj({ id, self: str(), issueId: id, target: str("a URL string"), type: linkType })
const webLink = obj({ id, self: str(), url: str("a URL string"), type: linkType })
const projectKey = pattern(/^[A-Z][A-Z_0-9]+$/, "a project key like PROJ")

const project = obj({ id, jiraProjectId: int(), key: projectKey, enabled: bool })
const folder: Check = (v, p, out) => {
  obj({ id, name: str(), index: int("a non-negative integer index"), folderType: oneOf(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"]), project: link })(v, p, out)
  if (isObject(v) && v["parentId"] !== null && !(typeof v["parentId"] === "number" && Number.isInteger(v["parentId"])))
    out.push(`${p}.parentId: expected a folder id or null (root folder), got ${describe(v["parentId"])}`)
}
const optionValue = { id, project: link, name: str(), index: int("a non-negative integer index") }
const status = obj({ ...optionValue, statusType: opt(oneOf(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"])), archived: opt(bool), default: opt(bool) })
const priority = obj({ ...optionValue, default: opt(bool) })
const environment = obj({ ...optionValue, archived: opt(bool) })
const testCase = obj({
  id,
  key: pattern(/^.+-T[0-9]+$/, "a string like PROJ-T12"),
  name: pattern(/\S/, "a non-blank name"),
  project: link,
  createdOn: opt(isoDateTime),
  objective: opt(str()),
  precondition: opt(str()),
  estimatedTime: opt(int("milliseconds as an integer")),
  labels: opt(arrayOf(str())),
  component: opt(link),
  priority: link,
  status: link,
  folder: opt(link),
  owner: opt(user),
  customFields,
  links: opt(obj({ issues: arrayOf(issueLink), webLinks: arrayOf(webLink) }))
})
const testStep: Check = (v, p, out) => {
  if (!isObject(v)) return void out.push(`${p}: expected an object, got ${describe(v)}`)
  const hasInline = isObject(v["inline"])
  const hasCall = isObject(v["testCase"])
  if (hasInline === hasCall) return void out.push(`${p}: expected exactly one of "inline" or "testCase"`)
  opt(id)(v["id"], `${p}.id`, out)
  if (hasInline) obj({ description: opt(str()), testData: opt(str()), expectedResult: opt(str()), customFields })(v["inline"], `${p}.inline`, out)
  else
    obj({
      testCaseKey: pattern(/^.+-T[0-9]+$/, "a string like PROJ-T12"),
      parameters: opt(arrayOf(obj({ name: str(), type: oneOf(["MANUAL_INPUT", "DEFAULT_VALUE"]) })))
    })(v["testCase"], `${p}.testCase`, out)
}
const testScript = obj({ id, type: oneOf(["plain", "bdd"]), text: pattern(/./, "a non-empty string") })
const testCycle = obj({
  id,
  key: pattern(/^.+-[RC][0-9]+$/, "a string like PROJ-R12"),
  name: pattern(/\S/, "a non-blank name"),
  project: link,
  jiraProjectVersion: opt(link),
  status: link,
  folder: opt(link),
  plannedStartDate: opt(isoDateTime),
  plannedEndDate: opt(isoDateTime),
  owner: opt(user),
  customFields,
  links: opt(
    obj({ issues: arrayOf(issueLink), webLinks: arrayOf(webLink), testPlans: arrayOf(obj({ id, self: str(), testPlanId: id, type: linkType })) })
  )
})
const testPlan = obj({
  id,
  key: pattern(/^.+-P[0-9]+$/, "a string like PROJ-P12"),
  name: pattern(/\S/, "a non-blank name"),
  project: link,
  status: link,
  folder: opt(link),
  owner: opt(user),
  customFields,
  labels: opt(arrayOf(str())),
  links: opt(
    obj({ issues: arrayOf(issueLink), webLinks: arrayOf(webLink), testCycles: arrayOf(obj({ id, self: str(), testCycleId: id, type: linkType })) })
  )
})
const testExecution = obj({
  id,
  key: opt(pattern(/^.+-E[0-9]+$/, "a string like PROJ-E12")),
  project: link,
  testCase: obj({ id, self: str("a URL like …/testcases/PROJ-T1/versions/1") }),
  environment: opt(link),
  jiraProjectVersion: opt(link),
  testExecutionStatus: link,
  actualEndDate: opt(isoDateTime),
  estimatedTime: opt(int("milliseconds as an integer")),
  executionTime: opt(int("milliseconds as an integer")),
  executedById: opt(accountId),
  assignedToId: opt(accountId),
  comment: opt(str()),
  automated: opt(bool),
  testCycle: opt(link),
  customFields,
  links: opt(obj({ issues: arrayOf(issueLink) }))
})
const executionStep = obj({
  id: opt(id),
  inline: obj({ description: opt(str()), testData: opt(str()), expectedResult: opt(str()), actualResult: opt(str()), status: link })
})
const attachment = obj({
  id,
  name: pattern(/^[^/\\\0]{1,255}$/, "a file name (1-255 characters, no slashes)"),
  contentType: pattern(/^[\w.+-]+\/[\w.+-]+/, "a MIME type like image/png"),
  base64: pattern(/^[A-Za-z0-9+/]*={0,2}$/, "base64-encoded bytes")
})

const top = obj({
  projects: arrayOf(project),
  folders: arrayOf(folder),
  statuses: arrayOf(status),
  priorities: arrayOf(priority),
  environments: arrayOf(environment),
  testcases: arrayOf(testCase),
  teststeps: recordOf(arrayOf(testStep)),
  testscripts: recordOf(testScript),
  testcycles: arrayOf(testCycle),
  testplans: arrayOf(testPlan),
  testexecutions: arrayOf(testExecution),
  executionsteps: recordOf(arrayOf(executionStep)),
  attachments: recordOf(arrayOf(attachment)),
  versions: opt(recordOf(int("a version number"))),
  malformed: opt(arrayOf(pattern(/^[a-z]+(\[[^\]]+\])+$/, 'a record\'s JSON path like testcases[3] or teststeps["PROJ-T1"][0]')))
})

const asArray = (v: unknown): ReadonlyArray<Record<string, unknown>> => (Array.isArray(v) ? v.filter(isObject) : [])
const refId = (v: unknown): unknown => (isObject(v) ? v["id"] : undefined)

/** Ids and keys unique per collection; references resolve. Runs only once the shapes are right. */
const crossCheck = (data: Record<string, unknown>, out: Array<string>): void => {
  const unique = (name: string, field: "id" | "key") => {
    const seen = new Set<unknown>()
    asArray(data[name]).forEach((e, i) => {
      const v = e[field]
      if (v === undefined) return
      if (seen.has(v)) out.push(`${name}[${i}].${field}: duplicate ${field} ${JSON.stringify(v)}`)
      seen.add(v)
    })
    return seen
  }
  const projectIds = unique("projects", "id")
  unique("projects", "key")
  const folderIds = unique("folders", "id")
  unique("statuses", "id")
  unique("priorities", "id")
  unique("environments", "id")
  unique("testcases", "id")
  const caseKeys = unique("testcases", "key")
  unique("testcycles", "id")
  unique("testcycles", "key")
  unique("testplans", "id")
  unique("testplans", "key")
  const executionIds = unique("testexecutions", "id")
  unique("testexecutions", "key")
  for (const name of ["folders", "statuses", "priorities", "environments", "testcases", "testcycles", "testplans", "testexecutions"]) {
    asArray(data[name]).forEach((e, i) => {
      if (!projectIds.has(refId(e["project"]))) out.push(`${name}[${i}].project.id: no project with id ${JSON.stringify(refId(e["project"]))}`)
    })
  }
  asArray(data["folders"]).forEach((f, i) => {
    if (f["parentId"] !== null && !folderIds.has(f["parentId"])) out.push(`folders[${i}].parentId: no folder with id ${JSON.stringify(f["parentId"])}`)
  })
  for (const name of ["testcases", "testcycles", "testplans"]) {
    asArray(data[name]).forEach((e, i) => {
      const folderId = refId(e["folder"])
      if (folderId !== undefined && !folderIds.has(folderId)) out.push(`${name}[${i}].folder.id: no folder with id ${JSON.stringify(folderId)}`)
    })
  }
  const keyed = (name: string, known: Set<unknown>, what: string, parse: (k: string) => unknown) => {
    const v = data[name]
    if (!isObject(v)) return
    for (const k of Object.keys(v)) if (!known.has(parse(k))) out.push(`${name}[${JSON.stringify(k)}]: no ${what} ${k}`)
  }
  keyed("teststeps", caseKeys, "test case with key", (k) => k)
  keyed("testscripts", caseKeys, "test case with key", (k) => k)
  keyed("versions", caseKeys, "test case with key", (k) => k)
  keyed("executionsteps", executionIds, "test execution with id", (k) => Number(k))
  const attachments = data["attachments"]
  if (isObject(attachments)) {
    for (const k of Object.keys(attachments)) {
      const m = /^(testcases|testexecutions)\/(.+)$/.exec(k)
      const ok = m !== null && (m[1] === "testcases" ? caseKeys.has(m[2]) : executionIds.has(Number(m[2])))
      if (!ok) out.push(`attachments[${JSON.stringify(k)}]: expected "testcases/<existing key>" or "testexecutions/<existing id>"`)
    }
  }
}

/** Whether a problem (`path: what`) lies under one of the paths the file declares malformed on purpose. */
const forgiven = (malformed: ReadonlyArray<string>) => (problem: string): boolean =>
  malformed.some((m) => problem.startsWith(`${m}:`) || problem.startsWith(`${m}.`) || problem.startsWith(`${m}[`))

/** Every problem found (at most 20), each `json.path: what was expected`; empty when the data is usable. */
export const validateZephyrData = (value: unknown): ReadonlyArray<string> => {
  const out: Array<string> = []
  if (!isObject(value)) return [`(root): expected an object with projects, folders, testcases, …, got ${describe(value)}`]
  const declared = value["malformed"]
  const isForgiven = forgiven(Array.isArray(declared) ? declared.filter((m): m is string => typeof m === "string") : [])
  top(value, "", out)
  const problems = out.map((p) => (p.startsWith(".") ? p.slice(1) : p)).filter((p) => !isForgiven(p))
  if (problems.length > 0) return problems.slice(0, MAX_PROBLEMS)
  crossCheck(value, problems)
  return problems.filter((p) => !isForgiven(p)).slice(0, MAX_PROBLEMS)
}
