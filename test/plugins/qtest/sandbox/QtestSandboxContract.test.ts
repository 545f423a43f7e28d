/**
 * Contract: every endpoint the qTest sandbox serves is driven over raw HTTP, and every response is checked
 * against Tricentis' Swagger 2.0 description of qTest Manager API v3 (S1, kept in this repository as
 * test/contracts/vendor/qtest-manager-v3.swagger.yaml; docs/vendors/qtest.md lists the sources S1…S10): its
 * status must be one the operation documents, and its body must validate against the operation's response
 * schema — made strict here: every definition is closed (`additionalProperties: false`), so every property the
 * sandbox renders for a resource must be one the description declares for that resource. A misspelt key, or a
 * field the real API is not documented to send (the `web_url` the sandbox once put on modules and test runs),
 * fails the suite instead of teaching a client to rely on it. Error bodies validate against S1's
 * `ErrorMessage` and are exactly `{message}`.
 *
 * The laxities, each because the description is incomplete rather than the sandbox free to differ:
 * - search results: S1 types `PagedResource.items` as the bare `RepresentationModel` (links only); each item is
 *   validated against its object type's resource instead;
 * - attachment download: S1 says `OutputStream`; the body is the file's bytes, compared with what was uploaded;
 * - `POST /oauth/revoke` is documented by S3 only (no schema in S1): its status is checked.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ajv, type ValidateFunction } from "ajv"
import addFormatsModule from "ajv-formats"
import { Effect } from "effect"
import { Buffer } from "node:buffer"
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import { makeSiteState } from "../../../../plugins/qtest/sandbox/SiteState.ts"
import { startQtestSandbox, type RunningQtestSandbox } from "../../../../plugins/qtest/sandbox/QtestSandbox.ts"
import { makeQtestRouter } from "../../../../plugins/qtest/sandbox/QtestRoutes.ts"
import { makeRenderer } from "../../../../plugins/qtest/sandbox/Render.ts"
import { makeTokens } from "../../../../plugins/qtest/sandbox/Tokens.ts"
import { vendorSpecs } from "../../../contracts/vendor.ts"
import { call, type CallOptions, type Got } from "./helpers.ts"

const SPEC = vendorSpecs.qtest
const addFormats = addFormatsModule.default

type Json = any

/** Points `$ref`s at the `spec` document registered with ajv. */
const rewrite = (node: Json): Json => {
  if (Array.isArray(node)) return node.map(rewrite)
  if (node === null || typeof node !== "object") return node
  const out: Json = {}
  for (const [k, v] of Object.entries(node)) out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\//, "spec#/") : rewrite(v)
  return out
}

/** A definition that admits no property it does not declare. */
const strict = (schema: Json): Json => (schema?.properties === undefined ? schema : { ...schema, additionalProperties: false })

const makeContract = () => {
  const spec = parse(readFileSync(SPEC, "utf8"))
  const definitions: Record<string, Json> = {}
  for (const [name, schema] of Object.entries(spec.definitions as Record<string, Json>)) definitions[name] = rewrite(strict(schema))
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addFormat("int32", { type: "number", validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 })
  ajv.addFormat("int64", { type: "number", validate: (n: number) => Number.isSafeInteger(n) })
  ajv.addSchema({ $id: "spec", definitions })
  const cache = new Map<string, ValidateFunction>()
  const compile = (schema: Json): ValidateFunction => {
    const key = JSON.stringify(schema)
    const hit = cache.get(key)
    if (hit) return hit
    const v = ajv.compile(rewrite(schema))
    cache.set(key, v)
    return v
  }
  const operation = (template: string, method: string): Json => spec.paths[template]?.[method.toLowerCase()]
  return { spec, compile, operation, ref: (name: string) => ({ $ref: `#/definitions/${name}` }) }
}

