/**
 * The Zephyr sandbox over real loopback HTTP, with the built-in demo tenant: auth, envelopes and paging,
 * filters, links, call-to-test steps, scripts, versions, executions, attachments and project isolation.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Scope } from "effect"
import { demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import { get, getAll, selfLinks } from "./helpers.ts"

const data = demoData()
const DEMO_ID = 10000

/** Starts a sandbox that lives until the suite ends. */
const startForSuite = (options: ZephyrSandboxOptions = {}) => {
  let scope: Scope.CloseableScope | undefined
  const holder: { sb?: RunningZephyrSandbox } = {}
  beforeAll(async () => {
    scope = Effect.runSync(Scope.make())
    holder.sb = await Effect.runPromise(startZephyrSandbox(options).pipe(Scope.extend(scope)))
  })
  afterAll(async () => {
    if (scope) await Effect.runPromise(Scope.close(scope, Exit.void))
  })
  return () => {
    if (!holder.sb) throw new Error("sandbox not started")
    return holder.sb
  }
}

describe("ZephyrSandbox", () => {
  const sandbox = startForSuite({ maxResultsCap: 50 })

  describe("auth", () => {
    it.live("missing bearer → 401 {error}", () =>
      Effect.gen(function* () {
        const r = yield* get(sandbox(), "/projects", { token: null })
        expect(r.status).toBe(401)
        expect(typeof r.body.error).toBe("string")
        expect(r.body.errorCode).toBeUndefined()
      })
    )
    it.live("wrong bearer → 401 {error}", () =>
      Effect.gen(function* () {
        const r = yield* get(sandbox(), "/testcases", { token: "nope" })
        expect(r.status).toBe(401)
        expect(Object.keys(r.body)).toEqual(["error"])
      })
    )
    it.live("healthcheck answers 200", () =>
      Effect.gen(function* () {
        expect((yield* get(sandbox(), "/healthcheck")).status).toBe(200)
      })
    )
    it.live("exposes baseUrl, port, token and the first project's key", () =>
      Effect.sync(() => {
        const sb = sandbox()
        expect(sb.baseUrl).toBe(`http://127.0.0.1:${sb.port}/v2`)
        expect(sb.token).toBe("sandbox-token")
        expect(sb.projectKey).toBe("DEMO")
      })
    )
  })

  describe("envelopes and paging", () => {
    it.live("default page is 10 with next/isLast/total", () =>
      Effect.gen(function* () {
        const r = yield* get(sandbox(), "/testcases?projectKey=DEMO")
        expect(r.status).toBe(200)
        expect(r.headers.get("content-type")).toContain("application/json")
        expect(Object.keys(r.body).sort()).toEqual(["isLast", "maxResults", "next", "startAt", "total", "values"])
        expect(r.body).toMatchObject({ startAt: 0, maxResults: 10, total: 25, isLast: false })
        expect(r.body.values).toHaveLength(10)
        expect(r.body.next).toBe(`${sandbox().baseUrl}/testcases?projectKey=DEMO&maxResults=10&startAt=10`)
      })
    )
    it.live("maxResults above the cap is lowered to the cap", () =>
      Effect.gen(function* () {
        const r = yield* get(sandbox(), "/testexecutions?maxResults=5000")
        expect(r.body.maxResults).toBe(50)
        expect(r.body.values).toHaveLength(50)
        expect(r.body.next).toContain("maxResults=50")
        expect(r.body.next).toContain("startAt=50")
      })
    )
    it.live("startAt is honoured and the last page has next null and isLast true", () =>
      Effect.gen(function* () {
        const r = yield* get(sandbox(), "/testcases?projectKey=DEMO&startAt=20&maxResults=10")
        expect(r.body).toMatchObject({ startAt: 20, maxResults: 10, total: 25, isLast: true, next: null })
        expect(r.body.values.map((v: any) => v.key)).toEqual(["DEMO-T21", "DEMO-T22", "DEMO-T23", "DEMO-T24", "DEMO-T25"])
        const beyond = yield* get(sandbox(), "/testcases?projectKey=DEMO&startAt=100")
        expect(beyond.body).toMatchObject({ startAt: 100, total: 25, isLast: true, next: null, values: [] })
      })
    )
    it.live("following next visits every item exactly once", () =>
      Effect.gen(function* () {
        const { values, pages } = yield* getAll(sandbox(), "/testexecutions?projectKey=DEMO&maxResults=7")
        const expected = data.testexecutions.filter((e) => e.project.id === DEMO_ID).map((e) => e.id)
        expect(values.map((v) => v.id)).toEqual(expected)
        expect(pages).toHaveLength(Math.ceil(expected.length / 7))
        expect(pages.at(-1).isLast).toBe(true)
      })
    )
    it.live("invalid paging parameters → 400 {errorCode, message}", () =>
      Effect.gen(function* () {
        for (const q of ["maxResults=0", "maxResults=abc", "startAt=-1", "startAt=1000001"]) {
          const r = yield* get(sandbox(), `/testcases?${q}`)
          expect(r.status, q).toBe(400)
          expect(r.body.errorCode).toBe(400)
          expect(typeof r.body.message).toBe("string")
        }
      })
    )
    it.live("every list endpoint answers with the envelope", () =>
      Effect.gen(function* () {
        for (const path of [
          "/projects",
          "/folders",
          "/statuses",
          "/priorities",
          "/environments",
          "/testcases",
          "/testplans",
          "/testcycles",
          "/testexecutions",
          "/testcases/DEMO-T1/versions",
          "/testcases/DEMO-T1/teststeps",
          "/testexecutions/DEMO-E1/teststeps"
        ]) {
          const r = yield* get(sandbox(), path)
          expect(r.status, path).toBe(200)
          expect(r.body, path).toMatchObject({ startAt: 0, maxResults: 10 })
          expect(Array.isArray(r.body.values), path).toBe(true)
          expect(r.body.total, path).toBeGreaterThan(0)
        }
      })
    )
  })

  describe("errors", () => {
    it.live("unknown path → 404 {errorCode:404, message}", () =>
      Effect.gen(function* () {
        const r = yield* get(sandbox(), "/nothing/here")
        expect(r.status).toBe(404)
        expect(r.body.errorCode).toBe(404)
        expect(typeof r.body.message).toBe("string")
      })
    )
    it.live("unknown entities → 404", () =>
      Effect.gen(function* () {
        for (const path of ["/testcases/DEMO-T999", "/testcycles/DEMO-R99", "/testcycles/1", "/testexecutions/DEMO-E9999", "/testplans/DEMO-P9", "/folders/42", "/statuses/abc", "/projects/NOPE", "/testcases/DEMO-T1/versions/9"]) {
          const r = yield* get(sandbox(), path)
          expect(r.status, path).toBe(404)
          expect(r.body.errorCode, path).toBe(404)
        }
      })
    )
    it.live("projectKey of an unknown project → 400 naming the key", () =>
      Effect.gen(function* () {
        const r = yield* get(sandbox(), "/testcases?projectKey=NOPE")
        expect(r.status).toBe(400)
        expect(r.body).toEqual({ errorCode: 400, message: "Project with key 'NOPE' not found" })
      })
    )
    it.live("invalid enum filters → 400", () =>
      Effect.gen(function* () {
        expect((yield* get(sandbox(), "/folders?folderType=NOPE")).status).toBe(400)
        expect((yield* get(sandbox(), "/statuses?statusType=NOPE")).status).toBe(400)
        expect((yield* get(sandbox(), "/testexecutions?actualEndDateAfter=yesterday")).status).toBe(400)
      })
    )
  })

  describe("projects, folders, statuses, priorities, environments", () => {
    it.live("projects by id and key", () =>
      Effect.gen(function* () {
        expect((yield* get(sandbox(), "/projects/DEMO")).body).toEqual({ id: 10000, jiraProjectId: 10000, key: "DEMO", enabled: true })
        expect((yield* get(sandbox(), "/projects/10001")).body.key).toBe("OTHER")
        expect((yield* get(sandbox(), "/projects")).body.total).toBe(2)
      })
    )
    it.live("folders filter by project and type; root parentId is null", () =>
      Effect.gen(function* () {
        const all = yield* getAll(sandbox(), "/folders?projectKey=DEMO&folderType=TEST_CASE")
        expect(all.values.every((f) => f.folderType === "TEST_CASE" && f.project.id === DEMO_ID)).toBe(true)
        expect(all.values.length).toBe(data.folders.filter((f) => f.folderType === "TEST_CASE" && f.project.id === DEMO_ID).length)
        expect(all.values.filter((f) => f.parentId === null).map((f) => f.name)).toContain("Authentication")
        const cycles = yield* getAll(sandbox(), "/folders?folderType=TEST_CYCLE")
        expect(cycles.values.some((f) => f.project.id === 10001)).toBe(true)
        const one = yield* get(sandbox(), "/folders/1009")
        expect(one.body).toMatchObject({ id: 1009, parentId: 1008, folderType: "TEST_CASE" })
      })
    )
    it.live("statuses filter by statusType and never show the data-file-only statusType", () =>
      Effect.gen(function* () {
        const r = yield* getAll(sandbox(), "/statuses?projectKey=DEMO&statusType=TEST_EXECUTION")
        expect(r.values.map((s) => s.name)).toEqual(["Not Executed", "In Progress", "Pass", "Fail", "Blocked"])
        expect(r.values.every((s) => !("statusType" in s))).toBe(true)
        for (const t of ["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"]) expect((yield* get(sandbox(), `/statuses?projectKey=DEMO&statusType=${t}`)).body.total).toBeGreaterThan(0)
        expect("statusType" in (yield* get(sandbox(), "/statuses/2001")).body).toBe(false)
      })
    )
    it.live("priorities and environments by project and id", () =>
      Effect.gen(function* () {
        expect((yield* get(sandbox(), "/priorities?projectKey=OTHER")).body.total).toBe(1)
        expect((yield* get(sandbox(), "/priorities/3001")).body.name).toBe("High")
        const envs = (yield* get(sandbox(), "/environments?projectKey=DEMO")).body.values
        expect(envs.some((e: any) => e.archived === true)).toBe(true)
        expect((yield* get(sandbox(), "/environments/4003")).body.name).toBe("Safari / iOS 17 📱")
      })
    )
  })

  describe("test cases", () => {
    it.live("filter by folderId", () =>
      Effect.gen(function* () {
        const r = yield* getAll(sandbox(), "/testcases?projectKey=DEMO&folderId=1010")
        expect(r.values.length).toBeGreaterThan(0)
        expect(r.values.every((tc) => tc.folder?.id === 1010)).toBe(true)
      })
    )
    it.live("a case and its links: every sandbox link absolute on the base URL", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        const tc = (yield* get(sb, "/testcases/DEMO-T1")).body
        expect(tc.key).toBe("DEMO-T1")
        expect(tc.project).toEqual({ id: DEMO_ID, self: `${sb.baseUrl}/projects/${DEMO_ID}` })
        expect(tc.status.self).toBe(`${sb.baseUrl}/statuses/${tc.status.id}`)
        expect(tc.priority.self).toBe(`${sb.baseUrl}/priorities/${tc.priority.id}`)
        expect(tc.folder.self).toBe(`${sb.baseUrl}/folders/${tc.folder.id}`)
        expect(tc.testScript.self).toBe(`${sb.baseUrl}/testcases/DEMO-T1/testscript`)
        expect(tc.links.self).toBe(`${sb.baseUrl}/testcases/DEMO-T1/links`)
        expect(tc.component.self).toMatch(/^https:\/\/demo-tenant\.atlassian\.net\/rest\/api\/2\/component\//)
        const links = (yield* get(sb, "/testcases/DEMO-T1/links")).body
        expect(links).toEqual(tc.links)
        expect(links.issues.length).toBeGreaterThan(0)
        expect(links.webLinks.length).toBeGreaterThan(0)
        expect(links.issues[0].self).toBe(`${sb.baseUrl}/links/${links.issues[0].id}`)
        for (const self of selfLinks(tc)) expect(self).toMatch(/^https?:\/\//)
        const zephyrLinks = selfLinks(tc).filter((s) => !s.includes("atlassian.net"))
        expect(zephyrLinks.every((s) => s.startsWith(sb.baseUrl + "/"))).toBe(true)
      })
    )
    it.live("the list item equals the single GET", () =>
      Effect.gen(function* () {
        const list = (yield* get(sandbox(), "/testcases?projectKey=DEMO&maxResults=3")).body.values
        for (const item of list) expect((yield* get(sandbox(), `/testcases/${item.key}`)).body).toEqual(item)
      })
    )
    it.live("test steps: inline and call-to-test shapes", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        const steps = (yield* get(sb, "/testcases/DEMO-T11/teststeps")).body.values
        const inline = steps[0]
        expect(Object.keys(inline).sort()).toEqual(["id", "inline"])
        expect(Object.keys(inline.inline).sort()).toEqual(["customFields", "description", "expectedResult", "reflectRef", "testData"])
        const call = steps.find((s: any) => s.testCase)
        expect(Object.keys(call).sort()).toEqual(["id", "testCase"])
        expect(call.testCase).toEqual({
          self: `${sb.baseUrl}/testcases/DEMO-T12/versions/1`,
          testCaseKey: "DEMO-T12",
          parameters: [
            { name: "item", type: "DEFAULT_VALUE", value: "Blue mug ☕" },
            { name: "quantity", type: "MANUAL_INPUT", value: "2" }
          ]
        })
        // DEMO-T12 itself calls DEMO-T13 (latest version 2): A → B → C.
        const inner = (yield* get(sb, "/testcases/DEMO-T12/teststeps")).body.values.find((s: any) => s.testCase)
        expect(inner.testCase.testCaseKey).toBe("DEMO-T13")
        expect(inner.testCase.self).toBe(`${sb.baseUrl}/testcases/DEMO-T13/versions/2`)
        const paged = (yield* get(sb, "/testcases/DEMO-T11/teststeps?maxResults=1&startAt=1")).body
        expect(paged).toMatchObject({ total: 3, startAt: 1, maxResults: 1, isLast: false })
      })
    )
    it.live("test script: plain and bdd; 404 for a step-by-step case; empty steps for a script case", () =>
      Effect.gen(function* () {
        const plain = yield* get(sandbox(), "/testcases/DEMO-T20/testscript")
        expect(plain.status).toBe(200)
        expect(plain.body).toMatchObject({ type: "plain" })
        expect(typeof plain.body.id).toBe("number")
        expect((yield* get(sandbox(), "/testcases/DEMO-T21/testscript")).body.type).toBe("bdd")
        const none = yield* get(sandbox(), "/testcases/DEMO-T1/testscript")
        expect(none.status).toBe(404)
        expect(none.body.errorCode).toBe(404)
        expect((yield* get(sandbox(), "/testcases/DEMO-T20/teststeps")).body).toMatchObject({ total: 0, values: [], isLast: true })
      })
    )
    it.live("versions: paged links and each version as a full test case", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        const versions = (yield* get(sb, "/testcases/DEMO-T1/versions")).body
        expect(versions.total).toBe(3)
        expect(versions.values.map((v: any) => v.self)).toEqual([1, 2, 3].map((n) => `${sb.baseUrl}/testcases/DEMO-T1/versions/${n}`))
        const latest = (yield* get(sb, "/testcases/DEMO-T1/versions/3")).body
        expect(latest.id).toBe(50001)
        const v1 = (yield* get(sb, "/testcases/DEMO-T1/versions/1")).body
        expect(v1.key).toBe("DEMO-T1")
        expect(v1.id).toBe(versions.values[0].id)
        expect((yield* get(sb, "/testcases/DEMO-T2/versions")).body.total).toBe(1)
      })
    )
  })

  describe("plans and cycles", () => {
    it.live("plans link cycles; cycles link plans", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        const plans = (yield* get(sb, "/testplans?projectKey=DEMO")).body
        expect(plans.total).toBe(3)
        const p1 = (yield* get(sb, "/testplans/DEMO-P1")).body
        expect(p1.links.testCycles.length).toBeGreaterThan(0)
        expect(p1.links.testCycles[0].target).toBe(`${sb.baseUrl}/testcycles/${p1.links.testCycles[0].testCycleId}`)
        expect((yield* get(sb, `/testplans/${p1.id}`)).body).toEqual(p1)
        const cycleLinks = (yield* get(sb, `/testcycles/${p1.links.testCycles[0].testCycleId}/links`)).body
        expect(cycleLinks.testPlans.map((l: any) => l.testPlanId)).toContain(p1.id)
      })
    )
    it.live("cycles filter by folder and Jira version, and answer by id or key", () =>
      Effect.gen(function* () {
        const byFolder = (yield* getAll(sandbox(), "/testcycles?projectKey=DEMO&folderId=1033")).values
        expect(byFolder.length).toBe(3)
        const byVersion = (yield* getAll(sandbox(), "/testcycles?jiraProjectVersionId=10200")).values
        expect(byVersion.map((c) => c.key)).toEqual(["DEMO-R1", "DEMO-R2"])
        const r1 = (yield* get(sandbox(), "/testcycles/DEMO-R1")).body
        expect((yield* get(sandbox(), `/testcycles/${r1.id}`)).body).toEqual(r1)
        expect(r1.plannedStartDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
      })
    )
  })

  describe("test executions", () => {
    it.live("filter by cycle, case, cycle+case; history of the same item", () =>
      Effect.gen(function* () {
        const byCycle = (yield* getAll(sandbox(), "/testexecutions?testCycle=DEMO-R1")).values
        expect(byCycle.length).toBeGreaterThan(10)
        expect(byCycle.every((e) => e.testCycle?.id === 90001)).toBe(true)
        const byCase = (yield* getAll(sandbox(), "/testexecutions?testCase=DEMO-T1")).values
        expect(byCase.every((e) => e.testCase.self.includes("/testcases/DEMO-T1/versions/"))).toBe(true)
        expect(byCase.some((e) => e.testCycle === null)).toBe(true) // ad hoc
        const item = (yield* getAll(sandbox(), "/testexecutions?testCycle=DEMO-R3&testCase=DEMO-T1")).values
        expect(item.length).toBeGreaterThanOrEqual(1)
        const counts = new Map<string, number>()
        for (const e of (yield* getAll(sandbox(), "/testexecutions?projectKey=DEMO&maxResults=100")).values) {
          if (!e.testCycle) continue
          const k = `${e.testCycle.id}/${e.testCase.self}`
          counts.set(k, (counts.get(k) ?? 0) + 1)
        }
        expect([...counts.values()].some((n) => n >= 2)).toBe(true)
      })
    )
    it.live("onlyLastExecutions keeps one per cycle item plus every ad hoc execution", () =>
      Effect.gen(function* () {
        const all = (yield* getAll(sandbox(), "/testexecutions?projectKey=DEMO&maxResults=100")).values
        const last = (yield* getAll(sandbox(), "/testexecutions?projectKey=DEMO&onlyLastExecutions=true&maxResults=100")).values
        const items = new Set(all.filter((e) => e.testCycle).map((e) => `${e.testCycle.id}/${e.testCase.self}`))
        const adHoc = all.filter((e) => !e.testCycle).length
        expect(last.length).toBe(items.size + adHoc)
        expect(last.length).toBeLessThan(all.length)
      })
    )
    it.live("actualEndDate range filter", () =>
      Effect.gen(function* () {
        const r = (yield* getAll(sandbox(), "/testexecutions?projectKey=DEMO&actualEndDateAfter=2024-08-01T00:00:00Z&actualEndDateBefore=2024-12-31T00:00:00Z")).values
        expect(r.length).toBe(8) // the ad hoc ones
        expect(r.every((e) => e.actualEndDate >= "2024-08-01")).toBe(true)
      })
    )
    it.live("an execution: version link, links, step results", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        const e = (yield* get(sb, "/testexecutions/DEMO-E1")).body
        expect((yield* get(sb, `/testexecutions/${e.id}`)).body).toEqual(e)
        expect(e.testCase.self).toBe(`${sb.baseUrl}/testcases/DEMO-T1/versions/1`)
        expect(e.testExecutionStatus.self).toBe(`${sb.baseUrl}/statuses/${e.testExecutionStatus.id}`)
        expect(e.links.self).toBe(`${sb.baseUrl}/testexecutions/${e.id}/links`)
        expect((yield* get(sb, `/testexecutions/${e.id}/links`)).body).toEqual(e.links)
        const steps = (yield* getAll(sb, `/testexecutions/${e.id}/teststeps?maxResults=2`)).values
        expect(steps.length).toBe(3)
        for (const s of steps) {
          expect(Object.keys(s).sort()).toEqual(["id", "inline"])
          expect(s.inline.status.self).toMatch(new RegExp(`^${sb.baseUrl}/statuses/\\d+$`))
          expect(typeof s.inline.actualResult).toBe("string")
        }
        // Call-to-test executions are expanded: DEMO-T11 (1 + T12[T13(2) + 2] + 1) = 6 step results.
        const e11 = (yield* getAll(sb, "/testexecutions?testCase=DEMO-T11")).values[0]
        expect((yield* get(sb, `/testexecutions/${e11.id}/teststeps`)).body.total).toBe(6)
      })
    )
  })

  describe("cursor (nextgen) endpoints", () => {
    it.live("envelope {next, nextStartAtId, limit, values}, id order, following next visits everything once", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        const first = (yield* get(sb, "/testexecutions/nextgen?projectKey=DEMO&limit=20")).body
        expect(Object.keys(first).sort()).toEqual(["limit", "next", "nextStartAtId", "values"])
        expect(first.limit).toBe(20)
        expect(first.next).toBe(`${sb.baseUrl}/testexecutions/nextgen?projectKey=DEMO&limit=20&startAtId=${first.nextStartAtId}`)
        const ids: Array<number> = []
        let url: string | null = "/testexecutions/nextgen?projectKey=DEMO&limit=20"
        while (url !== null) {
          const body: any = (yield* get(sb, url)).body
          ids.push(...body.values.map((v: any) => v.id))
          url = body.next
          if (url === null) expect(body.nextStartAtId).toBeNull()
        }
        const expected = data.testexecutions.filter((e) => e.project.id === DEMO_ID).map((e) => e.id).sort((a, b) => a - b)
        expect(ids).toEqual(expected)
      })
    )
    it.live("limit is capped; startAtId is inclusive; filters apply", () =>
      Effect.gen(function* () {
        expect((yield* get(sandbox(), "/testcases/nextgen?limit=5000")).body.limit).toBe(50)
        const from = (yield* get(sandbox(), "/testcases/nextgen?projectKey=DEMO&startAtId=50010&limit=2")).body
        expect(from.values.map((v: any) => v.key)).toEqual(["DEMO-T10", "DEMO-T11"])
        expect(from.nextStartAtId).toBe(50012)
        const folder = (yield* get(sandbox(), "/testcases/nextgen?folderId=1010&limit=100")).body.values
        expect(folder.every((tc: any) => tc.folder.id === 1010)).toBe(true)
        expect((yield* get(sandbox(), "/testcycles/nextgen?projectKey=DEMO&limit=100")).body.values).toHaveLength(6)
        expect((yield* get(sandbox(), "/testplans/nextgen?projectKey=DEMO&limit=100")).body.values).toHaveLength(3)
      })
    )
    it.live("updatedAfter keeps newer entities (and those without a visible timestamp)", () =>
      Effect.gen(function* () {
        const execs = (yield* get(sandbox(), "/testexecutions/nextgen?projectKey=DEMO&limit=1000&updatedAfter=2024-08-01T00:00:00Z")).body.values
        expect(execs.length).toBeGreaterThan(0)
        expect(execs.every((e: any) => e.actualEndDate === null || e.actualEndDate > "2024-08-01")).toBe(true)
        expect(execs.some((e: any) => e.actualEndDate !== null)).toBe(true)
        expect((yield* get(sandbox(), "/testexecutions/nextgen?updatedAfter=nope")).status).toBe(400)
      })
    )
  })

  describe("attachments", () => {
    it.live("test case and execution attachments: list and byte-identical download", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        for (const [owner, files] of Object.entries(data.attachments)) {
          const [kind, id] = owner.split("/") as [string, string]
          const list = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments`)
          expect(list.status).toBe(200)
          expect(list.body).toEqual({ attachments: files.map((f) => ({ id: f.id, name: f.name })) })
          for (const f of files) {
            const got = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments/${f.id}`)
            expect(got.status).toBe(200)
            expect(got.headers.get("content-type")).toBe(f.contentType)
            expect(got.headers.get("content-length")).toBe(String(got.bytes.byteLength))
            expect(Buffer.from(got.bytes).equals(Buffer.from(f.base64, "base64"))).toBe(true)
          }
        }
      })
    )
    it.live("the PNG is a real PNG and the PDF blob holds all 256 byte values", () =>
      Effect.gen(function* () {
        const png = yield* get(sandbox(), "/testcases/DEMO-T1/attachments/400001")
        expect([...png.bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
        const pdf = yield* get(sandbox(), "/testcases/DEMO-T3/attachments/400003")
        expect(new Set(pdf.bytes).size).toBe(256)
      })
    )
    it.live("a case without attachments lists none; unknown attachment → 404", () =>
      Effect.gen(function* () {
        expect((yield* get(sandbox(), "/testcases/DEMO-T2/attachments")).body).toEqual({ attachments: [] })
        expect((yield* get(sandbox(), "/testcases/DEMO-T1/attachments/1")).status).toBe(404)
      })
    )
  })

  describe("project isolation", () => {
    it.live("projectKey=DEMO never returns OTHER's entities", () =>
      Effect.gen(function* () {
        for (const path of ["/folders", "/statuses", "/priorities", "/environments", "/testcases", "/testplans", "/testcycles", "/testexecutions"]) {
          const demo = (yield* getAll(sandbox(), `${path}?projectKey=DEMO&maxResults=50`)).values
          expect(demo.length, path).toBeGreaterThan(0)
          expect(demo.every((v) => v.project.id === DEMO_ID), path).toBe(true)
          const everything = (yield* getAll(sandbox(), `${path}?maxResults=50`)).values
          if (path !== "/testplans") expect(everything.some((v) => v.project.id !== DEMO_ID), path).toBe(true)
        }
      })
    )
  })

  describe("stats", () => {
    it.live("counts requests by path template and resets", () =>
      Effect.gen(function* () {
        const sb = sandbox()
        sb.resetStats()
        yield* get(sb, "/testcases/DEMO-T1/teststeps")
        yield* get(sb, "/testcases/DEMO-T2/teststeps")
        yield* get(sb, "/nothing")
        const stats = sb.stats()
        expect(stats.requests).toBe(3)
        expect(stats.byPath["/v2/testcases/{testCaseKey}/teststeps"]).toBe(2)
        expect(stats.byPath["unmatched"]).toBe(1)
        expect(stats).toMatchObject({ faults: 0, throttled: 0 })
      })
    )
  })
})

describe("ZephyrSandbox without attachment endpoints", () => {
  const sandbox = startForSuite({ attachments: false })
  it.live("attachment endpoints → 404 {errorCode:404, message}", () =>
    Effect.gen(function* () {
      for (const path of ["/testcases/DEMO-T1/attachments", "/testcases/DEMO-T1/attachments/400001", "/testexecutions/DEMO-E1/attachments"]) {
        const r = yield* get(sandbox(), path)
        expect(r.status, path).toBe(404)
        expect(r.body.errorCode).toBe(404)
        expect(typeof r.body.message).toBe("string")
      }
      expect((yield* get(sandbox(), "/testcases/DEMO-T1")).status).toBe(200)
    })
  )
})
