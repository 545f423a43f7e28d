/**
 * Each plugin's config defaults have one source, its config.schema.json: every `default` there is the value a
 * config that leaves the property out gets — from core's decodeConfig, in the generated `<prefix>ConfigDefaults`,
 * and in the config the plugin resolves — so a default cannot drift between the schema, the code and the docs.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { decodeConfig } from "../../core/index.ts"
import { csvConfigDefaults } from "../../examples/csv-source/config.gen.ts"
import csvSchema from "../../examples/csv-source/config.schema.json" with { type: "json" }
import { resolveCsvConfig } from "../../examples/csv-source/CsvConfig.ts"
import qtestSchema from "../../plugins/qtest/config.schema.json" with { type: "json" }
import { qtestConfigDefaults, resolveQtestConfig, toValueMap } from "../../plugins/qtest/QtestConfig.ts"
import snowflakeSchema from "../../plugins/snowflake/config.schema.json" with { type: "json" }
import { resolveSnowflakeConfig, snowflakeConfigDefaults } from "../../plugins/snowflake/SnowflakeConfig.ts"
import zephyrSchema from "../../plugins/zephyr/config.schema.json" with { type: "json" }
import { editions } from "../../plugins/zephyr/Edition.ts"
import { resolveZephyrConfig, zephyrConfigDefaults } from "../../plugins/zephyr/ZephyrConfig.ts"

type Schema = { readonly properties?: Readonly<Record<string, Schema>>; readonly default?: unknown }

/** Every `default` of a schema, by JSON pointer, nested objects included. */
const defaultsIn = (schema: Schema, at = ""): ReadonlyArray<readonly [string, unknown]> =>
  Object.entries(schema.properties ?? {}).flatMap(([key, sub]) => [
    ...(sub.default === undefined ? [] : [[`${at}/${key}`, sub.default] as const]),
    ...defaultsIn(sub, `${at}/${key}`)
  ])

const valueAt = (value: unknown, pointer: string): unknown =>
  pointer.split("/").slice(1).reduce<unknown>((v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined), value)

const decoded = (plugin: string, schema: Record<string, unknown>, input: unknown): unknown =>
  Effect.runSync(decodeConfig<unknown>(plugin, schema, input))

const plugins = [
  { name: "zephyr", schema: zephyrSchema, minimal: { projectKey: "PROJ", token: Redacted.make("t") }, defaults: zephyrConfigDefaults },
  { name: "qtest", schema: qtestSchema, minimal: { baseUrl: "https://acme.qtestnet.com", projectId: 1, token: "t" }, defaults: qtestConfigDefaults },
  { name: "snowflake", schema: snowflakeSchema, minimal: { account: "acme", user: "LOADER", warehouse: "WH", database: "DB", password: "p" }, defaults: snowflakeConfigDefaults },
  { name: "csv", schema: csvSchema, minimal: { file: "./cases.csv", projectKey: "SHOP" }, defaults: csvConfigDefaults }
] as const

describe.each(plugins)("$name config defaults", ({ name, schema, minimal, defaults }) => {
  const config = decoded(name, schema, minimal)
  const all = defaultsIn(schema as Schema)

  it("the schema states some, and decodeConfig gives each one to a config that leaves it out", () => {
    expect(all.length).toBeGreaterThan(0)
    for (const [pointer, value] of all) {
      const got = valueAt(config, pointer)
      // an object default ({}) is filled in further by its properties' defaults, checked on their own
      if (typeof value === "object" && value !== null && Object.keys(value).length === 0) expect(got, pointer).toBeTypeOf("object")
      else expect(got, pointer).toEqual(value)
    }
  })

  it("the generated defaults are exactly the decoded config's defaulted properties", () => {
    const defaulted = Object.fromEntries(Object.keys(defaults).map((key) => [key, valueAt(config, `/${key}`)]))
    expect(defaulted).toEqual(defaults)
    expect(Object.keys(defaults).sort()).toEqual(all.filter(([p]) => p.split("/").length === 2).map(([p]) => p.slice(1)).sort())
  })
})

describe("the resolved configs carry the schema's defaults", () => {
  it("zephyr (the edition resolved to its value, with its base URL)", () => {
    const { edition, ...rest } = zephyrConfigDefaults
    const config = Effect.runSync(resolveZephyrConfig({ projectKey: "PROJ", token: "t" }))
    expect(config).toMatchObject(rest)
    expect(config.edition).toBe(editions[edition])
    expect(config.baseUrl).toBe("https://api.zephyrscale.smartbear.com/v2")
    const essential = Effect.runSync(resolveZephyrConfig({ projectKey: "PROJ", token: "t", edition: "essential" }))
    expect(essential.edition).toBe(editions.essential)
    expect(essential.baseUrl).toBe("https://prod-api.zephyr4jiracloud.com/v2")
  })

  it("zephyr: incremental on the Cloud edition is refused, saying why and what to do", () => {
    const e = Effect.runSync(Effect.flip(resolveZephyrConfig({ projectKey: "PROJ", token: "t", incremental: "add-only" })))
    expect(e).toMatchObject({ _tag: "PluginError", reason: "Config" })
    expect(e.message).toMatch(/^incremental: add-only applies to edition: essential only .* Remove the key, or set edition: essential/)
  })

  it("qtest (value maps split at their default key)", () => {
    const config = Effect.runSync(resolveQtestConfig({ baseUrl: "https://acme.qtestnet.com", projectId: 1, token: "t" }))
    const { maps, ...rest } = qtestConfigDefaults
    expect(config).toMatchObject(rest)
    expect(config.maps).toEqual({
      executionStatus: toValueMap(maps.executionStatus),
      priority: toValueMap(maps.priority),
      testCaseStatus: toValueMap(maps.testCaseStatus),
      users: toValueMap(maps.users),
      customFields: maps.customFields
    })
  })

  it("snowflake", () => {
    const config = Effect.runSync(resolveSnowflakeConfig({ account: "acme", user: "LOADER", warehouse: "WH", database: "DB", password: "p" }))
    expect(config).toMatchObject(snowflakeConfigDefaults)
  })

  it("csv (the project name defaults to the key)", () => {
    const config = Effect.runSync(resolveCsvConfig({ file: "./cases.csv", projectKey: "SHOP" }))
    expect(config).toMatchObject({ ...csvConfigDefaults, projectName: "SHOP", location: { _tag: "File", file: "./cases.csv" } })
  })
})