const SEARCH_ITEMS: Readonly<Record<string, string>> = {
  "test-cases": "TestCaseWithCustomFieldResource",
  "test-runs": "TestRunWithCustomFieldResource",
  "test-cycles": "TestCycleResource",
  "test-suites": "TestSuiteWithCustomFieldResource",
  requirements: "RequirementResource",
  releases: "ReleaseWithCustomFieldResource",
  "test-logs": "TestLogResource"
}

/** Drives the sandbox through every endpoint; returns the failures and how many responses were checked. */
const driveEverything = (sb: RunningQtestSandbox) =>
  Effect.gen(function* () {
    const contract = makeContract()
    const failures: Array<string> = []
    const seen = new Set<string>()
    let checked = 0

    /** Calls `template` (params filled in, `query` appended), checks status and body, returns the body. */
    const hit = (method: string, template: string, params: Record<string, string | number> = {}, options: CallOptions & { query?: string; schema?: Json; expect?: number } = {}) =>
      Effect.gen(function* () {
        const path = template.replace(/\{(\w+)\}/g, (_, k: string) => String(k === "projectId" ? sb.projectId : (params[k] ?? `{${k}}`))) + (options.query ? `?${options.query}` : "")
        const got: Got = yield* call(sb, method, path, options)
        checked++
        seen.add(`${method} ${template}`)
        const label = `${method} ${path}`
        if (options.expect !== undefined && got.status !== options.expect) failures.push(`${label}: status ${got.status}, expected ${options.expect}: ${got.text.slice(0, 200)}`)
        if (got.status >= 400) {
          const v = contract.compile(contract.ref("ErrorMessage"))
          if (!v(got.body) || JSON.stringify(Object.keys(got.body ?? {})) !== '["message"]') failures.push(`${label}: error body ${got.text.slice(0, 200)}`)
          return got.body
        }
        const op = template === "/oauth/revoke" ? { responses: { 200: {} } } : contract.operation(template, method)
        if (op === undefined) {
          failures.push(`${label}: ${method} ${template} is not in the spec`)
          return got.body
        }
        const documented = Object.keys(op.responses)
        if (!documented.includes(String(got.status)) && !documented.includes("default")) failures.push(`${label}: status ${got.status} is not documented (${documented.join(", ")})`)
        const schema = options.schema ?? op.responses[got.status]?.schema ?? op.responses[200]?.schema ?? op.responses[201]?.schema
        if (schema !== undefined) {
          const v = contract.compile(schema)
          if (!v(got.body)) failures.push(`${label}: ${JSON.stringify(v.errors?.slice(0, 3))}`)
        }
        return got.body
      })
    const P = "/api/v3/projects/{projectId}"

    // ---- auth ----
    const basic = (s: string) => `Basic ${Buffer.from(`${s}:`).toString("base64")}`
    const form = (fields: Record<string, string>) => ({ raw: new URLSearchParams(fields).toString(), headers: { "content-type": "application/x-www-form-urlencoded" } })
    const login = yield* hit("POST", "/oauth/token", {}, { token: null, ...form({ grant_type: "password", username: sb.username, password: sb.password }), headers: { ...form({}).headers, authorization: basic(sb.siteName) }, expect: 200 })
    yield* hit("POST", "/oauth/token", {}, { token: null, ...form({ grant_type: "refresh_token", refresh_token: login.refresh_token }), headers: { ...form({}).headers, authorization: basic("qtest-api") }, expect: 200 })
    yield* hit("GET", "/oauth/status", {}, { token: login.access_token, expect: 200 })
    yield* hit("GET", "/oauth/status", {}, { expect: 200 })
    yield* hit("POST", "/oauth/revoke", {}, { token: login.access_token, expect: 200 })

    // ---- projects, users ----
    yield* hit("GET", "/api/v3/projects", {}, { expect: 200 })
    yield* hit("GET", "/api/v3/projects", {}, { query: "page=1&pageSize=10", expect: 200 })
    yield* hit("GET", P, {}, { expect: 200 })
    const members = yield* hit("GET", `${P}/users`, {}, { expect: 200 })
    yield* hit("GET", "/api/v3/users/{userId}", { userId: members[0].id }, { expect: 200 })
    yield* hit("GET", "/api/v3/users/search", {}, { query: `username=${encodeURIComponent(sb.username)}`, expect: 200 })
    yield* hit("GET", "/api/v3/re-evaluation", {}, { expect: 200 })

    // ---- fields ----
    for (const objectType of ["releases", "builds", "requirements", "test-cases", "test-steps", "defects", "test-suites", "test-runs"]) {
      yield* hit("GET", `${P}/settings/{objectType}/fields`, { objectType }, { expect: 200 })
    }
    const keyField = yield* hit("POST", `${P}/settings/{objectType}/fields`, { objectType: "test-cases" }, { json: { label: "Zephyr Key", data_type: 1 }, expect: 201 })
    const component = yield* hit("POST", `${P}/settings/{objectType}/fields`, { objectType: "test-cases" }, { json: { label: "Component", data_type: 3, allowed_values: [{ label: "Web" }, { label: "API" }] }, expect: 201 })
    yield* hit("GET", `${P}/settings/{objectType}/fields/{fieldId}`, { objectType: "test-cases", fieldId: component.id }, { expect: 200 })
    yield* hit("GET", `${P}/settings/{objectType}/fields/{fieldId}/allowed-values`, { objectType: "test-cases", fieldId: component.id }, { expect: 200 })
    yield* hit("POST", `${P}/settings/{objectType}/fields/{fieldId}/allowed-values`, { objectType: "test-cases", fieldId: component.id }, { json: [{ label: "Mobile" }], expect: 201 })
    const runFields: Array<Json> = yield* hit("GET", `${P}/settings/{objectType}/fields`, { objectType: "test-runs" })
    const assigned = runFields.find((f) => f.label === "Assigned To")
    yield* hit("GET", `${P}/settings/{objectType}/fields/{fieldId}/allowed-values`, { objectType: "test-runs", fieldId: assigned.id }, { expect: 200 })

    // ---- modules ----
    const web = yield* hit("POST", `${P}/modules`, {}, { json: { name: "Web", description: "<p>Web app</p>" }, expect: 201 })
    const auth = yield* hit("POST", `${P}/modules`, {}, { query: `parentId=${web.id}`, json: { name: "Auth" }, expect: 201 })
    const spare = yield* hit("POST", `${P}/modules`, {}, { json: { name: "Spare" }, expect: 201 })
    yield* hit("GET", `${P}/modules`, {}, { expect: 200 })
    yield* hit("GET", `${P}/modules`, {}, { query: "expand=descendants", expect: 200 })
    yield* hit("GET", `${P}/modules`, {}, { query: `parentId=${web.id}`, expect: 200 })
    yield* hit("GET", `${P}/modules/{moduleId}`, { moduleId: web.id }, { query: "expand=descendants", expect: 200 })
    yield* hit("PUT", `${P}/modules/{moduleId}`, { moduleId: spare.id }, { json: { name: "Spare (renamed)" }, expect: 200 })
    yield* hit("PUT", `${P}/modules/{moduleId}`, { moduleId: spare.id }, { query: `parentId=${web.id}`, json: {}, expect: 200 })
    yield* hit("DELETE", `${P}/modules/{moduleId}`, { moduleId: spare.id }, { expect: 200 })

    // ---- test cases ----
    const caseFields: Array<Json> = yield* hit("GET", `${P}/settings/{objectType}/fields`, { objectType: "test-cases" })
    const priority = caseFields.find((f) => f.label === "Priority")
    const shared = yield* hit("POST", `${P}/test-cases`, {}, { json: { name: "Shared login", parent_id: auth.id, properties: [], test_steps: [{ description: "Type user", expected: "Accepted" }] }, expect: 200 })
    yield* hit("PUT", `${P}/test-cases/{testCaseId}/approve`, { testCaseId: shared.id }, { expect: 200 })
    const tc = yield* hit("POST", `${P}/test-cases`, {}, {
      json: {
        name: "Login with valid credentials",
        parent_id: auth.id,
        description: "<p>Objective</p>",
        precondition: "<p>User exists</p>",
        properties: [
          { field_id: keyField.id, field_value: "PROJ-T1" },
          { field_id: priority.id, field_value: String(priority.allowed_values[0].value) },
          { field_id: component.id, field_value: String(component.allowed_values[0].value) }
        ],
        test_steps: [
          { description: "Open the page", expected: "Form shown", order: 1 },
          { description: "", expected: "", order: 2, called_test_case_id: shared.id }
        ],
        attachments: [{ name: "spec.txt", content_type: "text/plain", data: Buffer.from("spec").toString("base64") }]
      },
      expect: 200
    })
    yield* hit("POST", `${P}/test-cases`, {}, { json: { name: "Unfiled", properties: [] }, expect: 200 })
    yield* hit("GET", `${P}/test-cases`, {}, { expect: 200 })
    yield* hit("GET", `${P}/test-cases`, {}, { query: `parentId=${auth.id}&page=1&size=1&expandSteps=true`, expect: 200 })
    yield* hit("GET", `${P}/test-cases/{testCaseId}`, { testCaseId: tc.id }, { expect: 200 })
    yield* hit("GET", `${P}/test-cases/{testCaseId}`, { testCaseId: tc.pid }, { query: "expand=teststep&showParamIdentifier=true", expect: 200 })
    yield* hit("PUT", `${P}/test-cases/{testCaseId}`, { testCaseId: tc.id }, { json: { name: "Login with valid credentials", description: "<p>Objective v2</p>", properties: [] }, expect: 200 })
    const approved = yield* hit("PUT", `${P}/test-cases/{testCaseId}/approve`, { testCaseId: tc.id }, { expect: 200 })
    const versions: Array<Json> = yield* hit("GET", `${P}/test-cases/{testCaseId}/versions`, { testCaseId: tc.id }, { expect: 200 })
    yield* hit("GET", `${P}/test-cases/{testCaseId}/versions/{versionId}`, { testCaseId: tc.id, versionId: versions[0].test_case_version_id }, { expect: 200 })
    yield* hit("GET", `${P}/test-cases/{testCaseId}/versions/{versionId}/test-steps`, { testCaseId: tc.id, versionId: approved.test_case_version_id }, { query: "expand=calledteststep", expect: 200 })
    const steps: Array<Json> = yield* hit("GET", `${P}/test-cases/{testCaseId}/test-steps`, { testCaseId: tc.id }, { expect: 200 })
    const scratch = yield* hit("POST", `${P}/test-cases`, {}, { json: { name: "Scratch", properties: [], test_steps: [{ description: "a", expected: "b" }] }, expect: 200 })
    const added = yield* hit("POST", `${P}/test-cases/{testCaseId}/test-steps`, { testCaseId: scratch.id }, { json: { description: "Step [~param]", expected: "Done" }, expect: 200 })
    yield* hit("GET", `${P}/test-cases/{testCaseId}/test-steps/{stepId}`, { testCaseId: scratch.id, stepId: added.id }, { expect: 200 })
    yield* hit("PUT", `${P}/test-cases/{testCaseId}/test-steps/{stepId}`, { testCaseId: scratch.id, stepId: added.id }, { json: { description: "Step, edited", expected: "Done" }, expect: 200 })
    yield* hit("DELETE", `${P}/test-cases/{testCaseId}/test-steps/{stepId}`, { testCaseId: scratch.id, stepId: added.id }, { expect: 200 })
    yield* hit("DELETE", `${P}/test-cases/{testCaseId}`, { testCaseId: scratch.id }, { expect: 200 })

    // ---- releases, cycles, suites ----
    const release = yield* hit("POST", `${P}/releases`, {}, { json: { name: "R1", description: "First", note: "n", start_date: "2024-01-01T00:00:00Z", end_date: "2024-06-30T00:00:00Z", properties: [] }, expect: 201 })
    yield* hit("GET", `${P}/releases`, {}, { expect: 200 })
    yield* hit("GET", `${P}/releases/{releaseId}`, { releaseId: release.id }, { expect: 200 })
    yield* hit("PUT", `${P}/releases/{releaseId}`, { releaseId: release.id }, { json: { name: "R1.0", properties: [] }, expect: 200 })
    const cycle = yield* hit("POST", `${P}/test-cycles`, {}, { query: "parentId=0&parentType=root", json: { name: "Regression", description: "All" }, expect: 201 })
    const sub = yield* hit("POST", `${P}/test-cycles`, {}, { query: `parentId=${cycle.id}&parentType=test-cycle`, json: { name: "Sprint 1" }, expect: 201 })
    const underRelease = yield* hit("POST", `${P}/test-cycles`, {}, { query: `parentId=${release.id}&parentType=release`, json: { name: "Release cycle" }, expect: 201 })
    yield* hit("GET", `${P}/test-cycles`, {}, { expect: 200 })
    yield* hit("GET", `${P}/test-cycles`, {}, { query: `parentId=${cycle.id}&parentType=test-cycle&expand=descendants`, expect: 200 })
    yield* hit("GET", `${P}/test-cycles/{testCycleId}`, { testCycleId: cycle.id }, { query: "expand=descendants", expect: 200 })
    yield* hit("PUT", `${P}/test-cycles/{testCycleId}`, { testCycleId: sub.id }, { json: { name: "Sprint 1 (edited)" }, expect: 200 })
    yield* hit("PUT", `${P}/test-cycles/{testCycleId}`, { testCycleId: underRelease.id }, { query: `parentId=${cycle.id}&parentType=test-cycle`, json: {}, expect: 200 })
    const suite = yield* hit("POST", `${P}/test-suites`, {}, { query: `parentId=${cycle.id}&parentType=test-cycle`, json: { name: "Smoke", properties: [] }, expect: 200 })
    yield* hit("GET", `${P}/test-suites`, {}, { query: `parentId=${cycle.id}&parentType=test-cycle`, expect: 200 })
    yield* hit("GET", `${P}/test-suites/{testSuiteId}`, { testSuiteId: suite.id }, { expect: 200 })
    yield* hit("PUT", `${P}/test-suites/{testSuiteId}`, { testSuiteId: suite.id }, { json: { name: "Smoke suite", properties: [] }, expect: 200 })

    // ---- runs and logs ----
    yield* hit("GET", `${P}/test-runs/execution-statuses`, {}, { expect: 200 })
    const run = yield* hit("POST", `${P}/test-runs`, {}, { query: `parentId=${sub.id}&parentType=test-cycle`, json: { name: tc.name, test_case: { id: tc.id }, properties: [] }, expect: 201 })
    const inSuite = yield* hit("POST", `${P}/test-runs`, {}, { query: `parentId=${suite.id}&parentType=test-suite`, json: { name: "In suite", test_case: { id: shared.id }, properties: [] }, expect: 201 })
    yield* hit("GET", `${P}/test-runs`, {}, { expect: 200 })
    yield* hit("GET", `${P}/test-runs`, {}, { query: `parentId=${cycle.id}&parentType=test-cycle&expand=descendants&page=1&pageSize=10`, expect: 200 })
    yield* hit("GET", `${P}/test-runs/{testRunId}`, { testRunId: run.id }, { query: "expand=testcase.teststep", expect: 200 })
    yield* hit("PUT", `${P}/test-runs/{testRunId}`, { testRunId: run.id }, { json: { name: `${tc.name} (run)`, properties: [] }, expect: 200 })
    yield* hit("PUT", `${P}/test-runs/{testRunId}`, { testRunId: inSuite.id }, { query: `parentId=${cycle.id}&parentType=test-cycle`, json: {}, expect: 200 })
    const versionSteps: Array<Json> = yield* hit("GET", `${P}/test-cases/{testCaseId}/versions/{versionId}/test-steps`, { testCaseId: tc.id, versionId: run.test_case_version_id }, { query: "expand=calledteststep" })
    const calledStep = versionSteps.find((s) => s.parent_test_step_id !== undefined)
    const log = yield* hit("POST", `${P}/test-runs/{testRunId}/test-logs`, { testRunId: run.id }, {
      json: {
        status: { id: 602 },
        exe_start_date: "2024-03-01T10:00:00Z",
        exe_end_date: "2024-03-01T10:05:00Z",
        note: "Migrated from Zephyr PROJ-E1",
        test_case_version_id: run.test_case_version_id,
        properties: [],
        attachments: [{ name: "log.txt", content_type: "text/plain", data: Buffer.from("Hello").toString("base64") }],
        test_step_logs: [
          { test_step_id: steps[0].id, order: 1, status: { id: 601 }, actual_result: "ok" },
          { test_step_id: calledStep.id, order: 2, status: { id: 602 }, actual_result: "error", called_test_case_id: shared.id, parent_test_step_id: steps[1].id }
        ]
      },
      expect: 201
    })
    yield* hit("GET", `${P}/test-runs/{testRunId}/test-logs`, { testRunId: run.id }, { expect: 200 })
    yield* hit("GET", `${P}/test-runs/{testRunId}/test-logs/{id}`, { testRunId: run.id, id: log.id }, { expect: 200 })
    yield* hit("GET", `${P}/test-runs/{testRunId}/test-logs/last-run`, { testRunId: run.id }, { query: "expand=testcase,teststeplog.teststep", expect: 200 })
    yield* hit("PUT", `${P}/test-runs/{testRunId}/test-logs/{id}`, { testRunId: run.id, id: log.id }, {
      json: { status: { id: 601 }, exe_start_date: "2024-03-01T10:00:00Z", exe_end_date: "2024-03-01T10:06:00Z", note: "re-run", test_step_logs: [{ order: 2, status: { id: 601 }, actual_result: "fixed" }] },
      expect: 200
    })
    yield* hit("GET", `${P}/test-runs/{testRunId}`, { testRunId: run.id }, { expect: 200 })

    // ---- Jira defects linked to a log (the project has a Jira defect integration) ----
    yield* hit("POST", `${P}/{objectType}/{objectId}/{linkType}`, { objectType: "test-logs", objectId: log.id, linkType: "defects" }, { json: ["10023", "10031"], expect: 201 })
    yield* hit("GET", `${P}/linked-artifacts`, {}, { query: `type=test-logs&ids=${log.id}`, expect: 200 })
    yield* hit("GET", `${P}/test-runs/{testRunId}/test-logs/{id}`, { testRunId: run.id, id: log.id }, { expect: 200 })
    yield* hit("POST", `${P}/{objectType}/{objectId}/{linkType}`, { objectType: "test-logs", objectId: 42, linkType: "defects" }, { json: ["10023"], expect: 404 })

    // ---- automation ----
    const job = yield* hit("POST", `${P}/auto-test-logs`, {}, {
      query: "type=automation",
      json: {
        test_cycle: cycle.pid,
        test_logs: [
          {
            name: "Automated login",
            automation_content: "zephyr:PROJ-T9",
            status: "PASSED",
            exe_start_date: "2024-03-01T10:00:00Z",
            exe_end_date: "2024-03-01T10:01:00Z",
            module_names: ["Automation", "Auth"],
            test_step_logs: [{ order: 0, description: "Run", expected_result: "Green", actual_result: "Green", status: "PASSED" }]
          }
        ]
      },
      expect: 201
    })
    for (let i = 0; i < 5; i++) {
      const polled = yield* hit("GET", "/api/v3/projects/queue-processing/{id}", { id: job.id }, { expect: 200 })
      if (polled.state === "SUCCESS" || polled.state === "FAILED") break
    }

    // ---- attachments ----
    const bytes = Buffer.from("%PDF-1.4 sandbox bytes \u0000\u00ff", "latin1")
    const uploaded = yield* hit("POST", `${P}/{objectType}/{objectId}/blob-handles`, { objectType: "test-cases", objectId: tc.id }, {
      raw: new Uint8Array(bytes),
      headers: { "file-name": "report.pdf", "content-type": "application/pdf" },
      expect: 201
    })
    yield* hit("GET", `${P}/{objectType}/{objectId}/attachments`, { objectType: "test-cases", objectId: tc.id }, { expect: 200 })
    yield* hit("GET", `${P}/{objectType}/{objectId}/attachments`, { objectType: "test-logs", objectId: log.id }, { expect: 200 })
    const download: Got = yield* call(sb, "GET", `/api/v3/projects/${sb.projectId}/test-cases/${tc.id}/attachments/${uploaded.id}`)
    checked++
    seen.add(`GET ${P}/{objectType}/{objectId}/attachments/{attachmentId}`)
    if (download.status !== 200 || !Buffer.from(download.bytes).equals(bytes) || download.headers.get("content-type") !== "application/pdf") failures.push(`attachment download: ${download.status} ${download.headers.get("content-type")}`)
    yield* hit("GET", `${P}/attachments`, {}, { query: `type=test-cases&ids=${tc.id}`, expect: 200 })
    yield* hit("DELETE", `${P}/{objectType}/{objectId}/blob-handles/{blobHandleId}`, { objectType: "test-cases", objectId: tc.id, blobHandleId: uploaded.id }, { expect: 200 })

    // ---- requirements and links ----
    const requirement = yield* hit("POST", `${P}/requirements`, {}, { json: { name: "DEMO-12 Login story", properties: [] }, expect: 200 })
    yield* hit("GET", `${P}/requirements`, {}, { query: "page=1&size=20", expect: 200 })
    yield* hit("GET", `${P}/requirements/{requirementId}`, { requirementId: requirement.id }, { expect: 200 })
    yield* hit("PUT", `${P}/requirements/{requirementId}`, { requirementId: requirement.id }, { json: { name: "DEMO-12 Login story (edited)", properties: [] }, expect: 200 })
    yield* hit("POST", `${P}/{objectType}/{objectId}/link`, { objectType: "requirements", objectId: requirement.id }, { query: "type=test-cases", json: [tc.id, 999_999_999], expect: 200 })
    yield* hit("GET", `${P}/linked-artifacts`, {}, { query: `type=requirements&ids=${requirement.id}`, expect: 200 })
    yield* hit("GET", `${P}/linked-artifacts`, {}, { query: `type=test-cases&ids=${tc.id}`, expect: 200 })
    yield* hit("DELETE", `${P}/{objectType}/{objectId}/link`, { objectType: "requirements", objectId: requirement.id }, { query: "type=test-cases", json: [tc.id], expect: 200 })

    // ---- search (items validated against their own resource) ----
    for (const [objectType, definition] of Object.entries(SEARCH_ITEMS)) {
      const schema = { ...contract.spec.definitions.PagedResource, properties: { ...contract.spec.definitions.PagedResource.properties, items: { type: "array", items: contract.ref(definition) } }, additionalProperties: false }
      const page = yield* hit("POST", `${P}/search`, {}, { query: "page=1&pageSize=50&appendTestSteps=true&includeTestLogProperties=true", json: { object_type: objectType, fields: ["*"], query: "" }, schema, expect: 200 })
      if ((page?.total ?? 0) === 0) failures.push(`search ${objectType}: nothing found, nothing validated`)
    }
    yield* hit("POST", `${P}/search`, {}, { json: { object_type: "test-cases", fields: ["*"], query: "'Zephyr Key' = 'PROJ-T1'" }, schema: { ...contract.spec.definitions.PagedResource, properties: { ...contract.spec.definitions.PagedResource.properties, items: { type: "array", items: contract.ref("TestCaseWithCustomFieldResource") } } }, expect: 200 })

    // ---- deletes last ----
    yield* hit("DELETE", `${P}/test-runs/{testRunId}`, { testRunId: inSuite.id }, { expect: 200 })
    yield* hit("DELETE", `${P}/test-suites/{testSuiteId}`, { testSuiteId: suite.id }, { expect: 200 })
    yield* hit("DELETE", `${P}/test-cycles/{testCycleId}`, { testCycleId: cycle.id }, { query: "force=true", expect: 200 })
    yield* hit("DELETE", `${P}/releases/{releaseId}`, { releaseId: release.id }, { expect: 200 })
    yield* hit("DELETE", `${P}/requirements/{requirementId}`, { requirementId: requirement.id }, { expect: 200 })
    yield* hit("DELETE", `${P}/modules/{moduleId}`, { moduleId: web.id }, { query: "force=true", expect: 200 })

    // ---- error bodies: `{message}` and nothing else ----
    yield* hit("GET", `${P}/test-cases/{testCaseId}`, { testCaseId: 42 }, { expect: 404 })
    yield* hit("POST", `${P}/test-runs`, {}, { json: { test_case: { id: tc.id } }, expect: 400 })
    yield* hit("GET", `${P}/test-cases`, {}, { token: "wrong", expect: 401 })
    yield* hit("DELETE", `${P}/test-runs/execution-statuses`, {}, { expect: 405 })
    yield* hit("POST", `${P}/search`, {}, { json: { object_type: "test-cases", query: "Name = 'x' or Name = 'y'" }, expect: 400 })
    return { failures, checked, seen }
  })

