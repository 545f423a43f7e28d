/**
 * The generated organisation (plugins/zephyr/sandbox/organisationData.ts): valid sandbox data whose ids, keys
 * and links agree across projects; the cross-project references it promises (the second project calls the first's
 * case, the third runs the first's cases in a cycle) served over the wire as the vendor's description shapes
 * them; the real Zephyr source extracting each project from a started sandbox; determinism by seed; and the
 * `--zephyr-projects` option of the plugin's sandbox capability.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ajv } from "ajv"
import addFormatsModule from "ajv-formats"
import { Effect } from "effect"
import { readFileSync } from "node:fs"
import { parse } from "yaml"
import { makePluginContext } from "../../../core/testing.ts"
import zephyr from "../../../plugins/zephyr/index.ts"
import { versionId } from "../../../plugins/zephyr/sandbox/SandboxIndex.ts"
import {
  ORGANISATION_MAX_PROJECTS,
  organisationData,
  organisationProjectKey,
  startZephyrSandbox,
  type RunningZephyrSandbox,
  type ZephyrData
} from "../../../plugins/zephyr/sandbox/index.ts"
import { validateZephyrData } from "../../../plugins/zephyr/sandbox/validateZephyrData.ts"
import { vendorSpecs } from "../../contracts/vendor.ts"
import { extractAll, quarantined, rows, tempDir } from "./harness.ts"
import { get, getAll } from "./sandbox/helpers.ts"

const addFormats = addFormatsModule.default
const org = organisationData(3)
const projectOf = (key: string) => org.projects.find((p) => p.key === key)!
const [ORGA, ORGB, ORGC] = [projectOf("ORGA"), projectOf("ORGB"), projectOf("ORGC")]
const inProject = (id: number) => (x: { readonly project: { readonly id: number } }) => x.project.id === id
const VERSION_SELF = /\/testcases\/([^/]+)\/versions\/(\d+)$/
const callsOf = (d: ZephyrData, key: string) => (d.teststeps[key] ?? []).flatMap((s) => (s.testCase ? [s.testCase] : []))
/** The third project's executions of the first project's cases. */
const sharedExecutions = (d: ZephyrData) => {
  const third = d.projects[2]
  return third === undefined ? [] : d.testexecutions.filter((e) => e.project.id === third.id && VERSION_SELF.exec(e.testCase.self)?.[1]?.startsWith("ORGA-"))
}

