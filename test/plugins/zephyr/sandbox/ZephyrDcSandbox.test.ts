/**
 * The Zephyr sandbox serving Zephyr Scale Data Center (`edition: "dc"`, plugins/zephyr/sandbox/dc/) over real
 * loopback HTTP: its base path and credentials, the TQL it accepts and refuses, the bare-array paging of search,
 * the string references (folder paths, status names, user keys) — and above all that a DC client extracting it
 * gets the same project as a Cloud client: the same cases, cycles and executions (but the ad hoc executions DC
 * cannot list), the same attachment bytes. A Cloud and an Essential sandbox keep answering as before.
 */
import { describe, expect, it } from "@effect/vitest"
import { Buffer } from "node:buffer"
import { Effect } from "effect"
import { dcUserKey } from "../../../../plugins/zephyr/sandbox/dc/index.ts"
import { DEMO_USERS, demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import type { ZephyrData } from "../../../../plugins/zephyr/sandbox/ZephyrData.ts"
import { get, getAll, type Got } from "./helpers.ts"

const DEMO = demoData()
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`
const BASIC = basic("migrate", "sandbox-password")

/** GET with an explicit `Authorization` header (null: none). */
const getWith = (sb: RunningZephyrSandbox, path: string, authorization: string | null): Effect.Effect<Got> =>
  Effect.promise(async () => {
    const response = await fetch(path.startsWith("http") ? path : `${sb.baseUrl}${path}`, { headers: authorization === null ? {} : { authorization } })
    const bytes = new Uint8Array(await response.arrayBuffer())
    const text = new TextDecoder().decode(bytes)
    let body: unknown
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined
    } catch {
      body = undefined
    }
    return { status: response.status, headers: response.headers, bytes, text, body }
  })

const tql = (query: string) => `query=${encodeURIComponent(query)}`
const ok = (r: Got, what: string): any => {
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${r.text}`)
  return r.body
}

/** Every item a DC search answers, paged as a client pages: until a page is shorter than asked. */
const searchAll = (sb: RunningZephyrSandbox, kind: "testcase" | "testrun" | "testplan", projectKey: string, maxResults = 1000) =>
  Effect.gen(function* () {
    const out: Array<any> = []
    for (let startAt = 0; ; startAt += maxResults) {
      const page = ok(yield* get(sb, `/${kind}/search?${tql(`projectKey = "${projectKey}"`)}&startAt=${startAt}&maxResults=${maxResults}`), kind)
      out.push(...page)
      if (page.length < maxResults) return out
    }
  })

/** `/a/b` of a folder of the data, from its parents. */
const pathIn = (data: ZephyrData, folderId: number | undefined): string | undefined => {
  const names: Array<string> = []
  for (let f = data.folders.find((x) => x.id === folderId); f !== undefined; f = data.folders.find((x) => x.id === f?.parentId)) names.unshift(f.name)
  return names.length === 0 ? undefined : `/${names.join("/")}`
}

const start = (options: ZephyrSandboxOptions = {}) => startZephyrSandbox({ edition: "dc", ...options })

/**
 * What a DC client can read of a project's executions — every result of every run, plus each case's latest when
 * it is ad hoc — against what a Cloud client reads for the same tenant.
 */
