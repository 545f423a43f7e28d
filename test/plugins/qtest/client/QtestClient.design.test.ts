/**
 * Test Design operations round-trip through the sandbox: project and users, field settings (allowed values in
 * calls of ≤ 100), execution statuses, the module tree, and test cases — create, read by id and PID with
 * steps, update, approve, versions — with the bare-array paging of `…/test-cases` across several pages.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import { QtestClient } from "../../../../plugins/qtest/QtestClient.ts"
import { harness, makeContext, tokenAuth } from "./harness.ts"
import { startQtestSandbox } from "../../../../plugins/qtest/sandbox/index.ts"

const collect = <A, E>(stream: Stream.Stream<A, E>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

describe("QtestClient: project and users", () => {
  it.scopedLive("project, projects, project users and user search", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness()
      expect((yield* client.getProject()).id).toBe(sandbox.projectId)
      expect((yield* client.listProjects()).map((p) => p.id)).toContain(sandbox.projectId)
      const users = yield* client.listProjectUsers()
      expect(users.length).toBeGreaterThan(0)
      const someone = users[0]!
      const found = yield* collect(client.searchUsers(someone.username ?? ""))
      expect(found.map((u) => u.id)).toContain(someone.id)
      expect(yield* collect(client.searchUsers("nobody-has-this-name"))).toEqual([])
    })
  )

  it.scopedLive("the client as a service: QtestClient.layer provides the same client", () =>
    Effect.gen(function* () {
      const sandbox = yield* startQtestSandbox({})
      const ctx = yield* makeContext()
      const layer = QtestClient.layer({ baseUrl: sandbox.baseUrl, projectId: sandbox.projectId, auth: tokenAuth(sandbox) }, ctx)
      const project = yield* Effect.provide(Effect.flatMap(QtestClient, (client) => client.getProject()), layer)
      expect(project.id).toBe(sandbox.projectId)
    })
  )

  it.scopedLive("user search pages at ≤ 100 across pages", () =>
    Effect.gen(function* () {
      const users = Array.from({ length: 130 }, (_, i) => ({ username: `tester${i}@corp.example`, email: `tester${i}@corp.example`, first_name: "T", last_name: String(i) }))
      const { client, sandbox } = yield* harness({ users })
      const found = yield* collect(client.searchUsers("tester"))
      expect(found.length).toBe(130)
      expect(new Set(found.map((u) => u.id)).size).toBe(130)
      expect(sandbox.stats().byPath["/api/v3/users/search"]).toBe(2)
    })
  )

  // `GET /api/v3/re-evaluation`: the swagger's "Gets current user's information" (LoggedUser)
  it.scopedLive("current user", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness()
      const me = yield* client.currentUser()
      expect(me.user_name).toBe(sandbox.username)
      expect((yield* client.listProjectUsers()).map((u) => u.id)).toContain(me.id)
    })
  )
})

describe("QtestClient: fields and statuses", () => {
  it.scopedLive("lists fields, creates a picklist field, adds 150 values in two calls", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness()
      const before = yield* client.listFields("test-cases")
      expect(before.length).toBeGreaterThan(0)
      const field = yield* client.createField("test-cases", { label: "Zephyr Component", data_type: 3, allowed_values: [{ label: "Core" }] })
      expect(field.label).toBe("Zephyr Component")
      expect(field.allowed_values?.map((v) => v.label)).toEqual(["Core"])
      const values = Array.from({ length: 150 }, (_, i) => ({ label: `Component ${i + 1}` }))
      const added = yield* client.addAllowedValues("test-cases", field.id, values)
      expect(added.map((v) => v.label)).toEqual(values.map((v) => v.label))
      const template = `/api/v3/projects/{projectId}/settings/{objectType}/fields/{fieldId}/allowed-values`
      expect(sandbox.stats().byPath[template]).toBe(2)
      const after = (yield* client.listFields("test-cases", { includeInactive: true })).find((f) => f.id === field.id)
      expect(after?.allowed_values?.length).toBe(151)
      const text = yield* client.createField("test-runs", { label: "Zephyr Key", data_type: 1 })
      expect((yield* client.listFields("test-runs")).map((f) => f.id)).toContain(text.id)
    })
  )

  it.scopedLive("execution statuses include 601 Passed", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const statuses = yield* client.listExecutionStatuses()
      expect(statuses.find((s) => s.id === 601)?.name).toBe("Passed")
    })
  )
})

describe("QtestClient: modules", () => {
  it.scopedLive("create at the root and under a parent, list roots/children/descendants, get, update", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const root = yield* client.createModule({ name: "Web", description: "from Zephyr" })
      expect(root.parent_id ?? undefined).toBeUndefined()
      const child = yield* client.createModule({ name: "Auth" }, root.id)
      expect(child.parent_id).toBe(root.id)
      const grandchild = yield* client.createModule({ name: "Login" }, child.id)
      expect((yield* client.listModules()).map((m) => m.id)).toContain(root.id)
      expect((yield* client.listModules({ parentId: root.id })).map((m) => m.id)).toEqual([child.id])
      const tree = (yield* client.listModules({ descendants: true })).find((m) => m.id === root.id)
      expect(tree?.children?.[0]?.children?.[0]?.id).toBe(grandchild.id)
      expect((yield* client.getModule(child.id)).name).toBe("Auth")
      expect((yield* client.getModule(root.id, { descendants: true })).children?.map((m) => m.id)).toEqual([child.id])
      const renamed = yield* client.updateModule(child.id, { name: "Authentication", description: "renamed" })
      expect(renamed.name).toBe("Authentication")
      expect((yield* client.getModule(child.id)).description).toBe("renamed")
      const missing = yield* Effect.flip(client.getModule(999_999_999))
      expect(missing.reason).toBe("NotFound")
    })
  )
})

describe("QtestClient: test cases", () => {
  it.scopedLive("create with steps and properties, read by id and PID, update, approve, versions", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const module = yield* client.createModule({ name: "Cases" })
      const keyField = yield* client.createField("test-cases", { label: "Zephyr Key", data_type: 1 })
      const created = yield* client.createTestCase({
        name: "Login with valid credentials",
        parent_id: module.id,
        description: "<p>Objective</p>",
        precondition: "<p>User exists</p>",
        properties: [{ field_id: keyField.id, field_value: "PROJ-T1" }],
        test_steps: [
          { description: "Open login page", expected: "Form shown", order: 1 },
          { description: "Submit", expected: "Logged in", order: 2 }
        ]
      })
      expect(created.parent_id).toBe(module.id)
      expect(created.version).toBe("0.1")
      expect(created.pid).toMatch(/^TC-\d+$/)
      const byId = yield* client.getTestCase(created.id)
      expect(byId.test_steps?.map((s) => s.description)).toEqual(["Open login page", "Submit"])
      expect(byId.properties?.find((p) => p.field_id === keyField.id)?.field_value).toBe("PROJ-T1")
      const byPid = yield* client.getTestCase(created.pid!)
      expect(byPid.id).toBe(created.id)
      const withoutSteps = yield* client.getTestCase(created.id, { steps: false })
      expect(withoutSteps.test_steps ?? undefined).toBeUndefined()

      const updated = yield* client.updateTestCase(created.id, {
        name: "Login with valid credentials (v2)",
        parent_id: module.id,
        properties: [{ field_id: keyField.id, field_value: "PROJ-T1" }],
        test_steps: [{ description: "Open login page", expected: "Form shown", order: 1 }]
      })
      expect(updated.version).toBe("0.2")
      const approved = yield* client.approveTestCase(created.id)
      expect(approved.version).toBe("1.0")
      expect(approved.test_case_version_id).not.toBe(created.test_case_version_id)
      const versions = yield* client.listTestCaseVersions(created.id)
      expect(versions.map((v) => v.version)).toContain("1.0")
      const old = yield* client.getTestCase(created.id, { versionId: created.test_case_version_id! })
      expect(old.name).toBe("Login with valid credentials")
    })
  )

  it.scopedLive("lists a module's cases across pages (25 cases, size 10: three requests, no loss, no repeat)", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness()
      const module = yield* client.createModule({ name: "Many" })
      const other = yield* client.createModule({ name: "Other" })
      yield* client.createTestCase({ name: "elsewhere", parent_id: other.id, properties: [] })
      const names = Array.from({ length: 25 }, (_, i) => `Case ${String(i + 1).padStart(2, "0")}`)
      yield* Effect.forEach(names, (name) => client.createTestCase({ name, parent_id: module.id, properties: [] }), { concurrency: 4, discard: true })
      sandbox.resetStats()
      const listed = yield* collect(client.listTestCases(module.id, { pageSize: 10 }))
      expect(listed.map((c) => c.name).sort()).toEqual(names)
      expect(new Set(listed.map((c) => c.id)).size).toBe(25)
      // 10 + 10 + 5: the short third page ends the list
      expect(sandbox.stats().byPath["/api/v3/projects/{projectId}/test-cases"]).toBe(3)
      const exact = yield* collect(client.listTestCases(other.id, { pageSize: 1 }))
      expect(exact.map((c) => c.name)).toEqual(["elsewhere"])
    })
  )
})
