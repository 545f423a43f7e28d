/**
 * A plugin's config decoded against the plugin's own config.schema.json, for a plugin driven directly (a test, an
 * external tool, a sandbox override) rather than from a spec the loader already validated. One source of truth:
 * the schema checks the values (same ajv setup and the same wording as the spec loader's messages), supplies the
 * defaults (ajv `useDefaults`), and says which properties are secrets (`"x-secret": true` → `Redacted`).
 */
import type { ValidateFunction } from "ajv/dist/2020.js"
import { Effect, Redacted } from "effect"
import { PluginError } from "../errors.ts"
import { schemaProblems } from "../spec/schemaProblems.ts"
import { makeSectionAjv } from "../spec/specAjv.ts"
import type { SpecDocument } from "../spec/SpecDocument.ts"

type JsonSchema = Readonly<Record<string, unknown>>

let ajv: ReturnType<typeof makeSectionAjv> | undefined
const compiled = new WeakMap<object, ValidateFunction>()

const validatorOf = (schema: JsonSchema): ValidateFunction => {
  let validate = compiled.get(schema)
  if (validate !== undefined) return validate
  if (ajv === undefined) {
    ajv = makeSectionAjv({ useDefaults: true })
    // Here a secret is a value (a plain string, or `Redacted` unwrapped for the check), never a ${env:…} reference.
    ajv.addKeyword({ keyword: "x-secret", schemaType: "boolean" })
  }
  const id = typeof schema["$id"] === "string" ? schema["$id"] : undefined
  validate = (id === undefined ? undefined : ajv.getSchema(id)) ?? ajv.compile(schema)
  compiled.set(schema, validate)
  return validate
}

/**
 * A deep copy ajv can check and fill in: `Redacted` values unwrapped (the spec loader resolves every ${env:…}
 * reference to one, secret or not), members set to `undefined` dropped (a sandbox override unsets keys that way).
 */
const plain = (value: unknown): unknown => {
  if (Redacted.isRedacted(value)) return Redacted.value(value)
  if (Array.isArray(value)) return value.map(plain)
  if (typeof value !== "object" || value === null) return value
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, plain(v)]])))
}

/** Wraps every string at a property marked `"x-secret": true` (nested objects included) in `Redacted`. */
const redactSecrets = (schema: unknown, value: unknown): unknown => {
  if (typeof schema !== "object" || schema === null || typeof value !== "object" || value === null || Array.isArray(value)) return value
  const properties = (schema as JsonSchema)["properties"]
  if (typeof properties !== "object" || properties === null) return value
  const result: Record<string, unknown> = { ...value }
  for (const [key, sub] of Object.entries(properties as JsonSchema)) {
    const item = result[key]
    if (item === undefined) continue
    const secret = typeof sub === "object" && sub !== null && (sub as JsonSchema)["x-secret"] === true
    result[key] = secret && typeof item === "string" ? Redacted.make(item) : redactSecrets(sub, item)
  }
  return result
}

/** No YAML behind a directly driven config: problems carry their JSON path only. */
const nowhere: SpecDocument = { value: undefined, valueAt: () => ({ line: 0, col: 0 }), keyAt: () => ({ line: 0, col: 0 }) }

/**
 * Checks `input` against `schema`, applies the schema's defaults and wraps its secrets in `Redacted`. Fails with
 * `PluginError({ plugin, reason: "Config" })` whose message lists every problem as `/path message`, joined by
 * "; " (the spec loader's wording, never quoting a value). `Decoded` is the schema's decoded type — the plugin's
 * generated `<Prefix>ConfigDecoded` — which the check stands behind. The input is not modified.
 */
export const decodeConfig = <Decoded>(plugin: string, schema: JsonSchema, input: unknown): Effect.Effect<Decoded, PluginError> =>
  Effect.suspend(() => {
    let validate: ValidateFunction
    try {
      validate = validatorOf(schema)
    } catch (cause) {
      const message = `the config schema does not compile: ${cause instanceof Error ? cause.message : String(cause)}`
      return Effect.fail(new PluginError({ plugin, reason: "Config", message }))
    }
    const value = plain(input)
    if (!validate(value)) {
      const problems = schemaProblems(validate.errors ?? [], nowhere).map((p) => `${p.path} ${p.message}`)
      return Effect.fail(new PluginError({ plugin, reason: "Config", message: [...new Set(problems)].join("; ") }))
    }
    return Effect.succeed(redactSecrets(schema, value) as Decoded)
  })
