/**
 * The qTest sandbox as a site of several projects, over real loopback HTTP (and the real qTest client for two
 * projects side by side): projects listed and isolated, ids unique across the site, another project's objects
 * refused exactly as ids that never existed, one token and one gateway quota for the site, control endpoints
 * per project or for all, persistence of every project (and of the one-project files written before), the
 * `--qtest-projects` option — and the default site, one project, as it always was.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { makeQtestClient } from "../../../../plugins/qtest/QtestClient.ts"
import { qtestSandboxCapability } from "../../../../plugins/qtest/qtestSandboxCapability.ts"
import { startQtestSandbox, type QtestSandboxOptions, type RunningQtestSandbox } from "../../../../plugins/qtest/sandbox/QtestSandbox.ts"
import { makeContext, tempDir, tokenAuth } from "../client/harness.ts"
import { call, control, ok, pollJob, type Got } from "./helpers.ts"

const THREE: QtestSandboxOptions = { projects: [{ name: "Alpha" }, { name: "Beta" }, { name: "Gamma" }] }

/** A project's API prefix. */
const at = (projectId: number, path = "") => `/api/v3/projects/${projectId}${path}`

/** Every project's id, in order (the sandbox's `projectIds`, asserted to be three). */
const idsOf = (sb: RunningQtestSandbox): readonly [number, number, number] => {
  expect(sb.projectIds).toHaveLength(3)
  return [sb.projectIds[0]!, sb.projectIds[1]!, sb.projectIds[2]!]
}

/** An approved case with one step, in a module, and a run of it in a cycle under a release: one of each. */
const populate = (sb: RunningQtestSandbox, projectId: number, name: string) =>
  Effect.gen(function* () {
    const module = yield* ok(sb, "POST", at(projectId, "/modules"), { json: { name: `${name} module` } }, 201)
    const created = yield* ok(sb, "POST", at(projectId, "/test-cases"), {
      json: { name: `${name} case`, parent_id: module.id, properties: [], test_steps: [{ description: "d", expected: "e" }] }
    })
    const tc = yield* ok(sb, "PUT", at(projectId, `/test-cases/${created.id}/approve`))
    const release = yield* ok(sb, "POST", at(projectId, "/releases"), { json: { name: `${name} release` } }, 201)
    const cycle = yield* ok(sb, "POST", at(projectId, `/test-cycles?parentId=${release.id}&parentType=release`), { json: { name: `${name} cycle` } }, 201)
    const run = yield* ok(sb, "POST", at(projectId, `/test-runs?parentId=${cycle.id}&parentType=test-cycle`), { json: { name: `${name} run`, test_case: { id: tc.id } } }, 201)
    return { module, tc, release, cycle, run }
  })

/** The same refusal, but for the id it names: what a client sees for `other` and for `missing` is one behaviour. */
const expectSameRefusal = (other: Got, otherId: number, missing: Got, missingId: number) => {
  expect(other.status).toBeGreaterThanOrEqual(400)
  expect(other.status).toBe(missing.status)
  expect(Object.keys(other.body)).toEqual(["message"])
  expect(String(other.body.message).replaceAll(String(otherId), "<id>")).toBe(String(missing.body.message).replaceAll(String(missingId), "<id>"))
}

/** An id no project has. */
const MISSING = 987_654_321

