/**
 * docs/vendors/zephyr.md §5, "Simulator checklist": one test per item, named by the item's text, each exercising
 * it over raw HTTP (fetch) against both kinds of tenant (the demo data and a generated one). A last test checks
 * that these names still are the doc's items, so the checklist cannot change under the tests unnoticed.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Buffer } from "node:buffer"
import { readFileSync } from "node:fs"
import { generatedData } from "../../../../plugins/zephyr/sandbox/generatedData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import { vendorNotes } from "../../../contracts/vendor.ts"
import { checklistItems } from "../../../contracts/checklist.ts"
import { get, getAll, selfLinks, type Got } from "./helpers.ts"
import { materialise } from "./materialise.ts"


const BULLETS = {
  endpoints:
    "The GET endpoints of §1.4 and the attachment endpoints of §1.6, behind Bearer authentication: a missing or wrong token gets 401 `{\"error\": …}`, every other error `{errorCode, message}`.",
  offset: "Offset pages `{next, startAt, maxResults, total, isLast, values}`, with a configurable server cap on `maxResults` and never more than 1000.",
  cursor: "Cursor pages `{next, nextStartAtId, limit, values}` on the `/nextgen` endpoints, with `updatedAfter`.",
  content:
    "Real content: references as `{id, self}` links, `customFields` maps by display name, HTML in text fields, call-to-test steps, test cases with several versions, executions with and without a cycle.",
  throttling: "Throttling and faults on demand: 429 with `Retry-After` in seconds (sometimes `0`), transient 5xx and dropped connections.",
  attachments: "Attachment lists `{attachments: [{id, name}]}` with binary downloads, and a switch that makes them answer 404 or 503 as an older tenant does.",
  essential:
    "Zephyr Essential on demand (§3): the same tenant without the `/nextgen` endpoints (404), with `updatedAfter` refused (400), multi-select values as `[{id, name}]` and attachment files refused (401) while their lists answer."
} as const

const TENANTS: ReadonlyArray<ZephyrSandboxOptions> = [{}, { scale: "small", seed: 8 }]

/** Runs `body` against a fresh sandbox of each tenant kind (extra options merged in). */
const onEachTenant = (extra: ZephyrSandboxOptions, body: (sb: RunningZephyrSandbox) => Effect.Effect<void>) =>
  Effect.forEach(TENANTS, (options) => Effect.scoped(Effect.flatMap(startZephyrSandbox({ ...options, ...extra }), body)), { discard: true })

/** fetch that reports a dropped connection as `"dropped"`. */
const raw = (sb: RunningZephyrSandbox, path: string) =>
  Effect.promise(async () => {
    try {
      const r = await fetch(`${sb.baseUrl}${path}`, { headers: { authorization: `Bearer ${sb.token}` } })
      return { status: r.status, retryAfter: r.headers.get("retry-after"), body: await r.text() }
    } catch {
      return "dropped" as const
    }
  })

const first = (sb: RunningZephyrSandbox, path: string) => Effect.map(get(sb, path), (r) => r.body.values[0])

