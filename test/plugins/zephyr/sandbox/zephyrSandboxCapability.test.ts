/**
 * The edition side of the plugin's sandbox capability (plugins/zephyr/zephyrSandboxCapability.ts; kept beside the
 * sandbox's tests, which it starts): `--zephyr-edition` and the spec section's `edition` choose what the sandbox
 * imitates, disagreeing or unknown values are config errors that name the allowed values, and only Scale Cloud keeps
 * the identity earlier sandbox states were bound to (Essential's and Data Center's name their edition). A Data
 * Center sandbox also tells a client its HTTP Basic user and password.
 */
import { describe, expect, it } from "@effect/vitest"
import { Buffer } from "node:buffer"
import { Effect, Redacted } from "effect"
import type { SandboxOptions } from "../../../../core/plugin/Plugin.ts"
import { zephyrSandboxCapability } from "../../../../plugins/zephyr/zephyrSandboxCapability.ts"

const start = (extra: SandboxOptions["extra"], config?: SandboxOptions["config"]) => zephyrSandboxCapability.start({ extra, config })

/** Whether the started sandbox has Scale Cloud's cursor endpoints (Essential answers them 404). */
const servesCursors = (baseUrl: string, token: string) =>
  Effect.promise(() => fetch(`${baseUrl}/testcases/nextgen?projectKey=DEMO`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status === 200))

describe("the Zephyr sandbox capability's edition", () => {
  it("declares --zephyr-edition as a string option naming every edition", () => {
    const option = zephyrSandboxCapability.options.find((o) => o.name === "zephyr-edition")
    expect(option?.type).toBe("string")
    expect(option?.description).toMatch(/cloud.*essential.*dc/)
  })

  it.scopedLive("serves Scale Cloud by default, with the identity key earlier sandbox states were bound to", () =>
    Effect.gen(function* () {
      for (const [extra, config] of [[{}, undefined], [{ "zephyr-edition": "cloud" }, undefined], [{}, { edition: "cloud" }]] as const) {
        const running = yield* start(extra, config)
        expect(running.identity?.key).toEqual({ sandbox: "zephyr", projectKey: "DEMO" })
        expect(running.connect).toMatchObject({ edition: "cloud", projectKey: "DEMO" })
        expect(running.configOverrides).toMatchObject({ edition: "cloud", projectKey: "DEMO" })
        expect(Object.keys(running.configOverrides).sort()).toEqual(["baseUrl", "edition", "projectKey", "token"])
        expect(yield* servesCursors(running.baseUrl, String(running.connect?.["token"]))).toBe(true)
      }
    })
  )

  it.scopedLive("serves Zephyr Essential from the flag or from the spec's section, and says so", () =>
    Effect.gen(function* () {
      for (const [extra, config] of [[{ "zephyr-edition": "essential" }, undefined], [{}, { edition: "essential", projectKey: "X" }], [{ "zephyr-edition": "essential" }, { edition: "essential" }]] as const) {
        const running = yield* start(extra, config)
        expect(running.identity?.key).toEqual({ sandbox: "zephyr", projectKey: "DEMO", edition: "essential" })
        expect(running.identity?.description).toContain("Essential")
        expect(running.connect).toMatchObject({ edition: "essential", projectKey: "DEMO", token: "sandbox-token" })
        // the source reads the edition served, so `run --sandbox --zephyr-edition essential` needs no spec
        expect(running.configOverrides).toMatchObject({ edition: "essential", projectKey: "DEMO" })
        expect(yield* servesCursors(running.baseUrl, String(running.connect?.["token"]))).toBe(false)
      }
    })
  )

  it.scopedLive("serves Zephyr Scale Data Center from the flag or the spec, with its own identity and both credentials", () =>
    Effect.gen(function* () {
      for (const [extra, config] of [[{ "zephyr-edition": "dc" }, undefined], [{}, { edition: "dc" }]] as const) {
        const running = yield* start(extra, config)
        expect(running.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:[0-9]+\/rest\/atm\/1\.0$/)
        expect(running.identity?.key).toEqual({ sandbox: "zephyr", projectKey: "DEMO", edition: "dc" })
        expect(running.identity?.description).toContain("Data Center")
        expect(running.connect).toEqual({ token: "sandbox-token", username: "migrate", password: "sandbox-password", projectKey: "DEMO", projectKeys: "DEMO,OTHER", edition: "dc" })
        expect(Object.keys(running.configOverrides).sort()).toEqual(["baseUrl", "edition", "projectKey", "token"])
        expect(running.configOverrides).toMatchObject({ baseUrl: running.baseUrl, edition: "dc", projectKey: "DEMO" })
        expect(Redacted.value(running.configOverrides["token"] as Redacted.Redacted<string>)).toBe("sandbox-token")
        const basic = `Basic ${Buffer.from("migrate:sandbox-password").toString("base64")}`
        const status = yield* Effect.promise(() => fetch(`${running.baseUrl}/testcase/DEMO-T1`, { headers: { authorization: basic } }).then((r) => r.status))
        expect(status).toBe(200)
      }
    })
  )

  it.scopedLive("refuses an unknown edition, from the flag or the spec, naming the allowed values", () =>
    Effect.gen(function* () {
      for (const [extra, config, names] of [
        [{ "zephyr-edition": "server" }, undefined, "--zephyr-edition"],
        [{ "zephyr-edition": "" }, undefined, "--zephyr-edition"],
        [{}, { edition: "squad" }, "spec"]
      ] as const) {
        const e = yield* Effect.flip(start(extra, config))
        expect(e).toMatchObject({ _tag: "PluginError", plugin: "zephyr", reason: "Config" })
        expect(e.message).toContain("cloud, essential or dc")
        expect(e.message).toContain(names)
      }
    })
  )

  it.scopedLive("refuses a flag and a spec that disagree", () =>
    Effect.gen(function* () {
      const e = yield* Effect.flip(start({ "zephyr-edition": "cloud" }, { edition: "essential" }))
      expect(e).toMatchObject({ _tag: "PluginError", plugin: "zephyr", reason: "Config" })
      expect(e.message).toContain("--zephyr-edition cloud")
      expect(e.message).toContain("edition: essential")
      expect(e.message).toContain("disagree")
    })
  )
})
