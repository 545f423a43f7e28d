/**
 * Contract: every answer the sandbox gives as Zephyr Scale Data Center (`edition: "dc"`) — for the demo tenant and
 * a generated `tiny` one — validates against the object schemas of test/contracts/vendor/zephyr-dc-v1.objects.schemas.json,
 * and every route it serves is one of the Server v1 OpenAPI's (test/contracts/vendor/zephyr-scale-server-v1.openapi.json)
 * with that method and the query parameters it reads.
 *
 * The bundle's files are draft-03 in style; `modernise` reads them as the draft-07 they mean (`"required": true` on
 * a property → the parent's `required`; `"String"` → `"string"`; draft-03 has no `"date"` type, the docs' dates are
 * ISO 8601 strings → `string` + `date-time`). Then every object schema is CLOSED (`additionalProperties: false`), so
 * a field the schema does not name fails — a numeric `id` on a test case, a typo, a Cloud-only field — except the
 * laxities in `LAXITIES`, each a field the real captures or SmartBear's examples show and the file lacks
 * (docs/vendors/zephyr.md §2; "the real capture" = responses of a Zephyr Scale Server kept as test fixtures by lsst-dm/docsteady).
 * The bundle has no test plan schema: the plan is held to `PLAN`, written from SmartBear's `testplan_get` example and
 * the real capture, its `testRuns[]` to the bundle's run schema.
 */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Ajv, type ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { DC_ATTACHMENT_SERVLET, DC_BASE_PATH, DC_ROUTES } from "../../../../plugins/zephyr/sandbox/dc/index.ts"
import { demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { generatedData } from "../../../../plugins/zephyr/sandbox/generatedData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import { loadZephyrData } from "../../../../plugins/zephyr/sandbox/loadZephyrData.ts"
import type { ZephyrData } from "../../../../plugins/zephyr/sandbox/ZephyrData.ts"
import { vendorSpecs } from "../../../contracts/vendor.ts"
import { get } from "./helpers.ts"
import { materialise } from "./materialise.ts"

const addFormats = addFormatsModule.default

type Json = any

const BASE_ID = "https://dc-schemas.invalid/"

/** A custom-field value on DC: a string, or a JSON boolean / number (SmartBear's examples: `"Automated": false`). */
const customFieldValue: Json = { type: ["string", "number", "boolean"] }
const customFields: Json = { type: "object", additionalProperties: customFieldValue }
const userKey: Json = { type: "string", minLength: 1 }
const dateTime: Json = { type: "string", format: "date-time" }

/** Fields the real API returns that a file lacks (added to its closed object), each with its evidence. */
const LAXITIES: Readonly<Record<string, Readonly<Record<string, Json>>>> = {
  // the real capture (GET /testcase/LVV-T2338) and SmartBear's testcase_get example carry `customFields`; the file does not
  "testCase.json": { customFields },
  // the real capture: step custom fields come as `customFieldValues` with the field's definition
  "step.json": {
    customFieldValues: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["id", "customField"],
        properties: {
          id: { type: "integer" },
          stringValue: { type: "string" },
          booleanValue: { type: "boolean" },
          customField: {
            type: "object",
            additionalProperties: false,
            required: ["id", "name", "type"],
            properties: { id: { type: "integer" }, name: { type: "string" }, type: { type: "string" }, index: { type: "integer" }, projectId: { type: "integer" }, required: { type: "boolean" }, archived: { type: "boolean" } }
          }
        }
      }
    }
  },
  // SmartBear's POST /testcase description: PLAIN_TEXT and BDD scripts carry `text` instead of steps
  "testScript.json": { text: { type: "string" } },
  // SmartBear's testresults_by_testrun_get and last_test_result examples carry `issueLinks` (issue keys); the file
  // types custom-field values as strings only, the examples have booleans (CHECKBOX) and numbers (NUMBER)
  "testResult.json": { issueLinks: { type: "array", items: { type: "string" } }, customFields },
  // the file is the POST body; the real capture (GET /testrun/LVV-C181) and the testrun_get example add these on read
  "testRun.schema.json": {
    key: { type: "string" },
    description: { type: "string" },
    createdOn: dateTime,
    createdBy: userKey,
    updatedOn: dateTime,
    updatedBy: userKey,
    estimatedTime: { type: "integer", minimum: 0 },
    executionTime: { type: "integer", minimum: 0 },
    testCaseCount: { type: "integer", minimum: 0 },
    issueCount: { type: "integer", minimum: 0 },
    executionSummary: { type: "object", additionalProperties: { type: "integer", minimum: 1 } },
    customFields
  },
  // SmartBear's environments_get example: `id` is a string
  "environment.schema.json": { id: { type: "string", pattern: "^[0-9]+$" } }
}

