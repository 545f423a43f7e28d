/**
 * docs/vendors/qtest.md §5, "Simulator checklist": one test per item, named by the item's text, each exercising
 * it over raw HTTP (fetch) against a running sandbox. A last test checks that these names still are the doc's
 * items, so the checklist cannot change under the tests unnoticed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Buffer } from "node:buffer"
import { readFileSync } from "node:fs"
import { startQtestSandbox } from "../../../../plugins/qtest/sandbox/QtestSandbox.ts"
import { checklistItems } from "../../../contracts/checklist.ts"
import { vendorNotes } from "../../../contracts/vendor.ts"
import { attempt, call, fieldByLabel, ok, p, pollJob, valueOf } from "./helpers.ts"


const BULLETS = {
  auth: "Authentication: `Bearer` tokens in any case; a form-encoded `/oauth/token` login with `Basic base64(site:)`, refresh and `/oauth/status`.",
  paging: "Each endpoint's own paging parameters and answer shape (`size` or `pageSize`; bare arrays or `{items}` envelopes), as in §2.2.",
  resources:
    "PIDs with the right prefixes; `links` on every resource and `web_url` only where the description declares it; `properties` echoed with `field_name` and `field_value_name`.",
  versioning: "Versioning: a new case is `0.1`, every change adds 0.1, approval moves to the next whole number, and `test_case_version_id` changes with the version.",
  defaultModule: 'A test case created without `parent_id` goes to the module "Created via API".',
  errors:
    "Refusals as qTest gives them: 400 for a test run without `name` or `test_case.id`, 412 or 400 for a missing required field, 413 above a configurable attachment size, 429 with `retry-after` and `x-ratelimit-*` at a configurable quota, and `{\"message\": …}` bodies.",
  batch:
    "Batch automation logs: 201 with a job that moves from IN_WAITING through IN_PROCESSING to SUCCESS or FAILED over several polls, reuse by `automation_content`, and step orders that must start at 0 and be continuous.",
  links: "Requirement links that ignore ids they cannot link, and the list of execution statuses (601 Passed and the rest per project)."
} as const

const basic = (user: string) => `Basic ${Buffer.from(`${user}:`).toString("base64")}`
const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString()
const FORM = { "content-type": "application/x-www-form-urlencoded" }
const DATES = { exe_start_date: "2024-03-01T10:00:00Z", exe_end_date: "2024-03-01T10:05:00Z" }

describe("docs/vendors/qtest.md §5 simulator checklist", () => {
  it.scopedLive(BULLETS.auth, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ siteName: "acme", username: "bot@acme.com", password: "s3cret" })
      // Bearer and bearer both work; no header or a wrong token is a 401 {message}.
      for (const scheme of ["Bearer", "bearer", "BEARER"]) {
        expect((yield* call(sb, "GET", p(sb), { token: null, headers: { authorization: `${scheme} ${sb.token}` } })).status, scheme).toBe(200)
      }
      for (const headers of [{}, { authorization: "Bearer nope" }, { authorization: `Basic ${sb.token}` }]) {
        const r = yield* call(sb, "GET", p(sb), { token: null, headers })
        expect(r.status).toBe(401)
        expect(Object.keys(r.body)).toEqual(["message"])
      }
      // Login: form-encoded, Basic base64("acme:"), password grant → an OAuthResponse whose token is accepted.
      const login = yield* call(sb, "POST", "/oauth/token", {
        token: null,
        raw: formBody({ grant_type: "password", username: "bot@acme.com", password: "s3cret" }),
        headers: { ...FORM, authorization: basic("acme") }
      })
      expect(login.status).toBe(200)
      expect(login.body).toMatchObject({ token_type: "bearer", expires_in: expect.any(Number), scope: expect.stringContaining("read") })
      expect(login.body.access_token).not.toBe(sb.token)
      expect((yield* call(sb, "GET", p(sb, "/modules"), { token: login.body.access_token })).status).toBe(200)
      // Wrong site, wrong password, no Basic header: 401; a JSON body: 400.
      for (const [headers, raw] of [
        [{ ...FORM, authorization: basic("other") }, formBody({ grant_type: "password", username: "bot@acme.com", password: "s3cret" })],
        [{ ...FORM, authorization: basic("acme") }, formBody({ grant_type: "password", username: "bot@acme.com", password: "wrong" })],
        [FORM, formBody({ grant_type: "password", username: "bot@acme.com", password: "s3cret" })]
      ] as const) {
        expect((yield* call(sb, "POST", "/oauth/token", { token: null, raw, headers })).status).toBe(401)
      }
      const asJson = yield* call(sb, "POST", "/oauth/token", { token: null, json: { grant_type: "password" }, headers: { authorization: basic("acme") } })
      expect(asJson.status).toBe(400)
      // Refresh with Basic base64("qtest-api:").
      const refreshed = yield* call(sb, "POST", "/oauth/token", {
        token: null,
        raw: formBody({ grant_type: "refresh_token", refresh_token: login.body.refresh_token }),
        headers: { ...FORM, authorization: basic("qtest-api") }
      })
      expect(refreshed.status).toBe(200)
      expect((yield* call(sb, "GET", p(sb), { token: refreshed.body.access_token })).status).toBe(200)
      // /oauth/status: 0 = never expires (the API token); a session token's idle expiry.
      expect((yield* ok(sb, "GET", "/oauth/status")).expiration).toBe(0)
      const status = yield* ok(sb, "GET", "/oauth/status", { token: login.body.access_token })
      expect(status.expiration).toBeGreaterThan(Date.now())
      expect(status.validityInMilliseconds).toBeGreaterThan(0)
      expect((yield* call(sb, "GET", "/oauth/status", { token: "nope" })).status).toBe(401)
      // Revoke ends the session token.
      expect((yield* call(sb, "POST", "/oauth/revoke", { token: login.body.access_token })).status).toBe(200)
      expect((yield* call(sb, "GET", p(sb), { token: login.body.access_token })).status).toBe(401)
    })
  )

  it.scopedLive(BULLETS.paging, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ users: Array.from({ length: 120 }, (_, i) => ({ username: `user${i}@example.com`, email: `user${i}@example.com` })) })
      const module = yield* ok(sb, "POST", p(sb, "/modules"), { json: { name: "Paging" } }, 201)
      for (let i = 0; i < 25; i++) yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: `Case ${i}`, parent_id: module.id, properties: [] } })
      // Test cases: `page` + `size` (default 20), a bare array; `pageSize` is not their parameter.
      const tcPage = (q: string) => ok(sb, "GET", p(sb, `/test-cases?parentId=${module.id}&${q}`))
      const first = yield* tcPage("")
      expect(Array.isArray(first)).toBe(true)
      expect(first).toHaveLength(20)
      expect(yield* tcPage("page=2")).toHaveLength(5)
      expect(yield* tcPage("page=3&size=10")).toHaveLength(5)
      expect(yield* tcPage("pageSize=5")).toHaveLength(20)
      // Requirements: `page` + `size` (default 20), bare array.
      for (let i = 0; i < 22; i++) yield* ok(sb, "POST", p(sb, "/requirements"), { json: { name: `REQ-${i}`, properties: [] } })
      expect(yield* ok(sb, "GET", p(sb, "/requirements"))).toHaveLength(20)
      expect(yield* ok(sb, "GET", p(sb, "/requirements?page=2&size=20"))).toHaveLength(2)
      // Test cycles: `page` + `pageSize`, bare array; no page = all.
      for (let i = 0; i < 3; i++) yield* ok(sb, "POST", p(sb, "/test-cycles?parentId=0&parentType=root"), { json: { name: `Cycle ${i}` } }, 201)
      expect(yield* ok(sb, "GET", p(sb, "/test-cycles"))).toHaveLength(3)
      expect(yield* ok(sb, "GET", p(sb, "/test-cycles?page=1&pageSize=2"))).toHaveLength(2)
      expect(yield* ok(sb, "GET", p(sb, "/test-cycles?pageSize=-1"))).toHaveLength(3)
      // Test runs and test logs: `{links, page, page_size, total, items}`, pageSize default 100, at most 999.
      const tc = first[0]
      yield* ok(sb, "PUT", p(sb, `/test-cases/${tc.id}/approve`))
      const run = yield* ok(sb, "POST", p(sb, "/test-runs"), { json: { name: "Run", test_case: { id: tc.id } } }, 201)
      for (let i = 0; i < 3; i++) yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, ...DATES } }, 201)
      const runs = yield* ok(sb, "GET", p(sb, "/test-runs?pageSize=5000"))
      expect(Object.keys(runs).sort()).toEqual(["items", "links", "page", "page_size", "total"])
      expect(runs).toMatchObject({ page: 1, page_size: 999, total: 1 })
      const logs = yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}/test-logs?page=2&pageSize=2`))
      expect(logs).toMatchObject({ page: 2, page_size: 2, total: 3 })
      expect(logs.items).toHaveLength(1)
      expect((yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}/test-logs`))).page_size).toBe(100)
      // Search: the same envelope, `page` + `pageSize` in the query string.
      const found = yield* ok(sb, "POST", p(sb, "/search?page=2&pageSize=10"), { json: { object_type: "test-cases", fields: ["*"], query: "Name ~ 'Case'" } })
      expect(found).toMatchObject({ page: 2, page_size: 10, total: 25 })
      expect(found.items).toHaveLength(10)
      // User search: `{page, page_size, total, items}`, pageSize at most 100.
      const users = yield* ok(sb, "GET", "/api/v3/users/search?username=example.com&pageSize=500")
      expect(users).toMatchObject({ page: 1, page_size: 100, total: 121 })
      expect(users.items).toHaveLength(100)
      // Projects: bare array, all by default, paged with page + pageSize.
      expect(yield* ok(sb, "GET", "/api/v3/projects")).toHaveLength(1)
      expect(yield* ok(sb, "GET", "/api/v3/projects?page=2&pageSize=1")).toHaveLength(0)
      // Allowed values: bare array with page + pageSize; modules, releases, suites: arrays without paging.
      const priority = yield* fieldByLabel(sb, "test-cases", "Priority")
      expect(yield* ok(sb, "GET", p(sb, `/settings/test-cases/fields/${priority.id}/allowed-values?page=2&pageSize=3`))).toHaveLength(1)
      expect(Array.isArray(yield* ok(sb, "GET", p(sb, "/modules")))).toBe(true)
      expect(Array.isArray(yield* ok(sb, "GET", p(sb, "/releases")))).toBe(true)
      expect(Array.isArray(yield* ok(sb, "GET", p(sb, "/test-suites")))).toBe(true)
    })
  )

  it.scopedLive(BULLETS.resources, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({})
      const priority = yield* fieldByLabel(sb, "test-cases", "Priority")
      const module = yield* ok(sb, "POST", p(sb, "/modules"), { json: { name: "M" } }, 201)
      const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), {
        json: { name: "Case", parent_id: module.id, properties: [{ field_id: priority.id, field_value: String(valueOf(priority, "High")) }] }
      })
      yield* ok(sb, "PUT", p(sb, `/test-cases/${tc.id}/approve`))
      const release = yield* ok(sb, "POST", p(sb, "/releases"), { json: { name: "R", properties: [] } }, 201)
      const cycle = yield* ok(sb, "POST", p(sb, "/test-cycles?parentId=0&parentType=root"), { json: { name: "C" } }, 201)
      const suite = yield* ok(sb, "POST", p(sb, `/test-suites?parentId=${cycle.id}&parentType=test-cycle`), { json: { name: "S", properties: [] } })
      const run = yield* ok(sb, "POST", p(sb, `/test-runs?parentId=${suite.id}&parentType=test-suite`), { json: { name: "Run", test_case: { id: tc.id } } }, 201)
      const requirement = yield* ok(sb, "POST", p(sb, "/requirements"), { json: { name: "Req", properties: [] } })
      const expected = [
        [module, "MD-", null],
        [tc, "TC-", "tab=testdesign&object=1"],
        [release, "RL-", "tab=testplan&object=8"],
        [cycle, "CL-", "tab=testexecution&object=4"],
        [suite, "TS-", "tab=testexecution&object=2"],
        [run, "TR-", null],
        [requirement, "RQ-", "tab=requirements&object=5"]
      ] as const
      for (const [resource, prefix, tab] of expected) {
        expect(resource.pid).toMatch(new RegExp(`^${prefix}\\d+$`))
        const self = resource.links.find((l: any) => l.rel === "self")
        expect(self.href.startsWith(`${sb.baseUrl}/api/v3/projects/${sb.projectId}/`)).toBe(true)
        // The self link reads the same object back.
        expect((yield* ok(sb, "GET", self.href)).id).toBe(resource.id)
        // `web_url` only where the description declares one: modules and test runs have none.
        if (tab === null) expect(resource).not.toHaveProperty("web_url")
        else expect(resource.web_url).toBe(`${sb.baseUrl}/p/${sb.projectId}/portal/project#${tab}&id=${resource.id}`)
      }
      // Properties echo the field's name and the value's name (a picklist value's label).
      const read = yield* ok(sb, "GET", p(sb, `/test-cases/${tc.id}`))
      expect(read.properties).toContainEqual({ field_id: priority.id, field_name: "Priority", field_value: String(valueOf(priority, "High")), field_value_name: "High" })
      for (const prop of [...read.properties, ...run.properties]) expect(Object.keys(prop).sort()).toEqual(["field_id", "field_name", "field_value", "field_value_name"])
    })
  )

  it.scopedLive(BULLETS.versioning, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({})
      const created = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "V", properties: [] } })
      expect(created.version).toBe("0.1")
      const seen = new Set<number>([created.test_case_version_id])
      const labels: Array<string> = [created.version]
      const step = (method: string, path: string, json?: unknown) =>
        Effect.map(ok(sb, method, p(sb, `/test-cases/${created.id}${path}`), json === undefined ? {} : { json }), (tc) => {
          expect(seen.has(tc.test_case_version_id), tc.version).toBe(false)
          seen.add(tc.test_case_version_id)
          labels.push(tc.version)
          return tc
        })
      yield* step("PUT", "", { name: "V", description: "a" })
      yield* step("PUT", "", { name: "V", description: "b" })
      yield* step("PUT", "/approve")
      yield* step("PUT", "", { name: "V2" })
      yield* step("PUT", "/approve")
      yield* step("PUT", "", { description: "c" })
      expect(labels).toEqual(["0.1", "0.2", "0.3", "1.0", "1.1", "2.0", "2.1"])
      // The versions list: approved majors plus the last unapproved minor (S1 getVersions).
      const versions = yield* ok(sb, "GET", p(sb, `/test-cases/${created.id}/versions`))
      expect(versions.map((v: any) => v.version)).toEqual(["1.0", "2.0", "2.1"])
      // An older version reads with its own content.
      const v1 = yield* ok(sb, "GET", p(sb, `/test-cases/${created.id}?versionId=${versions[0].test_case_version_id}`))
      expect(v1).toMatchObject({ name: "V", version: "1.0", description: "b" })
      expect((yield* ok(sb, "GET", p(sb, `/test-cases/${created.id}`))).name).toBe("V2")
    })
  )

  it.scopedLive(BULLETS.defaultModule, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({})
      expect(yield* ok(sb, "GET", p(sb, "/modules"))).toEqual([])
      const a = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "A", properties: [] } })
      const b = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "B" } })
      const roots = yield* ok(sb, "GET", p(sb, "/modules"))
      expect(roots.map((m: any) => m.name)).toEqual(["Created via API"])
      expect(a.parent_id).toBe(roots[0].id)
      expect(b.parent_id).toBe(roots[0].id)
      const mine = yield* ok(sb, "POST", p(sb, "/modules"), { json: { name: "Mine" } }, 201)
      expect((yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "C", parent_id: mine.id, properties: [] } })).parent_id).toBe(mine.id)
      expect((yield* ok(sb, "GET", p(sb, `/test-cases?parentId=${roots[0].id}`))).map((c: any) => c.name)).toEqual(["A", "B"])
    })
  )

  it.scopedLive(BULLETS.errors, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ requiredTestCaseFields: ["Zephyr Key"], maxAttachmentBytes: 1024, rateLimit: 1000 })
      const messageOnly = (body: any) => expect(Object.keys(body ?? {})).toEqual(["message"])
      const key = yield* fieldByLabel(sb, "test-cases", "Zephyr Key")
      const priority = yield* fieldByLabel(sb, "test-cases", "Priority")
      // 412 without a project-required field; 400 for an unknown field or a value that is not allowed.
      const missing = yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "No key", properties: [] } })
      expect(missing.status).toBe(412)
      expect(missing.body.message).toContain("Zephyr Key")
      messageOnly(missing.body)
      for (const properties of [
        [{ field_id: key.id, field_value: "K-1" }, { field_id: 123, field_value: "x" }],
        [{ field_id: key.id, field_value: "K-1" }, { field_id: priority.id, field_value: "999" }],
        [{ field_id: key.id, field_value: "K-1" }, { field_id: priority.id, field_value: "High" }]
      ]) {
        const r = yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "Bad", properties } })
        expect(r.status).toBe(400)
        messageOnly(r.body)
      }
      const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Good", properties: [{ field_id: key.id, field_value: "K-1" }] } })
      // 400 on test-run create without name or test_case.id.
      for (const json of [{ test_case: { id: tc.id } }, { name: "Run" }, { name: "Run", test_case: {} }]) {
        const r = yield* call(sb, "POST", p(sb, "/test-runs"), { json })
        expect(r.status).toBe(400)
        messageOnly(r.body)
      }
      // 413 above the configured attachment size: inline and uploaded.
      const big = Buffer.alloc(1025, 7)
      const inline = yield* call(sb, "POST", p(sb, "/test-cases"), {
        json: { name: "Big", properties: [{ field_id: key.id, field_value: "K-2" }], attachments: [{ name: "big.bin", content_type: "application/octet-stream", data: big.toString("base64") }] }
      })
      expect(inline.status).toBe(413)
      messageOnly(inline.body)
      const upload = yield* call(sb, "POST", p(sb, `/test-cases/${tc.id}/blob-handles`), { raw: new Uint8Array(big), headers: { "file-name": "big.bin", "content-type": "application/octet-stream" } })
      expect(upload.status).toBe(413)
      messageOnly(upload.body)
      const fits = yield* call(sb, "POST", p(sb, `/test-cases/${tc.id}/blob-handles`), { raw: new Uint8Array(big.subarray(0, 1024)), headers: { "file-name": "ok.bin", "content-type": "application/octet-stream" } })
      expect(fits.status).toBe(201)
      // x-ratelimit-* on every response.
      const normal = yield* call(sb, "GET", p(sb))
      for (const h of ["x-ratelimit-limit-minute", "x-ratelimit-remaining-minute", "x-ratelimit-limit-month", "x-ratelimit-remaining-month", "ratelimit-limit", "ratelimit-reset"]) {
        expect(normal.headers.get(h), h).toMatch(/^\d+$/)
      }
      // 429 with retry-after (seconds) and the headers, at a configurable quota.
      const slow = yield* startQtestSandbox({ rateLimit: 2 })
      const results = yield* Effect.all(
        Array.from({ length: 20 }, () => attempt(slow, "GET", p(slow))),
        { concurrency: 20 }
      )
      const throttled = results.filter((r) => r !== "dropped" && r.status === 429)
      // 2 per one-second window; a burst can straddle two windows.
      expect(throttled.length).toBeGreaterThanOrEqual(16)
      for (const r of throttled) {
        if (r === "dropped") continue
        expect(r.body).toEqual({ message: "API rate limit exceeded" })
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThanOrEqual(1)
        expect(r.headers.get("x-ratelimit-remaining-minute")).toMatch(/^\d+$/)
        expect(r.headers.get("x-ratelimit-limit-month")).toMatch(/^\d+$/)
        expect(r.headers.get("ratelimit-limit")).toBe("2")
      }
      // Every other error: {message} and nothing else.
      for (const [method, path, status] of [
        ["GET", p(sb, "/test-cases/1"), 404],
        ["GET", "/api/v3/projects/1", 404],
        ["GET", "/api/v3/nothing", 404],
        ["DELETE", p(sb, "/test-runs/execution-statuses"), 405]
      ] as const) {
        const r = yield* call(sb, method, path)
        expect(r.status, path).toBe(status)
        messageOnly(r.body)
      }
    })
  )

  it.scopedLive(BULLETS.batch, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({})
      const cycle = yield* ok(sb, "POST", p(sb, "/test-cycles?parentId=0&parentType=root"), { json: { name: "Automation" } }, 201)
      const entry = (status: string, end: string, orders: ReadonlyArray<number> = [0, 1]) => ({
        name: "Checkout works",
        automation_content: "com.acme.CheckoutTest#works",
        status,
        exe_start_date: "2024-03-01T10:00:00Z",
        exe_end_date: end,
        module_names: ["Shop", "Checkout"],
        test_step_logs: orders.map((order) => ({ order, description: `Step ${order}`, expected_result: "ok", actual_result: "ok", status }))
      })
      const submit = (logs: ReadonlyArray<unknown>) => ok(sb, "POST", p(sb, "/auto-test-logs?type=automation"), { json: { test_cycle: cycle.pid, test_logs: logs } }, 201)
      // 201 with a job id, IN_WAITING; the work is not there until the job has run.
      const job = yield* submit([entry("PASSED", "2024-03-01T10:01:00Z")])
      expect(job).toMatchObject({ id: expect.any(Number), type: "AUTOMATION_TEST_LOG", state: "IN_WAITING" })
      expect(yield* ok(sb, "GET", p(sb, "/test-runs"))).toMatchObject({ total: 0 })
      const { states, job: done } = yield* pollJob(sb, job.id)
      expect(states).toEqual(["IN_WAITING", "IN_PROCESSING", "SUCCESS"])
      expect(typeof done.content).toBe("string")
      const runs = (yield* ok(sb, "GET", p(sb, "/test-runs"))).items
      expect(runs).toHaveLength(1)
      // Reuse by automation_content: the same case and run, one more log.
      yield* pollJob(sb, (yield* submit([entry("FAILED", "2024-03-01T11:00:00Z")])).id)
      const after = (yield* ok(sb, "GET", p(sb, "/test-runs"))).items
      expect(after.map((r: any) => r.id)).toEqual(runs.map((r: any) => r.id))
      expect(after[0].latest_test_log.status).toBe("Failed")
      expect((yield* ok(sb, "GET", p(sb, `/test-runs/${runs[0].id}/test-logs`))).total).toBe(2)
      const cases = yield* ok(sb, "POST", p(sb, "/search"), { json: { object_type: "test-cases", query: "'Automation Content' = 'com.acme.CheckoutTest#works'" } })
      expect(cases.total).toBe(1)
      // Step order must start at 0 and be continuous: the job fails, with the reason, and nothing is applied.
      for (const orders of [
        [1, 2],
        [0, 2]
      ]) {
        const bad = yield* pollJob(sb, (yield* submit([{ ...entry("PASSED", "2024-03-02T10:00:00Z", orders), automation_content: `other-${orders.join("")}` }])).id)
        expect(bad.states.at(-1)).toBe("FAILED")
        expect(JSON.parse(bad.job.content).message).toMatch(/continuous series of numbers starting from 0/)
      }
      expect((yield* ok(sb, "GET", p(sb, "/test-runs"))).total).toBe(1)
    })
  )

  it.scopedLive(BULLETS.links, () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ requirements: ["DEMO-12 Login story"], extraExecutionStatuses: [{ name: "Not Applicable", color: "#cccccc" }] })
      const [requirement] = yield* ok(sb, "GET", p(sb, "/requirements"))
      expect(requirement).toMatchObject({ name: "DEMO-12 Login story", pid: "RQ-1" })
      const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Login", properties: [] } })
      const release = yield* ok(sb, "POST", p(sb, "/releases"), { json: { name: "R", properties: [] } }, 201)
      // Unknown ids and objects of another kind are ignored; only the test case is linked.
      const linked = yield* ok(sb, "POST", p(sb, `/requirements/${requirement.id}/link?type=test-cases`), { json: [tc.id, 999_999_999, release.id, requirement.id] })
      expect(linked).toEqual([{ id: requirement.id, pid: "RQ-1", objects: [{ id: tc.id, pid: tc.pid, link_type: "is_covered_by", self: expect.stringContaining(`/test-cases/${tc.id}`) }] }])
      const artifacts = yield* ok(sb, "GET", p(sb, `/linked-artifacts?type=requirements&ids=${requirement.id}`))
      expect(artifacts[0].objects.map((o: any) => o.id)).toEqual([tc.id])
      // Test cases are not a link source.
      expect((yield* call(sb, "POST", p(sb, `/test-cases/${tc.id}/link?type=requirements`), { json: [requirement.id] })).status).toBe(400)
      // Execution statuses: 601 Passed and the defaults, plus the configured custom one with an allocated id.
      const statuses = yield* ok(sb, "GET", p(sb, "/test-runs/execution-statuses"))
      expect(statuses[0]).toMatchObject({ id: 601, name: "Passed" })
      expect(statuses.map((s: any) => s.name)).toEqual(["Passed", "Failed", "Incomplete", "Blocked", "Unexecuted", "Not Applicable"])
      const custom = statuses.find((s: any) => s.name === "Not Applicable")
      expect(custom.id).toBeGreaterThan(1000)
      yield* ok(sb, "PUT", p(sb, `/test-cases/${tc.id}/approve`))
      const run = yield* ok(sb, "POST", p(sb, "/test-runs"), { json: { name: "Run", test_case: { id: tc.id } } }, 201)
      yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: custom.id }, ...DATES } }, 201)
      expect((yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}`))).latest_test_log.status).toBe("Not Applicable")
      const runStatus = yield* fieldByLabel(sb, "test-runs", "Status")
      expect(runStatus.allowed_values.map((v: any) => v.value)).toEqual(statuses.map((s: any) => s.id))
    })
  )

  it("the tests above are exactly the items of docs/vendors/qtest.md §5", () => {
    expect(checklistItems(readFileSync(vendorNotes.qtest, "utf8"), "## 5. Simulator checklist")).toEqual(Object.values(BULLETS))
  })
})
