/**
 * The Zephyr sandbox serving Zephyr Essential Cloud (`edition: "essential"`, docs/vendors/zephyr.md §3) over real
 * loopback HTTP: each way it differs from Scale Cloud — no `/nextgen` cursor endpoints, no `updatedAfter`, pages
 * of 10 unless asked otherwise, multi-select values as `[{id, name}]`, attachment files refused to the token —
 * shown against a Scale Cloud sandbox of the same tenant, which keeps answering as before. The tenant is the demo
 * with one 23-step case and multi-select values on a step, a cycle, a plan and an execution besides the demo's
 * test cases, so every place custom fields appear is exercised.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox, type ZephyrSandboxOptions } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import type { ZephyrData, ZephyrTestStep } from "../../../../plugins/zephyr/sandbox/ZephyrData.ts"
import { get, getAll } from "./helpers.ts"

const LONG_CASE = "DEMO-T2"
const LONG_CASE_STEPS = 23

/** The demo, with a long step-by-step case and multi-select values wherever custom fields may appear. */
const tenant = (): ZephyrData => {
  const demo = demoData()
  const [cycle, ...cycles] = demo.testcycles
  const [plan, ...plans] = demo.testplans
  const [execution, ...executions] = demo.testexecutions
  if (!cycle || !plan || !execution) throw new Error("the demo lost its cycles, plans or executions")
  const steps = Array.from({ length: LONG_CASE_STEPS }, (_, i): ZephyrTestStep => ({
    id: 900_001 + i,
    inline: {
      description: `<p>Step ${i + 1}</p>`,
      testData: "",
      expectedResult: `Result ${i + 1}`,
      customFields: i === 0 ? { "Step Tags": ["UI", "Chrome"], "Step Type": "UI" } : {},
      reflectRef: null
    }
  }))
  return {
    ...demo,
    teststeps: { ...demo.teststeps, [LONG_CASE]: steps },
    testcycles: [{ ...cycle, customFields: { ...cycle.customFields, Browsers: ["Chrome", "Firefox"] } }, ...cycles],
    testplans: [{ ...plan, customFields: { ...plan.customFields, Category: ["Performance"] } }, ...plans],
    testexecutions: [{ ...execution, customFields: { ...execution.customFields, Browsers: ["Chrome"] } }, ...executions]
  }
}

const DATA = tenant()
const CYCLE = DATA.testcycles[0]!
const PLAN = DATA.testplans[0]!
const EXECUTION = DATA.testexecutions[0]!

const start = (options: ZephyrSandboxOptions = {}) => startZephyrSandbox({ data: DATA, ...options })

/** A body with the sandbox's own base URL taken out, so two sandboxes' answers compare. */
const portable = (sb: RunningZephyrSandbox, text: string): unknown => JSON.parse(text.replaceAll(sb.baseUrl, "BASE"))

/** Scale Cloud's body as Essential should render it: each array of names becomes `[{id, name}]`. */
const asEssential = (body: any): any => {
  if (Array.isArray(body)) return body.map(asEssential)
  if (body === null || typeof body !== "object") return body
  return Object.fromEntries(
    Object.entries(body).map(([k, v]) => [
      k,
      k === "customFields" && v !== null && typeof v === "object"
        ? Object.fromEntries(Object.entries(v).map(([f, value]) => [f, Array.isArray(value) ? value.map((name) => ({ id: expect.any(Number), name })) : value]))
        : asEssential(v)
    ])
  )
}

const LISTS = [
  "/projects",
  "/folders?projectKey=DEMO",
  "/statuses?projectKey=DEMO",
  "/priorities?projectKey=DEMO",
  "/environments?projectKey=DEMO",
  "/testcases?projectKey=DEMO",
  "/testcycles?projectKey=DEMO",
  "/testplans?projectKey=DEMO",
  "/testexecutions?projectKey=DEMO",
  `/testcases/${LONG_CASE}/teststeps`,
  "/testcases/DEMO-T1/versions",
  `/testexecutions/${EXECUTION.id}/teststeps`
]