/** The real capture's run items (GET /testrun/LVV-C181) carry these beside the POST body's `testCaseKey, environment, userKey`. */
const ITEM_LAXITIES: Readonly<Record<string, Json>> = {
  id: { type: "integer" },
  status: { type: "string" },
  executedBy: userKey,
  assignedTo: userKey,
  actualEndDate: dateTime,
  executionDate: dateTime
}

/** The plan (closed by hand): SmartBear's testplan_get example plus the real capture's `folder, owner, created/updated` (no numeric id). */
const PLAN: Json = {
  type: "object",
  additionalProperties: false,
  required: ["key", "projectKey", "name", "status", "labels", "issueLinks", "testRuns"],
  properties: {
    key: { type: "string", pattern: "^[A-Z][A-Z0-9_]*-P[0-9]+$" },
    projectKey: { type: "string" },
    name: { type: "string" },
    status: { type: "string" },
    objective: { type: "string" },
    folder: { type: "string", pattern: "^/" },
    owner: userKey,
    labels: { type: "array", items: { type: "string" } },
    issueLinks: { type: "array", items: { type: "string" } },
    customFields,
    createdOn: dateTime,
    createdBy: userKey,
    updatedOn: dateTime,
    updatedBy: userKey,
    // run summaries: the bundle's run schema, and no items (docs/vendors/zephyr.md §2)
    testRuns: { type: "array", items: { allOf: [{ $ref: `${BASE_ID}testRun.schema.json` }, { not: { required: ["items"] } }] } }
  }
}

/** DC's own error body (SmartBear's examples) and the 401 of the Atlassian REST layer. */
const ERROR: Json = { type: "object", additionalProperties: false, required: ["errorMessages"], properties: { errorMessages: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } } } }
const UNAUTHORISED: Json = { type: "object", additionalProperties: false, required: ["message", "status-code"], properties: { message: { type: "string" }, "status-code": { const: 401 } } }

/** draft-03 → draft-07, as the top of this file says. */
const modernise = (node: Json): Json => {
  if (Array.isArray(node)) return node.map(modernise)
  if (node === null || typeof node !== "object") return node
  const out: Json = {}
  const required: Array<string> = Array.isArray(node.required) ? [...node.required] : []
  for (const [k, v] of Object.entries<Json>(node)) {
    if (k === "required") continue
    if (k === "type" && v === "String") out.type = "string"
    else if (k === "type" && v === "date") Object.assign(out, { type: "string", format: "date-time" })
    else if (k === "properties") {
      out.properties = {}
      for (const [name, schema] of Object.entries<Json>(v)) {
        if (schema?.required === true) required.push(name)
        out.properties[name] = modernise(schema)
      }
    } else out[k] = modernise(v)
  }
  if (required.length > 0) out.required = required
  return out
}

