/**
 * Contract: every response the sandbox gives as Zephyr Essential Cloud (`edition: "essential"`) — for the demo
 * tenant and for a generated `small` one — validates against the component schemas of SmartBear's OpenAPI
 * description of the Essential API 2.9, as transcribed in test/contracts/vendor/zephyr-essential-cloud-v2.9.schemas.json.
 * A list validates against its `*List` schema; the excerpt leaves some out (FolderList, StatusList, …), and those are
 * composed here exactly as the description defines every list: `PagedList` plus `values` of the entity.
 *
 * The real API's laxities are the Cloud contract test's (ZephyrSandboxContract.test.ts): an optional field may be
 * null, and a root folder's `parentId` is null. Custom-field values get no laxity but the opposite: a multi-select
 * value must be Essential's `[{id, name}]`, never Scale Cloud's array of names (docs/vendors/zephyr.md §3.5), and
 * the test fails when it met no multi-select value at all. OpenAPI 3.0's `nullable` is read as "or null".
 * The attachment list, which the description lacks, is checked against the shape of docs/vendors/zephyr.md §3.6.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ajv, type ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { generatedData } from "../../../../plugins/zephyr/sandbox/generatedData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import type { ZephyrData } from "../../../../plugins/zephyr/sandbox/ZephyrData.ts"
import { vendorSpecs } from "../../../contracts/vendor.ts"
import { attachmentListSchema } from "./attachmentListSchema.ts"
import { get } from "./helpers.ts"
import { materialise } from "./materialise.ts"

const addFormats = addFormatsModule.default

type Json = any

/** Essential's multi-select value: options as `{id, name}` (docs/vendors/zephyr.md §3.5). */
const multiSelect: Json = {
  type: "array",
  items: { type: "object", required: ["id", "name"], additionalProperties: false, properties: { id: { type: "integer", minimum: 1 }, name: { type: "string", minLength: 1 } } }
}

/** A custom-field value: a scalar, or a multi-select in Essential's shape (an array of names fails). */
const customFieldValue: Json = { anyOf: [{ type: ["string", "number", "boolean", "null"] }, multiSelect] }

const attachmentList: Json = attachmentListSchema

/** OpenAPI 3.0 → JSON Schema for ajv, with the laxities above; `$ref`s point at the `spec` document. */
const relax = (node: Json, name?: string): Json => {
  if (Array.isArray(node)) return node.map((n) => relax(n))
  if (node === null || typeof node !== "object") return node
  const { nullable, ...rest } = node
  let out: Json = {}
  for (const [k, v] of Object.entries(rest)) out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\//, "spec#/") : relax(v)
  if (out.properties) {
    const required: ReadonlyArray<string> = out.required ?? []
    for (const [prop, schema] of Object.entries(out.properties)) {
      if (!required.includes(prop)) out.properties[prop] = { anyOf: [schema, { type: "null" }] }
    }
  }
  if (name === "CustomFields") out.additionalProperties = customFieldValue
  if (name === "Folder") out.properties.parentId = { anyOf: [out.properties.parentId, { type: "null" }] }
  if (nullable === true) out = { anyOf: [out, { type: "null" }] }
  return out
}

/** What each GET answers, by the excerpt's schema names; a list absent from the excerpt by its item. */
const SCHEMA_OF: Readonly<Record<string, string>> = {
  "/projects": "ProjectList",
  "/projects/{projectIdOrKey}": "Project",
  "/folders": "FolderList",
  "/folders/{folderId}": "Folder",
  "/statuses": "StatusList",
  "/statuses/{statusId}": "Status",
  "/priorities": "PriorityList",
  "/priorities/{priorityId}": "Priority",
  "/environments": "EnvironmentList",
  "/environments/{environmentId}": "Environment",
  "/testcases": "TestCaseList",
  "/testcases/{testCaseKey}": "TestCase",
  "/testcases/{testCaseKey}/links": "TestCaseLinkList",
  "/testcases/{testCaseKey}/versions": "TestCaseVersionLinkList",
  "/testcases/{testCaseKey}/versions/{version}": "TestCase",
  "/testcases/{testCaseKey}/teststeps": "TestStepsList",
  "/testcases/{testCaseKey}/testscript": "TestScript",
  "/testplans": "TestPlanList",
  "/testplans/{testPlanIdOrKey}": "TestPlan",
  "/testcycles": "TestCycleList",
  "/testcycles/{testCycleIdOrKey}": "TestCycle",
  "/testcycles/{testCycleIdOrKey}/links": "TestCycleLinkList",
  "/testexecutions": "TestExecutionList",
  "/testexecutions/{testExecutionIdOrKey}": "TestExecution",
  "/testexecutions/{testExecutionIdOrKey}/teststeps": "TestExecutionTestStepsList",
  "/testexecutions/{testExecutionIdOrKey}/links": "TestExecutionLinkList"
}