/** `METHOD template` of every route the sandbox serves. */
const allRoutes = (): Array<string> => {
  const site = makeSiteState([{ projectId: 1, projectName: "x", apiUser: { username: "u", email: "u@x", firstName: "", lastName: "" }, users: [], requiredTestCaseFields: [], requirements: [], extraStatuses: [] }])
  const router = makeQtestRouter({
    state: site.current,
    site,
    render: makeRenderer(site.current, "http://127.0.0.1"),
    tokens: makeTokens("t"),
    siteName: "s",
    username: "u",
    password: "p",
    maxAttachmentBytes: 1,
    jobPolls: 1
  })
  return router.routes.map((r) => `${r.method} ${r.template}`)
}

describe("QtestSandbox contract (official qTest Manager v3 Swagger 2.0)", () => {
  it.scopedLive("every endpoint's responses have a documented status and validate against the spec's definitions", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ jiraDefects: true, users: [{ username: "jane@example.com", email: "jane@example.com", first_name: "Jane", last_name: "Doe" }] })
      const { failures, checked, seen } = yield* driveEverything(sb)
      expect(failures).toEqual([])
      expect(checked).toBeGreaterThan(100)
      // Every route the sandbox serves was driven.
      expect(allRoutes().filter((r) => !seen.has(r))).toEqual([])
    })
  )

  it("every route the sandbox serves is a path and method of the spec (POST /oauth/revoke: S3)", () => {
    const contract = makeContract()
    const missing = allRoutes()
      .filter((r) => r !== "POST /oauth/revoke")
      .filter((r) => {
        const [method = "", template = ""] = r.split(" ")
        return contract.operation(template, method) === undefined
      })
    expect(missing).toEqual([])
  })
})
