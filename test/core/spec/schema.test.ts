/**
 * schemas/migration.schema.json itself: compiles under strict ajv (once the editor-only plugin $refs are dropped),
 * documents every property for editors, keeps its defaults in step with SpecDefaults, and offers editors the
 * built-in plugin schemas.
 */
import { describe, expect, it } from "@effect/vitest"
import { Ajv2020 } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import migrationSchema from "../../../schemas/migration.schema.json" with { type: "json" }
import { SpecDefaults, defaultSpecFile } from "../../../core/spec/SpecDefaults.ts"
import { withoutExternalRefs } from "../../../core/spec/SpecSchemas.ts"

const addFormats = addFormatsModule.default

/** Every subschema under a `properties` / `additionalProperties` / `items`, with its JSON pointer. */
const propertySchemas = (schema: Record<string, unknown>, at = ""): Array<[string, Record<string, unknown>]> => {
  const out: Array<[string, Record<string, unknown>]> = []
  const properties = (schema["properties"] ?? {}) as Record<string, Record<string, unknown>>
  for (const [key, sub] of Object.entries(properties)) out.push([`${at}/${key}`, sub], ...propertySchemas(sub, `${at}/${key}`))
  for (const key of ["items", "additionalProperties"]) {
    const sub = schema[key]
    if (typeof sub === "object" && sub !== null) out.push([`${at}/${key}`, sub as Record<string, unknown>], ...propertySchemas(sub as Record<string, unknown>, `${at}/${key}`))
  }
  return out
}

describe("migration.schema.json", () => {
  it("compiles under strict ajv without the editor-only plugin references", () => {
    const ajv = new Ajv2020({ strict: true, allErrors: true })
    addFormats(ajv)
    expect(() => ajv.compile(withoutExternalRefs(migrationSchema) as Record<string, unknown>)).not.toThrow()
    expect(JSON.stringify(withoutExternalRefs(migrationSchema))).not.toContain("config.schema.json")
  })

  it("is draft 2020-12 with its published $id, closed at the top levels", () => {
    expect(migrationSchema.$schema).toBe("https://json-schema.org/draft/2020-12/schema")
    expect(migrationSchema.$id).toBe("https://migrate.dev/schemas/migration.schema.json")
    expect(migrationSchema.additionalProperties).toBe(false)
    expect(migrationSchema.properties.state.additionalProperties).toBe(false)
    expect(migrationSchema.properties.runtime.additionalProperties).toBe(false)
    expect(migrationSchema.properties.runtime.properties.retry.additionalProperties).toBe(false)
  })

  it("describes every property, for editors", () => {
    const undocumented = propertySchemas(migrationSchema).filter(([, sub]) => typeof sub["description"] !== "string")
    expect(undocumented.map(([pointer]) => pointer)).toEqual([])
  })

  it("offers editors the zephyr plugin's own schema for a zephyr source", () => {
    expect(JSON.stringify(migrationSchema.properties.source.allOf)).toContain('"$ref":"../plugins/zephyr/config.schema.json"')
  })

  it("has the defaults SpecDefaults exports", () => {
    expect(defaultSpecFile).toBe("migration.config.yaml")
    expect(SpecDefaults).toEqual({
      statePath: ".migrate/state.db",
      concurrency: 4,
      projects: 1,
      requestTimeoutMs: 30000,
      retry: { maxAttempts: 8, baseDelayMs: 500, maxDelayMs: 60000 }
    })
  })

  it("accepts the rate limit forms and rejects others", () => {
    const pattern = new RegExp(migrationSchema.properties.runtime.properties.rateLimits.additionalProperties.pattern)
    for (const ok of ["10/s", "600/min", "3600/h", "0.5/s"]) expect(pattern.test(ok)).toBe(true)
    for (const bad of ["10/sec", "10", "/s", "10 /s", "1e3/s"]) expect(pattern.test(bad)).toBe(false)
  })
})