const readExcerpt = (): Json => JSON.parse(readFileSync(vendorSpecs.zephyrEssential, "utf8"))

const makeValidators = () => {
  const excerpt = readExcerpt()
  const schemas: Record<string, Json> = {}
  for (const [name, schema] of Object.entries(excerpt.components.schemas)) schemas[name] = relax(schema, name)
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema({ $id: "spec", components: { schemas } })
  const cache = new Map<string, ValidateFunction>()
  const forGet = (template: string): ValidateFunction => {
    const name = SCHEMA_OF[template]
    if (name === undefined) throw new Error(`no schema named for GET ${template}`)
    const hit = cache.get(name)
    if (hit) return hit
    const item = /^(.+)List$/.exec(name)?.[1]
    const schema =
      name in schemas
        ? { $ref: `spec#/components/schemas/${name}` }
        : item !== undefined && item in schemas
          ? { allOf: [{ $ref: "spec#/components/schemas/PagedList" }, { required: ["values"], properties: { values: { type: "array", items: { $ref: `spec#/components/schemas/${item}` } } } }] }
          : undefined
    if (schema === undefined) throw new Error(`the excerpt has neither ${name} nor its item`)
    const validate = ajv.compile(schema)
    cache.set(name, validate)
    return validate
  }
  return { forGet, attachmentList: ajv.compile(attachmentList), error: ajv.compile(relax(excerpt.components.schemas.Error)) }
}

/** Compiled once for the file: every test reads the same excerpt. */
let compiled: ReturnType<typeof makeValidators> | undefined
const validators = () => (compiled ??= makeValidators())

/** How many multi-select values a body holds, in Essential's shape, anywhere under a `customFields` map. */
const multiSelectsIn = (value: unknown, underFields = false): number => {
  if (Array.isArray(value)) return underFields && value.length > 0 && value.every((v) => typeof v === "object" && v !== null && "id" in v) ? 1 : value.reduce((n, v) => n + multiSelectsIn(v), 0)
  if (value === null || typeof value !== "object") return 0
  let n = 0
  for (const [k, v] of Object.entries(value)) n += k === "customFields" && v !== null && typeof v === "object" ? Object.values(v).reduce((m: number, f) => m + multiSelectsIn(f, true), 0) : multiSelectsIn(v)
  return n
}

