/**
 * The qtest sink's config: the schema (strict ajv, unknown keys rejected, defaults stated) agrees with
 * qtestConfigDefaults, and resolveQtestConfig applies defaults and enforces exactly one kind of credentials.
 * (Lives beside the mapping tests: the config and the mapping were written together.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import configSchema from "../../../../plugins/qtest/config.schema.json" with { type: "json" }
import { makeSpecSchemas } from "../../../../core/spec/SpecSchemas.ts"
import { qtestConfigDefaults, resolveQtestConfig, siteNameOf, toValueMap, type QtestConfigInput } from "../../../../plugins/qtest/QtestConfig.ts"

const addFormats = addFormatsModule.default
const ajv = new Ajv2020({ allErrors: true, strict: true })
addFormats(ajv)
ajv.addKeyword({ keyword: "x-secret", schemaType: "boolean" })
const validate = ajv.compile(configSchema)

const resolve = (input: QtestConfigInput) => Effect.runSync(Effect.either(resolveQtestConfig(input)))
const ok = (input: QtestConfigInput) => {
  const r = resolve(input)
  if (r._tag === "Left") throw new Error(r.left.message)
  return r.right
}
const problem = (input: QtestConfigInput) => {
  const r = resolve(input)
  if (r._tag === "Right") throw new Error("expected a PluginError")
  expect(r.left).toMatchObject({ _tag: "PluginError", plugin: "qtest", reason: "Config" })
  return r.left.message
}

const base = { baseUrl: "https://acme.qtestnet.com", projectId: 12345 }

type JsonSchema = { readonly properties?: Record<string, JsonSchema>; readonly default?: unknown; readonly description?: string; readonly additionalProperties?: unknown; readonly type?: string }

describe("config.schema.json", () => {
  it("accepts the documented example and the password variant", () => {
    const full = {
      ...base,
      token: "${env:QTEST_TOKEN}",
      createMissingFields: false,
      approveTestCases: true,
      releases: true,
      attachments: true,
      executionsWithoutCycle: "Zephyr — executions without cycle",
      automatedExecutions: "batch",
      batchSize: 100,
      scripts: "step",
      fields: { zephyrKey: "Zephyr Key", environment: "Env" },
      maps: {
        executionStatus: { Pass: "Passed", default: "Unexecuted" },
        users: { "5b10a2844c20165700ede21g": "jane@acme.com", default: "migration-bot@acme.com" },
        customFields: { "Zephyr field": "qTest label" }
      }
    }
    expect(validate(full), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...base, username: "jane@acme.com", password: "${env:QTEST_PASSWORD}", siteName: "acme" }), JSON.stringify(validate.errors)).toBe(true)
  })

  it("rejects unknown keys at every level, both or neither credentials, and bad values", () => {
    expect(validate({ ...base, token: "t", tokn: "x" })).toBe(false)
    expect(validate({ ...base, token: "t", fields: { zephyrkey: "x" } })).toBe(false)
    expect(validate({ ...base, token: "t", maps: { status: {} } })).toBe(false)
    expect(validate({ ...base, token: "t", maps: { users: { a: 1 } } })).toBe(false)
    expect(validate({ ...base, token: "t", username: "u", password: "p" })).toBe(false)
    expect(validate({ ...base, username: "u" })).toBe(false)
    expect(validate(base)).toBe(false)
    expect(validate({ ...base, token: "t", automatedExecutions: "auto" })).toBe(false)
    expect(validate({ ...base, token: "t", batchSize: 0 })).toBe(false)
    expect(validate({ ...base, token: "t", projectId: "12345" })).toBe(false)
    expect(validate({ baseUrl: "acme.qtestnet.com", projectId: 1, token: "t" })).toBe(false)
  })

  it("states the same defaults as qtestConfigDefaults, and describes every property", () => {
    const schema = configSchema as JsonSchema
    const props = schema.properties ?? {}
    for (const key of ["createMissingFields", "approveTestCases", "releases", "attachments", "executionsWithoutCycle", "automatedExecutions", "batchSize", "scripts"] as const)
      expect(props[key]?.default, key).toEqual(qtestConfigDefaults[key])
    for (const [key, label] of Object.entries(qtestConfigDefaults.fields)) expect(props["fields"]?.properties?.[key]?.default, key).toBe(label)
    for (const [key, map] of Object.entries(qtestConfigDefaults.maps)) expect(props["maps"]?.properties?.[key]?.default, key).toEqual(map)
    expect(Object.keys(props["fields"]?.properties ?? {}).sort()).toEqual(Object.keys(qtestConfigDefaults.fields).sort())
    const walk = (s: JsonSchema, at: string): void => {
      expect(s.description, at).toBeTruthy()
      if (s.type === "object" && s.properties !== undefined) expect(s.additionalProperties, at).toBe(false)
      for (const [k, sub] of Object.entries(s.properties ?? {})) walk(sub, `${at}/${k}`)
    }
    walk(schema, "")
  })

  it("through the spec loader's validator: secrets must be ${env:…} references", () => {
    const { checkSection } = makeSpecSchemas()
    expect(checkSection(configSchema, { ...base, token: "${env:QTEST_TOKEN}" })).toEqual([])
    expect(checkSection(configSchema, { ...base, username: "jane@acme.com", password: "${env:QTEST_PASSWORD}" })).toEqual([])
    const literal = checkSection(configSchema, { ...base, token: "abc123" })
    expect(Array.isArray(literal) && literal.map((e) => e.keyword)).toContain("x-secret")
  })

  it("marks token and password as secrets", () => {
    const props = (configSchema as { properties: Record<string, Record<string, unknown>> }).properties
    expect(props["token"]?.["x-secret"]).toBe(true)
    expect(props["password"]?.["x-secret"]).toBe(true)
    expect(props["username"]?.["x-secret"]).toBeUndefined()
  })
})

describe("resolveQtestConfig", () => {
  it("applies every default to a token config", () => {
    const config = ok({ ...base, token: Redacted.make("secret") })
    expect(config.auth._tag).toBe("Token")
    expect(config.auth._tag === "Token" && Redacted.value(config.auth.token)).toBe("secret")
    expect(config).toMatchObject({
      baseUrl: "https://acme.qtestnet.com",
      projectId: 12345,
      createMissingFields: false,
      approveTestCases: true,
      releases: true,
      attachments: true,
      executionsWithoutCycle: "Zephyr — executions without cycle",
      automatedExecutions: "manual",
      batchSize: 100,
      scripts: "description",
      fields: qtestConfigDefaults.fields
    })
    expect(config.maps.executionStatus).toEqual({
      values: { Pass: "Passed", Fail: "Failed", "Not Executed": "Unexecuted", "In Progress": "Incomplete", Blocked: "Blocked" },
      fallback: "Unexecuted"
    })
    expect(config.maps.users).toEqual({ values: {}, fallback: undefined })
    expect(config.maps.customFields).toEqual({})
    expect(String(config.auth._tag === "Token" ? config.auth.token : "")).not.toContain("secret")
  })

  it("wraps a plain token, trims the URL, keeps overrides and replaces whole maps", () => {
    const config = ok({
      baseUrl: "https://acme.qtestnet.com/api/v3/",
      projectId: 7,
      token: "plain",
      scripts: "step",
      fields: { environment: "Env", labels: undefined },
      maps: { priority: { High: "Urgent" }, users: { abc: "a@b.c", default: "bot@b.c" } }
    })
    expect(config.baseUrl).toBe("https://acme.qtestnet.com")
    expect(config.auth._tag === "Token" && Redacted.isRedacted(config.auth.token)).toBe(true)
    expect(config.scripts).toBe("step")
    expect(config.fields.environment).toBe("Env")
    expect(config.fields.labels).toBe("Zephyr Labels")
    expect(config.maps.priority).toEqual({ values: { High: "Urgent" }, fallback: undefined })
    expect(config.maps.users).toEqual({ values: { abc: "a@b.c" }, fallback: "bot@b.c" })
    expect(config.maps.testCaseStatus.fallback).toBe("New")
  })

  it("takes username + password, the site name defaulting to the first label of the host", () => {
    const config = ok({ ...base, username: Redacted.make("jane@acme.com"), password: Redacted.make("pw") })
    expect(config.auth).toMatchObject({ _tag: "Password", username: "jane@acme.com", siteName: "acme" })
    expect(ok({ ...base, username: "jane", password: "pw", siteName: "other" }).auth).toMatchObject({ siteName: "other" })
    expect(siteNameOf("https://apitryout.qtestnet.com/")).toBe("apitryout")
    expect(siteNameOf("http://127.0.0.1:8080")).toBe("127")
    expect(siteNameOf("not a url")).toBeUndefined()
  })

  it("requires exactly one kind of credentials, treating undefined as absent", () => {
    // the schema's oneOf / dependentRequired, worded as the spec loader words them
    expect(problem({ ...base, token: "t", username: "u", password: "p" })).toContain("/ matches 2 of the allowed forms (API bearer token; Login with username and password (POST /oauth/token)) — give exactly one")
    expect(problem(base)).toContain("/ does not match any of the allowed forms (API bearer token; Login with username and password")
    expect(problem({ ...base, username: "u" })).toContain("must have property password when property username is present")
    expect(problem({ ...base, password: "p" })).toContain("must have property username when property password is present")
    expect(problem({ ...base, token: Redacted.make("") })).toContain("/token must not be empty")
    expect(ok({ ...base, token: "t", username: undefined, password: undefined }).auth._tag).toBe("Token")
  })

  it("collects every problem in one message", () => {
    const message = problem({ baseUrl: "ftp://x", projectId: 0, token: "t", batchSize: 5000, automatedExecutions: "auto" as never, fields: { zephyrKey: "" } })
    for (const part of ["/baseUrl must be an http:// or https:// URL", "/projectId must be >= 1", "/batchSize must be between 1 and 1000", "/automatedExecutions must be one of \"manual\", \"batch\"", "/fields/zephyrKey must not be empty"])
      expect(message).toContain(part)
  })

  it("toValueMap splits the default key off", () => {
    expect(toValueMap({ a: "b", default: "c" })).toEqual({ values: { a: "b" }, fallback: "c" })
  })
})