describe("organisationData: the data", () => {
  it("is valid sandbox data for 1 to the maximum number of projects, with distinct readable keys", () => {
    for (const n of [1, 2, 3, 7, ORGANISATION_MAX_PROJECTS]) {
      const d = organisationData(n)
      expect(validateZephyrData(d), `${n} projects`).toEqual([])
      expect(d.projects.map((p) => p.key)).toEqual(Array.from({ length: n }, (_, i) => organisationProjectKey(i)))
      expect(new Set(d.projects.map((p) => p.id)).size).toBe(n)
    }
    expect([0, 1, 2, 25, 26, 27, 51, 52].map(organisationProjectKey)).toEqual(["ORGA", "ORGB", "ORGC", "ORGZ", "ORGAA", "ORGAB", "ORGAZ", "ORGBA"])
    for (const bad of [0, -1, 1.5, ORGANISATION_MAX_PROJECTS + 1]) expect(() => organisationData(bad)).toThrow(RangeError)
  })

  it("keeps ids distinct across projects, even between kinds of entity", () => {
    const d = organisationData(5)
    const ids = [
      ...d.folders,
      ...d.statuses,
      ...d.priorities,
      ...d.environments,
      ...d.testcases,
      ...d.testcycles,
      ...d.testplans,
      ...d.testexecutions,
      ...Object.values(d.teststeps).flat(),
      ...Object.values(d.testscripts),
      ...Object.values(d.executionsteps).flat(),
      ...Object.values(d.attachments).flat()
    ].map((x) => x.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it("gives every project what a Zephyr project has, small: statuses, folders, cases of every kind, plan, cycles, history", () => {
    for (const p of org.projects) {
      const mine = inProject(p.id)
      expect(new Set(org.statuses.filter(mine).map((s) => s.statusType))).toEqual(new Set(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE", "TEST_EXECUTION"]))
      expect(org.priorities.filter(mine).map((x) => x.name)).toEqual(["High", "Normal", "Low"])
      expect(org.environments.filter(mine).some((e) => e.archived)).toBe(true)
      const folders = org.folders.filter(mine)
      expect(new Set(folders.map((f) => f.folderType))).toEqual(new Set(["TEST_CASE", "TEST_PLAN", "TEST_CYCLE"]))
      const cases = org.testcases.filter(mine)
      expect(cases.length).toBeGreaterThanOrEqual(8)
      expect(cases.length).toBeLessThanOrEqual(12)
      expect(cases.every((tc) => tc.key.startsWith(`${p.key}-T`))).toBe(true)
      expect(cases.some((tc) => tc.folder === null)).toBe(true)
      expect(cases.some((tc) => Object.keys(tc.customFields ?? {}).length > 0)).toBe(true)
      expect(new Set(cases.flatMap((tc) => (org.testscripts[tc.key] ? [org.testscripts[tc.key]!.type] : ["steps"])))).toEqual(new Set(["steps", "plain", "bdd"]))
      // The in-project call, with both kinds of parameter.
      const inProjectCalls = cases.flatMap((tc) => callsOf(org, tc.key).filter((c) => c.testCaseKey.startsWith(`${p.key}-`)))
      expect(inProjectCalls.length).toBeGreaterThanOrEqual(1)
      expect(new Set(inProjectCalls.flatMap((c) => (c.parameters ?? []).map((x) => x.type)))).toEqual(new Set(["DEFAULT_VALUE", "MANUAL_INPUT"]))
      expect(org.testcycles.filter(mine)).toHaveLength(2)
      expect(org.testplans.filter(mine)).toHaveLength(1)
      const executions = org.testexecutions.filter(mine)
      expect(executions.some((e) => e.testCycle === null)).toBe(true)
      for (const e of executions) expect(org.executionsteps[String(e.id)]?.length ?? 0).toBeGreaterThan(0)
    }
  })

  it("has the cross-project references exactly from two and three projects on", () => {
    const foreignCalls = (d: ZephyrData) => d.testcases.flatMap((tc) => callsOf(d, tc.key).filter((c) => c.testCaseKey.split("-")[0] !== tc.key.split("-")[0]).map((c) => [tc.key, c.testCaseKey]))
    expect(foreignCalls(organisationData(1))).toEqual([])
    expect(foreignCalls(organisationData(2))).toEqual([["ORGB-T3", "ORGA-T1"]])
    expect(foreignCalls(org)).toEqual([["ORGB-T3", "ORGA-T1"]])
    expect(sharedExecutions(organisationData(2))).toEqual([])
    const shared = sharedExecutions(org)
    expect(new Set(shared.map((e) => VERSION_SELF.exec(e.testCase.self)?.[1]))).toEqual(new Set(["ORGA-T1", "ORGA-T2", "ORGA-T4"]))
    // They run in the third project's cycle, beside its own cases.
    const cycleIds = new Set(shared.map((e) => e.testCycle?.id))
    expect(cycleIds.size).toBe(1)
    const cycle = org.testcycles.find((c) => cycleIds.has(c.id))!
    expect(cycle.project.id).toBe(ORGC.id)
    const keysRun = org.testexecutions.filter((e) => e.testCycle?.id === cycle.id).map((e) => VERSION_SELF.exec(e.testCase.self)?.[1] ?? "")
    expect(keysRun.some((k) => k.startsWith("ORGC-"))).toBe(true)
  })

  it("keeps every link consistent: projects, lookups, versions, cycles, plans, step results", () => {
    const byId = <T extends { readonly id: number }>(xs: ReadonlyArray<T>) => new Map(xs.map((x) => [x.id, x]))
    const statuses = byId(org.statuses)
    const projects = byId(org.projects)
    const cases = new Map(org.testcases.map((tc) => [tc.key, tc]))
    const cycles = byId(org.testcycles)
    const plans = byId(org.testplans)
    const inSameProject = (owner: number, what: ReadonlyArray<{ readonly id: number; readonly project: { readonly id: number } }>, id: number | undefined) =>
      id === undefined || what.find((x) => x.id === id)?.project.id === owner
    for (const x of [...org.folders, ...org.statuses, ...org.priorities, ...org.environments, ...org.testcases, ...org.testcycles, ...org.testplans, ...org.testexecutions]) {
      expect(projects.has(x.project.id)).toBe(true)
      expect(x.project.self).toMatch(new RegExp(`/projects/${x.project.id}$`))
    }
    for (const tc of org.testcases) {
      expect(inSameProject(tc.project.id, org.statuses, tc.status.id), tc.key).toBe(true)
      expect(inSameProject(tc.project.id, org.priorities, tc.priority.id), tc.key).toBe(true)
      expect(inSameProject(tc.project.id, org.folders, tc.folder?.id), tc.key).toBe(true)
      expect(tc.status.self).toMatch(new RegExp(`/statuses/${tc.status.id}$`))
      expect(tc.testScript?.self).toMatch(new RegExp(`/testcases/${tc.key}/testscript$`))
      for (const c of callsOf(org, tc.key)) {
        expect(cases.has(c.testCaseKey)).toBe(true)
        expect(c.self).toMatch(new RegExp(`/testcases/${c.testCaseKey}/versions/${org.versions?.[c.testCaseKey] ?? 1}$`))
      }
    }
    for (const e of org.testexecutions) {
      const [, key = "", version = ""] = VERSION_SELF.exec(e.testCase.self) ?? []
      const tc = cases.get(key)
      expect(tc, e.key).toBeDefined()
      const latest = org.versions?.[key] ?? 1
      expect(Number(version)).toBeLessThanOrEqual(latest)
      expect(e.testCase.id).toBe(versionId(tc!.id, Number(version), latest))
      // The executing project's statuses, environments and cycle, whatever project the case is in.
      expect(statuses.get(e.testExecutionStatus.id)?.project.id, e.key).toBe(e.project.id)
      expect(statuses.get(e.testExecutionStatus.id)?.statusType).toBe("TEST_EXECUTION")
      expect(inSameProject(e.project.id, org.environments, e.environment?.id), e.key).toBe(true)
      if (e.testCycle) expect(cycles.get(e.testCycle.id)?.project.id, e.key).toBe(e.project.id)
      expect(e.key?.startsWith(`${projects.get(e.project.id)?.key}-E`)).toBe(true)
      for (const s of org.executionsteps[String(e.id)] ?? []) expect(statuses.get(s.inline.status.id)?.project.id).toBe(e.project.id)
    }
    for (const p of org.testplans)
      for (const l of p.links?.testCycles ?? []) {
        const cycle = cycles.get(l.testCycleId)
        expect(cycle?.project.id).toBe(p.project.id)
        expect(cycle?.links?.testPlans.find((back) => back.id === l.id)?.testPlanId).toBe(p.id)
      }
    for (const c of org.testcycles) for (const l of c.links?.testPlans ?? []) expect(plans.has(l.testPlanId)).toBe(true)
    // Step results of a calling case are the callee's steps, parameters substituted (across projects too).
    const callerRun = org.testexecutions.find((e) => e.testCase.self.includes("/testcases/ORGB-T3/"))!
    expect((org.executionsteps[String(callerRun.id)] ?? []).map((s) => s.inline.testData)).toContain("Username = auditor@example.com<br>Password = {password}")
  })

  it("is deterministic for a seed, differs between seeds, and a smaller organisation is a prefix of a larger one", () => {
    expect(organisationData(3, 42)).toEqual(organisationData(3, 42))
    expect(JSON.stringify(organisationData(3, 42))).not.toEqual(JSON.stringify(organisationData(3, 43)))
    expect(organisationData(3)).toEqual(organisationData(3, 1))
    const two = organisationData(2, 9)
    const five = organisationData(5, 9)
    const firstTwo = new Set(two.projects.map((p) => p.id))
    expect(five.testcases.filter((tc) => firstTwo.has(tc.project.id))).toEqual(two.testcases)
    expect(five.testexecutions.filter((e) => firstTwo.has(e.project.id))).toEqual(two.testexecutions)
  })
})

/** The vendor's 200 schema of a GET, with the real API's laxity that optional fields may be null (as the contract test). */
const vendorSchemas = () => {
  const spec = parse(readFileSync(vendorSpecs.zephyrCloud, "utf8"))
  const relax = (node: any): any => {
    if (Array.isArray(node)) return node.map(relax)
    if (node === null || typeof node !== "object") return node
    const out: any = {}
    for (const [k, v] of Object.entries(node)) out[k] = k === "$ref" && typeof v === "string" ? v.replace(/^#\//, "spec#/") : relax(v)
    if (out.properties) for (const prop of Object.keys(out.properties)) if (!(out.required ?? []).includes(prop)) out.properties[prop] = { anyOf: [out.properties[prop], { type: "null" }] }
    return out
  }
  const schemas: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(spec.components.schemas)) schemas[name] = relax(schema)
  // Custom-field values are scalars on the wire although the description says `type: object`; a root folder's parentId is null.
  ;(schemas["CustomFields"] as any).additionalProperties = {}
  const folder = schemas["Folder"] as any
  folder.properties.parentId = { anyOf: [folder.properties.parentId, { type: "null" }] }
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addFormat("url", (s: string) => URL.canParse(s) && /^https?:\/\//.test(s))
  ajv.addSchema({ $id: "spec", components: { schemas } })
  return (template: string, body: unknown): unknown => {
    const validate = ajv.compile(relax(spec.paths[template].get.responses["200"].content["application/json"].schema))
    return validate(body) || validate.errors
  }
}

describe("organisationData: served by the sandbox", () => {
  it.scopedLive("answers cross-project reads as Zephyr's description shapes them", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ data: org })
      const conforms = vendorSchemas()
      expect(sb.projectKey).toBe("ORGA")
      expect(sb.projectKeys).toEqual(["ORGA", "ORGB", "ORGC"])

      // The third project's executions include the shared cycle's, which run the first project's cases.
      const third = yield* get(sb, "/testexecutions?projectKey=ORGC&maxResults=1000")
      expect(conforms("/testexecutions", third.body)).toBe(true)
      expect(third.body.total).toBe(org.testexecutions.filter(inProject(ORGC.id)).length)
      const shared = sharedExecutions(org)
      const served = third.body.values.filter((e: any) => shared.some((s) => s.id === e.id))
      expect(served).toHaveLength(shared.length)
      for (const e of served) {
        expect(e.project).toEqual({ id: ORGC.id, self: `${sb.baseUrl}/projects/${ORGC.id}` })
        expect(e.testCase.self).toMatch(new RegExp(`^${sb.baseUrl}/testcases/ORGA-T\\d+/versions/\\d+$`))
      }
      // … through the cursor endpoint as well, and filtered by the shared case within the third project.
      const cursor = yield* getAll(sb, "/testexecutions/nextgen?projectKey=ORGC&limit=7")
      expect(cursor.values.map((e: any) => e.id)).toEqual(org.testexecutions.filter(inProject(ORGC.id)).map((e) => e.id))
      const byCase = yield* get(sb, "/testexecutions?projectKey=ORGC&testCase=ORGA-T1&maxResults=1000")
      expect(byCase.body.values.map((e: any) => e.id)).toEqual(shared.filter((e) => e.testCase.self.includes("/ORGA-T1/")).map((e) => e.id))
      const firstOwn = yield* get(sb, "/testexecutions?projectKey=ORGA&maxResults=1000")
      expect(firstOwn.body.values.every((e: any) => e.project.id === ORGA.id)).toBe(true)

      // A case is addressed by its key alone, whatever project asks.
      const first = yield* get(sb, "/testcases/ORGA-T1")
      expect(first.status).toBe(200)
      expect(conforms("/testcases/{testCaseKey}", first.body)).toBe(true)
      expect(first.body.project.id).toBe(ORGA.id)
      const executed = yield* get(sb, served[0].testCase.self)
      expect(executed.status).toBe(200)
      expect(executed.body.key).toMatch(/^ORGA-T/)

      // The second project's call names the first project's case and links to its latest version.
      const steps = yield* get(sb, "/testcases/ORGB-T3/teststeps")
      expect(conforms("/testcases/{testCaseKey}/teststeps", steps.body)).toBe(true)
      const callStep = steps.body.values.find((s: any) => s.testCase)
      expect(callStep.testCase).toMatchObject({ testCaseKey: "ORGA-T1", self: `${sb.baseUrl}/testcases/ORGA-T1/versions/2` })
      expect((yield* get(sb, callStep.testCase.self)).body.key).toBe("ORGA-T1")

      // A shared execution's step results are the first project's case's steps, in the third project's statuses.
      const results = yield* get(sb, `/testexecutions/${served[0].id}/teststeps`)
      expect(conforms("/testexecutions/{testExecutionIdOrKey}/teststeps", results.body)).toBe(true)
      const thirdStatuses = new Set(org.statuses.filter(inProject(ORGC.id)).map((s) => s.id))
      expect(results.body.values.every((s: any) => thirdStatuses.has(s.inline.status.id))).toBe(true)

      // Project-scoped lists stay in their project and keep the description's shapes.
      for (const kind of ["testcases", "testcycles", "testplans", "folders", "statuses", "priorities", "environments"]) {
        const list = yield* get(sb, `/${kind}?projectKey=ORGC&maxResults=1000`)
        expect(conforms(`/${kind}`, list.body), kind).toBe(true)
        expect(list.body.values.length, kind).toBeGreaterThan(0)
        expect(list.body.values.every((x: any) => x.project.id === ORGC.id), kind).toBe(true)
      }
    })
  )
})

/** The ids a collected note names: `notes()` summarises repeats into one note with `examples` (core/report/NoteCollector.ts). */
const examplesOf = (note: object): ReadonlyArray<string> => ("examples" in note && Array.isArray(note.examples) ? note.examples : [])

/** The real Zephyr source reading one project of a started sandbox, as `migrate run` would with that projectKey. */
const extractProject = (sb: RunningZephyrSandbox, projectKey: string) =>
  Effect.gen(function* () {
    const ctx = yield* makePluginContext({ system: "zephyr", stateDir: yield* tempDir, concurrency: 4, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 } })
    const source = yield* zephyr.make({ baseUrl: sb.baseUrl, token: sb.token, projectKey }, ctx)
    yield* source.check
    return { records: yield* extractAll(source), notes: ctx.notes() }
  })

describe("organisationData: extracted by the Zephyr source", () => {
  it.scopedLive("each project extracts whole and alone; the call and the shared executions keep their first-project keys", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ data: org })
      const extracted = new Map<string, Effect.Effect.Success<ReturnType<typeof extractProject>>>()
      for (const key of sb.projectKeys) extracted.set(key, yield* extractProject(sb, key))

      for (const p of org.projects) {
        const { records } = extracted.get(p.key)!
        const mine = inProject(p.id)
        expect(quarantined(records), p.key).toEqual([])
        expect(rows(records, "Project").map((r) => r.project_key)).toEqual([p.key])
        expect(rows(records, "TestCase").map((r) => r.key).sort()).toEqual(org.testcases.filter(mine).map((tc) => tc.key).sort())
        expect(rows(records, "TestCycle")).toHaveLength(org.testcycles.filter(mine).length)
        expect(rows(records, "TestPlan")).toHaveLength(org.testplans.filter(mine).length)
        expect(rows(records, "TestExecution").map((r) => r.execution_id)).toEqual(expect.arrayContaining(org.testexecutions.filter(mine).map((e) => e.id)))
        expect(rows(records, "TestExecution")).toHaveLength(org.testexecutions.filter(mine).length)
        expect(rows(records, "ExecutionStepResult")).toHaveLength(org.testexecutions.filter(mine).reduce((n, e) => n + (org.executionsteps[String(e.id)]?.length ?? 0), 0))
        expect(rows(records, "Attachment").length).toBeGreaterThan(0)
        // The in-project call.
        expect(rows(records, "TestStep").some((s) => s.called_test_case_key === `${p.key}-T1`)).toBe(true)
      }

      // The second project's call step names the first project's case.
      const second = extracted.get("ORGB")!
      const caller = rows(second.records, "TestCase").find((tc) => tc.key === "ORGB-T3")!
      const callSteps = rows(second.records, "TestStep").filter((s) => s.test_case_id === caller.test_case_id && s.called_test_case_key !== null)
      expect(callSteps.map((s) => s.called_test_case_key)).toEqual(["ORGA-T1"])
      expect(callSteps[0]?.parameters).toEqual([
        { name: "username", type: "DEFAULT_VALUE", value: "auditor@example.com" },
        { name: "password", type: "MANUAL_INPUT", value: "" }
      ])

      // The third project's executions include the first project's cases, as the first project's case ids.
      const third = extracted.get("ORGC")!
      const firstCaseIds = new Map(org.testcases.filter(inProject(ORGA.id)).map((tc) => [tc.key, tc.id]))
      const foreign = rows(third.records, "TestExecution").filter((e) => e.test_case_key?.startsWith("ORGA-"))
      expect(foreign.map((e) => e.execution_id).sort()).toEqual(sharedExecutions(org).map((e) => e.id).sort())
      for (const e of foreign) {
        expect(e.project_id).toBe(String(ORGC.id))
        expect(e.test_case_id).toBe(firstCaseIds.get(e.test_case_key ?? ""))
        expect(e.test_cycle_id).toBe(org.testcycles.find((c) => c.key === "ORGC-R2")?.id)
      }
      expect(rows(third.records, "TestExecution").some((e) => e.test_case_key?.startsWith("ORGC-"))).toBe(true)
      // Whatever the source notes about the third project concerns those executions only (their case is not in it).
      const foreignKeys = new Set(sharedExecutions(org).map((e) => e.key))
      for (const n of third.notes) {
        expect(n.entity).toBe("TestExecution")
        expect(n.message).toMatch(/^the executed test case ORGA-T\d+ belongs to project ORGA/)
        for (const id of [n.sourceId, ...examplesOf(n)]) expect(foreignKeys.has(id), id).toBe(true)
      }
      // Clean data otherwise: nothing unresolved, no broken HTML; the second project's only oddity is its call.
      expect(extracted.get("ORGA")!.notes).toEqual([])
      for (const n of extracted.get("ORGB")!.notes) expect(new Set([n.sourceId, ...examplesOf(n)])).toEqual(new Set(["ORGB-T3"]))
      // The first project's own extract holds none of the third project's executions.
      expect(rows(extracted.get("ORGA")!.records, "TestExecution").every((e) => e.project_id === String(ORGA.id))).toBe(true)
    })
  )
})

