/** The registry adapter: built-ins, external plugins from `plugins:` (relative to the spec), contract failures. */
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import type { Plugin } from "../../../core/plugin/Plugin.ts"
import { makeRegistry } from "../../../core/plugin/Registry.ts"
import { loadSpec } from "../../../core/spec/loadSpec.ts"
import { registryResolver } from "../../../core/spec/registryResolver.ts"
import zephyrSchema from "../../fixtures/specs/zephyr.config.schema.json" with { type: "json" }

const fixtures = fileURLToPath(new URL("../../fixtures/specs/", import.meta.url))

const builtin = (name: string, kind: Plugin["kind"], configSchema: Readonly<Record<string, unknown>>): Plugin =>
  ({ name, kind, configSchema, make: () => Effect.die("not used") })

const registry = makeRegistry([builtin("zephyr", "source", zephyrSchema), builtin("qtest", "sink", { type: "object" })])
const origins = { plugins: ["./plugins/testrail.ts"], specDir: fixtures }

describe("registryResolver", () => {
  it.effect("finds built-ins and lists the known names of a kind", () =>
    Effect.gen(function* () {
      const resolve = registryResolver(registry)
      expect(yield* resolve("source", "zephyr", { plugins: [], specDir: fixtures })).toEqual({ _tag: "Found", configSchema: zephyrSchema })
      expect(yield* resolve("sink", "zephyr", { plugins: [], specDir: fixtures })).toEqual({ _tag: "Unknown", known: ["qtest"] })
    }))

  it.effect("loads external plugins relative to the spec and includes them in the known names", () =>
    Effect.gen(function* () {
      const resolve = registryResolver(registry)
      const found = yield* resolve("source", "testrail", origins)
      expect(found._tag).toBe("Found")
      expect(yield* resolve("source", "nope", origins)).toEqual({ _tag: "Unknown", known: ["zephyr", "testrail"] })
    }))

  it.effect("makes loadSpec validate an external plugin's section", () =>
    Effect.gen(function* () {
      const file = `${fixtures}external-plugin.yaml`
      const loaded = yield* loadSpec({ file, env: { TESTRAIL_KEY: "tr-key-42" }, resolvePlugin: registryResolver(registry) })
      expect(loaded.source.type).toBe("testrail")
      expect(Redacted.value(loaded.source.config["apiKey"] as Redacted.Redacted<string>)).toBe("tr-key-42")
    }))

  it.effect("reports a module that breaks the contract at its plugins entry", () =>
    Effect.gen(function* () {
      const error = yield* Effect.flip(
        loadSpec({ file: `${fixtures}broken-plugin.yaml`, env: {}, resolvePlugin: registryResolver(registry) })
      )
      expect(error.reason).toBe("Plugin")
      expect(error.problems[0]).not.toContain("\n")
      expect(error.problems).toEqual([expect.stringMatching(/broken-plugin\.yaml:6:5 {2}\/plugins\/0 {2}plugin \.\/plugins\/not-a-plugin\.ts does not satisfy the plugin contract/)])
    }))
})