describe("QtestSandbox: several projects on one site", () => {
  it.scopedLive("by default the site is the one project it always was: id 1001, the same ids, no other project", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({})
      expect(sb.projectId).toBe(1001)
      expect(sb.projectIds).toEqual([1001])
      const projects = yield* ok(sb, "GET", "/api/v3/projects")
      expect(projects.map((x: any) => [x.id, x.name])).toEqual([[1001, "Migration Target"]])
      const fields = yield* ok(sb, "GET", at(1001, "/settings/test-cases/fields"))
      expect(fields[0]).toMatchObject({ id: 800_000, label: "Status" })
      expect((yield* ok(sb, "POST", at(1001, "/modules"), { json: { name: "First" } }, 201)).id).toBe(3_100_001)
      for (const path of [at(1002), at(1002, "/modules")]) {
        const r = yield* call(sb, "GET", path)
        expect([r.status, r.body]).toEqual([404, { message: "Project 1002 not found" }])
      }
      // one project reset: the answer it always was
      expect((yield* control(sb, "POST", "reset")).body).toEqual({ projectId: 1001 })
      expect((yield* ok(sb, "POST", at(1001, "/modules"), { json: { name: "After" } }, 201)).id).toBe(3_100_002)
    })
  )

  it.scopedLive("projects are listed and each answers on its own; their data, field ids and object ids never mix", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ ...THREE, users: [{ username: "jane@example.com", email: "jane@example.com" }] })
      const [a, b, c] = idsOf(sb)
      expect(sb.projectId).toBe(a)
      expect(new Set([a, b, c]).size).toBe(3)
      const listed = yield* ok(sb, "GET", "/api/v3/projects")
      expect(listed.map((x: any) => [x.id, x.name])).toEqual([[a, "Alpha"], [b, "Beta"], [c, "Gamma"]])
      expect((yield* ok(sb, "GET", "/api/v3/projects?page=2&pageSize=1")).map((x: any) => x.id)).toEqual([b])
      for (const [id, name] of [[a, "Alpha"], [b, "Beta"], [c, "Gamma"]] as const) {
        expect(yield* ok(sb, "GET", at(id))).toMatchObject({ id, name, links: [{ rel: "self", href: `${sb.baseUrl}${at(id)}` }] })
      }

      const made = [yield* populate(sb, a, "A"), yield* populate(sb, b, "B"), yield* populate(sb, c, "C")]
      // ids are the site's: no two objects share one, in any project, of any kind
      const objectIds = made.flatMap((m) => [m.module.id, m.tc.id, m.release.id, m.cycle.id, m.run.id])
      expect(new Set(objectIds).size).toBe(objectIds.length)
      // PIDs are per project, as in qTest
      expect(made.map((m) => m.tc.pid)).toEqual(["TC-1", "TC-1", "TC-1"])
      for (const [i, id] of [a, b, c].entries()) {
        const cases = yield* ok(sb, "GET", at(id, `/test-cases?parentId=${made[i]!.module.id}`))
        expect(cases.map((x: any) => x.id)).toEqual([made[i]!.tc.id])
        expect((yield* ok(sb, "GET", at(id, "/modules"))).map((x: any) => x.name)).toEqual([`${"ABC"[i]} module`])
        const runs = yield* ok(sb, "GET", at(id, `/test-runs?parentId=${made[i]!.cycle.id}&parentType=test-cycle`))
        expect(runs.items.map((x: any) => x.id)).toEqual([made[i]!.run.id])
        expect(made[i]!.run.links.find((l: any) => l.rel === "self").href).toContain(at(id, "/test-runs/"))
      }
      // each project has its own fields (distinct ids), and the same users under the same ids
      const statusFields = yield* Effect.forEach([a, b, c], (id) => Effect.map(ok(sb, "GET", at(id, "/settings/test-cases/fields")), (fs: Array<any>) => fs.find((f) => f.label === "Status").id))
      expect(new Set(statusFields).size).toBe(3)
      const users = yield* Effect.forEach([a, b, c], (id) => Effect.map(ok(sb, "GET", at(id, "/users")), (us: Array<any>) => us.map((u) => [u.id, u.username])))
      expect(users[1]).toEqual(users[0])
      expect(users[2]).toEqual(users[0])
      expect(users[0]).toHaveLength(2)
    })
  )

  it.scopedLive("another project's case, step callee, parent module, cycle, release, run and log are refused as ids that never existed", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox(THREE)
      const [a, b] = idsOf(sb)
      const there = yield* populate(sb, a, "A")
      yield* populate(sb, b, "B")
      const both = (method: string, path: (id: number) => string, json?: (id: number) => unknown, otherId?: number) =>
        Effect.gen(function* () {
          const id = otherId ?? 0
          const other = yield* call(sb, method, at(b, path(id)), json === undefined ? {} : { json: json(id) })
          const missing = yield* call(sb, method, at(b, path(MISSING)), json === undefined ? {} : { json: json(MISSING) })
          expectSameRefusal(other, id, missing, MISSING)
        })
      const log = { status: { id: 601 }, exe_start_date: "2024-03-01T10:00:00Z", exe_end_date: "2024-03-01T10:05:00Z" }

      yield* both("GET", (id) => `/test-cases/${id}`, undefined, there.tc.id)
      yield* both("POST", () => "/test-runs", (id) => ({ name: "R", test_case: { id } }), there.tc.id)
      yield* both("POST", () => "/test-cases", (id) => ({ name: "X", properties: [], test_steps: [{ called_test_case_id: id }] }), there.tc.id)
      yield* both("POST", () => "/test-cases", (id) => ({ name: "X", properties: [], test_steps: [{ description: "", expected: "", called_test_case: { id, approved: true } }] }), there.tc.id)
      yield* both("POST", () => "/test-cases", (id) => ({ name: "X", parent_id: id, properties: [] }), there.module.id)
      yield* both("POST", (id) => `/modules?parentId=${id}`, () => ({ name: "M" }), there.module.id)
      yield* both("GET", (id) => `/modules/${id}`, undefined, there.module.id)
      yield* both("POST", (id) => `/test-cycles?parentId=${id}&parentType=test-cycle`, () => ({ name: "C" }), there.cycle.id)
      yield* both("POST", (id) => `/test-cycles?parentId=${id}&parentType=release`, () => ({ name: "C" }), there.release.id)
      yield* both("POST", (id) => `/test-runs?parentId=${id}&parentType=test-cycle`, () => ({ name: "R", test_case: { id: there.tc.id } }), there.cycle.id)
      yield* both("GET", (id) => `/test-runs/${id}`, undefined, there.run.id)
      yield* both("POST", (id) => `/test-runs/${id}/test-logs`, () => ({ name: "L", ...log }), there.run.id)
      yield* both("PUT", (id) => `/test-cases/${id}`, () => ({ name: "Renamed" }), there.tc.id)
      // nothing of that reached project A
      expect((yield* ok(sb, "GET", at(a, `/test-cases/${there.tc.id}`))).name).toBe("A case")
      expect((yield* ok(sb, "GET", at(a, `/test-runs/${there.run.id}/test-logs`))).items).toEqual([])

      // search sees one project only
      const search = (projectId: number) =>
        Effect.map(ok(sb, "POST", at(projectId, "/search"), { json: { object_type: "test-cases", fields: ["*"], query: "Name ~ 'case'" } }), (r: any) => r.items.map((x: any) => x.name))
      expect(yield* search(a)).toEqual(["A case"])
      expect(yield* search(b)).toEqual(["B case"])
      expect(yield* search(sb.projectIds[2]!)).toEqual([])

      // a project the site does not have, as today's single project answered another id
      for (const p of ["/api/v3/projects/4242", "/api/v3/projects/4242/test-cases", "/api/v3/projects/4242/search"]) {
        const r = yield* call(sb, p.endsWith("search") ? "POST" : "GET", p, p.endsWith("search") ? { json: { object_type: "test-cases" } } : {})
        expect([r.status, r.body]).toEqual([404, { message: "Project 4242 not found" }])
      }
    })
  )

  it.scopedLive("an automation job belongs to the project it was submitted to, and its queue answers for every project", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox(THREE)
      const [a, b] = idsOf(sb)
      const cycle = yield* ok(sb, "POST", at(b, "/test-cycles"), { json: { name: "Nightly" } }, 201)
      const entry = { name: "Auto", automation_content: "suite.Auto", status: "PASSED", exe_start_date: "2024-03-01T10:00:00Z", exe_end_date: "2024-03-01T10:01:00Z", module_names: ["Suite"] }
      const job = yield* ok(sb, "POST", at(b, "/auto-test-logs?type=automation"), { json: { test_cycle: cycle.pid, test_logs: [entry] } }, 201)
      expect((yield* pollJob(sb, job.id)).job.state).toBe("SUCCESS")
      expect((yield* ok(sb, "GET", at(b, "/modules"))).map((m: any) => m.name)).toEqual(["Suite"])
      expect(yield* ok(sb, "GET", at(a, "/modules"))).toEqual([])
    })
  )

  it.scopedLive("the site's token, session login and gateway quota are shared by every project", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox({ ...THREE, quotaPerMinute: 6 })
      const [a, b, c] = idsOf(sb)
      const login = yield* call(sb, "POST", "/oauth/token", {
        token: null,
        headers: { authorization: `Basic ${Buffer.from(`${sb.siteName}:`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
        raw: `grant_type=password&username=${encodeURIComponent(sb.username)}&password=${sb.password}`
      })
      expect(login.status).toBe(200)
      const answers: Array<Got> = []
      for (const id of [a, b, c, a, b]) answers.push(yield* call(sb, "GET", at(id, "/modules"), { token: login.body.access_token }))
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
      expect(answers.map((r) => r.headers.get("x-ratelimit-remaining-minute"))).toEqual(["4", "3", "2", "1", "0"])
      const refused = yield* call(sb, "GET", at(c, "/modules"))
      expect(refused.status).toBe(429)
      expect(refused.body).toEqual({ message: "API rate limit exceeded" })
      sb.resetQuota()
      expect((yield* call(sb, "GET", at(c, "/modules"))).status).toBe(200)
    })
  )

  it.scopedLive("control endpoints: reset, rejection rules and parameters for one project or for all; an unknown project is a 404", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox(THREE)
      const [a, b, c] = idsOf(sb)
      for (const id of [a, b, c]) yield* ok(sb, "POST", at(id, "/modules"), { json: { name: `M${id}` } }, 201)
      const step = (id: number, identifier: string) =>
        ok(sb, "POST", at(id, "/test-cases"), { json: { name: "P", properties: [], test_steps: [{ description: `use [~${identifier}]`, expected: "e" }] } })
      yield* step(a, "alpha")
      yield* step(b, "beta")
      expect((yield* control(sb, "GET", `parameters?projectId=${b}`)).body.map((x: any) => x.identifier)).toEqual(["beta"])
      expect(sb.parameters().map((x) => x.identifier)).toEqual(["alpha", "beta"])
      expect(sb.parameters(a).map((x) => x.identifier)).toEqual(["alpha"])

      // a rule for one project leaves the others alone
      expect((yield* control(sb, "POST", "reject", { objectType: "modules", projectId: b, status: 400, message: "No modules here" })).status).toBe(200)
      expect((yield* call(sb, "POST", at(b, "/modules"), { json: { name: "X" } })).body).toEqual({ message: "No modules here" })
      expect((yield* call(sb, "POST", at(a, "/modules"), { json: { name: "X" } })).status).toBe(201)
      expect((yield* control(sb, "POST", "reject", { objectType: "modules", projectId: 4242, status: 400, message: "m" })).status).toBe(404)

      // one project reset: the others keep their data (and project B its rule is gone)
      const one = yield* control(sb, "POST", "reset", { projectId: b })
      expect(one.body).toEqual({ projectId: b })
      expect(yield* ok(sb, "GET", at(b, "/modules"))).toEqual([])
      expect((yield* ok(sb, "GET", at(a, "/modules"))).map((m: any) => m.name)).toEqual([`M${a}`, "Created via API", "X"])
      expect((yield* call(sb, "POST", at(b, "/modules"), { json: { name: "Y" } })).status).toBe(201)
      expect((yield* call(sb, "POST", `/__sandbox/reset?projectId=4242`)).status).toBe(404)
      expect(sb.reset(4242)).toBe(false)

      // everything reset, by the endpoint and by the method
      expect((yield* control(sb, "POST", "reset")).body).toEqual({ projectId: a, projectIds: [a, b, c] })
      for (const id of [a, b, c]) expect(yield* ok(sb, "GET", at(id, "/modules"))).toEqual([])
      expect(sb.parameters()).toEqual([])
      yield* ok(sb, "POST", at(c, "/modules"), { json: { name: "Z" } }, 201)
      expect(sb.reset(c)).toBe(true)
      expect(yield* ok(sb, "GET", at(c, "/modules"))).toEqual([])
    })
  )

  it.scopedLive("persistFile keeps every project; a one-project file loads into a larger site; a file of more projects is refused", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const file = path.join(dir, "qtest-sandbox.json")
      const first = yield* Effect.scoped(
        Effect.gen(function* () {
          const sb = yield* startQtestSandbox({ ...THREE, persistFile: file })
          const [a, b, c] = idsOf(sb)
          return { ids: [a, b, c], made: [yield* populate(sb, a, "A"), yield* populate(sb, b, "B"), yield* populate(sb, c, "C")] }
        })
      )
      expect(Object.keys(JSON.parse(fs.readFileSync(file, "utf8")))).toEqual(["projects"])
      const madeIds = first.made.flatMap((m) => [m.module.id, m.tc.id, m.release.id, m.cycle.id, m.run.id])

      yield* Effect.scoped(
        Effect.gen(function* () {
          const sb = yield* startQtestSandbox({ ...THREE, persistFile: file })
          expect(sb.projectIds).toEqual(first.ids)
          for (const [i, id] of first.ids.entries()) {
            const m = first.made[i]!
            expect((yield* ok(sb, "GET", at(id, `/test-cases/${m.tc.id}`))).name).toBe(`${"ABC"[i]} case`)
            expect((yield* ok(sb, "GET", at(id, `/test-runs/${m.run.id}`))).name).toBe(`${"ABC"[i]} run`)
            expect((yield* ok(sb, "GET", at(id, "/modules"))).map((x: any) => x.id)).toEqual([m.module.id])
          }
          // ids go on past everything any project had
          const next = yield* ok(sb, "POST", at(first.ids[1]!, "/modules"), { json: { name: "Later" } }, 201)
          expect(next.id).toBeGreaterThan(Math.max(...madeIds))
        })
      )

      // a file of a one-project sandbox (the format written before sites had several projects)
      const single = path.join(dir, "single.json")
      const old = yield* Effect.scoped(
        Effect.gen(function* () {
          const sb = yield* startQtestSandbox({ persistFile: single })
          return yield* populate(sb, sb.projectId, "Old")
        })
      )
      const saved = JSON.parse(fs.readFileSync(single, "utf8"))
      expect(saved.projects).toBeUndefined()
      expect(Object.keys(saved)).toContain("testCases")
      yield* Effect.scoped(
        Effect.gen(function* () {
          const sb = yield* startQtestSandbox({ ...THREE, persistFile: single })
          const [a, b] = idsOf(sb)
          expect((yield* ok(sb, "GET", at(a, `/test-cases/${old.tc.id}`))).name).toBe("Old case")
          expect(yield* ok(sb, "GET", at(b, "/modules"))).toEqual([])
          // the new projects' objects come after the restored ones
          const fields = yield* ok(sb, "GET", at(b, "/settings/test-cases/fields"))
          const restoredFields = yield* ok(sb, "GET", at(a, "/settings/test-cases/fields"))
          expect(Math.min(...fields.map((f: any) => f.id))).toBeGreaterThan(Math.max(...restoredFields.map((f: any) => f.id)))
          const module = yield* ok(sb, "POST", at(b, "/modules"), { json: { name: "New" } }, 201)
          expect(module.id).toBeGreaterThan(old.run.id)
        })
      )

      // the three-project file in a one-project sandbox would lose two projects: refused
      const refused = yield* Effect.exit(Effect.scoped(startQtestSandbox({ persistFile: file })))
      expect(Exit.isFailure(refused)).toBe(true)
      expect(JSON.stringify(refused)).toMatch(/holds project 1002, which this sandbox does not serve/)
    })
  )

  it.scopedLive("the real qTest client, one per project, on one sandbox", () =>
    Effect.gen(function* () {
      const sb = yield* startQtestSandbox(THREE)
      const [a, b] = idsOf(sb)
      const ctx = yield* makeContext()
      const clientA = makeQtestClient({ baseUrl: sb.baseUrl, projectId: a, auth: tokenAuth(sb) }, ctx)
      const clientB = makeQtestClient({ baseUrl: sb.baseUrl, projectId: b, auth: tokenAuth(sb) }, ctx)
      expect((yield* clientB.getProject()).name).toBe("Beta")
      expect((yield* clientA.listProjects()).map((x) => x.id)).toEqual(sb.projectIds)
      const inA = yield* clientA.createModule({ name: "Shared name" })
      const inB = yield* clientB.createModule({ name: "Shared name" })
      expect(inA.id).not.toBe(inB.id)
      expect((yield* clientA.listModules()).map((m) => m.id)).toEqual([inA.id])
      expect((yield* clientB.listModules()).map((m) => m.id)).toEqual([inB.id])
      expect(Exit.isFailure(yield* Effect.exit(clientB.getModule(inA.id)))).toBe(true)
    })
  )

  it.scopedLive("--qtest-projects N serves N projects and connect lists their ids; 0 is refused", () =>
    Effect.gen(function* () {
      const running = yield* qtestSandboxCapability.start({ extra: { "qtest-projects": 3 } })
      expect(running.connect).toMatchObject({ projectId: "1001", projectIds: "1001,1002,1003" })
      const projects = yield* Effect.promise(async () =>
        (await fetch(`${running.baseUrl}/api/v3/projects`, { headers: { authorization: `Bearer ${running.connect!["token"]}` } })).json()
      )
      expect((projects as Array<{ name: string }>).map((x) => x.name)).toEqual(["Migration Target", "Migration Target 2", "Migration Target 3"])
      const plain = yield* qtestSandboxCapability.start({ extra: {} })
      expect(plain.connect).toMatchObject({ projectId: "1001", projectIds: "1001" })
      const refused = yield* Effect.exit(qtestSandboxCapability.start({ extra: { "qtest-projects": 0 } }))
      expect(JSON.stringify(refused)).toMatch(/--qtest-projects 0: expected a number of projects, 1 or more/)
    })
  )
})