const compareWithCloud = (options: ZephyrSandboxOptions, projectKey: string) =>
  Effect.gen(function* () {
    const dc = yield* start(options)
    const cloud = yield* startZephyrSandbox({ ...options, edition: "cloud" })
    const cloudCases = (yield* getAll(cloud, `/testcases?projectKey=${projectKey}&maxResults=1000`)).values
    const cloudCycles = (yield* getAll(cloud, `/testcycles?projectKey=${projectKey}&maxResults=1000`)).values
    const cloudPlans = (yield* getAll(cloud, `/testplans?projectKey=${projectKey}&maxResults=1000`)).values
    const cloudExecutions = (yield* getAll(cloud, `/testexecutions?projectKey=${projectKey}&maxResults=1000`)).values
    const dcCases = yield* searchAll(dc, "testcase", projectKey, 50)
    const dcRuns = yield* searchAll(dc, "testrun", projectKey)
    const dcPlans = yield* searchAll(dc, "testplan", projectKey)
    expect(dcCases.map((c) => c.key)).toEqual(cloudCases.map((c: any) => c.key))
    expect(dcRuns.map((r) => r.key)).toEqual(cloudCycles.map((c: any) => c.key))
    expect(dcPlans.map((p) => p.key)).toEqual(cloudPlans.map((p: any) => p.key))

    // in runs: every execution of every cycle, history included, under the cycle's key
    const inRuns: Array<number> = []
    for (const run of dcRuns) inRuns.push(...ok(yield* get(dc, `/testrun/${run.key}/testresults`), run.key).map((r: any) => r.id))
    const cycled = cloudExecutions.filter((e: any) => e.testCycle !== null && e.testCycle !== undefined)
    expect([...inRuns].sort((a, b) => a - b)).toEqual(cycled.map((e: any) => e.id).sort((a: number, b: number) => a - b))

    // ad hoc: only each case's latest (by actualEndDate, then id), and only when it is the latest of the case
    const caseOf = (e: any): string => decodeURIComponent(/\/testcases\/([^/]+)\/versions\//.exec(e.testCase.self)?.[1] ?? "")
    const allExecutions = (yield* getAll(cloud, "/testexecutions?maxResults=1000")).values
    const latestByCase = new Map<string, any>()
    for (const e of allExecutions) {
      const at = (x: any) => (x.actualEndDate ? Date.parse(x.actualEndDate) : Number.NEGATIVE_INFINITY)
      const best = latestByCase.get(caseOf(e))
      if (best === undefined || at(e) > at(best) || (at(e) === at(best) && e.id > best.id)) latestByCase.set(caseOf(e), e)
    }
    const visibleAdHoc: Array<number> = []
    for (const tc of dcCases) {
      const r = yield* get(dc, `/testcase/${encodeURIComponent(tc.key)}/testresult/latest`)
      const expected = latestByCase.get(tc.key)
      expect(r.status, tc.key).toBe(expected === undefined ? 404 : 200)
      if (r.status !== 200) continue
      expect(r.body.id, tc.key).toBe(expected.id)
      if (!inRuns.includes(r.body.id)) visibleAdHoc.push(r.body.id)
    }
    const adHoc = cloudExecutions.filter((e: any) => !e.testCycle)
    const expectedVisible = adHoc.filter((e: any) => latestByCase.get(caseOf(e))?.id === e.id).map((e: any) => e.id)
    expect(visibleAdHoc.sort((a, b) => a - b)).toEqual(expectedVisible.sort((a: number, b: number) => a - b))
    return { cases: dcCases.length, runs: dcRuns.length, inRuns: inRuns.length, adHoc: adHoc.length, visibleAdHoc: visibleAdHoc.length }
  })

describe("ZephyrSandbox as Zephyr Scale Data Center", () => {
  it.scopedLive("serves under /rest/atm/1.0, with a bearer token or HTTP Basic, and DC's 401 otherwise", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      expect(sb.edition).toBe("dc")
      expect(sb.baseUrl).toBe(`http://127.0.0.1:${sb.port}/rest/atm/1.0`)
      expect(sb.basicAuth).toEqual({ username: "migrate", password: "sandbox-password" })
      expect((yield* get(sb, "/testcase/DEMO-T1")).status).toBe(200)
      expect((yield* getWith(sb, "/testcase/DEMO-T1", BASIC)).status).toBe(200)
      expect((yield* get(sb, `http://127.0.0.1:${sb.port}/v2/testcases`)).status).toBe(404)
      const unauthorised = { message: "Client must be authenticated to access this resource.", "status-code": 401 }
      for (const auth of [null, "", "Bearer wrong", `Bearer ${sb.token}x`, basic("migrate", "wrong"), basic("someone", "sandbox-password"), basic("migrate", sb.token), `Token ${sb.token}`]) {
        const r = yield* getWith(sb, "/testcase/DEMO-T1", auth)
        expect(r.status, String(auth)).toBe(401)
        expect(r.body, String(auth)).toEqual(unauthorised)
      }
      // the control endpoint takes the same credentials
      const mutate = yield* Effect.promise(() => fetch(`http://127.0.0.1:${sb.port}/__sandbox/mutate`, { method: "POST", headers: { authorization: BASIC }, body: "{\"addCount\":0}" }))
      expect(mutate.status).toBe(200)
    })
  )

  it.scopedLive("TQL: projectKey, optionally AND folder, in DC's strict syntax; anything else is a 400 naming the problem", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      const keys = (query: string) => Effect.map(get(sb, `/testcase/search?${tql(query)}`), (r) => ok(r, query).map((c: any) => c.key))
      expect(yield* keys(`projectKey = "DEMO"`)).toHaveLength(25)
      expect(yield* keys(`projectKey = "OTHER"`)).toEqual(["OTHER-T1", "OTHER-T2", "OTHER-T3"])
      const checkout = DEMO.testcases.filter((tc) => tc.folder?.id === 1010).map((tc) => tc.key)
      expect(yield* keys(`projectKey = "DEMO" AND folder = "/Payments/Checkout"`)).toEqual(checkout)
      expect(yield* keys(`folder = "/Payments/Checkout" AND projectKey = "DEMO"`)).toEqual(checkout)
      // a folder's own cases, not its subfolders' (as DC)
      expect(yield* keys(`projectKey = "DEMO" AND folder = "/Payments"`)).toEqual(DEMO.testcases.filter((tc) => tc.folder?.id === 1002).map((tc) => tc.key))
      expect(yield* keys(`projectKey = "DEMO" AND folder = "/"`)).toEqual(["DEMO-T22"])
      const runs = ok(yield* get(sb, `/testrun/search?${tql(`projectKey = "DEMO" AND folder = "/Releases/2024.1"`)}`), "runs")
      expect(runs.map((r: any) => r.key)).toEqual(["DEMO-R1", "DEMO-R2"])

      const refused: ReadonlyArray<[string, string]> = [
        [`projectKey="DEMO"`, `The query statement is not valid: projectKey="DEMO"`],
        [`projectKey = 'DEMO'`, "The query statement is not valid"],
        [`projectKey = DEMO`, "The query statement is not valid"],
        [`projectKey  =  "DEMO"`, "The query statement is not valid"],
        [`projectKey = "DEMO" and folder = "/Payments"`, "The query statement is not valid"],
        [`projectKey IN ("DEMO")`, "The query statement is not valid"],
        [`status = "Draft"`, "The field status is not supported"],
        [`projectKey = "DEMO" AND key = "DEMO-T1"`, "The field key is not supported"],
        [`folder = "/Payments"`, "must name the project"],
        [`projectKey = "DEMO" AND folder = "Payments"`, "must begin with forward slash"],
        [`projectKey = "DEMO" AND folder = "/Nowhere"`, "Value(s) not found for field folder: /Nowhere"],
        [`projectKey = "DEMO" AND projectKey = "OTHER"`, "given twice"]
      ]
      for (const [query, message] of refused) {
        const r = yield* get(sb, `/testcase/search?${tql(query)}`)
        expect(r.status, query).toBe(400)
        expect(r.body.errorMessages.join(" "), query).toContain(message)
      }
      for (const kind of ["testcase", "testrun", "testplan"]) {
        const r = yield* get(sb, `/${kind}/search?${tql(`projectKey = "NOPE"`)}`)
        expect(r.status).toBe(400)
        expect(r.body).toEqual({ errorMessages: ["The project NOPE was not found for field projectKey."] })
        expect((yield* get(sb, `/${kind}/search`)).status).toBe(400)
      }
    })
  )

  it.scopedLive("search answers a bare array: 200 items by default, at most 1000, from startAt", () =>
    Effect.gen(function* () {
      const sb = yield* start({ scale: "medium", seed: 1 })
      const page = (params: string) => Effect.map(get(sb, `/testcase/search?${tql(`projectKey = "GEN"`)}${params}&fields=key`), (r) => ok(r, params))
      const first = yield* page("")
      expect(Array.isArray(first)).toBe(true)
      expect(first).toHaveLength(200)
      expect(first[0]).toEqual({ key: "GEN-T1" })
      expect(yield* page("&maxResults=1000")).toHaveLength(1000)
      expect(yield* page("&maxResults=5000")).toHaveLength(1000)
      expect(yield* page("&maxResults=3")).toEqual([{ key: "GEN-T1" }, { key: "GEN-T2" }, { key: "GEN-T3" }])
      expect(yield* page("&startAt=1998&maxResults=5")).toEqual([{ key: "GEN-T1999" }, { key: "GEN-T2000" }])
      expect(yield* page("&startAt=2000")).toEqual([])
      for (const bad of ["&startAt=-1", "&maxResults=x", "&startAt=1.5"]) expect((yield* get(sb, `/testcase/search?${tql(`projectKey = "GEN"`)}${bad}`)).status, bad).toBe(400)
      const all = yield* searchAll(sb, "testcase", "GEN", 1000)
      expect(new Set(all.map((c) => c.key)).size).toBe(2000)
    })
  )

  it.scopedLive("entities refer by string: no numeric id on cases, runs, plans; folder paths, status and priority names of the tenant", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      const cases = yield* searchAll(sb, "testcase", "DEMO")
      const runs = yield* searchAll(sb, "testrun", "DEMO")
      const plans = yield* searchAll(sb, "testplan", "DEMO")
      for (const x of [...cases, ...runs, ...plans, ...plans.flatMap((p) => p.testRuns)]) expect(x, x.key).not.toHaveProperty("id")
      const name = (table: ReadonlyArray<{ id: number; name: string }>, id: number | undefined) => table.find((s) => s.id === id)?.name
      for (const tc of DEMO.testcases.filter((t) => t.key.startsWith("DEMO-"))) {
        const served = cases.find((c) => c.key === tc.key)
        expect(served.folder, tc.key).toBe(pathIn(DEMO, tc.folder?.id ?? undefined))
        expect(served.status).toBe(name(DEMO.statuses, tc.status.id))
        expect(served.priority).toBe(name(DEMO.priorities, tc.priority.id))
        expect(served.testScript.id).toEqual(expect.any(Number))
        for (const step of served.testScript.steps ?? []) expect(step.id).toEqual(expect.any(Number))
      }
      expect(cases.find((c) => c.key === "DEMO-T9").folder).toBe("/Payments/Checkout")
      expect(cases.find((c) => c.key === "DEMO-T3").folder).toBe("/Authentication/Login/Password/Edge cases ⚠️")
      expect(cases.find((c) => c.key === "DEMO-T22")).not.toHaveProperty("folder")
      for (const c of DEMO.testcycles.filter((x) => x.key.startsWith("DEMO-"))) {
        const served = runs.find((r) => r.key === c.key)
        expect(served.folder).toBe(pathIn(DEMO, c.folder?.id ?? undefined))
        expect(served.status).toBe(name(DEMO.statuses, c.status.id))
        for (const item of served.items) expect(item.id).toEqual(expect.any(Number))
      }
      for (const p of DEMO.testplans) expect(plans.find((x) => x.key === p.key)?.folder).toBe(pathIn(DEMO, p.folder?.id ?? undefined))
      // unset optional fields are left out, never null
      expect(JSON.stringify([cases, runs, plans])).not.toContain("null")
    })
  )

  it.scopedLive("the same project as the Cloud sandbox serves: cases, runs = cycles, executions in runs plus each case's latest ad hoc one", () =>
    Effect.gen(function* () {
      const demo = yield* compareWithCloud({}, "DEMO")
      expect(demo).toMatchObject({ cases: 25, runs: 6 })
      expect(demo.inRuns).toBeGreaterThan(60)
      // DEMO-T20 has two ad hoc executions: DC shows only the later one (the real API's limitation)
      expect(demo.adHoc).toBe(8)
      expect(demo.visibleAdHoc).toBeGreaterThan(0)
      expect(demo.visibleAdHoc).toBeLessThan(demo.adHoc)
      const tiny = yield* compareWithCloud({ scale: "tiny", seed: 1 }, "GEN")
      expect(tiny.cases).toBe(50)
      expect(tiny.inRuns + tiny.adHoc).toBe(100)
    })
  )

  it.scopedLive("the latest result of a case, ad hoc or in a run; an earlier ad hoc result is nowhere", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      const adHoc = DEMO.testexecutions.filter((e) => e.testCase.self.includes("/DEMO-T20/") && !e.testCycle)
      expect(adHoc).toHaveLength(2)
      const [earlier, later] = [...adHoc].sort((a, b) => Date.parse(a.actualEndDate ?? "") - Date.parse(b.actualEndDate ?? ""))
      const latest = ok(yield* get(sb, "/testcase/DEMO-T20/testresult/latest"), "latest")
      expect(latest).toMatchObject({ id: later?.id, key: later?.key, testCaseKey: "DEMO-T20", projectId: 10000, automated: true })
      const everyRunResult: Array<number> = []
      for (const c of DEMO.testcycles) everyRunResult.push(...ok(yield* get(sb, `/testrun/${c.key}/testresults`), c.key).map((r: any) => r.id))
      expect(everyRunResult).not.toContain(earlier?.id)
      expect(everyRunResult).not.toContain(later?.id)
      // a case that never ran (every demo case ran: a copy of one under a new key did not)
      const model = DEMO.testcases.find((tc) => tc.key === "DEMO-T22")
      if (model === undefined) throw new Error("the demo lost DEMO-T22")
      const withNewCase = yield* start({ data: { ...DEMO, testcases: [...DEMO.testcases, { ...model, id: 59_999, key: "DEMO-T99" }] } })
      const none = yield* get(withNewCase, "/testcase/DEMO-T99/testresult/latest")
      expect(none.status).toBe(404)
      expect(none.body).toEqual({ errorMessages: ["No Test Result has been found for the given Test Case."] })
      expect(ok(yield* get(withNewCase, "/testcase/DEMO-T99"), "T99")).not.toHaveProperty("lastTestResultStatus")
    })
  )

  it.scopedLive("custom fields: a multi-select is one string of names joined by ', '; users are stable Jira user keys", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      const t3 = ok(yield* get(sb, "/testcase/DEMO-T3"), "T3")
      expect(DEMO.testcases.find((tc) => tc.key === "DEMO-T3")?.customFields?.["Category"]).toEqual(["Performance", "Regression"])
      expect(t3.customFields.Category).toBe("Performance, Regression")
      expect(t3.customFields["Build Number"]).toBe(23)
      expect(typeof t3.customFields.Implemented).toBe("boolean")
      // the owner, the USER_LIST field and the executions' users: one key per accountId, everywhere
      const t1 = ok(yield* get(sb, "/testcase/DEMO-T1"), "T1")
      const model = DEMO.testcases.find((tc) => tc.key === "DEMO-T1")
      const owner = dcUserKey(model?.owner?.accountId ?? "")
      expect(owner).toMatch(/^JIRAUSER[0-9]+$/)
      expect(t1.owner).toBe(owner)
      expect(t1.createdBy).toBe(owner)
      expect(t1.updatedBy).toBe(owner)
      expect(t1.customFields.Tester).toBe(dcUserKey(String(model?.customFields?.["Tester"])))
      const keys = new Set(Object.values(DEMO_USERS).map(dcUserKey))
      expect(keys.size).toBe(Object.keys(DEMO_USERS).length)
      const results = ok(yield* get(sb, "/testrun/DEMO-R1/testresults"), "results")
      for (const r of results) {
        const e = DEMO.testexecutions.find((x) => x.id === r.id)
        expect(r.executedBy).toBe(e?.executedById ? dcUserKey(e.executedById) : undefined)
        expect(r.assignedTo).toBe(e?.assignedToId ? dcUserKey(e.assignedToId) : undefined)
      }
      // a case without an owner was created by the sandbox's Basic user; a restart gives the same keys
      const t6 = ok(yield* get(sb, "/testcase/DEMO-T6"), "T6")
      expect(t6).not.toHaveProperty("owner")
      expect(t6.createdBy).toBe("migrate")
      const again = yield* start()
      expect(ok(yield* get(again, "/testcase/DEMO-T1"), "T1").owner).toBe(owner)
      // issue links are Jira issue keys
      expect(t1.issueLinks).toEqual(["DEMO-10101", "DEMO-10201"])
    })
  )

  it.scopedLive("attachments: the lists, and files whose bytes equal the Cloud sandbox's, with either credential", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      const cloud = yield* startZephyrSandbox({})
      let files = 0
      for (const [owner, list] of Object.entries(DEMO.attachments)) {
        const [kind, id] = owner.split("/") as [string, string]
        const path = kind === "testcases" ? `/testcase/${encodeURIComponent(id)}/attachments` : `/testresult/${id}/attachments`
        const served = ok(yield* get(sb, path), path)
        expect(served.map((a: any) => a.id)).toEqual(list.map((a) => a.id))
        for (const a of served) {
          expect(a.url).toBe(`http://127.0.0.1:${sb.port}/rest/tests/1.0/attachment/${a.id}`)
          const cloudFile = yield* get(cloud, `/${kind}/${encodeURIComponent(id)}/attachments/${a.id}`)
          for (const auth of [`Bearer ${sb.token}`, BASIC]) {
            const file = yield* getWith(sb, a.url, auth)
            expect(file.status).toBe(200)
            expect(Buffer.from(file.bytes).equals(Buffer.from(cloudFile.bytes))).toBe(true)
            expect(file.headers.get("content-type")).toBe(cloudFile.headers.get("content-type"))
          }
          expect(a.filesize).toBe(cloudFile.bytes.byteLength)
          expect(a.filename).toBe(list.find((x) => x.id === a.id)?.name)
          expect((yield* getWith(sb, a.url, null)).status).toBe(401)
          files++
        }
      }
      expect(files).toBe(Object.values(DEMO.attachments).flat().length)
      expect((yield* get(sb, `http://127.0.0.1:${sb.port}/rest/tests/1.0/attachment/999999`)).status).toBe(404)
      // owners without files, and the owners the tenant never gives files to
      for (const path of ["/testcase/DEMO-T2/attachments", "/testrun/DEMO-R1/attachments", "/testplan/DEMO-P1/attachments", "/testcase/DEMO-T1/step/0/attachments"])
        expect(ok(yield* get(sb, path), path)).toEqual([])
      expect((yield* get(sb, "/testcase/DEMO-T1/step/9/attachments")).status).toBe(404)
    })
  )

  it.scopedLive("environments with string ids; no GET of folders, statuses, priorities, custom fields or projects", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      const envs = ok(yield* get(sb, "/environments?projectKey=DEMO"), "environments")
      expect(envs).toEqual(
        DEMO.environments.filter((e) => e.project.id === 10000).map((e) => ({ id: String(e.id), projectKey: "DEMO", name: e.name, description: e.description ?? "" }))
      )
      expect((yield* get(sb, "/environments?projectKey=NOPE")).status).toBe(400)
      for (const path of ["/folder", "/folders", "/status", "/statuses", "/priority", "/customfield", "/project", "/testresult/100001", "/testcase"]) {
        const r = yield* get(sb, path)
        expect(r.status, path).toBe(404)
        expect(r.body.errorMessages, path).toHaveLength(1)
      }
      expect((yield* Effect.promise(() => fetch(`${sb.baseUrl}/testcase/DEMO-T1`, { method: "DELETE", headers: { authorization: `Bearer ${sb.token}` } }))).status).toBe(405)
    })
  )

  it.scopedLive("mutations move updatedOn (never createdOn) and change what is served", () =>
    Effect.gen(function* () {
      const sb = yield* start()
      const read = () =>
        Effect.all({ c: get(sb, "/testcase/DEMO-T1"), r: get(sb, "/testrun/DEMO-R1"), p: get(sb, "/testplan/DEMO-P1") }).pipe(
          Effect.map(({ c, r, p }) => ({ c: ok(c, "case"), r: ok(r, "run"), p: ok(p, "plan") }))
        )
      const before = yield* read()
      yield* Effect.sleep("5 millis")
      const result = sb.mutate({ changeFraction: 1, deleteFraction: 0, addCount: 0, seed: 7 })
      expect(result.changed.testcases).toContain("DEMO-T1")
      const after = yield* read()
      for (const k of ["c", "r", "p"] as const) {
        expect(Date.parse(after[k].updatedOn), k).toBeGreaterThan(Date.parse(before[k].updatedOn))
        expect(after[k].updatedOn, k).toBe(result.at)
        expect(after[k].createdOn, k).toBe(before[k].createdOn)
      }
      // a deleted case answers 404 and leaves the search
      const gone = sb.mutate({ changeFraction: 0, deleteFraction: 0.2, addCount: 0, seed: 8 }).deleted.testcases
      expect(gone.length).toBeGreaterThan(0)
      expect((yield* get(sb, `/testcase/${gone[0]}`)).status).toBe(404)
      expect((yield* searchAll(sb, "testcase", "DEMO")).map((c) => c.key)).not.toContain(gone[0])
    })
  )

  it.scopedLive("the transport options work the same: rate limit, faults in DC's error shape, storms", () =>
    Effect.gen(function* () {
      const limited = yield* start({ rateLimit: 2, seed: 7 })
      const statuses = yield* Effect.all(Array.from({ length: 12 }, () => get(limited, "/environments?projectKey=DEMO")), { concurrency: 12 })
      const throttled = statuses.filter((r) => r.status === 429)
      expect(throttled.length).toBeGreaterThanOrEqual(9)
      for (const r of throttled) {
        expect(Number(r.headers.get("retry-after"))).toBeGreaterThan(0)
        expect(r.body.errorMessages).toHaveLength(1)
      }
      const faulty = yield* start({ faultRate: 1, faultKinds: ["5xx"], seed: 3 })
      const failed = yield* get(faulty, "/testcase/DEMO-T1")
      expect([500, 502, 503]).toContain(failed.status)
      expect(failed.body.errorMessages).toHaveLength(1)
      const stormy = yield* start({ storm: { after: 1, length: 1, every: 100, retryAfterSeconds: 5 } })
      expect((yield* get(stormy, "/testcase/DEMO-T1")).status).toBe(200)
      const stormed = yield* get(stormy, "/testcase/DEMO-T1")
      expect(stormed.status).toBe(429)
      expect(stormed.headers.get("retry-after")).toBe("5")
      expect(stormy.stats().byPath).toMatchObject({ "/rest/atm/1.0/testcase/{testCaseKey}": 2 })
    })
  )

  it.scopedLive("Scale Cloud and Essential answer as before", () =>
    Effect.gen(function* () {
      for (const edition of ["cloud", "essential"] as const) {
        const sb = yield* startZephyrSandbox({ edition })
        expect(sb.baseUrl).toBe(`http://127.0.0.1:${sb.port}/v2`)
        expect(sb.basicAuth).toBeUndefined()
        const page = ok(yield* get(sb, "/testcases?projectKey=DEMO"), edition)
        expect(page).toMatchObject({ startAt: 0, maxResults: 10, total: 25, isLast: false })
        expect((yield* get(sb, "/testcase/search")).status).toBe(404)
        expect((yield* getWith(sb, "/testcases", BASIC)).status).toBe(401)
        expect((yield* get(sb, `http://127.0.0.1:${sb.port}/rest/atm/1.0/testcase/DEMO-T1`)).status).toBe(404)
      }
    })
  )
})
