/**
 * `projects:` in a spec: each project's source and sinks are the shared sections with the project's keys over them
 * (objects merged, other values replaced), each has its own state file, and every problem is reported where it is
 * written — in the project's entry, or in the shared section when it comes from there — once, even when several
 * projects share it.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import * as os from "node:os"
import * as path from "node:path"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { SpecError } from "../../../core/errors.ts"
import { loadSpec } from "../../../core/spec/loadSpec.ts"
import { locateInProject, mergeSection } from "../../../core/spec/projectSection.ts"
import { fixturePlugins } from "./fixturePlugins.ts"

const env = { ZEPHYR_TOKEN: "zt-1", QTEST_TOKEN: "qt-shared", QTEST_B: "qt-b" }

const withSpec = <A, E>(text: string, use: (file: string, dir: string) => Effect.Effect<A, E>) =>
  Effect.acquireUseRelease(
    Effect.promise(async () => {
      const dir = await mkdtemp(path.join(os.tmpdir(), "migrate-projects-spec-"))
      await writeFile(path.join(dir, "migration.config.yaml"), text)
      return dir
    }),
    (dir) => use(path.join(dir, "migration.config.yaml"), dir),
    (dir) => Effect.promise(() => rm(dir, { recursive: true, force: true }))
  )

const load = (file: string) => loadSpec({ file, env, resolvePlugin: fixturePlugins })

const shared = [
  "version: 1",
  "source: { type: zephyr, baseUrl: https://api.zephyrscale.smartbear.com/v2, token: \"${env:ZEPHYR_TOKEN}\" }",
  "sinks:",
  "  - type: qtest",
  "    baseUrl: https://acme.qtestnet.com",
  "    token: ${env:QTEST_TOKEN}",
  "    maps: { executionStatus: { Pass: Passed, Fail: Failed } }"
].join("\n")

describe("projects: in a spec", () => {
  it.effect("gives each project the shared sections with its own keys over them, and its own state", () =>
    withSpec(
      `${shared}\nprojects:\n  WEB: { qtest: { projectId: 11 } }\n  MOBILE:\n    qtest: { projectId: 12, token: "\${env:QTEST_B}", maps: { executionStatus: { Fail: Blocked } } }\nruntime: { projects: 2 }\n`,
      (file, dir) =>
        Effect.gen(function* () {
          const loaded = yield* load(file)
          expect(loaded.projects?.map((p) => p.key)).toEqual(["WEB", "MOBILE"])
          const [web, mobile] = loaded.projects!
          expect(web!.source.config["projectKey"]).toBe("WEB")
          expect(mobile!.source.config["projectKey"]).toBe("MOBILE")
          expect(web!.sinks[0]!.config["projectId"]).toBe(11)
          expect(Redacted.value(web!.sinks[0]!.config["token"] as Redacted.Redacted<string>)).toBe("qt-shared")
          // a project's secret replaces the shared one; its map entries merge into the shared map
          expect(Redacted.value(mobile!.sinks[0]!.config["token"] as Redacted.Redacted<string>)).toBe("qt-b")
          expect(mobile!.sinks[0]!.config["maps"]).toEqual({ executionStatus: { Pass: "Passed", Fail: "Blocked" } })
          expect(web!.sinks[0]!.config["maps"]).toEqual({ executionStatus: { Pass: "Passed", Fail: "Failed" } })
          expect(web!.statePath).toBe(path.join(dir, ".migrate/projects/WEB/state.db"))
          expect(mobile!.statePath).toBe(path.join(dir, ".migrate/projects/MOBILE/state.db"))
          // the spec's own sections are the first project's, so code reading one project still works
          expect(loaded.source.config["projectKey"]).toBe("WEB")
          expect(loaded.statePath).toBe(web!.statePath)
          expect(loaded.runtime.projects).toBe(2)
        })
    ))

  it.effect("reports each problem at its line: in the project, in the shared section once, and what a project lacks", () =>
    withSpec(
      [
        shared.replace("token: ${env:QTEST_TOKEN}", "token: ${env:QTEST_TOKEN}\n    projectId: \"7\""),
        "projects:",
        "  WEB: { qtest: { projectId: many } }", // line 10
        "  MOBILE: { qtset: {} }", // line 11
        "  API: { source: { projectKey: APX } }", // line 12
        ""
      ].join("\n"),
      (file) =>
        Effect.gen(function* () {
          const error = yield* Effect.flip(load(file))
          expect(error).toBeInstanceOf(SpecError)
          expect(error.problems).toEqual(
            expect.arrayContaining([
              expect.stringMatching(/:10:30 {2}\/projects\/WEB\/qtest\/projectId {2}expected an integer, got a string/),
              // the shared value is wrong for MOBILE and API alike: said once, where it is written
              expect.stringMatching(/:7:16 {2}\/sinks\/0\/projectId {2}expected an integer, got a string — write it without quotes/),
              expect.stringMatching(/:11:13 {2}\/projects\/MOBILE\/qtset {2}no section of this spec is "qtset" \(did you mean "qtest"\?\)/),
              expect.stringMatching(/:12:20 {2}\/projects\/API\/source\/projectKey {2}the project's key \(API\) names it — remove projectKey here/)
            ])
          )
          expect(error.problems.filter((p) => p.includes("/sinks/0/projectId"))).toHaveLength(1)
          expect(error.problems).toHaveLength(4)
        })
    ))

  it.effect("says which section a project lacks a required key in, at the project's entry", () =>
    withSpec(`${shared}\nprojects:\n  WEB: { qtest: { projectId: 11 } }\n  MOBILE: {}\n`, (file) =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(load(file))
        expect(error.problems).toEqual([expect.stringMatching(/:10:3 {2}\/projects\/MOBILE {2}qtest: missing required key "projectId" — add it in a qtest: part of this project/)])
      })
    ))

  it.effect("refuses a project key in the shared source section", () =>
    withSpec(`${shared.replace("token: \"${env:ZEPHYR_TOKEN}\"", "token: \"${env:ZEPHYR_TOKEN}\", projectKey: WEB")}\nprojects:\n  WEB: { qtest: { projectId: 11 } }\n`, (file) =>
      Effect.gen(function* () {
        const error = yield* Effect.flip(load(file))
        expect(error.problems).toEqual([expect.stringMatching(/:2:\d+ {2}\/source\/projectKey {2}with projects:, each project's key names the zephyr project — remove projectKey here/)])
      })
    ))

  it("merges objects key by key and replaces every other value whole", () => {
    expect(mergeSection({ a: 1, maps: { x: { p: 1, q: 2 } }, list: [1, 2] }, { maps: { x: { q: 3 } }, list: [9], b: true })).toEqual({
      a: 1,
      maps: { x: { p: 1, q: 3 } },
      list: [9],
      b: true
    })
  })

  it("locates a value where it is written, and what is missing at the project's entry", () => {
    const locate = locateInProject({ token: "t", maps: { a: { x: "y" } } }, "/sinks/0", { projectId: 1 }, "/projects/WEB/qtest")
    expect(locate("/projectId")).toBe("/projects/WEB/qtest/projectId")
    expect(locate("/maps/a/x")).toBe("/sinks/0/maps/a/x")
    expect(locate("")).toBe("/projects/WEB/qtest")
    expect(locate("/missing/deeper")).toBe("/projects/WEB/qtest")
  })
})
