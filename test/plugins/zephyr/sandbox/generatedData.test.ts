/**
 * The generated tenant: sizes per scale, the hard cases at every scale, determinism by seed, and agreement with
 * the data-file path (a materialised generated tenant serves the same bytes as the generator).
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { Buffer } from "node:buffer"
import { generatedData, SCALES, type Scale } from "../../../../plugins/zephyr/sandbox/generatedData.ts"
import { startZephyrSandbox, type RunningZephyrSandbox } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import { validateZephyrData } from "../../../../plugins/zephyr/sandbox/validateZephyrData.ts"
import type { ZephyrTestCase, ZephyrTestExecution } from "../../../../plugins/zephyr/sandbox/ZephyrData.ts"
import { get, getAll } from "./helpers.ts"
import { materialise } from "./materialise.ts"

const SCALE_NAMES: ReadonlyArray<Scale> = ["small", "medium", "large"]

/** Bodies with the sandbox's own origin replaced, so two sandboxes on different ports can be compared. */
const normalised = (sb: RunningZephyrSandbox, text: string) => text.split(sb.baseUrl).join("<base>")

const samplePaths = [
  "/projects",
  "/folders?maxResults=1000",
  "/statuses",
  "/testcases?maxResults=100",
  "/testcases?maxResults=50&startAt=150",
  "/testcases/GEN-T9/teststeps",
  "/testcases/GEN-T6/testscript",
  "/testcases/GEN-T16/testscript",
  "/testcases/GEN-T1/versions",
  "/testcycles?maxResults=100",
  "/testplans",
  "/testexecutions?maxResults=200",
  "/testexecutions?maxResults=50&onlyLastExecutions=true",
  "/testexecutions?testCycle=GEN-R2&maxResults=100",
  "/testexecutions?testCase=GEN-T10",
  "/testexecutions/nextgen?limit=100&startAtId=200500",
  "/testcases/nextgen?limit=20&folderId=30003",
  "/testexecutions/200020/teststeps",
  "/testexecutions/GEN-E1500/teststeps"
]

