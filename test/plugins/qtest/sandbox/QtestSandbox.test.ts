/**
 * The qTest sandbox's behaviour over real loopback HTTP: test case writes (steps, called cases, parameters,
 * atomicity), field validation (400 / 412), attachments (413 by Content-Length and while streaming, bytes back),
 * runs and logs (version rules, step logs of called cases, the latest log), search, the automation job
 * lifecycle, modules and cycles (move, delete with force), the control endpoints (reject, reset, parameters)
 * and the request statistics.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Buffer } from "node:buffer"
import * as http from "node:http"
import { startQtestSandbox, type RunningQtestSandbox } from "../../../../plugins/qtest/sandbox/QtestSandbox.ts"
import { call, control, fieldByLabel, ok, p, pollJob, valueOf } from "./helpers.ts"

const DATES = { exe_start_date: "2024-03-01T10:00:00Z", exe_end_date: "2024-03-01T10:05:00Z" }

/** An approved case with two ordinary steps, and a run of it under the root. */
const caseWithRun = (sb: RunningQtestSandbox, name = "Case") =>
  Effect.gen(function* () {
    const created = yield* ok(sb, "POST", p(sb, "/test-cases"), {
      json: { name, properties: [], test_steps: [{ description: "One", expected: "1" }, { description: "Two", expected: "2" }] }
    })
    const tc = yield* ok(sb, "PUT", p(sb, `/test-cases/${created.id}/approve`))
    const run = yield* ok(sb, "POST", p(sb, "/test-runs"), { json: { name, test_case: { id: tc.id } } }, 201)
    return { tc, run }
  })

/** Uploads `total` bytes in chunks without a Content-Length (chunked transfer encoding). */
const chunkedUpload = (sb: RunningQtestSandbox, path: string, total: number) =>
  Effect.promise(
    () =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(`${sb.baseUrl}${path}`, {
          method: "POST",
          headers: { authorization: `Bearer ${sb.token}`, "file-name": "stream.bin", "content-type": "application/octet-stream", "transfer-encoding": "chunked" }
        })
        req.on("response", (res) => {
          const chunks: Array<Buffer> = []
          res.on("data", (c: Buffer) => chunks.push(c))
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }))
        })
        req.on("error", reject)
        let sent = 0
        const chunk = Buffer.alloc(4096, 1)
        const pump = () => {
          while (sent < total) {
            sent += chunk.byteLength
            if (!req.write(chunk)) return void req.once("drain", pump)
          }
          req.end()
        }
        pump()
      })
  )

