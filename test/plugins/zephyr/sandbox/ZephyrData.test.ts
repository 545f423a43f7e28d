/**
 * The data-file path: the demo fixture loads and equals the built-in demo, and broken files fail with the file
 * name and the JSON path of each problem.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { mkdtemp, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { demoData } from "../../../../plugins/zephyr/sandbox/demoData.ts"
import { loadZephyrData } from "../../../../plugins/zephyr/sandbox/loadZephyrData.ts"
import { startZephyrSandbox } from "../../../../plugins/zephyr/sandbox/ZephyrSandbox.ts"
import { get } from "./helpers.ts"

const DEMO_FILE = resolve(import.meta.dirname, "../../../fixtures/zephyr/demo.json")

const writeTemp = (content: string) =>
  Effect.promise(async () => {
    const dir = await mkdtemp(join(tmpdir(), "zephyr-data-"))
    const file = join(dir, "data.json")
    await writeFile(file, content, "utf8")
    return file
  })

const mutated = (change: (d: any) => void): string => {
  const d = JSON.parse(JSON.stringify(demoData()))
  change(d)
  return JSON.stringify(d)
}

describe("loadZephyrData", () => {
  it.effect("the demo fixture equals demoData() (regenerate with writeDemo.ts when this fails)", () =>
    Effect.gen(function* () {
      const loaded = yield* loadZephyrData(DEMO_FILE)
      expect(loaded).toEqual(JSON.parse(JSON.stringify(demoData())))
    })
  )

  it.scopedLive("a sandbox serves a loaded file like the built-in demo", () =>
    Effect.gen(function* () {
      const fromFile = yield* startZephyrSandbox({ data: yield* loadZephyrData(DEMO_FILE) })
      const builtIn = yield* startZephyrSandbox({})
      const a = (yield* get(fromFile, "/testexecutions?projectKey=DEMO&maxResults=5")).text.replaceAll(fromFile.baseUrl, "BASE")
      const b = (yield* get(builtIn, "/testexecutions?projectKey=DEMO&maxResults=5")).text.replaceAll(builtIn.baseUrl, "BASE")
      expect(a).toBe(b)
    })
  )

  it.effect("a missing file fails with reason Read, naming the file", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(loadZephyrData("/nonexistent/zephyr.json"))
      expect(error._tag).toBe("SandboxDataError")
      expect(error.reason).toBe("Read")
      expect(error.message).toContain("/nonexistent/zephyr.json")
    })
  )

  it.live("invalid JSON fails with reason Json", () =>
    Effect.gen(function* () {
      const file = yield* writeTemp("{ not json")
      const error = yield* Effect.flip(loadZephyrData(file))
      expect(error.reason).toBe("Json")
      expect(error.message).toContain(file)
    })
  )

  it.live("a wrong shape names the JSON path and what was expected", () =>
    Effect.gen(function* () {
      const file = yield* writeTemp(
        mutated((d) => {
          d.testcases[3].key = "bad key"
          d.testexecutions[2].testCase = "DEMO-T1"
          delete d.folders
        })
      )
      const error = yield* Effect.flip(loadZephyrData(file))
      expect(error.reason).toBe("Structure")
      expect(error.file).toBe(file)
      expect(error.problems).toContain('testcases[3].key: expected a string like PROJ-T12, got "bad key"')
      expect(error.problems).toContain("folders: expected an array, got undefined")
      expect(error.problems.some((p) => p.startsWith("testexecutions[2].testCase: expected an object"))).toBe(true)
      expect(error.message).toContain(file)
    })
  )

  it.live("dangling references and duplicates are reported", () =>
    Effect.gen(function* () {
      const file = yield* writeTemp(
        mutated((d) => {
          d.teststeps["DEMO-T999"] = []
          d.testcases[1].id = d.testcases[0].id
          d.attachments["testexecutions/1"] = []
          d.folders[4].parentId = 424242
        })
      )
      const error = yield* Effect.flip(loadZephyrData(file))
      expect(error.problems).toEqual(
        expect.arrayContaining([
          'teststeps["DEMO-T999"]: no test case with key DEMO-T999',
          "testcases[1].id: duplicate id 50001",
          'attachments["testexecutions/1"]: expected "testcases/<existing key>" or "testexecutions/<existing id>"',
          "folders[4].parentId: no folder with id 424242"
        ])
      )
    })
  )

  it.live("a step must be inline or a call, not both", () =>
    Effect.gen(function* () {
      const file = yield* writeTemp(
        mutated((d) => {
          d.teststeps["DEMO-T1"][0].testCase = { self: "x", testCaseKey: "DEMO-T2" }
        })
      )
      const error = yield* Effect.flip(loadZephyrData(file))
      expect(error.problems).toContain('teststeps["DEMO-T1"][0]: expected exactly one of "inline" or "testCase"')
    })
  )

  it.scopedLive("records declared malformed are forgiven and served as written; the rest is still checked", () =>
    Effect.gen(function* () {
      const broken = (d: any) => {
        delete d.testcases[1].name
        d.testcases.push({ ...d.testcases[1], id: 999001, key: d.testcases[0].key })
        delete d.testexecutions[0].testExecutionStatus
        d.teststeps["DEMO-T1"][0] = { id: 4242 }
      }
      // undeclared, the same file is refused
      const refused = yield* Effect.flip(loadZephyrData(yield* writeTemp(mutated(broken))))
      expect(refused.problems).toEqual(
        expect.arrayContaining(["testcases[1].name: expected a non-blank name, got undefined", 'teststeps["DEMO-T1"][0]: expected exactly one of "inline" or "testCase"'])
      )
      expect(refused.problems.some((p) => p.startsWith("testexecutions[0].testExecutionStatus"))).toBe(true)
      const declared = ["testcases[1]", `testcases[${demoData().testcases.length}]`, "testexecutions[0]", 'teststeps["DEMO-T1"][0]']
      const data = yield* loadZephyrData(yield* writeTemp(mutated((d) => (broken(d), (d.malformed = declared)))))
      const sb = yield* startZephyrSandbox({ data })
      const cases = (yield* get(sb, "/testcases?projectKey=DEMO&maxResults=1000")).body.values
      expect(cases.find((c: any) => c.id === data.testcases[1]!.id)).not.toHaveProperty("name")
      // both records with the duplicate key are listed; the key leads to the first
      expect(cases.filter((c: any) => c.key === data.testcases[0]!.key)).toHaveLength(2)
      expect((yield* get(sb, `/testcases/${data.testcases[0]!.key}`)).body.id).toBe(data.testcases[0]!.id)
      const execution = (yield* get(sb, `/testexecutions/${data.testexecutions[0]!.id}`)).body
      expect(execution).not.toHaveProperty("testExecutionStatus")
      expect((yield* get(sb, "/testcases/DEMO-T1/teststeps")).body.values[0]).toEqual({ id: 4242 })
      // a problem outside the declared paths is still refused
      const other = yield* Effect.flip(loadZephyrData(yield* writeTemp(mutated((d) => (broken(d), (d.malformed = declared), delete d.testcases[5].name)))))
      expect(other.problems).toEqual(["testcases[5].name: expected a non-blank name, got undefined"])
    })
  )

  it.live("startZephyrSandbox refuses invalid in-memory data", () =>
    Effect.gen(function* () {
      const data = JSON.parse(mutated((d) => (d.projects[0].key = 42)))
      const error = yield* Effect.flip(Effect.scoped(startZephyrSandbox({ data })))
      expect(error.reason).toBe("Data")
      expect(error.message).toContain("projects[0].key")
    })
  )
})
