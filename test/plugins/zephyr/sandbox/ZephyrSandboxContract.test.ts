/**
 * Contract: every response the sandbox gives — for the demo tenant and for a generated `small` one — validates
 * against SmartBear's OpenAPI description of the Cloud v2 API (the snapshot kept in this repository,
 * test/contracts/vendor/zephyr-scale-cloud-v2.openapi.yml), with only the three known laxities of the real API:
 * optional fields may be null, custom-field values may be scalars (the description says `type: object`), and a
 * root folder's `parentId` is null. The endpoints that snapshot lacks (`/nextgen` cursors, attachments) are
 * checked against the shapes in docs/vendors/zephyr.md §1.2 and §1.6, with hand-written schemas named after
 * those sections — and the doc's own examples are validated against the same schemas, so a schema here cannot
 * drift from the doc. Everything it reads is in the repository: it never skips.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ajv, type ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import { demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { generatedData } from "../../../../plugins/zephyr/sandbox/generatedData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import type { ZephyrData } from "../../../../plugins/zephyr/sandbox/ZephyrData.ts"
import { vendorNotes, vendorSpecs } from "../../../contracts/vendor.ts"
import { attachmentListSchema } from "./attachmentListSchema.ts"
import { get, type Got } from "./helpers.ts"
import { materialise } from "./materialise.ts"

const SPEC = vendorSpecs.zephyrCloud
const API_DOC = vendorNotes.zephyr
const addFormats = addFormatsModule.default

type Json = any

/** Applies the real API's laxities to a copy of the spec's schemas and points `$ref`s at the `spec` document. */
const relax = (node: Json, name?: string): Json => {
  if (Array.isArray(node)) return node.map((n) => relax(n))
  if (node === null || typeof node !== "object") return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\//, "spec#/") : relax(v)
  if (out.properties) {
    const required: ReadonlyArray<string> = out.required ?? []
    for (const [prop, schema] of Object.entries(out.properties)) {
      if (!required.includes(prop)) out.properties[prop] = { anyOf: [schema, { type: "null" }] }
    }
  }
  if (name === "CustomFields") out.additionalProperties = {}
  if (name === "Folder") out.properties.parentId = { anyOf: [out.properties.parentId, { type: "null" }] }
  return out
}

/** docs/vendors/zephyr.md §1.2, cursor paging: `{next, nextStartAtId, limit, values}`, no total, no isLast. */
const section_1_2_cursorEnvelope = (item: Json): Json => ({
  type: "object",
  required: ["next", "nextStartAtId", "limit", "values"],
  additionalProperties: false,
  properties: {
    next: { anyOf: [{ type: "string", format: "url" }, { type: "null" }] },
    nextStartAtId: { anyOf: [{ type: "integer", minimum: 0 }, { type: "null" }] },
    limit: { type: "integer", minimum: 1, maximum: 1000 },
    values: { type: "array", items: item }
  }
})

const section_1_6_attachmentList: Json = attachmentListSchema

