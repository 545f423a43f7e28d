/**
 * Test Plan / Execution operations round-trip through the sandbox: releases, the test cycle tree, test runs
 * (paged in `{items}` envelopes across several pages), manual test logs with step logs, search, requirements
 * and their links, and attachments — streamed uploads, listing, and the 413 above the size limit.
 */
import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Stream } from "effect"
import type { QtestClientShape } from "../../../../plugins/qtest/QtestClient.ts"
import { bytesOf, harness } from "./harness.ts"

const collect = <A, E>(stream: Stream.Stream<A, E>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)
const root = { parentId: 0, parentType: "root" } as const

/** An approved case with two steps, ready to be run. */
const approvedCase = (client: QtestClientShape, name: string) =>
  Effect.gen(function* () {
    const module = yield* client.createModule({ name: `M ${name}` })
    const tc = yield* client.createTestCase({
      name,
      parent_id: module.id,
      properties: [],
      test_steps: [
        { description: "step 1", expected: "ok 1", order: 1 },
        { description: "step 2", expected: "ok 2", order: 2 }
      ]
    })
    return yield* client.approveTestCase(tc.id)
  })

describe("QtestClient: releases and test cycles", () => {
  it.scopedLive("releases: create, list, get, update", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const release = yield* client.createRelease({ name: "R1", description: "first", start_date: "2024-03-01T00:00:00Z", end_date: "2024-04-01T00:00:00Z", properties: [] })
      expect(release.pid).toMatch(/^RL-\d+$/)
      expect((yield* client.listReleases()).map((r) => r.id)).toContain(release.id)
      const updated = yield* client.updateRelease(release.id, { name: "R1.1", properties: [] })
      expect(updated.name).toBe("R1.1")
      expect((yield* client.getRelease(release.id)).name).toBe("R1.1")
    })
  )

  it.scopedLive("test cycles: under the root, a release and a cycle; list, descendants, get, update", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const release = yield* client.createRelease({ name: "R", properties: [] })
      const top = yield* client.createTestCycle({ name: "Top", description: "root cycle" }, root)
      const inRelease = yield* client.createTestCycle({ name: "In release" }, { parentId: release.id, parentType: "release" })
      const sub = yield* client.createTestCycle({ name: "Sub" }, { parentId: top.id, parentType: "test-cycle" })
      expect(top.pid).toMatch(/^CL-\d+$/)
      expect((yield* collect(client.listTestCycles(root))).map((c) => c.id)).toContain(top.id)
      expect((yield* collect(client.listTestCycles({ parentId: release.id, parentType: "release" }))).map((c) => c.id)).toEqual([inRelease.id])
      const tree = (yield* collect(client.listTestCycles(root, { descendants: true }))).find((c) => c.id === top.id)
      expect(tree?.["test-cycles"]?.map((c) => c.id)).toEqual([sub.id])
      expect((yield* client.getTestCycle(top.id, { descendants: true }))["test-cycles"]?.map((c) => c.id)).toEqual([sub.id])
      const renamed = yield* client.updateTestCycle(sub.id, { name: "Sub (renamed)", description: "d" })
      expect(renamed.name).toBe("Sub (renamed)")
      expect((yield* client.getTestCycle(sub.id)).description).toBe("d")
    })
  )

  it.scopedLive("test cycles page across pages (12 under the root, pageSize 5)", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const names = Array.from({ length: 12 }, (_, i) => `Cycle ${String(i + 1).padStart(2, "0")}`)
      for (const name of names) yield* client.createTestCycle({ name }, root)
      const listed = yield* collect(client.listTestCycles(root, { pageSize: 5 }))
      expect(listed.map((c) => c.name).filter((n) => n.startsWith("Cycle ")).sort()).toEqual(names)
      expect(new Set(listed.map((c) => c.id)).size).toBe(listed.length)
    })
  )
})

describe("QtestClient: test runs and test logs", () => {
  it.scopedLive("runs: create under a cycle (name + test_case.id), get, list across pages of the envelope", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const tc = yield* approvedCase(client, "Run me")
      const cycle = yield* client.createTestCycle({ name: "Cycle" }, root)
      const parent = { parentId: cycle.id, parentType: "test-cycle" } as const
      const names = Array.from({ length: 12 }, (_, i) => `Run ${String(i + 1).padStart(2, "0")}`)
      const runs = yield* Effect.forEach(names, (name) => client.createTestRun({ name, test_case: { id: tc.id }, properties: [] }, parent))
      expect(runs[0]?.pid).toMatch(/^TR-\d+$/)
      expect(runs[0]?.test_case?.id).toBe(tc.id)
      expect(runs[0]?.test_case_version_id).toBe(tc.test_case_version_id)
      const got = yield* client.getTestRun(runs[3]!.id)
      expect(got.name).toBe("Run 04")
      const listed = yield* collect(client.listTestRuns(parent, { pageSize: 5 }))
      expect(listed.map((r) => r.name)).toEqual(names)
      const refused = yield* Effect.flip(client.createTestRun({ name: "", test_case: { id: tc.id }, properties: [] }, parent))
      expect(refused.reason).toBe("BadRequest")
    })
  )

  it.scopedLive("manual logs: create with step logs, get, update, list across pages", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const tc = yield* approvedCase(client, "Log me")
      const steps = (yield* client.getTestCase(tc.id)).test_steps ?? []
      const statuses = yield* client.listExecutionStatuses()
      const passed = statuses.find((s) => s.name === "Passed")!
      const failed = statuses.find((s) => s.name === "Failed") ?? passed
      const run = yield* client.createTestRun({ name: "Run", test_case: { id: tc.id }, properties: [] }, root)
      const log = yield* client.createTestLog(run.id, {
        status: { id: failed.id },
        exe_start_date: "2024-03-01T10:00:00Z",
        exe_end_date: "2024-03-01T10:05:00Z",
        note: "Migrated from Zephyr PROJ-E1",
        test_step_logs: steps.map((s, i) => ({ test_step_id: s.id, order: s.order ?? i + 1, status: { id: i === 0 ? passed.id : failed.id }, actual_result: `actual ${i + 1}` }))
      })
      expect(log.status.id).toBe(failed.id)
      expect(log.test_step_logs?.map((s) => s.actual_result)).toEqual(["actual 1", "actual 2"])
      const got = yield* client.getTestLog(run.id, log.id)
      expect(got.note).toBe("Migrated from Zephyr PROJ-E1")
      const updated = yield* client.updateTestLog(run.id, log.id, {
        status: { id: failed.id },
        exe_start_date: "2024-03-01T10:00:00Z",
        exe_end_date: "2024-03-01T10:05:00Z",
        note: "edited"
      })
      expect(updated.note).toBe("edited")
      for (let i = 0; i < 6; i++)
        yield* client.createTestLog(run.id, { status: { id: passed.id }, exe_start_date: `2024-03-0${i + 2}T10:00:00Z`, exe_end_date: `2024-03-0${i + 2}T10:01:00Z` })
      const logs = yield* collect(client.listTestLogs(run.id, { pageSize: 4 }))
      expect(logs.length).toBe(7)
      expect(new Set(logs.map((l) => l.id)).size).toBe(7)
      expect((yield* client.getTestRun(run.id)).latest_test_log?.id).toBeDefined()
    })
  )
})