/** Every object schema closed: a property it does not name fails. */
const close = (node: Json): Json => {
  if (Array.isArray(node)) return node.map(close)
  if (node === null || typeof node !== "object") return node
  const out: Json = {}
  for (const [k, v] of Object.entries<Json>(node)) out[k] = close(v)
  if (out.type === "object" && out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false
  return out
}

const bundle = (): Json => JSON.parse(readFileSync(vendorSpecs.zephyrDc, "utf8"))
const openApi = (): Json => JSON.parse(readFileSync(vendorSpecs.zephyrServer, "utf8"))

const makeValidators = () => {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addFormat("binary", true)
  for (const [name, schema] of Object.entries<Json>(bundle().schemas)) {
    const read = close(modernise(schema))
    read.properties = { ...read.properties, ...LAXITIES[name] }
    if (name === "testRun.schema.json") read.properties.items.items.properties = { ...read.properties.items.items.properties, ...ITEM_LAXITIES }
    ajv.addSchema({ ...read, $id: `${BASE_ID}${name}` })
  }
  const ref = (file: string): Json => ({ $ref: `${BASE_ID}${file}` })
  const arrayOf = (schema: Json): Json => ({ type: "array", items: schema })
  return {
    ajv,
    file: (name: string) => ajv.compile(ref(name)),
    arrayOf: (name: string) => ajv.compile(arrayOf(ref(name))),
    plan: ajv.compile(PLAN),
    plans: ajv.compile(arrayOf(PLAN)),
    error: ajv.compile(ERROR),
    unauthorised: ajv.compile(UNAUTHORISED)
  }
}

let compiled: ReturnType<typeof makeValidators> | undefined
const validators = () => (compiled ??= makeValidators())

/** What each route answers, by the bundle's file names (a list: an array of it). */
const SCHEMA_OF: Readonly<Record<string, { readonly file: string; readonly list: boolean } | "plan" | "plans">> = {
  "/testcase/search": { file: "testCase.json", list: true },
  "/testcase/{testCaseKey}": { file: "testCase.json", list: false },
  "/testcase/{testCaseKey}/attachments": { file: "attachments.json", list: false },
  "/testcase/{testCaseKey}/step/{stepIndex}/attachments": { file: "attachments.json", list: false },
  "/testcase/{testCaseKey}/testresult/latest": { file: "testResult.json", list: false },
  "/testrun/search": { file: "testRun.schema.json", list: true },
  "/testrun/{testRunKey}": { file: "testRun.schema.json", list: false },
  "/testrun/{testRunKey}/attachments": { file: "attachments.json", list: false },
  "/testrun/{testRunKey}/testresults": { file: "testResult.json", list: true },
  "/testplan/search": "plans",
  "/testplan/{testPlanKey}": "plan",
  "/testplan/{testPlanKey}/attachments": { file: "attachments.json", list: false },
  "/testresult/{testResultId}/attachments": { file: "attachments.json", list: false },
  "/testresult/{testResultId}/step/{stepIndex}/attachments": { file: "attachments.json", list: false },
  "/environments": { file: "environment.schema.json", list: true }
}

const validatorOf = (template: string): ValidateFunction => {
  const v = validators()
  const target = SCHEMA_OF[template]
  if (target === undefined) throw new Error(`no schema named for ${template}`)
  if (target === "plan") return v.plan
  if (target === "plans") return v.plans
  return target.list ? v.arrayOf(target.file) : v.file(target.file)
}

/** What a tenant's answers held, so a check that met nothing cannot pass. */
interface Met {
  cases: number
  inlineSteps: number
  callSteps: number
  stepParameters: number
  stepFieldValues: number
  scripts: Record<string, number>
  runs: number
  items: number
  results: number
  scriptResults: number
  plans: number
  planRuns: number
  attachments: number
  environments: number
}

const tally = (met: Met, template: string, body: Json): void => {
  const list: Array<Json> = Array.isArray(body) ? body : [body]
  for (const x of list) {
    if (template.startsWith("/testcase/search") || template === "/testcase/{testCaseKey}") {
      met.cases++
      const script = x.testScript
      met.scripts[script.type] = (met.scripts[script.type] ?? 0) + 1
      for (const s of script.steps ?? []) {
        if (s.testCaseKey !== undefined) met.callSteps++
        else met.inlineSteps++
        met.stepParameters += s.stepParameters?.length ?? 0
        met.stepFieldValues += s.customFieldValues?.length ?? 0
      }
    } else if (template.startsWith("/testrun/search") || template === "/testrun/{testRunKey}") {
      met.runs++
      met.items += x.items.length
    } else if (template.endsWith("/testresults") || template.endsWith("/latest")) {
      met.results++
      met.scriptResults += x.scriptResults.length
    } else if (template.startsWith("/testplan/search") || template === "/testplan/{testPlanKey}") {
      met.plans++
      met.planRuns += x.testRuns.length
    } else if (template.endsWith("/attachments")) met.attachments += list.length
    else if (template === "/environments") met.environments++
  }
}

const tql = (projectKey: string) => encodeURIComponent(`projectKey = "${projectKey}"`)

/** Every GET the sandbox serves for a tenant, each body against its schema; files fetched with the bearer token. */
const checkTenant = (sb: RunningZephyrSandbox, data: ZephyrData) =>
  Effect.gen(function* () {
    const failures: Array<string> = []
    const met: Met = { cases: 0, inlineSteps: 0, callSteps: 0, stepParameters: 0, stepFieldValues: 0, scripts: {}, runs: 0, items: 0, results: 0, scriptResults: 0, plans: 0, planRuns: 0, attachments: 0, environments: 0 }
    const paths: Array<[template: string, path: string]> = []
    const add = (template: string, path: string) => void paths.push([template, path])
    for (const p of data.projects) {
      add("/testcase/search", `/testcase/search?query=${tql(p.key)}&maxResults=1000`)
      add("/testrun/search", `/testrun/search?query=${tql(p.key)}`)
      add("/testplan/search", `/testplan/search?query=${tql(p.key)}`)
      add("/environments", `/environments?projectKey=${p.key}`)
    }
    for (const tc of data.testcases) {
      const key = encodeURIComponent(tc.key)
      add("/testcase/{testCaseKey}", `/testcase/${key}`)
      add("/testcase/{testCaseKey}/attachments", `/testcase/${key}/attachments`)
      add("/testcase/{testCaseKey}/testresult/latest", `/testcase/${key}/testresult/latest`)
      if ((data.teststeps[tc.key] ?? []).length > 0) add("/testcase/{testCaseKey}/step/{stepIndex}/attachments", `/testcase/${key}/step/0/attachments`)
    }
    for (const c of data.testcycles) {
      add("/testrun/{testRunKey}", `/testrun/${c.key}`)
      add("/testrun/{testRunKey}/testresults", `/testrun/${c.key}/testresults`)
      add("/testrun/{testRunKey}/attachments", `/testrun/${c.key}/attachments`)
    }
    for (const p of data.testplans) {
      add("/testplan/{testPlanKey}", `/testplan/${p.key}`)
      add("/testplan/{testPlanKey}/attachments", `/testplan/${p.key}/attachments`)
    }
    for (const e of data.testexecutions) {
      add("/testresult/{testResultId}/attachments", `/testresult/${e.id}/attachments`)
      if ((data.executionsteps[String(e.id)] ?? []).length > 0) add("/testresult/{testResultId}/step/{stepIndex}/attachments", `/testresult/${e.id}/step/0/attachments`)
    }
    const files: Array<string> = []
    yield* Effect.forEach(
      paths,
      ([template, path]) =>
        Effect.gen(function* () {
          const r = yield* get(sb, path)
          // a case never executed has no latest result: DC's 404, in DC's error shape
          if (r.status === 404 && template.endsWith("/latest") && validators().error(r.body)) return
          if (r.status !== 200) return void failures.push(`${path}: status ${r.status} ${r.text.slice(0, 120)}`)
          const body: Json = r.body
          const validate = validatorOf(template)
          if (!validate(r.body)) return void failures.push(`${path}: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
          tally(met, template, body)
          if (template.endsWith("/attachments")) for (const a of body) files.push(a.url)
        }),
      { concurrency: 8, discard: true }
    )
    // The list's URLs point at Jira's attachment servlet, which answers the bytes to the same credentials.
    for (const url of files) {
      const r = yield* get(sb, url)
      if (r.status !== 200 || r.bytes.byteLength === 0 || !r.headers.get("content-type")) failures.push(`${url}: ${r.status}`)
    }
    return { failures, met, checked: paths.length + files.length }
  })

describe("ZephyrSandbox as Zephyr Scale Data Center: contract (the DC object schemas, the Server v1 OpenAPI)", () => {
  it.scopedLive("every demo answer validates against the bundle's schemas, and every kind of object was met", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ edition: "dc" })
      const { failures, met, checked } = yield* checkTenant(sb, demoData())
      expect(failures.slice(0, 5)).toEqual([])
      expect(checked).toBeGreaterThan(300)
      // the demo has every shape: inline and call steps with parameters, step fields, plain-text and BDD scripts, …
      expect(met.cases).toBeGreaterThan(50)
      expect(met.inlineSteps).toBeGreaterThan(50)
      expect(met.callSteps).toBeGreaterThan(0)
      expect(met.stepParameters).toBeGreaterThan(0)
      expect(met.stepFieldValues).toBeGreaterThan(0)
      expect(met.scripts).toMatchObject({ STEP_BY_STEP: expect.any(Number), PLAIN_TEXT: expect.any(Number), BDD: expect.any(Number) })
      expect(met.runs).toBeGreaterThan(5)
      expect(met.items).toBeGreaterThan(20)
      expect(met.results).toBeGreaterThan(80)
      expect(met.scriptResults).toBeGreaterThan(100)
      expect(met.plans).toBeGreaterThan(3)
      expect(met.planRuns).toBeGreaterThan(3)
      expect(met.attachments).toBeGreaterThan(5)
      expect(met.environments).toBeGreaterThan(3)
    })
  )

  it.scopedLive("every answer of a generated tiny tenant validates too", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ edition: "dc", scale: "tiny", seed: 1 })
      const { failures, met } = yield* checkTenant(sb, materialise(generatedData("tiny", 1)))
      expect(failures.slice(0, 5)).toEqual([])
      expect(met.cases).toBe(100)
      expect(met.results).toBeGreaterThan(100)
      expect(met.attachments).toBeGreaterThan(0)
    })
  )

  it.scopedLive("every answer of a data file written in DC's own shapes validates too", () =>
    Effect.gen(function* () {
      const data = yield* loadZephyrData(fileURLToPath(new URL("../../../fixtures/zephyr/dc-bank.json", import.meta.url)))
      const sb = yield* startZephyrSandbox({ edition: "dc", data })
      const { failures, met } = yield* checkTenant(sb, data)
      expect(failures.slice(0, 5)).toEqual([])
      // each of the 4 cases met twice: in the search and by its key
      expect(met.cases).toBe(8)
      expect(met.attachments).toBe(2)
    })
  )

  it("the schemas are closed: a numeric id on a test case, a null field or a Cloud-shaped value fails", () => {
    const validate = validators().file("testCase.json")
    const good = { key: "A-T1", projectKey: "A", name: "n", status: "Draft", priority: "Normal", labels: [], issueLinks: [], customFields: {}, testScript: { id: 1, type: "STEP_BY_STEP", steps: [{ id: 2, index: 0, description: "d" }] } }
    expect(validate(good)).toBe(true)
    expect(validate({ ...good, id: 10 })).toBe(false)
    expect(validate({ ...good, folder: null })).toBe(false)
    expect(validate({ ...good, status: { id: 1, self: "x" } })).toBe(false)
    expect(validate({ ...good, customFields: { Category: ["a", "b"] } })).toBe(false)
    expect(validate({ ...good, testScript: { ...good.testScript, steps: [{ index: 0, description: "no id" }] } })).toBe(false)
    expect(validators().plan({ key: "A-P1", projectKey: "A", name: "n", status: "Draft", labels: [], issueLinks: [], testRuns: [{ projectKey: "A", name: "r", items: [] }] })).toBe(false)
  })

  it("every route served is the OpenAPI's, with GET, its path parameters and the query parameters read", () => {
    const spec = openApi()
    expect(spec.servers[0].variables.basePath.default).toBe(DC_BASE_PATH)
    for (const route of DC_ROUTES) {
      const item = spec.paths[route.template]
      expect(item?.get, `GET ${route.template}`).toBeDefined()
      const declared: Array<Json> = [...(item.parameters ?? []), ...(item.get.parameters ?? [])]
      for (const name of route.query) expect(declared.some((p) => p.in === "query" && p.name === name), `${route.template} ?${name}`).toBe(true)
      for (const name of [...route.template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])) expect(declared.some((p) => p.in === "path" && p.name === name), `${route.template} {${name}}`).toBe(true)
      // where the OpenAPI names the 200 schema file, it is the one this test holds the route to
      const named: string | undefined = item.get.responses?.["200"]?.content?.["application/json"]?.schema?.$ref
      const target = SCHEMA_OF[route.template]
      if (named !== undefined && typeof target === "object") expect(named, route.template).toBe(`schema/${target.file}`)
    }
    expect(Object.keys(SCHEMA_OF).sort()).toEqual(DC_ROUTES.map((r) => r.template).sort())
    // the one URL outside the API: the attachment servlet the lists hand out (SmartBear's attachments_get example), not a v1 path
    expect(DC_ATTACHMENT_SERVLET.startsWith(DC_BASE_PATH)).toBe(false)
    expect(Object.keys(spec.paths).some((p) => p.includes("tests/1.0"))).toBe(false)
  })

  it.scopedLive("error bodies: DC's errorMessages, and the 401 of the Atlassian REST layer", () =>
    Effect.gen(function* () {
      const { error, unauthorised } = validators()
      const sb = yield* startZephyrSandbox({ edition: "dc" })
      for (const path of ["/nothing", "/folder", "/testcase/DEMO-T999", "/testrun/DEMO-R99", "/testplan/DEMO-P99", "/testresult/1/attachments", `/testcase/search?query=${tql("NOPE")}`, "/testcase/search?query=key%3D1", "/testcase/search", `/testcase/search?query=${tql("DEMO")}&startAt=-1`, "/environments"]) {
        const r = yield* get(sb, path)
        expect(r.status, path).toBeGreaterThanOrEqual(400)
        expect(error(r.body), `${path}: ${r.text}`).toBe(true)
      }
      const denied = yield* get(sb, "/testcase/DEMO-T1", { token: "wrong" })
      expect(denied.status).toBe(401)
      expect(unauthorised(denied.body)).toBe(true)
    })
  )
})