const makeValidators = () => {
  const spec = parse(readFileSync(SPEC, "utf8"))
  const schemas: Record<string, Json> = {}
  for (const [name, schema] of Object.entries(spec.components.schemas)) schemas[name] = relax(schema, name)
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  // ajv-formats' `url` rejects private and loopback hosts (127.0.0.1), where the sandbox lives: check the form.
  ajv.addFormat("url", (s: string) => URL.canParse(s) && /^https?:\/\//.test(s))
  ajv.addSchema({ $id: "spec", components: { schemas } })
  const cache = new Map<string, ValidateFunction>()
  const forGet = (template: string): ValidateFunction => {
    const hit = cache.get(template)
    if (hit) return hit
    const op = spec.paths[template]?.get
    const schema = op?.responses?.["200"]?.content?.["application/json"]?.schema
    if (!schema) throw new Error(`no 200 JSON schema for GET ${template} in the spec`)
    const validate = ajv.compile(relax(schema))
    cache.set(template, validate)
    return validate
  }
  const cursor = {
    testcases: ajv.compile(section_1_2_cursorEnvelope({ $ref: "spec#/components/schemas/TestCase" })),
    testcycles: ajv.compile(section_1_2_cursorEnvelope({ $ref: "spec#/components/schemas/TestCycle" })),
    testplans: ajv.compile(section_1_2_cursorEnvelope({ $ref: "spec#/components/schemas/TestPlan" })),
    testexecutions: ajv.compile(section_1_2_cursorEnvelope({ $ref: "spec#/components/schemas/TestExecution" }))
  }
  return { forGet, cursor, attachmentList: ajv.compile(section_1_6_attachmentList) }
}

/** Validates the spec'd GETs for a tenant; `every` thins out per-execution calls on big tenants. */
const checkTenant = (sb: RunningZephyrSandbox, data: ZephyrData, projectKey: string, every: number) =>
  Effect.gen(function* () {
    const validators = makeValidators()
    const failures: Array<string> = []
    let checked = 0
    const check = (template: string, path: string) =>
      Effect.gen(function* () {
        const r = yield* get(sb, path + (path.includes("?") ? "&" : "?") + "maxResults=1000")
        if (r.status !== 200) return void failures.push(`${path}: status ${r.status}`)
        const validate = validators.forGet(template)
        checked++
        if (!validate(r.body)) failures.push(`${path}: ${JSON.stringify(validate.errors?.slice(0, 3))}`)
      })
    // Single-entity GETs take no paging parameters; the extra maxResults is ignored, like the real API.
    yield* check("/projects", "/projects")
    yield* check("/projects/{projectIdOrKey}", `/projects/${projectKey}`)
    yield* check("/folders", "/folders")
    yield* check("/statuses", "/statuses")
    yield* check("/priorities", "/priorities")
    yield* check("/environments", "/environments")
    yield* check("/testcases", "/testcases")
    yield* check("/testplans", "/testplans")
    yield* check("/testcycles", "/testcycles")
    yield* check("/testexecutions", "/testexecutions")
    for (const f of data.folders) yield* check("/folders/{folderId}", `/folders/${f.id}`)
    for (const s of data.statuses) yield* check("/statuses/{statusId}", `/statuses/${s.id}`)
    for (const p of data.priorities) yield* check("/priorities/{priorityId}", `/priorities/${p.id}`)
    for (const e of data.environments) yield* check("/environments/{environmentId}", `/environments/${e.id}`)
    for (const tc of data.testcases) {
      yield* check("/testcases/{testCaseKey}", `/testcases/${tc.key}`)
      yield* check("/testcases/{testCaseKey}/links", `/testcases/${tc.key}/links`)
      yield* check("/testcases/{testCaseKey}/versions", `/testcases/${tc.key}/versions`)
      yield* check("/testcases/{testCaseKey}/versions/{version}", `/testcases/${tc.key}/versions/1`)
      yield* check("/testcases/{testCaseKey}/teststeps", `/testcases/${tc.key}/teststeps`)
      if (data.testscripts[tc.key]) yield* check("/testcases/{testCaseKey}/testscript", `/testcases/${tc.key}/testscript`)
    }
    for (const p of data.testplans) yield* check("/testplans/{testPlanIdOrKey}", `/testplans/${p.key}`)
    for (const c of data.testcycles) {
      yield* check("/testcycles/{testCycleIdOrKey}", `/testcycles/${c.key}`)
      yield* check("/testcycles/{testCycleIdOrKey}/links", `/testcycles/${c.id}/links`)
    }
    for (const [i, e] of data.testexecutions.entries()) {
      if (i % every !== 0) continue
      yield* check("/testexecutions/{testExecutionIdOrKey}", `/testexecutions/${e.id}`)
      yield* check("/testexecutions/{testExecutionIdOrKey}/teststeps", `/testexecutions/${e.id}/teststeps`)
      yield* check("/testexecutions/{testExecutionIdOrKey}/links", `/testexecutions/${e.key ?? e.id}/links`)
    }

    // §1.2: the cursor endpoints, page by page, every item in its spec'd entity shape.
    for (const kind of ["testcases", "testcycles", "testplans", "testexecutions"] as const) {
      let url: string | null = `/${kind}/nextgen?projectKey=${projectKey}&limit=${kind === "testexecutions" ? 500 : 100}`
      while (url !== null) {
        const r: Got = yield* get(sb, url)
        const validate = validators.cursor[kind]
        checked++
        if (r.status !== 200 || !validate(r.body)) failures.push(`${url}: ${r.status} ${JSON.stringify(validate.errors?.slice(0, 3))}`)
        url = r.body?.next ?? null
      }
    }
    // §1.6: attachment lists (owners with and without files) and binary downloads.
    const owners = [...Object.keys(data.attachments), `testcases/${data.testcases[1]?.key}`]
    for (const owner of owners) {
      const [kind, id] = owner.split("/") as [string, string]
      const list = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments`)
      checked++
      if (list.status !== 200 || !validators.attachmentList(list.body)) failures.push(`${owner} attachments: ${list.status} ${JSON.stringify(validators.attachmentList.errors)}`)
      for (const a of list.body?.attachments ?? []) {
        const file = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments/${a.id}`)
        checked++
        const type = file.headers.get("content-type") ?? ""
        if (file.status !== 200 || type === "" || type.startsWith("application/json") || file.headers.get("content-length") !== String(file.bytes.byteLength) || file.bytes.byteLength === 0)
          failures.push(`${owner}/${a.id}: ${file.status} ${type} ${file.bytes.byteLength}`)
      }
    }
    return { failures, checked }
  })