/** Validates every GET the sandbox serves for a tenant; `every` thins out per-execution calls on big tenants. */
const checkTenant = (sb: RunningZephyrSandbox, data: ZephyrData, projectKey: string, every: number) =>
  Effect.gen(function* () {
    const { forGet, attachmentList: listValid, error } = validators()
    const failures: Array<string> = []
    let checked = 0
    let multiSelects = 0
    const paths: Array<[template: string, path: string]> = []
    const add = (template: string, path: string) => void paths.push([template, path])
    add("/projects", "/projects")
    add("/projects/{projectIdOrKey}", `/projects/${projectKey}`)
    add("/folders", "/folders")
    add("/statuses", "/statuses")
    add("/priorities", "/priorities")
    add("/environments", "/environments")
    add("/testcases", "/testcases")
    add("/testplans", "/testplans")
    add("/testcycles", "/testcycles")
    add("/testexecutions", "/testexecutions")
    for (const f of data.folders) add("/folders/{folderId}", `/folders/${f.id}`)
    for (const s of data.statuses) add("/statuses/{statusId}", `/statuses/${s.id}`)
    for (const p of data.priorities) add("/priorities/{priorityId}", `/priorities/${p.id}`)
    for (const e of data.environments) add("/environments/{environmentId}", `/environments/${e.id}`)
    for (const tc of data.testcases) {
      add("/testcases/{testCaseKey}", `/testcases/${tc.key}`)
      add("/testcases/{testCaseKey}/links", `/testcases/${tc.key}/links`)
      add("/testcases/{testCaseKey}/versions", `/testcases/${tc.key}/versions`)
      add("/testcases/{testCaseKey}/versions/{version}", `/testcases/${tc.key}/versions/1`)
      add("/testcases/{testCaseKey}/teststeps", `/testcases/${tc.key}/teststeps`)
      if (data.testscripts[tc.key]) add("/testcases/{testCaseKey}/testscript", `/testcases/${tc.key}/testscript`)
    }
    for (const p of data.testplans) add("/testplans/{testPlanIdOrKey}", `/testplans/${p.key}`)
    for (const c of data.testcycles) {
      add("/testcycles/{testCycleIdOrKey}", `/testcycles/${c.key}`)
      add("/testcycles/{testCycleIdOrKey}/links", `/testcycles/${c.id}/links`)
    }
    for (const [i, e] of data.testexecutions.entries()) {
      if (i % every !== 0) continue
      add("/testexecutions/{testExecutionIdOrKey}", `/testexecutions/${e.id}`)
      add("/testexecutions/{testExecutionIdOrKey}/teststeps", `/testexecutions/${e.id}/teststeps`)
      add("/testexecutions/{testExecutionIdOrKey}/links", `/testexecutions/${e.key ?? e.id}/links`)
    }
    // Single-entity GETs take no paging parameters; the extra maxResults is ignored, like the real API.
    yield* Effect.forEach(
      paths,
      ([template, path]) =>
        Effect.gen(function* () {
          const r = yield* get(sb, path + (path.includes("?") ? "&" : "?") + "maxResults=1000")
          if (r.status !== 200) return void failures.push(`${path}: status ${r.status}`)
          const validate = forGet(template)
          checked++
          multiSelects += multiSelectsIn(r.body)
          if (!validate(r.body)) failures.push(`${path}: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
        }),
      { concurrency: 8, discard: true }
    )
    // §3.6: attachment lists (owners with and without files) answer; their files are refused to the token.
    const owners = [...Object.keys(data.attachments), `testcases/${data.testcases[1]?.key}`]
    for (const owner of owners) {
      const [kind, id] = owner.split("/") as [string, string]
      const list = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments`)
      checked++
      if (list.status !== 200 || !listValid(list.body)) failures.push(`${owner} attachments: ${list.status} ${JSON.stringify(listValid.errors)}`)
      for (const a of list.body?.attachments ?? []) {
        const file = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments/${a.id}`)
        checked++
        if (file.status !== 401 || !error(file.body)) failures.push(`${owner}/${a.id}: ${file.status} ${file.text.slice(0, 80)}`)
      }
    }
    return { failures, checked, multiSelects }
  })

describe("ZephyrSandbox as Zephyr Essential: contract (the Essential 2.9 schemas, docs/vendors/zephyr.md §3)", () => {
  it.scopedLive("every demo response validates, multi-select values as [{id, name}]", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ edition: "essential" })
      expect(sb.edition).toBe("essential")
      const { failures, checked, multiSelects } = yield* checkTenant(sb, demoData(), "DEMO", 1)
      expect(failures.slice(0, 5)).toEqual([])
      expect(checked).toBeGreaterThan(400)
      expect(multiSelects).toBeGreaterThan(10)
    })
  )

  it.scopedLive("every response of a generated small tenant validates too", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ edition: "essential", scale: "small", seed: 1 })
      const { failures, checked, multiSelects } = yield* checkTenant(sb, materialise(generatedData("small", 1)), "GEN", 10)
      expect(failures.slice(0, 5)).toEqual([])
      expect(checked).toBeGreaterThan(1500)
      expect(multiSelects).toBeGreaterThan(100)
    })
  )

  it.scopedLive("the same tenant served as Scale Cloud fails the Essential custom-field check", () =>
    Effect.gen(function* () {
      // so the check above can fail: Scale Cloud's multi-select values are arrays of names
      const { forGet } = validators()
      const cloud = yield* startZephyrSandbox({})
      const r = yield* get(cloud, "/testcases/DEMO-T1")
      const validate = forGet("/testcases/{testCaseKey}")
      expect(validate(r.body)).toBe(false)
      expect(JSON.stringify(validate.errors)).toContain("/customFields/Category")
    })
  )

  it.scopedLive("error bodies match the Error schema", () =>
    Effect.gen(function* () {
      const { error } = validators()
      for (const sb of [yield* startZephyrSandbox({ edition: "essential" }), yield* startZephyrSandbox({ edition: "essential", scale: "small" })]) {
        const key = sb.projectKey
        for (const path of ["/nothing", "/testcases/nextgen", `/testcases/${key}-T99999`, "/testcases?projectKey=NOPE", "/testcases?maxResults=0", `/testcases/${key}-T1/testscript`, "/testcases?updatedAfter=2024-01-01T00:00:00Z"]) {
          const r = yield* get(sb, path)
          expect(r.status, path).toBeGreaterThanOrEqual(400)
          expect(error(r.body), path).toBe(true)
        }
      }
    })
  )
})