describe("QtestSandbox", () => {
  describe("test cases", () => {
    it.scopedLive("a calling step needs an approved called case, or called_test_case {id, approved: true}", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const shared = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Shared", properties: [], test_steps: [{ description: "s", expected: "e" }] } })
        const refused = yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "Caller", properties: [], test_steps: [{ called_test_case_id: shared.id }] } })
        expect(refused.status).toBe(400)
        expect(refused.body.message).toMatch(/no approved version/)
        const caller = yield* ok(sb, "POST", p(sb, "/test-cases"), {
          json: { name: "Caller", properties: [], test_steps: [{ description: "", expected: "", called_test_case: { id: shared.id, approved: true } }] }
        })
        expect(caller.test_steps[0]).toMatchObject({ called_test_case_id: shared.id, called_test_case_name: "Shared" })
        expect((yield* ok(sb, "GET", p(sb, `/test-cases/${shared.id}`))).version).toBe("1.0")
        const unknown = yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "X", test_steps: [{ called_test_case_id: 12345 }] } })
        expect(unknown.status).toBe(400)
      })
    )

    it.scopedLive("ordinary steps need description and expected; steps sort by order and number from 1", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        for (const step of [{ expected: "e" }, { description: "d" }]) {
          expect((yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "X", test_steps: [step] } })).status).toBe(400)
        }
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), {
          json: { name: "Ordered", test_steps: [{ description: "second", expected: "", order: 2 }, { description: "first", expected: "", order: 1 }] }
        })
        expect(tc.test_steps.map((s: any) => [s.order, s.description])).toEqual([
          [1, "first"],
          [2, "second"]
        ])
      })
    )

    it.scopedLive("`[~identifier]` creates a parameter and reads back as [~id] unless showParamIdentifier=true", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), {
          json: { name: "Params", test_steps: [{ description: "Log in as [~user] and ping [~accountid:5b10a284]", expected: "Hi [~user]" }, { description: "Escaped &#91;~user]", expected: "" }] }
        })
        const params = sb.parameters()
        expect(params.map((x) => x.identifier).sort()).toEqual(["accountid:5b10a284", "user"])
        const user = params.find((x) => x.identifier === "user")
        expect(tc.test_steps[0].description).toBe(`Log in as [~${user?.id}] and ping [~${params.find((x) => x.identifier !== "user")?.id}]`)
        expect(tc.test_steps[1].description).toBe("Escaped &#91;~user]")
        const raw = yield* ok(sb, "GET", p(sb, `/test-cases/${tc.id}/test-steps?showParamIdentifier=true`))
        expect(raw[0]).toMatchObject({ description: "Log in as [~user] and ping [~accountid:5b10a284]", expected: "Hi [~user]" })
        const listed = yield* control(sb, "GET", "parameters")
        expect(listed.body).toEqual(params)
      })
    )

    it.scopedLive("a refused write leaves nothing behind: no case, no module, no parameter, no PID used", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const refused = yield* call(sb, "POST", p(sb, "/test-cases"), {
          json: { name: "Half", test_steps: [{ description: "[~p1]", expected: "" }, { description: "no expected" }] }
        })
        expect(refused.status).toBe(400)
        expect(yield* ok(sb, "GET", p(sb, "/modules"))).toEqual([])
        expect(yield* ok(sb, "GET", p(sb, "/test-cases"))).toEqual([])
        expect(sb.parameters()).toEqual([])
        const next = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Whole" } })
        expect(next.pid).toBe("TC-1")
      })
    )

    it.scopedLive("PUT merges properties, keeps steps unless given, and moves with parent_id", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const priority = yield* fieldByLabel(sb, "test-cases", "Priority")
        const status = yield* fieldByLabel(sb, "test-cases", "Status")
        const target = yield* ok(sb, "POST", p(sb, "/modules"), { json: { name: "Target" } }, 201)
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), {
          json: { name: "P", properties: [{ field_id: priority.id, field_value: String(valueOf(priority, "Low")) }], test_steps: [{ description: "a", expected: "b" }] }
        })
        // Defaults for fields the request left out.
        expect(tc.properties.find((x: any) => x.field_id === status.id).field_value_name).toBe("New")
        const updated = yield* ok(sb, "PUT", p(sb, `/test-cases/${tc.id}`), {
          json: { parent_id: target.id, properties: [{ field_id: status.id, field_value: String(valueOf(status, "In Review")) }] }
        })
        expect(updated.parent_id).toBe(target.id)
        expect(updated.test_steps.map((s: any) => s.id)).toEqual(tc.test_steps.map((s: any) => s.id))
        const names = Object.fromEntries(updated.properties.map((x: any) => [x.field_name, x.field_value_name]))
        expect(names).toMatchObject({ Priority: "Low", Status: "In Review" })
        const cleared = yield* ok(sb, "PUT", p(sb, `/test-cases/${tc.id}`), { json: { properties: [{ field_id: priority.id, field_value: "" }], test_steps: [] } })
        expect(cleared.properties.some((x: any) => x.field_id === priority.id)).toBe(false)
        expect(cleared.test_steps).toEqual([])
      })
    )

    it.scopedLive("test-step endpoints add, edit and delete steps, each as a new version", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "S", test_steps: [{ description: "a", expected: "1" }] } })
        const added = yield* ok(sb, "POST", p(sb, `/test-cases/${tc.id}/test-steps`), { json: { description: "b", expected: "2" } })
        expect(added.order).toBe(2)
        const first = yield* ok(sb, "POST", p(sb, `/test-cases/${tc.id}/test-steps`), { json: { description: "z", expected: "0", order: 1 } })
        expect(first.order).toBe(1)
        yield* ok(sb, "PUT", p(sb, `/test-cases/${tc.id}/test-steps/${added.id}`), { json: { expected: "two" } })
        yield* ok(sb, "DELETE", p(sb, `/test-cases/${tc.id}/test-steps/${first.id}`))
        const steps = yield* ok(sb, "GET", p(sb, `/test-cases/${tc.id}/test-steps`))
        expect(steps.map((s: any) => [s.description, s.expected])).toEqual([
          ["a", "1"],
          ["b", "two"]
        ])
        expect((yield* ok(sb, "GET", p(sb, `/test-cases/${tc.id}`))).version).toBe("0.5")
        expect((yield* call(sb, "GET", p(sb, `/test-cases/${tc.id}/test-steps/${first.id}`))).status).toBe(404)
      })
    )

    it.scopedLive("lists filter by module, honour expandProps=false / expandSteps and accept a PID for a single case", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "L", test_steps: [{ description: "a", expected: "" }] } })
        const bare = yield* ok(sb, "GET", p(sb, "/test-cases?expandProps=false"))
        expect(bare[0].properties).toBeUndefined()
        expect(bare[0].test_steps).toBeUndefined()
        expect((yield* ok(sb, "GET", p(sb, "/test-cases?expandSteps=true")))[0].test_steps).toHaveLength(1)
        expect((yield* ok(sb, "GET", p(sb, `/test-cases/${tc.pid}`))).id).toBe(tc.id)
        // modifiedAfter: only cases saved after the instant.
        const before = new Date(Date.now() - 1000).toISOString()
        const after = new Date(Date.now() + 60_000).toISOString()
        expect(yield* ok(sb, "GET", p(sb, `/test-cases?modifiedAfter=${before}`))).toHaveLength(1)
        expect(yield* ok(sb, "GET", p(sb, `/test-cases?modifiedAfter=${after}`))).toHaveLength(0)
        expect((yield* call(sb, "GET", p(sb, "/test-cases?parentId=1"))).status).toBe(404)
      })
    )
  })

  describe("fields", () => {
    it.scopedLive("custom fields and values get large allocated ids; picklists take value ids, user lists user ids", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ users: [{ username: "jane@example.com", email: "jane@example.com", first_name: "Jane", last_name: "Doe" }] })
        const field = yield* ok(sb, "POST", p(sb, "/settings/test-runs/fields"), { json: { label: "Browser", data_type: 3, allowed_values: [{ label: "Chrome" }] } }, 201)
        expect(field.id).toBeGreaterThanOrEqual(800_000)
        expect(field.allowed_values[0].value).toBeGreaterThanOrEqual(800_000)
        const more = yield* ok(sb, "POST", p(sb, `/settings/test-runs/fields/${field.id}/allowed-values`), { json: [{ label: "Firefox" }, { label: "Safari" }] }, 201)
        expect(more.total).toBe(2)
        expect((yield* call(sb, "POST", p(sb, `/settings/test-runs/fields/${field.id}/allowed-values`), { json: [{ label: "Chrome" }] })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, `/settings/test-runs/fields/${field.id}/allowed-values`), { json: Array.from({ length: 101 }, (_, i) => ({ label: `v${i}` })) })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/settings/test-runs/fields"), { json: { label: "Browser", data_type: 1 } })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/settings/test-runs/fields"), { json: { label: "Tags", data_type: 17 } })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/settings/test-steps/fields"), { json: { label: "Data", data_type: 1 } })).status).toBe(400)
        const tags = yield* ok(sb, "POST", p(sb, "/settings/test-cases/fields"), { json: { label: "Tags", data_type: 17, multiple: true, allowed_values: [{ label: "a" }, { label: "b" }] } }, 201)
        const assignee = yield* fieldByLabel(sb, "test-cases", "Assigned To")
        const users = yield* ok(sb, "GET", p(sb, "/users"))
        const jane = users.find((u: any) => u.username === "jane@example.com")
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), {
          json: {
            name: "Typed",
            properties: [
              { field_id: tags.id, field_value: `[${tags.allowed_values[0].value},${tags.allowed_values[1].value}]` },
              { field_id: assignee.id, field_value: String(jane.id) }
            ]
          }
        })
        const names = Object.fromEntries(tc.properties.map((x: any) => [x.field_name, x.field_value_name]))
        expect(names).toMatchObject({ Tags: "a, b", "Assigned To": "Jane Doe" })
        expect((yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "X", properties: [{ field_id: assignee.id, field_value: "1" }] } })).status).toBe(400)
        const runFields = yield* ok(sb, "GET", p(sb, "/settings/test-runs/fields"))
        expect(runFields.map((f: any) => f.label)).toEqual(expect.arrayContaining(["Status", "Priority", "Assigned To", "Environment", "Browser"]))
      })
    )

    it.scopedLive("requiredTestCaseFields: an existing field becomes required, a new label becomes a required text field", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ requiredTestCaseFields: ["Priority", "Zephyr Key"] })
        const fields = yield* ok(sb, "GET", p(sb, "/settings/test-cases/fields"))
        expect(fields.filter((f: any) => f.required).map((f: any) => f.label)).toEqual(["Priority", "Zephyr Key"])
        const r = yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "X", properties: [] } })
        expect(r.status).toBe(412)
        expect(r.body.message).toContain("Zephyr Key")
        const key = fields.find((f: any) => f.label === "Zephyr Key")
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "X", properties: [{ field_id: key.id, field_value: "K-1" }] } })
        // Clearing a required field on update is a 412 too.
        expect((yield* call(sb, "PUT", p(sb, `/test-cases/${tc.id}`), { json: { properties: [{ field_id: key.id, field_value: "" }] } })).status).toBe(412)
      })
    )
  })

  describe("attachments", () => {
    it.scopedLive("uploads come back byte for byte; inline ones too; deleted ones are gone", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const { run, tc } = yield* caseWithRun(sb)
        const bytes = new Uint8Array(Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)))
        const a = yield* ok(sb, "POST", p(sb, `/test-cases/${tc.id}/blob-handles`), { raw: bytes, headers: { "file-name": encodeURIComponent("Schéma 1.png"), "content-type": "image/png" } }, 201)
        expect(a).toMatchObject({ name: "Schéma 1.png", content_type: "image/png", artifact_id: tc.id })
        const got = yield* call(sb, "GET", p(sb, `/test-cases/${tc.id}/attachments/${a.id}`))
        expect(Buffer.from(got.bytes).equals(Buffer.from(bytes))).toBe(true)
        expect(got.headers.get("content-type")).toBe("image/png")
        const log = yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), {
          json: { status: { id: 602 }, ...DATES, attachments: [{ name: "out.txt", content_type: "text/plain", data: Buffer.from("hello").toString("base64") }] }
        }, 201)
        const listed = yield* ok(sb, "GET", p(sb, `/test-logs/${log.id}/attachments`))
        expect(listed.map((x: any) => x.name)).toEqual(["out.txt"])
        expect(new TextDecoder().decode((yield* call(sb, "GET", p(sb, `/test-logs/${log.id}/attachments/${listed[0].id}`))).bytes)).toBe("hello")
        yield* ok(sb, "DELETE", p(sb, `/test-cases/${tc.id}/blob-handles/${a.id}`))
        expect((yield* call(sb, "GET", p(sb, `/test-cases/${tc.id}/attachments/${a.id}`))).status).toBe(404)
        // Headers are required; the owner must exist; base64 must be base64.
        expect((yield* call(sb, "POST", p(sb, `/test-cases/${tc.id}/blob-handles`), { raw: bytes, headers: { "content-type": "image/png" } })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/test-cases/1/blob-handles"), { raw: bytes, headers: { "file-name": "x", "content-type": "image/png" } })).status).toBe(404)
        expect((yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "B", attachments: [{ name: "x", content_type: "text/plain", data: "not base64!" }] } })).status).toBe(400)
      })
    )

    it.scopedLive("413 above maxAttachmentBytes by Content-Length, and while streaming a chunked upload", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ maxAttachmentBytes: 64 * 1024 })
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Big" } })
        const declared = yield* call(sb, "POST", p(sb, `/test-cases/${tc.id}/blob-handles`), { raw: new Uint8Array(64 * 1024 + 1), headers: { "file-name": "x.bin", "content-type": "application/octet-stream" } })
        expect(declared.status).toBe(413)
        const streamed = yield* chunkedUpload(sb, p(sb, `/test-cases/${tc.id}/blob-handles`), 200 * 1024)
        expect(streamed.status).toBe(413)
        expect(JSON.parse(streamed.body).message).toMatch(/too large/)
        const small = yield* chunkedUpload(sb, p(sb, `/test-cases/${tc.id}/blob-handles`), 32 * 1024)
        expect(small.status).toBe(201)
        expect(yield* ok(sb, "GET", p(sb, `/test-cases/${tc.id}/attachments`))).toHaveLength(1)
      })
    )
  })

  describe("test runs and logs", () => {
    it.scopedLive("a log without test_case_version_id goes to the latest approved version; none approved is a 400", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const draft = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Draft" } })
        const run = yield* ok(sb, "POST", p(sb, "/test-runs"), { json: { name: "Draft run", test_case: { id: draft.id } } }, 201)
        // A run of an unapproved case takes its current version.
        expect(run.test_case_version).toBe("0.1")
        const refused = yield* call(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, ...DATES } })
        expect(refused.status).toBe(400)
        expect(refused.body.message).toMatch(/no approved version/)
        const explicit = yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, ...DATES, test_case_version_id: run.test_case_version_id } }, 201)
        expect(explicit.test_case_version_id).toBe(run.test_case_version_id)
        const approved = yield* ok(sb, "PUT", p(sb, `/test-cases/${draft.id}/approve`))
        yield* ok(sb, "PUT", p(sb, `/test-cases/${draft.id}`), { json: { description: "after approval" } })
        const implicit = yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, ...DATES } }, 201)
        expect(implicit.test_case_version_id).toBe(approved.test_case_version_id)
        // A version of another case is refused.
        const other = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Other" } })
        expect((yield* call(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, ...DATES, test_case_version_id: other.test_case_version_id } })).status).toBe(400)
      })
    )

    it.scopedLive("log validation: status of the project, both dates, in order; step ids of the version", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const { tc, run } = yield* caseWithRun(sb)
        const bad = [
          { ...DATES },
          { status: { id: 42 }, ...DATES },
          { status: "Passed", ...DATES },
          { status: { id: 601 }, exe_start_date: DATES.exe_start_date },
          { status: { id: 601 }, exe_start_date: "yesterday", exe_end_date: DATES.exe_end_date },
          { status: { id: 601 }, exe_start_date: DATES.exe_end_date, exe_end_date: DATES.exe_start_date },
          { status: { id: 601 }, ...DATES, test_step_logs: [{ test_step_id: 1, status: { id: 601 } }] },
          { status: { id: 601 }, ...DATES, test_step_logs: [{ test_step_id: tc.test_steps[0].id }] }
        ]
        for (const json of bad) {
          const r = yield* call(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json })
          expect(r.status, JSON.stringify(json)).toBe(400)
        }
        expect((yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}/test-logs`))).total).toBe(0)
      })
    )

    it.scopedLive("step logs of a called case need called_test_case_id and parent_test_step_id", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const shared = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Shared", test_steps: [{ description: "inner", expected: "" }] } })
        yield* ok(sb, "PUT", p(sb, `/test-cases/${shared.id}/approve`))
        const caller = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Caller", test_steps: [{ description: "own", expected: "" }, { called_test_case_id: shared.id }] } })
        const approved = yield* ok(sb, "PUT", p(sb, `/test-cases/${caller.id}/approve`))
        const run = yield* ok(sb, "POST", p(sb, "/test-runs"), { json: { name: "Caller", test_case: { id: caller.id } } }, 201)
        const expanded = yield* ok(sb, "GET", p(sb, `/test-cases/${caller.id}/versions/${approved.test_case_version_id}/test-steps?expand=calledteststep`))
        const inner = expanded.find((s: any) => s.parent_test_step_id !== undefined)
        expect(inner).toMatchObject({ description: "inner", parent_test_step_id: approved.test_steps[1].id })
        const withoutIds = yield* call(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, ...DATES, test_step_logs: [{ test_step_id: inner.id, status: { id: 601 } }] } })
        expect(withoutIds.status).toBe(400)
        expect(withoutIds.body.message).toMatch(/called_test_case_id and parent_test_step_id/)
        const log = yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), {
          json: {
            status: { id: 602 },
            ...DATES,
            test_step_logs: [
              { test_step_id: approved.test_steps[0].id, status: { id: 601 }, actual_result: "ok" },
              { test_step_id: inner.id, status: { id: 602 }, called_test_case_id: shared.id, parent_test_step_id: approved.test_steps[1].id, actual_result: "broke" }
            ]
          }
        }, 201)
        expect(log.test_step_logs.map((s: any) => s.status.name)).toEqual(["Passed", "Failed"])
        const last = yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}/test-logs/last-run?expand=teststeplog.teststep`))
        expect(last.test_step_logs[1].test_step.description).toBe("inner")
      })
    )

    it.scopedLive("latest_test_log follows the latest exe_end_date, not the last submitted; PUT edits a log", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const { tc, run } = yield* caseWithRun(sb)
        const late = yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 602 }, exe_start_date: "2024-05-01T10:00:00Z", exe_end_date: "2024-05-01T10:00:00Z" } }, 201)
        yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, exe_start_date: "2024-01-01T10:00:00Z", exe_end_date: "2024-01-01T10:00:00Z" } }, 201)
        const read = yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}`))
        expect(read.latest_test_log).toMatchObject({ id: late.id, status: "Failed" })
        expect(read.properties.find((x: any) => x.field_name === "Status").field_value_name).toBe("Failed")
        expect((yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}/test-logs/last-run`))).id).toBe(late.id)
        const withSteps = yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), {
          json: { status: { id: 602 }, exe_start_date: "2024-02-01T10:00:00Z", exe_end_date: "2024-02-01T10:00:00Z", test_step_logs: [{ test_step_id: tc.test_steps[0].id, order: 1, status: { id: 602 } }] }
        }, 201)
        const edited = yield* ok(sb, "PUT", p(sb, `/test-runs/${run.id}/test-logs/${withSteps.id}`), {
          json: { status: { id: 601 }, exe_start_date: "2024-02-01T10:00:00Z", exe_end_date: "2024-06-01T10:00:00Z", test_step_logs: [{ order: 1, status: { id: 601 }, actual_result: "fixed" }] }
        })
        expect(edited.test_step_logs[0]).toMatchObject({ actual_result: "fixed", status: { id: 601 } })
        expect((yield* ok(sb, "GET", p(sb, `/test-runs/${run.id}`))).latest_test_log.id).toBe(withSteps.id)
        expect((yield* call(sb, "PUT", p(sb, `/test-runs/${run.id}/test-logs/${withSteps.id}`), { json: { status: { id: 601 }, ...DATES, test_step_logs: [{ order: 9, status: { id: 601 } }] } })).status).toBe(400)
      })
    )

    it.scopedLive("runs live under root, releases, cycles and suites; expand=descendants lists the subtree; PUT ?parentId moves", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const { tc } = yield* caseWithRun(sb, "Root run")
        const cycle = yield* ok(sb, "POST", p(sb, "/test-cycles?parentId=0&parentType=root"), { json: { name: "C" } }, 201)
        const suite = yield* ok(sb, "POST", p(sb, `/test-suites?parentId=${cycle.id}&parentType=test-cycle`), { json: { name: "S" } })
        const inSuite = yield* ok(sb, "POST", p(sb, `/test-runs?parentId=${suite.id}&parentType=test-suite`), { json: { name: "In suite", test_case: { id: tc.id } } }, 201)
        expect(inSuite).toMatchObject({ parentId: suite.id, parentType: "test-suite" })
        expect((yield* ok(sb, "GET", p(sb, `/test-runs?parentId=${cycle.id}&parentType=test-cycle`))).total).toBe(0)
        expect((yield* ok(sb, "GET", p(sb, `/test-runs?parentId=${cycle.id}&parentType=test-cycle&expand=descendants`))).total).toBe(1)
        expect((yield* ok(sb, "GET", p(sb, "/test-runs?parentId=0&parentType=root"))).total).toBe(1)
        const moved = yield* ok(sb, "PUT", p(sb, `/test-runs/${inSuite.id}?parentId=${cycle.id}&parentType=test-cycle`), { json: { name: "ignored" } })
        expect(moved).toMatchObject({ parentId: cycle.id, parentType: "test-cycle", name: "In suite" })
        expect((yield* call(sb, "POST", p(sb, "/test-runs?parentId=5&parentType=test-cycle"), { json: { name: "X", test_case: { id: tc.id } } })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/test-runs?parentId=5"), { json: { name: "X", test_case: { id: tc.id } } })).status).toBe(400)
        const expanded = yield* ok(sb, "GET", p(sb, `/test-runs/${inSuite.id}?expand=testcase.teststep`))
        expect(expanded.test_case.test_steps).toHaveLength(2)
      })
    )
  })

  describe("modules and the execution tree", () => {
    it.scopedLive("modules nest, order among siblings, move with ?parentId (body ignored) and delete only with force when not empty", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const a = yield* ok(sb, "POST", p(sb, "/modules"), { json: { name: "A" } }, 201)
        const b = yield* ok(sb, "POST", p(sb, "/modules"), { json: { name: "B" } }, 201)
        const a1 = yield* ok(sb, "POST", p(sb, `/modules?parentId=${a.id}`), { json: { name: "A1" } }, 201)
        const legacy = yield* ok(sb, "POST", p(sb, "/modules"), { json: { name: "A2", parent_id: a.id } }, 201)
        expect([a.order, b.order, a1.order, legacy.order]).toEqual([1, 2, 1, 2])
        const tree = yield* ok(sb, "GET", p(sb, "/modules?expand=descendants"))
        expect(tree[0].children.map((m: any) => m.name)).toEqual(["A1", "A2"])
        const moved = yield* ok(sb, "PUT", p(sb, `/modules/${b.id}?parentId=${a1.id}`), { json: { name: "ignored" } })
        expect(moved).toMatchObject({ name: "B", parent_id: a1.id })
        expect((yield* call(sb, "PUT", p(sb, `/modules/${a.id}?parentId=${b.id}`), { json: {} })).status).toBe(400)
        yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "In B", parent_id: b.id } })
        const refused = yield* call(sb, "DELETE", p(sb, `/modules/${a.id}`))
        expect(refused.status).toBe(400)
        yield* ok(sb, "DELETE", p(sb, `/modules/${a.id}?force=true`))
        expect(yield* ok(sb, "GET", p(sb, "/modules"))).toEqual([])
        expect(yield* ok(sb, "GET", p(sb, "/test-cases"))).toEqual([])
        expect((yield* ok(sb, "GET", p(sb, "/modules?search=a1"))).length).toBe(0)
      })
    )

    it.scopedLive("cycles nest under releases and cycles; a non-empty cycle is deleted only with force, with its runs", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const { tc } = yield* caseWithRun(sb)
        const release = yield* ok(sb, "POST", p(sb, "/releases"), { json: { name: "R1" } }, 201)
        const top = yield* ok(sb, "POST", p(sb, `/test-cycles?parentId=${release.id}&parentType=release`), { json: { name: "Top" } }, 201)
        expect(top.target_release_id).toBe(release.id)
        const child = yield* ok(sb, "POST", p(sb, `/test-cycles?parentId=${top.id}&parentType=test-cycle`), { json: { name: "Child" } }, 201)
        yield* ok(sb, "POST", p(sb, `/test-runs?parentId=${child.id}&parentType=test-cycle`), { json: { name: "R", test_case: { id: tc.id } } }, 201)
        const listed = yield* ok(sb, "GET", p(sb, `/test-cycles?parentId=${release.id}&parentType=release&expand=descendants`))
        expect(listed[0]["test-cycles"].map((c: any) => c.name)).toEqual(["Child"])
        expect((yield* call(sb, "PUT", p(sb, `/test-cycles/${top.id}?parentId=${child.id}&parentType=test-cycle`), { json: {} })).status).toBe(400)
        expect((yield* call(sb, "DELETE", p(sb, `/test-cycles/${top.id}`))).status).toBe(400)
        yield* ok(sb, "DELETE", p(sb, `/test-cycles/${top.id}?force=true`))
        expect((yield* ok(sb, "GET", p(sb, "/test-runs"))).total).toBe(1)
        expect((yield* call(sb, "GET", p(sb, `/test-cycles/${child.id}`))).status).toBe(404)
      })
    )
  })

  describe("search", () => {
    it.scopedLive("criteria on name, PID, dates and fields (by label or id, picklists by label or value id), joined with and", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const key = yield* ok(sb, "POST", p(sb, "/settings/test-cases/fields"), { json: { label: "Zephyr Key", data_type: 1 } }, 201)
        const priority = yield* fieldByLabel(sb, "test-cases", "Priority")
        const make = (name: string, zephyrKey: string, prio: string) =>
          ok(sb, "POST", p(sb, "/test-cases"), {
            json: { name, properties: [{ field_id: key.id, field_value: zephyrKey }, { field_id: priority.id, field_value: String(valueOf(priority, prio)) }] }
          })
        const login = yield* make("Login works", "PROJ-T1", "High")
        yield* make("Logout works", "PROJ-T2", "Low")
        yield* make("It's a login edge case", "PROJ-T12", "High")
        const names = (query: string, objectType = "test-cases") =>
          Effect.map(ok(sb, "POST", p(sb, "/search"), { json: { object_type: objectType, fields: ["*"], query } }), (r) => r.items.map((i: any) => i.name).sort())
        expect(yield* names("'Zephyr Key' = 'PROJ-T1'")).toEqual(["Login works"])
        expect(yield* names(`${key.id} = 'PROJ-T1'`)).toEqual(["Login works"])
        expect(yield* names("'Zephyr Key' ~ 'PROJ-T1'")).toEqual(["It's a login edge case", "Login works"])
        expect(yield* names("Name ~ 'login'")).toEqual(["It's a login edge case", "Login works"])
        expect(yield* names("Name = 'It\\'s a login edge case'")).toEqual(["It's a login edge case"])
        expect(yield* names("Priority = 'High' and Name !~ 'edge'")).toEqual(["Login works"])
        expect(yield* names(`Priority = '${valueOf(priority, "Low")}'`)).toEqual(["Logout works"])
        expect(yield* names(`Id = '${login.pid}'`)).toEqual(["Login works"])
        expect(yield* names("'Created Date' > '2000-01-01T00:00:00Z' and 'Zephyr Key' is 'not empty'")).toHaveLength(3)
        expect(yield* names("'Created Date' < '2000-01-01T00:00:00Z'")).toEqual([])
        const picked = yield* ok(sb, "POST", p(sb, "/search"), { json: { object_type: "test-cases", fields: ["name", "pid"], query: "Name = 'Login works'" } })
        expect(Object.keys(picked.items[0]).sort()).toEqual(["id", "links", "name", "pid"])
        for (const query of ["Nonsense = 'x'", "Name = 'a' or Name = 'b'", "(Name = 'a')", "Name 'a'", "Name = 'unterminated"]) {
          expect((yield* call(sb, "POST", p(sb, "/search"), { json: { object_type: "test-cases", query } })).status, query).toBe(400)
        }
        expect((yield* call(sb, "POST", p(sb, "/search"), { json: { object_type: "widgets", query: "" } })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/search"), { json: { query: "" } })).status).toBe(400)
      })
    )

    it.scopedLive("test runs by Status, test logs by execution dates, cycles and requirements by name", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ requirements: ["DEMO-12 Login story", "DEMO-13 Logout story"] })
        const { run } = yield* caseWithRun(sb, "Searchable")
        yield* caseWithRun(sb, "Untouched")
        yield* ok(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 602 }, exe_start_date: "2024-04-01T10:00:00Z", exe_end_date: "2024-04-01T11:00:00Z" } }, 201)
        yield* ok(sb, "POST", p(sb, "/test-cycles"), { json: { name: "Sprint 7" } }, 201)
        const search = (object_type: string, query: string) => ok(sb, "POST", p(sb, "/search"), { json: { object_type, query } })
        expect((yield* search("test-runs", "Status = 'Failed'")).items.map((r: any) => r.name)).toEqual(["Searchable"])
        expect((yield* search("test-runs", "Status = 'Unexecuted'")).items.map((r: any) => r.name)).toEqual(["Untouched"])
        expect((yield* search("test-logs", "'Execution End Date' >= '2024-04-01T00:00:00Z' and Status = 'Failed'")).total).toBe(1)
        expect((yield* search("test-logs", "'Execution End Date' < '2024-04-01T00:00:00Z'")).total).toBe(0)
        expect((yield* search("test-cycles", "Name = 'Sprint 7'")).total).toBe(1)
        expect((yield* search("requirements", "Name ~ 'DEMO-12'")).items.map((r: any) => r.pid)).toEqual(["RQ-1"])
        expect((yield* search("defects", "")).total).toBe(0)
      })
    )
  })

  describe("automation jobs", () => {
    const batch = (cycle: string, logs: ReadonlyArray<Record<string, unknown>>) => ({ test_cycle: cycle, test_logs: logs })
    const entry = (overrides: Record<string, unknown> = {}) => ({
      name: "Auto",
      automation_content: "suite.Auto",
      status: "PASSED",
      exe_start_date: "2024-03-01T10:00:00Z",
      exe_end_date: "2024-03-01T10:01:00Z",
      module_names: ["Suite"],
      ...overrides
    })

    it.scopedLive("jobPolls sets how many polls a job takes; unknown jobs are 404; type=automation is required", () =>
      Effect.gen(function* () {
        for (const [jobPolls, expected] of [
          [1, ["SUCCESS"]],
          [5, ["IN_WAITING", "IN_PROCESSING", "IN_PROCESSING", "IN_PROCESSING", "SUCCESS"]]
        ] as const) {
          const sb = yield* startQtestSandbox({ jobPolls })
          const cycle = yield* ok(sb, "POST", p(sb, "/test-cycles"), { json: { name: "C" } }, 201)
          const job = yield* ok(sb, "POST", p(sb, "/auto-test-logs?type=automation"), { json: batch(cycle.pid, [entry()]) }, 201)
          expect((yield* pollJob(sb, job.id)).states).toEqual(expected)
          // Terminal states stay.
          expect((yield* ok(sb, "GET", `/api/v3/projects/queue-processing/${job.id}`)).state).toBe("SUCCESS")
          expect((yield* call(sb, "GET", "/api/v3/projects/queue-processing/1")).status).toBe(404)
          expect((yield* call(sb, "POST", p(sb, "/auto-test-logs"), { json: batch(cycle.pid, [entry()]) })).status).toBe(400)
          expect((yield* call(sb, "POST", p(sb, "/auto-test-logs?type=automation"), { json: { test_logs: [entry()] } })).status).toBe(400)
        }
      })
    )

    it.scopedLive("a batch builds modules and cycles from module_names, an approved automation case and a run, reusing them later", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        const cycle = yield* ok(sb, "POST", p(sb, "/test-cycles"), { json: { name: "Nightly" } }, 201)
        const submit = (logs: ReadonlyArray<Record<string, unknown>>) =>
          Effect.flatMap(ok(sb, "POST", p(sb, "/auto-test-logs?type=automation"), { json: batch(String(cycle.id), logs) }, 201), (job) => pollJob(sb, job.id))
        const steps = [
          { order: 1, description: "b", expected_result: "B", actual_result: "B", status: "FAILED" },
          { order: 0, description: "a", expected_result: "A", actual_result: "A", status: "PASSED" }
        ]
        const first = yield* submit([entry({ module_names: ["Web", "Login"], test_step_logs: steps, status: "FAILED" }), entry({ automation_content: "suite.Other", name: "Other", module_names: ["Web"] })])
        expect(first.job.state).toBe("SUCCESS")
        const web = (yield* ok(sb, "GET", p(sb, "/modules?expand=descendants"))).find((m: any) => m.name === "Web")
        expect(web.children.map((m: any) => m.name)).toEqual(["Login"])
        const cycles = yield* ok(sb, "GET", p(sb, `/test-cycles?parentId=${cycle.id}&parentType=test-cycle&expand=descendants`))
        expect(cycles.map((c: any) => c.name)).toEqual(["Web"])
        expect(cycles[0]["test-cycles"].map((c: any) => c.name)).toEqual(["Login"])
        const cases = yield* ok(sb, "GET", p(sb, `/test-cases?parentId=${web.children[0].id}&expandSteps=true`))
        expect(cases).toHaveLength(1)
        expect(cases[0]).toMatchObject({ name: "Auto", version: "1.0" })
        expect(cases[0].test_steps.map((s: any) => s.description)).toEqual(["a", "b"])
        expect(Object.fromEntries(cases[0].properties.map((x: any) => [x.field_name, x.field_value_name]))).toMatchObject({ Type: "Automation", "Automation Content": "suite.Auto" })
        // The same content again: same case, same run, a second log; `name` does not rename.
        yield* submit([entry({ name: "Renamed?", module_names: ["Web", "Login"], test_step_logs: steps, exe_end_date: "2024-03-02T10:00:00Z" })])
        const runs = (yield* ok(sb, "GET", p(sb, "/test-runs"))).items
        expect(runs.map((r: any) => r.name).sort()).toEqual(["Auto", "Other"])
        const auto = runs.find((r: any) => r.name === "Auto")
        const logs = (yield* ok(sb, "GET", p(sb, `/test-runs/${auto.id}/test-logs`))).items
        expect(logs.map((l: any) => l.status.name)).toEqual(["Failed", "Passed"])
        expect(logs[0].test_step_logs.map((s: any) => [s.test_step_id, s.status.name])).toEqual([
          [cases[0].test_steps[0].id, "Passed"],
          [cases[0].test_steps[1].id, "Failed"]
        ])
        // In another cycle the same case gets a new run.
        yield* submit([entry({ module_names: ["Elsewhere"] })])
        expect((yield* ok(sb, "GET", p(sb, "/test-runs"))).total).toBe(3)
        expect((yield* ok(sb, "POST", p(sb, "/search"), { json: { object_type: "test-cases", query: "'Automation Content' = 'suite.Auto'" } })).total).toBe(1)
      })
    )

    it.scopedLive("FAILED jobs apply nothing: unmapped status, unknown cycle, test_case_version_id for a new case; escapeXml encodes the content", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ jobPolls: 1 })
        const cycle = yield* ok(sb, "POST", p(sb, "/test-cycles"), { json: { name: "C" } }, 201)
        const run = (body: unknown, query = "type=automation") => Effect.flatMap(ok(sb, "POST", p(sb, `/auto-test-logs?${query}`), { json: body }, 201), (job) => pollJob(sb, job.id))
        for (const [body, reason] of [
          [batch(cycle.pid, [entry(), entry({ automation_content: "x", status: "PASS" })]), /not mapped/],
          [batch("CL-999", [entry()]), /does not exist/],
          [batch(cycle.pid, [entry({ test_case_version_id: 5 })]), /must be omitted/],
          [batch(cycle.pid, [entry({ test_step_logs: [{ order: 0, description: "a", status: "PASSED" }] })]), /expected_result/]
        ] as const) {
          const { job } = yield* run(body)
          expect(job.state).toBe("FAILED")
          expect(JSON.parse(job.content).message).toMatch(reason)
        }
        expect(yield* ok(sb, "GET", p(sb, "/modules"))).toEqual([])
        expect(yield* ok(sb, "GET", p(sb, "/test-cases"))).toEqual([])
        yield* run(batch(cycle.pid, [entry({ automation_content: "a<b>" })]))
        yield* run(batch(cycle.pid, [entry({ automation_content: "c<d>" })]), "type=automation&escapeXml=false")
        const contents = (yield* ok(sb, "POST", p(sb, "/search"), { json: { object_type: "test-cases", query: "'Automation Content' is 'not empty'" } })).items.map(
          (c: any) => c.properties.find((x: any) => x.field_name === "Automation Content").field_value
        )
        expect(contents.sort()).toEqual(["a&lt;b&gt;", "c<d>"])
        // 413 at submission for an oversized inline attachment.
        const small = yield* startQtestSandbox({ maxAttachmentBytes: 10 })
        const c2 = yield* ok(small, "POST", p(small, "/test-cycles"), { json: { name: "C" } }, 201)
        const big = yield* call(small, "POST", p(small, "/auto-test-logs?type=automation"), {
          json: batch(c2.pid, [entry({ attachments: [{ name: "a.txt", content_type: "text/plain", data: Buffer.alloc(11).toString("base64") }] })])
        })
        expect(big.status).toBe(413)
      })
    )

    it.scopedLive("an invalid property value drops that log only; an unknown field id is ignored", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ jobPolls: 1 })
        const cycle = yield* ok(sb, "POST", p(sb, "/test-cycles"), { json: { name: "C" } }, 201)
        const priority = yield* fieldByLabel(sb, "test-runs", "Priority")
        const job = yield* ok(sb, "POST", p(sb, "/auto-test-logs?type=automation"), {
          json: batch(cycle.pid, [
            entry({ automation_content: "ok", properties: [{ field_id: priority.id, field_value: String(valueOf(priority, "High")) }, { field_id: 1, field_value: "x" }] }),
            entry({ automation_content: "bad", properties: [{ field_id: priority.id, field_value: "999" }] })
          ])
        }, 201)
        const { job: done } = yield* pollJob(sb, job.id)
        expect(done.state).toBe("SUCCESS")
        const summary = JSON.parse(done.content)
        expect(summary.totalTestLogs).toBe(1)
        expect(summary.skipped).toHaveLength(1)
        const runs = (yield* ok(sb, "GET", p(sb, "/test-runs"))).items
        const okRun = runs.find((r: any) => r.latest_test_log !== undefined)
        expect(okRun.properties.find((x: any) => x.field_name === "Priority").field_value_name).toBe("High")
      })
    )
  })

  describe("control endpoints", () => {
    it.scopedLive("reject: the next matching creates/updates get the chosen status and message, `times` of them", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        expect((yield* call(sb, "POST", "/__sandbox/reject", { token: null, json: { objectType: "test-cases", status: 400, message: "x" } })).status).toBe(401)
        expect((yield* control(sb, "POST", "reject", { objectType: "widgets", status: 400, message: "x" })).status).toBe(400)
        expect((yield* control(sb, "POST", "reject", { objectType: "test-cases", nameContains: "BAD", status: 400, message: "Invalid rich text", times: 1 })).status).toBe(200)
        const refused = yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "A BAD one" } })
        expect(refused.status).toBe(400)
        expect(refused.body).toEqual({ message: "Invalid rich text" })
        expect(yield* ok(sb, "GET", p(sb, "/test-cases"))).toEqual([])
        // Used up: the next one passes; names without the text always pass.
        const passed = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "A BAD one" } })
        yield* control(sb, "POST", "reject", { objectType: "test-cases", nameContains: "BAD", status: 500, message: "boom" })
        expect((yield* call(sb, "PUT", p(sb, `/test-cases/${passed.id}`), { json: { description: "x" } })).status).toBe(500)
        expect((yield* call(sb, "PUT", p(sb, `/test-cases/${passed.id}`), { json: { description: "x" } })).status).toBe(500)
        expect((yield* call(sb, "POST", p(sb, "/test-cases"), { json: { name: "fine" } })).status).toBe(200)
        // Other object types: runs, logs (matched on the run's name), modules.
        const { run } = yield* caseWithRun(sb, "Run me")
        yield* control(sb, "POST", "reject", { objectType: "test-logs", nameContains: "Run me", status: 413, message: "The attachment is too large" })
        expect((yield* call(sb, "POST", p(sb, `/test-runs/${run.id}/test-logs`), { json: { status: { id: 601 }, ...DATES } })).status).toBe(413)
        yield* control(sb, "POST", "reject", { objectType: "modules", status: 403, message: "No permission" })
        expect((yield* call(sb, "POST", p(sb, "/modules"), { json: { name: "M" } })).status).toBe(403)
        // The control endpoints are not counted.
        expect(sb.stats().byPath["/__sandbox/reject"]).toBeUndefined()
      })
    )

    it.scopedLive("reset empties the project back to its initial state; ids are never reused", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ requirements: ["DEMO-1 Story"] })
        const fieldsBefore = yield* ok(sb, "GET", p(sb, "/settings/test-cases/fields"))
        const tc = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "Gone soon", test_steps: [{ description: "[~p]", expected: "" }] } })
        yield* ok(sb, "POST", p(sb, "/settings/test-cases/fields"), { json: { label: "Custom", data_type: 1 } }, 201)
        yield* control(sb, "POST", "reject", { objectType: "modules", status: 400, message: "no" })
        expect((yield* control(sb, "POST", "reset")).status).toBe(200)
        expect(yield* ok(sb, "GET", p(sb, "/test-cases"))).toEqual([])
        expect(yield* ok(sb, "GET", p(sb, "/modules"))).toEqual([])
        expect(yield* ok(sb, "GET", p(sb, "/settings/test-cases/fields"))).toEqual(fieldsBefore)
        expect((yield* ok(sb, "GET", p(sb, "/requirements"))).map((r: any) => r.name)).toEqual(["DEMO-1 Story"])
        expect(sb.parameters()).toEqual([])
        expect((yield* call(sb, "POST", p(sb, "/modules"), { json: { name: "M" } })).status).toBe(201)
        const again = yield* ok(sb, "POST", p(sb, "/test-cases"), { json: { name: "New" } })
        expect(again.pid).toBe("TC-1")
        expect(again.id).toBeGreaterThan(tc.id)
        expect((yield* call(sb, "GET", p(sb, `/test-cases/${tc.id}`))).status).toBe(404)
      })
    )
  })

  describe("users", () => {
    it.scopedLive("re-evaluation names the API user; project users, user by id and the user search list the configured users", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({ username: "bot@corp.example", users: [{ username: "jane@corp.example", email: "jane@corp.example", first_name: "Jane" }] })
        const me = yield* ok(sb, "GET", "/api/v3/re-evaluation")
        expect(me).toMatchObject({ user_name: "bot@corp.example", client_site_name: sb.siteName })
        const members = yield* ok(sb, "GET", p(sb, "/users"))
        expect(members.map((u: any) => u.username)).toEqual(["bot@corp.example", "jane@corp.example"])
        expect(members[0].id).toBe(me.id)
        expect((yield* ok(sb, "GET", `/api/v3/users/${members[1].id}`)).first_name).toBe("Jane")
        expect((yield* call(sb, "GET", "/api/v3/users/1")).status).toBe(404)
        const found = yield* ok(sb, "GET", "/api/v3/users/search?username=JANE")
        expect(found.items.map((u: any) => u.email)).toEqual(["jane@corp.example"])
        expect((yield* ok(sb, "GET", "/api/v3/users/search?username=corp.example&pagination=false")).total).toBe(2)
      })
    )
  })

  describe("transport", () => {
    it.scopedLive("stats count requests by path template; 405 names the allowed methods; an unknown project is a 404", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        yield* ok(sb, "GET", p(sb, "/modules"))
        yield* ok(sb, "GET", p(sb, "/modules"))
        yield* call(sb, "GET", p(sb, "/test-cases/7"))
        const wrong = yield* call(sb, "PATCH", p(sb, "/modules"))
        expect(wrong.status).toBe(405)
        expect(wrong.headers.get("allow")).toBe("GET, POST")
        expect((yield* call(sb, "GET", "/api/v3/projects/2/modules")).status).toBe(404)
        expect((yield* call(sb, "GET", p(sb, "/test-cases/%E0%A4%A"))).status).toBe(404)
        const stats = sb.stats()
        expect(stats.requests).toBe(6)
        expect(stats.byPath["/api/v3/projects/{projectId}/modules"]).toBe(4)
        expect(stats.byPath["/api/v3/projects/{projectId}/test-cases/{testCaseId}"]).toBe(2)
        sb.resetStats()
        expect(sb.stats()).toEqual({ requests: 0, byPath: {}, throttled: 0, faults: 0 })
      })
    )

    it.scopedLive("JSON bodies must be JSON, with a JSON content type", () =>
      Effect.gen(function* () {
        const sb = yield* startQtestSandbox({})
        expect((yield* call(sb, "POST", p(sb, "/modules"), { raw: "{not json", headers: { "content-type": "application/json" } })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/modules"), { raw: JSON.stringify({ name: "M" }), headers: { "content-type": "text/plain" } })).status).toBe(405)
        expect((yield* call(sb, "POST", p(sb, "/modules"), { json: [] })).status).toBe(400)
        expect((yield* call(sb, "POST", p(sb, "/modules"))).status).toBe(400)
      })
    )
  })
})