describe("QtestClient: search and requirements", () => {
  it.scopedLive("search finds cases by name and pages through the envelope", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const module = yield* client.createModule({ name: "S" })
      for (let i = 1; i <= 7; i++) yield* client.createTestCase({ name: `PROJ-T${i} searchable`, parent_id: module.id, properties: [] })
      const one = yield* collect(client.search("test-cases", "Name ~ 'PROJ-T3 '"))
      expect(one.map((x) => x.name)).toEqual(["PROJ-T3 searchable"])
      const all = yield* collect(client.search("test-cases", "Name ~ 'searchable'", { pageSize: 3 }))
      expect(all.length).toBe(7)
      expect(new Set(all.map((x) => x.id)).size).toBe(7)
    })
  )

  it.scopedLive("requirements: found by key in the name, linked to test cases", () =>
    Effect.gen(function* () {
      const { client, sandbox } = yield* harness({ requirements: ["JIRA-12 Login story", "JIRA-13 Logout story"] })
      const found = yield* collect(client.findRequirements("JIRA-12"))
      expect(found.map((r) => r.name)).toEqual(["JIRA-12 Login story"])
      const a = yield* approvedCase(client, "covers login")
      const b = yield* approvedCase(client, "covers login too")
      const linked = yield* client.linkRequirement(found[0]!.id, [a.id, b.id])
      expect(linked[0]?.objects.map((o) => o.id).sort()).toEqual([a.id, b.id].sort())
      const before = sandbox.stats().requests
      expect(yield* client.linkRequirement(found[0]!.id, [])).toEqual([])
      expect(sandbox.stats().requests).toBe(before)
    })
  )
})

describe("QtestClient: attachments", () => {
  it.scopedLive("streams an upload to a test case and a test log, lists them", () =>
    Effect.gen(function* () {
      const { client } = yield* harness()
      const tc = yield* approvedCase(client, "With files")
      const content = new TextEncoder().encode("hello qTest")
      const att = yield* client.uploadAttachment("test-cases", tc.id, {
        name: "notes (1).txt",
        contentType: "text/plain",
        contentLength: content.length,
        make: () => Stream.make(content.subarray(0, 5), content.subarray(5))
      })
      expect(att.name).toBe("notes (1).txt")
      expect(att.content_type).toBe("text/plain")
      const listed = yield* client.listAttachments("test-cases", tc.id)
      expect(listed.map((x) => x.id)).toEqual([att.id])
      const run = yield* client.createTestRun({ name: "R", test_case: { id: tc.id }, properties: [] }, root)
      const status = (yield* client.listExecutionStatuses())[0]!
      const log = yield* client.createTestLog(run.id, { status: { id: status.id }, exe_start_date: "2024-03-01T10:00:00Z", exe_end_date: "2024-03-01T10:01:00Z" })
      const png = bytesOf(2048, 1)
      yield* client.uploadAttachment("test-logs", log.id, { name: "shot.png", contentType: "image/png", contentLength: png.length, make: () => Stream.make(png) })
      expect((yield* client.listAttachments("test-logs", log.id)).map((x) => x.name)).toEqual(["shot.png"])
    })
  )

  it.scopedLive("an upload above the limit is ApiError BadRequest with status 413, and nothing is stored", () =>
    Effect.gen(function* () {
      const { client } = yield* harness({ maxAttachmentBytes: 1000 })
      const tc = yield* approvedCase(client, "Too big")
      const big = bytesOf(5000)
      const error = yield* Effect.flip(client.uploadAttachment("test-cases", tc.id, { name: "big.bin", contentType: "application/octet-stream", contentLength: big.length, make: () => Stream.make(big) }))
      expect(error.reason).toBe("BadRequest")
      expect(error.status).toBe(413)
      expect(error.message).toContain("big.bin (5000 bytes) is larger than qTest accepts")
      expect(yield* client.listAttachments("test-cases", tc.id)).toEqual([])
    })
  )
})