describe("the sandbox capability's --zephyr-projects", () => {
  it.scopedLive("serves the organisation and tells a client every project key", () =>
    Effect.gen(function* () {
      expect(zephyr.sandbox?.options.map((o) => [o.name, o.type])).toContainEqual(["zephyr-projects", "integer"])
      const running = yield* zephyr.sandbox!.start({ extra: { "zephyr-projects": 3 } })
      expect(running.connect).toMatchObject({ projectKey: "ORGA", projectKeys: "ORGA,ORGB,ORGC" })
      expect(running.configOverrides["projectKey"]).toBe("ORGA")
      const listed = yield* Effect.promise(() => fetch(`${running.baseUrl}/projects`, { headers: { authorization: `Bearer ${running.connect?.["token"]}` } }).then((r) => r.json() as Promise<any>))
      expect(listed.values.map((p: { key: string }) => p.key)).toEqual(["ORGA", "ORGB", "ORGC"])
      const seeded = yield* zephyr.sandbox!.start({ seed: 5, extra: { "zephyr-projects": 2 } })
      const names = yield* Effect.promise(() => fetch(`${seeded.baseUrl}/testcases/ORGB-T5`, { headers: { authorization: `Bearer ${seeded.connect?.["token"]}` } }).then((r) => r.json() as Promise<any>))
      expect(names.name).toBe(organisationData(2, 5).testcases.find((tc) => tc.key === "ORGB-T5")?.name)
    })
  )

  it.scopedLive("refuses a count out of range, and a data file beside it", () =>
    Effect.gen(function* () {
      for (const bad of [0, ORGANISATION_MAX_PROJECTS + 1]) {
        const e = yield* Effect.flip(zephyr.sandbox!.start({ extra: { "zephyr-projects": bad } }))
        expect(e).toMatchObject({ _tag: "PluginError", plugin: "zephyr", reason: "Config" })
        expect(e.message).toContain("--zephyr-projects")
      }
      const both = yield* Effect.flip(zephyr.sandbox!.start({ extra: { "zephyr-projects": 2, "zephyr-data": "tenant.json" } }))
      expect(both.message).toContain("--zephyr-data and --zephyr-projects")
    })
  )
})
