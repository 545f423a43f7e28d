/**
 * `check`, `estimate` and the plugin value itself, against the real sandbox: each failure a user can cause
 * (bad token, wrong project key, wrong region URL, nothing listening) comes back as a SystemError whose hint
 * says what to do; the sandbox capability starts a server the plugin can be pointed at unchanged.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted, Stream } from "effect"
import { writeFileSync } from "node:fs"
import * as path from "node:path"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import { makePluginContext } from "../../../core/testing.ts"
import type { SystemError } from "../../../core/index.ts"
import zephyr from "../../../plugins/zephyr/index.ts"
import { demoData } from "../../../plugins/zephyr/sandbox/index.ts"
import { harness, tempDir } from "./harness.ts"

const addFormats = addFormatsModule.default
const data = demoData()
const inDemo = (x: { readonly project: { readonly id: number } }) => x.project.id === 10000

const checkError = (h: { readonly source: { readonly check: Effect.Effect<void, SystemError> } }) => Effect.flip(h.source.check)

describe("ZephyrSource.check", () => {
  it.scopedLive("passes with the sandbox's token and project", () =>
    Effect.gen(function* () {
      const h = yield* harness()
      yield* h.source.check
      expect(h.sandbox.stats().byPath).toEqual({ "/v2/projects/{projectIdOrKey}": 1 })
    })
  )

  it.scopedLive("401: Unauthorized, with how to get a new token", () =>
    Effect.gen(function* () {
      const e = yield* checkError(yield* harness({}, { token: "not-the-token" }))
      expect(e).toMatchObject({ _tag: "SystemError", system: "zephyr", reason: "Unauthorized", message: "Zephyr rejected the token (401)" })
      expect(e.hint).toMatch(/^generate a token in Jira → your profile → Zephyr API keys, and export it as ZEPHYR_TOKEN\. A token of Zephyr Essential .* is refused here: if the project is there, set edition: essential$/)
      expect(JSON.stringify(e)).not.toContain("not-the-token")
    })
  )

  it.scopedLive("wrong project key: NotFound, listing the projects the token can see", () =>
    Effect.gen(function* () {
      const e = yield* checkError(yield* harness({}, { projectKey: "NOPE" }))
      expect(e).toMatchObject({ reason: "NotFound" })
      expect(e.message).toContain("NOPE")
      expect(e.hint).toContain("DEMO, OTHER")
    })
  )

  it.scopedLive("wrong base URL (a region or path that is not the API): NotFound, naming the region URLs", () =>
    Effect.gen(function* () {
      const e = yield* checkError(yield* harness({}, (sb) => ({ baseUrl: sb.baseUrl.replace(/\/v2$/, "/rest/v1") })))
      expect(e).toMatchObject({ reason: "NotFound" })
      expect(e.message).toContain("/rest/v1")
      for (const url of ["https://api.zephyrscale.smartbear.com/v2", "https://eu.api.zephyrscale.smartbear.com/v2", "https://au.api.zephyrscale.smartbear.com/v2", "https://de.api.zephyrscale.smartbear.com/v2"])
        expect(e.hint).toContain(url)
    })
  )

  it.scopedLive("nothing listening: Unreachable, with the URL", () =>
    Effect.gen(function* () {
      const e = yield* checkError(yield* harness({}, { baseUrl: "http://127.0.0.1:1/v2" }, { maxAttempts: 2 }))
      expect(e).toMatchObject({ reason: "Unreachable" })
      expect(e.message).toContain("http://127.0.0.1:1/v2/projects/DEMO")
    })
  )

  it.scopedLive("extract with a rejected token fails the stream with the same Unauthorized error", () =>
    Effect.gen(function* () {
      const h = yield* harness({}, { token: "nope" })
      const e = yield* Effect.flip(Stream.runDrain(h.source.extract({})))
      expect(e).toMatchObject({ reason: "Unauthorized", message: "Zephyr rejected the token (401)" })
    })
  )
})

describe("ZephyrSource.estimate", () => {
  it.scopedLive("counts from one-item list calls", () =>
    Effect.gen(function* () {
      const h = yield* harness()
      expect(yield* h.source.estimate).toEqual({
        Project: 1,
        Folder: data.folders.filter(inDemo).length,
        TestCase: data.testcases.filter(inDemo).length,
        TestPlan: data.testplans.filter(inDemo).length,
        TestCycle: data.testcycles.filter(inDemo).length,
        TestExecution: data.testexecutions.filter(inDemo).length
      })
      expect(h.sandbox.stats().requests).toBe(5)
    })
  )
})

describe("the zephyr plugin value", () => {
  it("config examples validate against the config schema, which rejects unknown keys and a missing token", () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true })
    addFormats(ajv)
    ajv.addKeyword({ keyword: "x-secret", schemaType: "boolean" })
    const validate = ajv.compile(zephyr.configSchema)
    for (const example of zephyr.examples ?? []) expect(validate(example), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ projectKey: "PROJ", token: "t", pagesize: 10 })).toBe(false)
    expect(validate({ projectKey: "PROJ" })).toBe(false)
    expect(validate({ projectKey: "proj", token: "t" })).toBe(false)
    expect(validate({ projectKey: "PROJ", token: "t", pageSize: 1001 })).toBe(false)
    expect((zephyr.configSchema["properties"] as Record<string, Record<string, unknown>>)["token"]?.["x-secret"]).toBe(true)
  })

  it.scopedLive("make rejects an invalid config with a PluginError", () =>
    Effect.gen(function* () {
      const ctx = yield* makePluginContext({ system: "zephyr", stateDir: yield* tempDir })
      const e = yield* Effect.flip(zephyr.make({ projectKey: "lower", token: "" }, ctx))
      expect(e).toMatchObject({ _tag: "PluginError", plugin: "zephyr", reason: "Config" })
      expect(e.message).toContain("projectKey")
      expect(e.message).toContain("token")
    })
  )

  it.scopedLive("the sandbox capability starts a server the plugin works against via configOverrides", () =>
    Effect.gen(function* () {
      expect(zephyr.sandbox?.options).toContainEqual({ name: "zephyr-data", type: "file", description: "serve the Zephyr project described by this JSON data file (each entity in the API's own response shape: Zephyr Cloud's, or Zephyr DC's with \"format\": \"zephyr-dc\")" })
      const running = yield* zephyr.sandbox!.start({ extra: {} })
      expect(Redacted.isRedacted(running.configOverrides["token"])).toBe(true)
      expect(running.configOverrides["projectKey"]).toBe("DEMO")
      const ctx = yield* makePluginContext({ system: "zephyr", stateDir: yield* tempDir })
      const source = yield* zephyr.make({ ...(running.configOverrides as { projectKey: string; token: Redacted.Redacted<string> }) }, ctx)
      yield* source.check
    })
  )

  it.scopedLive("--zephyr-data serves the given file; a broken file is a PluginError naming it", () =>
    Effect.gen(function* () {
      const dir = yield* tempDir
      const custom = demoData()
      const file = path.join(dir, "tenant.json")
      writeFileSync(file, JSON.stringify({ ...custom, projects: [...custom.projects].reverse() }))
      const running = yield* zephyr.sandbox!.start({ extra: { "zephyr-data": file } })
      // The first project of the file is the one the overrides point at.
      expect(running.configOverrides["projectKey"]).toBe("OTHER")

      const broken = path.join(dir, "broken.json")
      writeFileSync(broken, "{ not json")
      const e = yield* Effect.flip(zephyr.sandbox!.start({ extra: { "zephyr-data": broken } }))
      expect(e).toMatchObject({ _tag: "PluginError", reason: "Config" })
      expect(e.message).toContain("broken.json")
    })
  )
})
