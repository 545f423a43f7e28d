/**
 * The snowflake plugin value without a server: its config schema (examples valid, one credential exactly, unknown
 * keys refused), the resolved config and its defaults (equal to the schema's), the driver options it builds
 * (secrets only there), and the classification of driver errors by code and SQL state.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import { Effect, Either, Redacted } from "effect"
import snowflake, {
  connectionOptions, fromDriver, isTransient, resolveSnowflakeConfig, snowflakeConfigDefaults, toSystemError } from "../../../plugins/snowflake/index.ts"

const addFormats = addFormatsModule.default

const compile = () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true })
  addFormats(ajv)
  ajv.addKeyword({ keyword: "x-secret", schemaType: "boolean" })
  return ajv.compile(snowflake.configSchema)
}

const base = { account: "acme-analytics", user: "LOADER", warehouse: "LOAD_WH", database: "QA" }
const props = snowflake.configSchema["properties"] as Record<string, Record<string, unknown>>

describe("snowflake config schema", () => {
  it("accepts the examples and exactly one credential", () => {
    const validate = compile()
    for (const example of snowflake.examples ?? []) expect(validate(example), JSON.stringify(validate.errors)).toBe(true)
    expect(validate({ ...base, password: "p" })).toBe(true)
    expect(validate({ ...base, privateKey: "k", privateKeyPassphrase: "x" })).toBe(true)
    expect(validate({ ...base, oauthToken: "t" })).toBe(true)
    expect(validate(base)).toBe(false)
    expect(validate({ ...base, password: "p", oauthToken: "t" })).toBe(false)
    expect(validate({ ...base, password: "p", privateKey: "k" })).toBe(false)
    expect(validate({ ...base, password: "p", privateKeyPassphrase: "x" })).toBe(false)
    expect(validate({ ...base, password: "p", warehose: "typo" })).toBe(false)
    expect(validate({ ...base, password: "p", batch: { maxValues: 100_000 } })).toBe(false)
    const { warehouse: _w, ...noWarehouse } = base
    expect(validate({ ...noWarehouse, password: "p" })).toBe(false)
  })

  it("marks every credential secret, so the spec loader refuses literals", () => {
    for (const name of ["password", "privateKey", "privateKeyPassphrase", "oauthToken"]) expect(props[name]?.["x-secret"], name).toBe(true)
    expect(props["user"]?.["x-secret"]).toBeUndefined()
  })

  it("states the defaults the code applies", () => {
    expect(props["schema"]?.["default"]).toBe(snowflakeConfigDefaults.schema)
    expect(props["attachmentBytes"]?.["default"]).toBe(snowflakeConfigDefaults.attachmentBytes)
    expect(props["maxAttachmentBytes"]?.["default"]).toBe(snowflakeConfigDefaults.maxAttachmentBytes)
    expect(props["queryTag"]?.["default"]).toBe(snowflakeConfigDefaults.queryTag)
    const batch = (props["batch"]?.["properties"] ?? {}) as Record<string, Record<string, unknown>>
    expect(batch["maxValues"]?.["default"]).toBe(snowflakeConfigDefaults.batch.maxValues)
    expect(batch["maxBytes"]?.["default"]).toBe(snowflakeConfigDefaults.batch.maxBytes)
  })
})

describe("resolveSnowflakeConfig", () => {
  it.effect("applies the defaults and keeps the password redacted", () =>
    Effect.gen(function* () {
      const config = yield* resolveSnowflakeConfig({ ...base, password: Redacted.make("s3cret"), accessUrl: "http://127.0.0.1:9/" })
      expect(config).toMatchObject({ schema: "PUBLIC", attachmentBytes: false, queryTag: "migrate", batch: { maxValues: 90_000, maxBytes: 8 * 1024 * 1024 }, accessUrl: "http://127.0.0.1:9" })
      expect(config.auth._tag).toBe("Password")
      expect(JSON.stringify(config)).not.toContain("s3cret")
      expect(String(config.auth._tag === "Password" ? config.auth.password : "")).not.toContain("s3cret")
    })
  )

  it.effect("refuses no credential, two credentials, an empty one and a non-PEM key, saying what to give", () =>
    Effect.gen(function* () {
      const fail = (input: Parameters<typeof resolveSnowflakeConfig>[0]) => Effect.map(Effect.either(resolveSnowflakeConfig(input)), (e) => (Either.isLeft(e) ? e.left.message : "accepted"))
      // the schema's checks, worded as the spec loader words them
      expect(yield* fail(base)).toMatch(/^\/ does not match any of the allowed forms \(password; privateKey \(key pair, JWT\); oauthToken\)/)
      expect(yield* fail({ ...base, password: "p", oauthToken: "t" })).toMatch(/^\/ matches 2 of the allowed forms \(password; .*\) — give exactly one/)
      expect(yield* fail({ ...base, password: Redacted.make("") })).toMatch(/\/password must not be empty/)
      expect(yield* fail({ ...base, password: "p", batch: { maxValues: 100_000 } })).toMatch(/\/batch\/maxValues must be between 1 and 99999/)
      expect(yield* fail({ ...base, password: "p", privateKeyPassphrase: "x" })).toMatch(/\/ must have property privateKey when property privateKeyPassphrase is present/)
      // the plugin's own
      expect(yield* fail({ ...base, privateKey: Redacted.make("not a key") })).toMatch(/not a PEM private key/)
      expect(yield* fail({ ...base, password: "p", accessUrl: "https://host/path" })).toMatch(/accessUrl must be an http\(s\) URL without a path/)
    })
  )

  it.effect("builds the driver's options for each authenticator; secrets appear only there", () =>
    Effect.gen(function* () {
      const pem = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----"
      const keyPair = connectionOptions(yield* resolveSnowflakeConfig({ ...base, privateKey: Redacted.make(pem), privateKeyPassphrase: Redacted.make("pp"), role: "LOADER" }))
      expect(keyPair).toMatchObject({ account: "acme-analytics", username: "LOADER", authenticator: "SNOWFLAKE_JWT", privateKey: pem, privateKeyPass: "pp", role: "LOADER", warehouse: "LOAD_WH", database: "QA", schema: "PUBLIC", queryTag: "migrate" })
      expect(keyPair).not.toHaveProperty("password")
      expect(connectionOptions(yield* resolveSnowflakeConfig({ ...base, oauthToken: Redacted.make("tok") }))).toMatchObject({ authenticator: "OAUTH", token: "tok" })
      expect(connectionOptions(yield* resolveSnowflakeConfig({ ...base, password: Redacted.make("pw") }))).toMatchObject({ authenticator: "SNOWFLAKE", password: "pw" })
    })
  )
})

describe("driver errors", () => {
  it("are classified by code, then SQL state, then message", () => {
    const reason = (e: unknown) => fromDriver(e).reason
    expect(reason({ code: "390100", message: "Incorrect username or password was specified." })).toBe("Auth")
    expect(reason({ code: 390144, message: "JWT token is invalid." })).toBe("Auth")
    expect(reason({ code: "390201", sqlState: "08004", message: "The requested warehouse does not exist or not authorized." })).toBe("Access")
    expect(reason({ code: "000606", sqlState: "57P03", message: "No active warehouse selected in the current session." })).toBe("Access")
    expect(reason({ code: "390111", message: "Session no longer exists." })).toBe("Session")
    expect(reason({ code: 401001, message: "Network error. Could not reach Snowflake." })).toBe("Transport")
    expect(reason({ code: "001003", sqlState: "42000", message: "SQL compilation error: syntax error" })).toBe("Compilation")
    expect(reason({ code: "002003", sqlState: "42S02", message: "Object does not exist" })).toBe("Compilation")
    expect(reason({ code: "100038", sqlState: "22018", message: "Numeric value 'x' is not recognized" })).toBe("Data")
    expect(reason({ code: "404005", message: "A password must be specified." })).toBe("Config")
    expect(reason(new Error("socket hang up"))).toBe("Transport")
    expect(reason("something odd")).toBe("Other")
  })

  it("only transport and session failures are retried", () => {
    expect(isTransient(fromDriver({ code: 401001, message: "x" }))).toBe(true)
    expect(isTransient(fromDriver({ code: "390111", message: "x" }))).toBe(true)
    expect(isTransient(fromDriver({ code: "390100", message: "x" }))).toBe(false)
    expect(isTransient(fromDriver({ code: "100038", sqlState: "22018", message: "x" }))).toBe(false)
  })

  it("become SystemErrors with Snowflake's code, the statement's first line and a hint", () => {
    const e = toSystemError(fromDriver({ code: "390100", message: "Incorrect username or password was specified." }))
    expect(e.reason).toBe("Unauthorized")
    expect(e.message).toBe("Incorrect username or password was specified. (code 390100)")
    expect(e.hint).toMatch(/check user and the credential/)
    const sql = toSystemError(fromDriver({ code: "001003", sqlState: "42000", message: "SQL compilation error" }, 'MERGE INTO "T" AS t\nUSING (…)'))
    expect(sql.message).toBe('SQL compilation error (code 001003, SQL state 42000)\n  in: MERGE INTO "T" AS t')
  })
})