describe("ZephyrSandbox as Zephyr Essential", () => {
  it.scopedLive("tells which edition it serves, on the same base path and token; an unknown edition is refused", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      expect(essential.edition).toBe("essential")
      expect(essential.baseUrl).toBe(`http://127.0.0.1:${essential.port}/v2`)
      expect((yield* get(essential, "/projects/DEMO")).status).toBe(200)
      expect((yield* get(essential, "/projects/DEMO", { token: "nope" })).status).toBe(401)
      expect((yield* start()).edition).toBe("cloud")
      const refused = yield* Effect.flip(start({ edition: "squad" as never }))
      expect(refused).toMatchObject({ _tag: "SandboxStartError", reason: "Options" })
      expect(refused.message).toContain("cloud, essential")
    })
  )

  it.scopedLive("the /nextgen cursor endpoints are unknown paths: 404 like any other, counted as unmatched", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      const cloud = yield* start()
      const unknown = yield* get(essential, "/nothing")
      essential.resetStats()
      for (const kind of ["testcases", "testcycles", "testplans", "testexecutions"]) {
        const path = `/${kind}/nextgen?projectKey=DEMO&limit=5`
        const r = yield* get(essential, path)
        expect(r.status, path).toBe(404)
        expect(r.body, path).toEqual({ errorCode: 404, message: unknown.body.message.replace("/v2/nothing", `/v2/${kind}/nextgen`) })
        const there = yield* get(cloud, path)
        expect(there.status, path).toBe(200)
        expect(there.body.values, path).not.toHaveLength(0)
      }
      expect(essential.stats().byPath).toEqual({ unmatched: 4 })
    })
  )

  it.scopedLive("updatedAfter on any list answers 400 {errorCode, message}; Scale Cloud's offset lists ignore it", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      const cloud = yield* start()
      for (const list of LISTS) {
        const path = `${list}${list.includes("?") ? "&" : "?"}updatedAfter=2024-01-01T00:00:00Z`
        const r = yield* get(essential, path)
        expect(r.status, path).toBe(400)
        expect(Object.keys(r.body).sort(), path).toEqual(["errorCode", "message"])
        expect(r.body.errorCode, path).toBe(400)
        expect(r.body.message, path).toContain("updatedAfter")
        expect((yield* get(essential, list)).status, list).toBe(200)
        expect((yield* get(cloud, path)).status, path).toBe(200)
      }
      // an empty value is still the parameter
      expect((yield* get(essential, "/testcases?updatedAfter=")).status).toBe(400)
      // a single entity is no list: it ignores unknown parameters, as every GET does
      expect((yield* get(essential, "/testcases/DEMO-T1?updatedAfter=2024-01-01T00:00:00Z")).status).toBe(200)
    })
  )

  it.scopedLive("a list asked without maxResults answers pages of 10: the 23 steps of a case take three pages", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      const first = yield* get(essential, `/testcases/${LONG_CASE}/teststeps`)
      expect(first.body).toMatchObject({ startAt: 0, maxResults: 10, total: LONG_CASE_STEPS, isLast: false })
      expect(first.body.values).toHaveLength(10)
      const { values, pages } = yield* getAll(essential, `/testcases/${LONG_CASE}/teststeps`)
      expect(pages.map((p) => [p.startAt, p.maxResults, p.values.length, p.isLast])).toEqual([
        [0, 10, 10, false],
        [10, 10, 10, false],
        [20, 10, 3, true]
      ])
      const whole = yield* get(essential, `/testcases/${LONG_CASE}/teststeps?maxResults=100`)
      expect(whole.body.values).toHaveLength(LONG_CASE_STEPS)
      expect(values).toEqual(whole.body.values)
      const executions = yield* get(essential, "/testexecutions?projectKey=DEMO")
      expect(executions.body.maxResults).toBe(10)
      expect(executions.body.values).toHaveLength(10)
      expect(executions.body.total).toBeGreaterThan(10)
    })
  )

  it.scopedLive("multi-select values are [{id, name}] wherever custom fields appear; every other value is Scale Cloud's", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      const cloud = yield* start()
      const paths = [
        "/testcases/DEMO-T1",
        "/testcases/DEMO-T3/versions/1",
        "/testcases?projectKey=DEMO&maxResults=100",
        `/testcases/${LONG_CASE}/teststeps?maxResults=1`,
        `/testcycles/${CYCLE.key}`,
        "/testcycles?projectKey=DEMO",
        `/testplans/${PLAN.key}`,
        `/testexecutions/${EXECUTION.id}`,
        "/testexecutions?projectKey=DEMO&maxResults=5"
      ]
      for (const path of paths) {
        const there = yield* get(cloud, path)
        const here = yield* get(essential, path)
        expect(here.status, path).toBe(200)
        expect(portable(essential, here.text), path).toEqual(asEssential(portable(cloud, there.text)))
        // the rendering changed something: a multi-select is in every one of these bodies
        expect(here.text, path).toMatch(/"customFields":\{[^}]*:\[\{"id":[1-9][0-9]*,"name":"/)
        expect(here.text, path).not.toMatch(/"customFields":\{[^}]*:\["/)
      }
    })
  )

  it.scopedLive("a data file may write multi-selects in Essential's shape: Essential serves its ids, Scale Cloud the names", () =>
    Effect.gen(function* () {
      const written = [
        { id: 71, name: "Chrome" },
        { id: 72, name: "Firefox" }
      ]
      const data: ZephyrData = { ...DATA, testcycles: [{ ...CYCLE, customFields: { ...CYCLE.customFields, Browsers: written } }, ...DATA.testcycles.slice(1)] }
      const essential = yield* startZephyrSandbox({ data, edition: "essential" })
      const cloud = yield* startZephyrSandbox({ data })
      expect((yield* get(essential, `/testcycles/${CYCLE.key}`)).body.customFields.Browsers).toEqual(written)
      expect((yield* get(cloud, `/testcycles/${CYCLE.key}`)).body.customFields.Browsers).toEqual(["Chrome", "Firefox"])
      // a shape that is neither is refused, naming where
      const bad: ZephyrData = { ...DATA, testcycles: [{ ...CYCLE, customFields: { Browsers: [{ name: "Chrome" }] as unknown as ReadonlyArray<string> } }, ...DATA.testcycles.slice(1)] }
      const refused = yield* Effect.flip(startZephyrSandbox({ data: bad }))
      expect(refused.message).toMatch(/testcycles\[0\]\.customFields\.Browsers: expected a custom field value \(number, string, boolean, array of option names or of \{id, name\}\)/)
    })
  )

  it.scopedLive("an option's id is a positive integer, the same on every request and in every sandbox, per (field, option)", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      const again = yield* start({ edition: "essential", seed: 9 })
      const ids = (sb: RunningZephyrSandbox) =>
        Effect.gen(function* () {
          const fields = {
            case1: (yield* get(sb, "/testcases/DEMO-T1")).body.customFields,
            case3: (yield* get(sb, "/testcases/DEMO-T3")).body.customFields,
            step: (yield* get(sb, `/testcases/${LONG_CASE}/teststeps?maxResults=1`)).body.values[0].inline.customFields,
            cycle: (yield* get(sb, `/testcycles/${CYCLE.id}`)).body.customFields,
            plan: (yield* get(sb, `/testplans/${PLAN.id}`)).body.customFields,
            execution: (yield* get(sb, `/testexecutions/${EXECUTION.id}`)).body.customFields
          }
          const out: Record<string, number> = {}
          for (const [where, cf] of Object.entries(fields))
            for (const [field, value] of Object.entries(cf as Record<string, unknown>))
              if (Array.isArray(value)) for (const o of value) out[`${where}/${field}/${o.name}`] = o.id
          return out
        })
      const first = yield* ids(essential)
      expect(first).toMatchObject({
        "case1/Category/Functional": expect.any(Number),
        "case3/Category/Performance": expect.any(Number),
        "case3/Category/Regression": expect.any(Number),
        "step/Step Tags/UI": expect.any(Number),
        "step/Step Tags/Chrome": expect.any(Number),
        "cycle/Browsers/Chrome": expect.any(Number),
        "cycle/Browsers/Firefox": expect.any(Number),
        "plan/Category/Performance": expect.any(Number),
        "execution/Browsers/Chrome": expect.any(Number)
      })
      for (const id of Object.values(first)) expect(Number.isInteger(id) && id >= 1 && id <= 2 ** 31 - 1).toBe(true)
      expect(yield* ids(essential)).toEqual(first)
      expect(yield* ids(again)).toEqual(first)
      // the same option of the same field is one id, wherever it appears …
      expect(first["plan/Category/Performance"]).toBe(first["case3/Category/Performance"])
      expect(first["execution/Browsers/Chrome"]).toBe(first["cycle/Browsers/Chrome"])
      // … and different options, or the same name in another field, are different ids
      expect(new Set([first["case1/Category/Functional"], first["case3/Category/Performance"], first["case3/Category/Regression"]]).size).toBe(3)
      expect(first["step/Step Tags/Chrome"]).not.toBe(first["cycle/Browsers/Chrome"])
      // the list and the single entity agree
      const listed = (yield* get(essential, "/testcases?projectKey=DEMO&maxResults=100")).body.values.find((tc: any) => tc.key === "DEMO-T3")
      expect(listed.customFields.Category).toEqual((yield* get(essential, "/testcases/DEMO-T3")).body.customFields.Category)
    })
  )

  it.scopedLive("attachment files answer 401 Permission denied while their lists answer; each is counted like any request", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      const cloud = yield* start()
      essential.resetStats()
      for (const owner of ["testcases/DEMO-T1", `testexecutions/${Object.keys(DATA.attachments).find((o) => o.startsWith("testexecutions/"))?.split("/")[1]}`]) {
        const list = yield* get(essential, `/${owner}/attachments`)
        expect(list.status, owner).toBe(200)
        expect(list.body, owner).toEqual((yield* get(cloud, `/${owner}/attachments`)).body)
        expect(list.body.attachments.length, owner).toBeGreaterThan(0)
        const id = list.body.attachments[0].id
        const file = yield* get(essential, `/${owner}/attachments/${id}`)
        expect(file.status, owner).toBe(401)
        expect(file.body, owner).toEqual({ errorCode: 401, message: "Permission denied" })
        expect(file.headers.get("content-type"), owner).toContain("application/json")
        const bytes = yield* get(cloud, `/${owner}/attachments/${id}`)
        expect(bytes.status, owner).toBe(200)
        expect(bytes.bytes.byteLength, owner).toBeGreaterThan(0)
      }
      // whatever the id; an owner that does not exist is still not found
      expect((yield* get(essential, "/testcases/DEMO-T1/attachments/999999")).status).toBe(401)
      expect((yield* get(essential, "/testcases/DEMO-T9999/attachments/1")).status).toBe(404)
      expect(essential.stats()).toMatchObject({
        requests: 6,
        byPath: {
          "/v2/testcases/{testCaseKey}/attachments": 1,
          "/v2/testcases/{testCaseKey}/attachments/{attachmentId}": 3,
          "/v2/testexecutions/{testExecutionIdOrKey}/attachments": 1,
          "/v2/testexecutions/{testExecutionIdOrKey}/attachments/{attachmentId}": 1
        }
      })
    })
  )

  it.scopedLive("attachments: false keeps its meaning: the list and the file answer as an older tenant's", () =>
    Effect.gen(function* () {
      for (const status of [404, 503] as const) {
        const sb = yield* start({ edition: "essential", attachments: false, attachmentsMissingStatus: status })
        expect((yield* get(sb, "/testcases/DEMO-T1/attachments")).status).toBe(status)
        expect((yield* get(sb, "/testcases/DEMO-T1/attachments/1")).status).toBe(status)
      }
    })
  )

  it.scopedLive("POST /__sandbox/mutate works the same, and the changed tenant is rendered as Essential", () =>
    Effect.gen(function* () {
      const essential = yield* start({ edition: "essential" })
      const cloud = yield* start()
      const body = { changeFraction: 0.5, deleteFraction: 0.1, addCount: 3, seed: 4 }
      const post = (sb: RunningZephyrSandbox) =>
        Effect.promise(async () => {
          const r = await fetch(`${sb.baseUrl.replace(/\/v2$/, "")}/__sandbox/mutate`, {
            method: "POST",
            headers: { authorization: `Bearer ${sb.token}`, "content-type": "application/json" },
            body: JSON.stringify(body)
          })
          return { status: r.status, body: (await r.json()) as any }
        })
      const here = yield* post(essential)
      const there = yield* post(cloud)
      expect(here.status).toBe(200)
      const { at: _hereAt, ...hereResult } = here.body
      const { at: _thereAt, ...thereResult } = there.body
      expect(hereResult).toEqual(thereResult)
      expect(here.body.added.testcases).toHaveLength(3)
      expect(essential.counts()).toEqual(cloud.counts())
      const cases = yield* getAll(essential, "/testcases?projectKey=DEMO&maxResults=100")
      const cloudCases = yield* getAll(cloud, "/testcases?projectKey=DEMO&maxResults=100")
      expect(JSON.parse(JSON.stringify(cases.values).replaceAll(essential.baseUrl, "BASE"))).toEqual(asEssential(JSON.parse(JSON.stringify(cloudCases.values).replaceAll(cloud.baseUrl, "BASE"))))
    })
  )

  it.scopedLive("Scale Cloud is unchanged: edition cloud answers byte for byte as a sandbox without the option", () =>
    Effect.gen(function* () {
      const plain = yield* start()
      const explicit = yield* start({ edition: "cloud" })
      const paths = [
        ...LISTS,
        "/testcases/DEMO-T1",
        `/testcycles/${CYCLE.key}`,
        `/testplans/${PLAN.key}`,
        `/testexecutions/${EXECUTION.id}`,
        "/testcases/nextgen?projectKey=DEMO&updatedAfter=2024-01-01T00:00:00Z",
        "/testexecutions?projectKey=DEMO&updatedAfter=2024-01-01T00:00:00Z",
        "/testcases/DEMO-T1/attachments/1"
      ]
      for (const path of paths) {
        const a = yield* get(plain, path)
        const b = yield* get(explicit, path)
        expect(b.status, path).toBe(a.status)
        expect(b.text.replaceAll(explicit.baseUrl, "BASE"), path).toBe(a.text.replaceAll(plain.baseUrl, "BASE"))
      }
      // multi-select values stay arrays of names on Scale Cloud
      expect((yield* get(plain, "/testcases/DEMO-T3")).body.customFields.Category).toEqual(["Performance", "Regression"])
    })
  )
})