describe("generatedData", () => {
  it("has the sizes of each scale (large ≥ 10,000 cases, ≥ 100,000 executions, ≥ 1,000 attachments)", () => {
    for (const scale of SCALE_NAMES) {
      const counts = generatedData(scale, 1).counts()
      expect(counts).toMatchObject({ testcases: SCALES[scale].testcases, testexecutions: SCALES[scale].testexecutions, attachments: SCALES[scale].attachments })
    }
    const large = generatedData("large", 42).counts()
    expect(large.testcases).toBeGreaterThanOrEqual(10_000)
    expect(large.testexecutions).toBeGreaterThanOrEqual(100_000)
    expect(large.attachments).toBeGreaterThanOrEqual(1_000)
  })

  it("tiny (the chaos suite's tenant) has every kind of object and is a valid sandbox data file", () => {
    const t = generatedData("tiny", 7)
    expect(t.counts()).toMatchObject({ testcases: 50, testexecutions: 100, attachments: 10, testcycles: 3, testplans: 2 })
    const data = materialise(t)
    expect(validateZephyrData(data)).toEqual([])
    const cases = Array.from({ length: 50 }, (_, i) => t.testcases.all.at(i) as ZephyrTestCase)
    const executions = Array.from({ length: 100 }, (_, x) => t.testexecutions.all.at(x) as ZephyrTestExecution)
    expect(cases.some((c) => c.folder === null)).toBe(true) // a case without a folder
    expect(cases.some((c) => t.testscript(c.key)?.type === "plain") && cases.some((c) => t.testscript(c.key)?.type === "bdd")).toBe(true)
    expect(cases.some((c) => t.teststeps(c.key).some((s) => s.testCase !== undefined))).toBe(true) // call to test
    expect(executions.some((e) => e.testCycle === null) && executions.some((e) => e.testCycle !== null)).toBe(true)
    const owners = Object.keys(data.attachments ?? {})
    expect(owners.some((o) => o.startsWith("testcases/")) && owners.some((o) => o.startsWith("testexecutions/"))).toBe(true)
  })

  it("small, materialised, is a valid sandbox data file", () => {
    expect(validateZephyrData(materialise(generatedData("small", 7)))).toEqual([])
  })

  for (const scale of SCALE_NAMES) {
    it(`has the hard cases at ${scale} scale`, () => {
      const t = generatedData(scale, 3)
      const cases: Array<ZephyrTestCase> = []
      for (let i = 0; i < 60; i++) cases.push(t.testcases.all.at(i) as ZephyrTestCase)
      const text = JSON.stringify(cases)
      expect(text).toMatch(/<(p|b|strong|ul|li|br|code)>/) // HTML
      expect(text).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/) // CJK
      expect(text).toMatch(/\p{Extended_Pictographic}/u) // emoji
      expect(text).toMatch(/[\u0590-\u05ff\u0600-\u06ff]/) // RTL (Hebrew, Arabic)
      expect(cases.some((c) => (c.labels ?? []).length > 0)).toBe(true)
      expect(cases.some((c) => (c.links?.issues ?? []).length > 0)).toBe(true)
      expect(cases.some((c) => (c.links?.webLinks ?? []).length > 0)).toBe(true)
      expect(cases.some((c) => t.latestVersion(c.key) > 1)).toBe(true)

      // Every custom-field value type: integer, decimal, date, boolean, multi-select, text, user, null.
      const values = cases.flatMap((c) => Object.values(c.customFields ?? {}))
      expect(values.some((v) => Number.isInteger(v))).toBe(true)
      expect(values.some((v) => typeof v === "number" && !Number.isInteger(v))).toBe(true)
      expect(values.some((v) => typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v))).toBe(true)
      expect(values.some((v) => typeof v === "boolean")).toBe(true)
      expect(values.some((v) => Array.isArray(v))).toBe(true)
      expect(values.some((v) => typeof v === "string" && v.includes("<br>"))).toBe(true)
      expect(values.some((v) => typeof v === "string" && /^[0-9a-f]{24}$|^\d+:[0-9a-f-]{36}$/.test(v))).toBe(true)
      expect(values.some((v) => v === null)).toBe(true)

      // Scripts of both kinds, call-to-test chains of depth 2 with both parameter types.
      expect(cases.some((c) => t.testscript(c.key)?.type === "plain")).toBe(true)
      expect(cases.some((c) => t.testscript(c.key)?.type === "bdd")).toBe(true)
      const calls = cases.flatMap((c) => t.teststeps(c.key).filter((s) => s.testCase).map((s) => ({ from: c.key, to: s.testCase?.testCaseKey ?? "", parameters: s.testCase?.parameters ?? [] })))
      expect(calls.length).toBeGreaterThan(0)
      expect(new Set(calls.flatMap((c) => c.parameters.map((p) => p.type)))).toEqual(new Set(["DEFAULT_VALUE", "MANUAL_INPUT"]))
      const callees = new Set(calls.map((c) => c.to))
      expect(calls.some((c) => callees.has(c.from))).toBe(true) // A → B → C

      // Executions: repeated runs of one cycle item, ad hoc ones, step results; attachments on both owners.
      const executions: Array<ZephyrTestExecution> = []
      for (let x = 0; x < 400; x++) executions.push(t.testexecutions.all.at(x) as ZephyrTestExecution)
      const items = new Map<string, number>()
      for (const e of executions) if (e.testCycle) items.set(`${e.testCycle.id}/${t.executionCase(e.id)?.key}`, (items.get(`${e.testCycle.id}/${t.executionCase(e.id)?.key}`) ?? 0) + 1)
      expect([...items.values()].some((n) => n > 1)).toBe(true)
      expect(executions.some((e) => e.testCycle === null)).toBe(true)
      expect(executions.every((e) => t.executionsteps(e.id).length > 0)).toBe(true)
      expect(executions.some((e) => t.isLastExecution(e.id)) && executions.some((e) => !t.isLastExecution(e.id))).toBe(true)
    })
  }

  it("calls only go to lower-numbered cases (never a cycle) and stay within two levels", () => {
    const t = generatedData("small", 1)
    const number = (key: string) => Number(key.split("-T")[1])
    for (let i = 0; i < t.testcases.all.length; i++) {
      const tc = t.testcases.all.at(i) as ZephyrTestCase
      for (const s of t.teststeps(tc.key)) if (s.testCase) expect(number(s.testCase.testCaseKey)).toBeLessThan(number(tc.key))
      // Expanded execution steps never exceed the 32 ids reserved per execution.
    }
    for (let x = 0; x < t.testexecutions.all.length; x++) expect(t.executionsteps(200001 + x).length).toBeLessThanOrEqual(32)
  })

  it.scopedLive("attachments are real files of 1 KB–200 KB, byte-identical on every download", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ scale: "small", seed: 9 })
      const t = generatedData("small", 9)
      const data = materialise(t)
      const owners = Object.entries(data.attachments)
      expect(owners.some(([o]) => o.startsWith("testcases/")) && owners.some(([o]) => o.startsWith("testexecutions/"))).toBe(true)
      expect(owners.some(([, files]) => files.length > 1)).toBe(true)
      let files = 0
      for (const [owner, list] of owners) {
        const [kind, id] = owner.split("/") as [string, string]
        const listed = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments`)
        expect(listed.body).toEqual({ attachments: list.map((a) => ({ id: a.id, name: a.name })) })
        for (const a of list) {
          const got = yield* get(sb, `/${kind}/${encodeURIComponent(id)}/attachments/${a.id}`)
          expect(got.status).toBe(200)
          expect(got.headers.get("content-type")).toBe(a.contentType)
          expect(got.bytes.byteLength).toBeGreaterThanOrEqual(1000)
          expect(got.bytes.byteLength).toBeLessThanOrEqual(205 * 1024)
          expect(Buffer.from(got.bytes).equals(Buffer.from(a.base64, "base64"))).toBe(true)
          if (a.contentType === "image/png") expect([...got.bytes.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
          if (a.contentType === "application/octet-stream") expect(new Set(got.bytes).size).toBe(256)
          files++
        }
      }
      expect(files).toBe(50)
    })
  )

  it.scopedLive("the same seed gives byte-identical responses; another seed different ones", () =>
    Effect.gen(function* () {
      const a = yield* startZephyrSandbox({ scale: "small", seed: 5 })
      const b = yield* startZephyrSandbox({ scale: "small", seed: 5 })
      const c = yield* startZephyrSandbox({ scale: "small", seed: 6 })
      let differ = 0
      for (const path of samplePaths) {
        const ra = yield* get(a, path)
        const rb = yield* get(b, path)
        const rc = yield* get(c, path)
        expect(ra.status, path).toBe(200)
        expect(normalised(b, rb.text), path).toBe(normalised(a, ra.text))
        if (normalised(c, rc.text) !== normalised(a, ra.text)) differ++
      }
      // Reference lists (projects, statuses) are the same for every seed; the content is not.
      expect(differ).toBeGreaterThan(samplePaths.length / 2)
      const owner = Object.entries(materialise(generatedData("small", 5)).attachments)[0]
      if (owner === undefined) throw new Error("no attachments")
      const [kind, id] = owner[0].split("/") as [string, string]
      const path = `/${kind}/${encodeURIComponent(id)}/attachments/${owner[1][0]?.id}`
      expect(Buffer.from((yield* get(a, path)).bytes).equals(Buffer.from((yield* get(b, path)).bytes))).toBe(true)
    })
  )

  it.scopedLive("a generated tenant and the same tenant as a data file serve the same responses", () =>
    Effect.gen(function* () {
      const generated = yield* startZephyrSandbox({ scale: "small", seed: 3 })
      const fromFile = yield* startZephyrSandbox({ data: materialise(generatedData("small", 3)) })
      expect(fromFile.projectKey).toBe(generated.projectKey)
      for (const path of [...samplePaths, "/testexecutions?maxResults=1000&startAt=1000", "/testcases/GEN-T200", "/testcycles/GEN-R3/links", "/testexecutions/GEN-E7/links"]) {
        const g = yield* get(generated, path)
        const f = yield* get(fromFile, path)
        expect(g.status, path).toBe(200)
        expect(normalised(fromFile, f.text), path).toBe(normalised(generated, g.text))
      }
    })
  )

  it.scopedLive("served totals match the tenant's counts; filters and onlyLastExecutions agree with the layout", () =>
    Effect.gen(function* () {
      const sb = yield* startZephyrSandbox({ scale: "small", seed: 11 })
      const t = generatedData("small", 11)
      expect(sb.projectKey).toBe("GEN")
      expect(sb.counts()).toEqual(t.counts())
      expect((yield* get(sb, "/testcases?projectKey=GEN")).body.total).toBe(200)
      expect((yield* get(sb, "/testexecutions?projectKey=GEN")).body.total).toBe(2000)
      let last = 0
      for (let x = 0; x < 2000; x++) if (t.isLastExecution(200001 + x)) last++
      expect((yield* get(sb, "/testexecutions?onlyLastExecutions=true")).body.total).toBe(last)
      const cycle = (yield* getAll(sb, "/testexecutions?testCycle=GEN-R4&maxResults=1000")).values
      expect(cycle.length).toBeGreaterThan(0)
      expect(cycle.every((e) => e.testCycle.id === 40004)).toBe(true)
      const folder = (yield* getAll(sb, "/testcases?folderId=30002&maxResults=1000")).values
      expect(folder.length).toBeGreaterThan(0)
      expect(folder.every((tc) => tc.folder.id === 30002)).toBe(true)
    })
  )
})