describe("docs/vendors/zephyr.md §5 simulator checklist", () => {
  it.scopedLive(BULLETS.endpoints, () =>
    onEachTenant({}, (sb) =>
      Effect.gen(function* () {
        const tc = yield* first(sb, "/testcases")
        const cycle = yield* first(sb, "/testcycles")
        const plan = yield* first(sb, "/testplans")
        const execution = yield* first(sb, "/testexecutions")
        const folder = yield* first(sb, "/folders")
        const status = yield* first(sb, "/statuses")
        const priority = yield* first(sb, "/priorities")
        const environment = yield* first(sb, "/environments")
        // The GET endpoints of §1.4 (the read side; write operations, issue coverage by Jira issue key and
        // automation uploads are out of the sandbox's scope) and the confirmed attachment paths of §1.6.
        const paths = [
          "/healthcheck",
          "/projects",
          `/projects/${sb.projectKey}`,
          "/folders",
          `/folders/${folder.id}`,
          "/statuses",
          `/statuses/${status.id}`,
          "/priorities",
          `/priorities/${priority.id}`,
          "/environments",
          `/environments/${environment.id}`,
          "/testcases",
          "/testcases/nextgen",
          `/testcases/${tc.key}`,
          `/testcases/${tc.key}/links`,
          `/testcases/${tc.key}/versions`,
          `/testcases/${tc.key}/versions/1`,
          `/testcases/${tc.key}/teststeps`,
          `/testcases/${tc.key}/attachments`,
          "/testcycles",
          "/testcycles/nextgen",
          `/testcycles/${cycle.id}`,
          `/testcycles/${cycle.key}`,
          `/testcycles/${cycle.key}/links`,
          "/testplans",
          "/testplans/nextgen",
          `/testplans/${plan.id}`,
          `/testplans/${plan.key}`,
          "/testexecutions",
          "/testexecutions/nextgen",
          `/testexecutions/${execution.id}`,
          `/testexecutions/${execution.key}`,
          `/testexecutions/${execution.id}/teststeps`,
          `/testexecutions/${execution.id}/links`,
          `/testexecutions/${execution.id}/attachments`
        ]
        for (const path of paths) expect((yield* get(sb, path)).status, path).toBe(200)
        const scriptCase = (yield* getAll(sb, "/testcases?maxResults=1000")).values.find((c) => /^(DEMO-T20|GEN-T6)$/.test(c.key))
        expect((yield* get(sb, `/testcases/${scriptCase.key}/testscript`)).status).toBe(200)

        // Bearer auth: missing or wrong → 401 with `{error}` and nothing else.
        for (const token of [null, "not-the-token", ""]) {
          const r = yield* get(sb, "/testcases", { token })
          expect(r.status).toBe(401)
          expect(Object.keys(r.body)).toEqual(["error"])
          expect(typeof r.body.error).toBe("string")
        }
        // Every other error: `{errorCode, message}` with the status as errorCode.
        for (const [path, status] of [
          [`/testcases/${sb.projectKey}-T999999`, 404],
          ["/no/such/path", 404],
          ["/testcases?projectKey=NOPE", 400],
          ["/testcases?maxResults=0", 400],
          ["/testexecutions/nextgen?updatedAfter=yesterday", 400]
        ] as const) {
          const r = yield* get(sb, path)
          expect(r.status, path).toBe(status)
          expect(Object.keys(r.body).sort(), path).toEqual(["errorCode", "message"])
          expect(r.body.errorCode, path).toBe(status)
        }
      })
    )
  )

  it.scopedLive(BULLETS.offset, () =>
    onEachTenant({ maxResultsCap: 100 }, (sb) =>
      Effect.gen(function* () {
        const r = yield* get(sb, "/testexecutions")
        expect(Object.keys(r.body).sort()).toEqual(["isLast", "maxResults", "next", "startAt", "total", "values"])
        expect(r.body).toMatchObject({ startAt: 0, maxResults: 10, isLast: false })
        expect(r.body.next).toMatch(new RegExp(`^${sb.baseUrl}/testexecutions\\?maxResults=10&startAt=10$`))
        // The configured cap wins over a larger request; the response says what was applied.
        const capped = yield* get(sb, "/testexecutions?maxResults=500")
        expect(capped.body.maxResults).toBe(100)
        expect(capped.body.values).toHaveLength(100)
        // Following `next` to `isLast` visits every item once.
        const { values, pages } = yield* getAll(sb, "/testexecutions?maxResults=500")
        expect(values).toHaveLength(r.body.total)
        expect(new Set(values.map((v) => v.id)).size).toBe(r.body.total)
        const last = pages[pages.length - 1]
        expect(last.isLast).toBe(true)
        expect(last.next).toBeNull()
      })
    ).pipe(
      Effect.zipRight(
        // Without a configured cap, the maximum is 1000 (even when a higher cap is asked for).
        onEachTenant({ maxResultsCap: 5000 }, (sb) => Effect.map(get(sb, "/testexecutions?maxResults=5000"), (r) => expect(r.body.maxResults).toBe(1000)))
      )
    )
  )

  it.scopedLive(BULLETS.cursor, () =>
    onEachTenant({}, (sb) =>
      Effect.gen(function* () {
        for (const kind of ["testcases", "testcycles", "testplans", "testexecutions"]) {
          const firstPage: Got = yield* get(sb, `/${kind}/nextgen?limit=3`)
          expect(Object.keys(firstPage.body).sort(), kind).toEqual(["limit", "next", "nextStartAtId", "values"])
          expect(firstPage.body.limit).toBe(3)
          const ids: Array<number> = []
          let body: any = firstPage.body
          for (let pages = 0; ; pages++) {
            ids.push(...body.values.map((v: any) => v.id))
            if (body.next === null) {
              expect(body.nextStartAtId).toBeNull()
              break
            }
            // `next` is the same request with startAtId = nextStartAtId.
            expect(body.next).toContain(`startAtId=${body.nextStartAtId}`)
            body = (yield* get(sb, `/${kind}/nextgen?limit=${kind === "testexecutions" ? 1000 : 3}&startAtId=${body.nextStartAtId}`)).body
            if (pages > 5000) throw new Error("runaway")
          }
          expect(ids).toEqual([...ids].sort((a, b) => a - b))
          expect(new Set(ids).size).toBe(ids.length)
          expect(ids.length).toBe((yield* get(sb, `/${kind}`)).body.total)
        }
        expect((yield* get(sb, "/testcases/nextgen?limit=5000")).body.limit).toBe(1000)
        // updatedAfter: nothing changed since now; a mutation shows up.
        const now = new Date().toISOString()
        expect((yield* get(sb, `/testcases/nextgen?updatedAfter=${now}`)).body.values).toEqual([])
        const m = sb.mutate({ changeFraction: 0.1, deleteFraction: 0, addCount: 0, seed: 4 })
        const changed = (yield* getAll(sb, `/testcases/nextgen?limit=1000&updatedAfter=${now}`)).values.map((v) => v.key).sort()
        expect(changed).toEqual(m.changed.testcases)
      })
    )
  )

  it.scopedLive(BULLETS.content, () =>
    onEachTenant({}, (sb) =>
      Effect.gen(function* () {
        const cases = (yield* getAll(sb, "/testcases?maxResults=1000")).values
        const executions = (yield* getAll(sb, "/testexecutions?maxResults=1000")).values
        // Links as {id, self}: every reference to another Zephyr entity, with an absolute self on the sandbox.
        for (const e of [...cases.slice(0, 50), ...executions.slice(0, 200)]) {
          for (const ref of [e.project, e.status, e.priority, e.testExecutionStatus, e.folder, e.environment, e.testCycle].filter((x) => x !== undefined && x !== null)) {
            expect(Object.keys(ref).sort()).toEqual(["id", "self"])
            expect(ref.self).toMatch(new RegExp(`^${sb.baseUrl}/[a-z]+/${ref.id}$`))
          }
        }
        expect(selfLinks(cases).every((s) => /^https?:\/\//.test(s))).toBe(true)
        // Custom fields: maps by display name, with values of several types.
        const types = new Set(cases.flatMap((c) => Object.values(c.customFields ?? {}).map((v) => (Array.isArray(v) ? "array" : v === null ? "null" : typeof v))))
        expect([...types].sort()).toEqual(expect.arrayContaining(["array", "boolean", "number", "string"]))
        // HTML in text fields.
        expect(cases.some((c) => /<[a-z]+[^>]*>/.test(c.objective ?? ""))).toBe(true)
        expect(executions.some((e) => /<[a-z]+[^>]*>/.test(e.comment ?? ""))).toBe(true)
        // Call-to-test steps: a testCase reference (key, version link, parameters), no inline content.
        let call: any
        for (const c of cases.slice(0, 40)) {
          call ??= (yield* get(sb, `/testcases/${c.key}/teststeps`)).body.values.find((s: any) => s.testCase)
        }
        expect(call).toBeDefined()
        expect(call.inline ?? null).toBeNull()
        expect(call.testCase.self).toMatch(new RegExp(`^${sb.baseUrl}/testcases/${call.testCase.testCaseKey}/versions/\\d+$`))
        expect(call.testCase.parameters.length).toBeGreaterThan(0)
        // Several versions: listed, each readable, older ones under their own id.
        const versioned = cases.find((c) => /^(DEMO-T1|GEN-T1)$/.test(c.key))
        const versions = (yield* get(sb, `/testcases/${versioned.key}/versions`)).body
        expect(versions.total).toBeGreaterThan(1)
        const v1 = (yield* get(sb, `/testcases/${versioned.key}/versions/1`)).body
        expect(v1.key).toBe(versioned.key)
        expect(v1.id).not.toBe(versioned.id)
        // Executions with and without a cycle.
        expect(executions.some((e) => e.testCycle === null)).toBe(true)
        expect(executions.some((e) => e.testCycle !== null && e.testCycle.id > 0)).toBe(true)
      })
    )
  )

  it.scopedLive(BULLETS.throttling, () =>
    Effect.gen(function* () {
      // 429 with Retry-After in whole seconds, some of them 0.
      yield* onEachTenant({ rateLimit: 2, seed: 3 }, (sb) =>
        Effect.gen(function* () {
          const throttled = (yield* Effect.all(Array.from({ length: 40 }, () => raw(sb, "/projects")), { concurrency: 40 })).filter((r) => r !== "dropped" && r.status === 429)
          const retryAfter = new Set(throttled.map((r) => (r === "dropped" ? "" : (r.retryAfter ?? ""))))
          expect(throttled.length).toBeGreaterThan(30)
          expect([...retryAfter].every((v) => /^[0-9]+$/.test(v))).toBe(true)
          expect(retryAfter.has("0")).toBe(true)
          expect([...retryAfter].some((v) => v !== "0")).toBe(true)
        })
      )
      // Transient 5xx (500, 502 and 503) and dropped connections, at the configured rate.
      yield* onEachTenant({ faultRate: 1, seed: 3 }, (sb) =>
        Effect.gen(function* () {
          const kinds = new Set((yield* Effect.all(Array.from({ length: 60 }, () => raw(sb, "/projects")), { concurrency: 8 })).map((r) => (r === "dropped" ? "dropped" : String(r.status))))
          expect(kinds).toEqual(new Set(["500", "502", "503", "dropped"]))
        })
      )
      yield* onEachTenant({ faultRate: 0.3, seed: 3 }, (sb) =>
        Effect.gen(function* () {
          const statuses = (yield* Effect.all(Array.from({ length: 60 }, () => raw(sb, "/projects")), { concurrency: 1 })).map((r) => (r === "dropped" ? 0 : r.status))
          expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(25)
          expect(statuses.filter((s) => s !== 200).length).toBeGreaterThan(5)
        })
      )
    })
  )

  it.scopedLive(BULLETS.attachments, () =>
    Effect.gen(function* () {
      const data = materialise(generatedData("small", 8))
      yield* onEachTenant({}, (sb) =>
        Effect.gen(function* () {
          const owner = sb.projectKey === "GEN" ? Object.keys(data.attachments)[0] : "testcases/DEMO-T1"
          const [kind, id] = (owner ?? "").split("/") as [string, string]
          const list = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments`)
          expect(Object.keys(list.body)).toEqual(["attachments"])
          expect(list.body.attachments.length).toBeGreaterThan(0)
          for (const a of list.body.attachments) {
            expect(Object.keys(a).sort()).toEqual(["id", "name"])
            const file = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments/${a.id}`)
            expect(file.status).toBe(200)
            expect(file.headers.get("content-type")).not.toContain("json")
            expect(Number(file.headers.get("content-length"))).toBe(file.bytes.byteLength)
            if (sb.projectKey === "GEN") {
              const expected = data.attachments[owner ?? ""]?.find((x) => x.id === a.id)
              expect(Buffer.from(file.bytes).equals(Buffer.from(expected?.base64 ?? "", "base64"))).toBe(true)
            }
          }
        })
      )
      // The older-tenant toggle: the endpoints answer 404 (no route) or 503 (gateway), the rest works.
      for (const status of [404, 503] as const) {
        yield* onEachTenant({ attachments: false, attachmentsMissingStatus: status }, (sb) =>
          Effect.gen(function* () {
            const tc = yield* first(sb, "/testcases")
            const e = yield* first(sb, "/testexecutions")
            for (const path of [`/testcases/${tc.key}/attachments`, `/testcases/${tc.key}/attachments/1`, `/testexecutions/${e.id}/attachments`]) {
              const r = yield* get(sb, path)
              expect(r.status, path).toBe(status)
              expect(r.body.errorCode).toBe(status)
            }
            expect((yield* get(sb, `/testcases/${tc.key}`)).status).toBe(200)
          })
        )
      }
    })
  )

  it.scopedLive(BULLETS.essential, () =>
    onEachTenant({ edition: "essential" }, (sb) =>
      Effect.gen(function* () {
        expect(sb.edition).toBe("essential")
        for (const kind of ["testcases", "testcycles", "testplans", "testexecutions"]) expect((yield* get(sb, `/${kind}/nextgen`)).status, kind).toBe(404)
        const refused = yield* get(sb, `/testcases?projectKey=${sb.projectKey}&updatedAfter=2024-01-01T00:00:00Z`)
        expect(refused.status).toBe(400)
        expect(refused.body.errorCode).toBe(400)
        // multi-select values: options as {id, name}, never bare names
        const cases = (yield* get(sb, `/testcases?projectKey=${sb.projectKey}&maxResults=100`)).body.values as Array<{ customFields?: Record<string, unknown> }>
        const selects = cases.flatMap((tc) => Object.values(tc.customFields ?? {}).filter((v): v is Array<unknown> => Array.isArray(v) && v.length > 0))
        expect(selects.length).toBeGreaterThan(0)
        for (const options of selects) for (const o of options) expect(o).toEqual({ id: expect.any(Number), name: expect.any(String) })
        // attachments: the list answers, the file does not
        const keys = (yield* get(sb, `/testcases?projectKey=${sb.projectKey}&maxResults=1000`)).body.values.map((tc: { key: string }) => tc.key)
        let files = 0
        for (const key of keys) {
          const list = yield* get(sb, `/testcases/${key}/attachments`)
          expect(list.status).toBe(200)
          for (const a of list.body.attachments) {
            files++
            const file = yield* get(sb, `/testcases/${key}/attachments/${a.id}`)
            expect(file.status).toBe(401)
            expect(file.body).toEqual({ errorCode: 401, message: "Permission denied" })
          }
          if (files > 0) break
        }
        expect(files).toBeGreaterThan(0)
      })
    )
  )

  it("the tests above are exactly the items of docs/vendors/zephyr.md §5", () => {
    expect(checklistItems(readFileSync(vendorNotes.zephyr, "utf8"), "## 5. Simulator checklist")).toEqual(Object.values(BULLETS))
  })
})