describe("ZephyrSandbox contract (official Cloud v2 OpenAPI, docs/vendors/zephyr.md §1.2 / §1.6)", () => {
  it.scopedLive("every demo response of every spec'd GET, cursor page and attachment validates", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({})
      const { failures, checked } = yield* checkTenant(sb, demoData(), "DEMO", 1)
      expect(failures.slice(0, 5)).toEqual([])
      expect(checked).toBeGreaterThan(400)
    })
  )

  it.scopedLive("every response of a generated small tenant validates too", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ scale: "small", seed: 1 })
      const { failures, checked } = yield* checkTenant(sb, materialise(generatedData("small", 1)), "GEN", 5)
      expect(failures.slice(0, 5)).toEqual([])
      expect(checked).toBeGreaterThan(2000)
    })
  )

  it("the hand-written §1.2 and §1.6 schemas accept the doc's own examples", () => {
    const doc = readFileSync(API_DOC, "utf8")
    const ajv = new Ajv({ strict: false })
    addFormats(ajv)
    const cursorExample = /\{ "next": "https:\/\/[^\n]*"nextStartAtId"[^\n]*\}/.exec(doc)?.[0]
    expect(cursorExample, "§1.2 cursor example").toBeDefined()
    const cursor = JSON.parse((cursorExample ?? "").replace("[ ... ]", "[]"))
    // The doc elides the host (`https://.../`); the form check only needs a URL.
    cursor.next = String(cursor.next).replace("https://...", "https://api.zephyrscale.smartbear.com/v2")
    expect(ajv.validate(section_1_2_cursorEnvelope({}), cursor) || ajv.errors).toBe(true)
    expect(Object.keys(cursor).sort()).toEqual(["limit", "next", "nextStartAtId", "values"])
    const attachmentExample = /`(\{ "attachments": \[[^`]*\})`/.exec(doc)?.[1]
    expect(attachmentExample, "§1.6 attachment list example").toBeDefined()
    expect(ajv.validate(section_1_6_attachmentList, JSON.parse(attachmentExample ?? "null")) || ajv.errors).toBe(true)
  })

  it.scopedLive("error bodies match the spec's Error schema", () =>
    Effect.gen(function* () {
      const spec = parse(readFileSync(SPEC, "utf8"))
      const ajv = new Ajv({ strict: false })
      const validate = ajv.compile(spec.components.schemas.Error)
      for (const sb of [yield* startZephyrSandbox({}), yield* startZephyrSandbox({ scale: "small" })]) {
        const key = sb.projectKey
        for (const path of ["/nothing", `/testcases/${key}-T99999`, "/testcases?projectKey=NOPE", "/testcases?maxResults=0", `/testcases/${key}-T1/testscript`, "/testexecutions/nextgen?updatedAfter=nope"]) {
          const r = yield* get(sb, path)
          expect(validate(r.body), path).toBe(true)
        }
      }
    })
  )
})
