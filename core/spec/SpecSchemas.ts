/**
 * The ajv side of spec validation: the spec schema (schemas/migration.schema.json) and the plugins' config
 * schemas, compiled with every error collected (`allErrors`) and the failing subschema attached (`verbose`), so
 * messages can name allowed keys, limits and examples.
 */
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js"
import migrationSchema from "../../schemas/migration.schema.json" with { type: "json" }
import { embedsReference, secretReference } from "./secretReference.ts"
import { makeSectionAjv } from "./specAjv.ts"

export type SchemaError = ErrorObject

export interface SpecSchemas {
  /** Errors of the spec against migration.schema.json (plugin sections only for their `type`). */
  readonly checkSpec: (value: unknown) => ReadonlyArray<SchemaError>
  /** Errors of a plugin section (without `type`) against the plugin's schema; a `string` when the schema is invalid. */
  readonly checkSection: (schema: Readonly<Record<string, unknown>>, section: unknown) => ReadonlyArray<SchemaError> | string
}

/**
 * The spec schema references plugin schema files (`if type is zephyr then $ref ../plugins/zephyr/…`) so editors
 * complete plugin sections. The loader validates plugin sections against the registered plugin instead, so it
 * drops those conditionals: loading must not depend on a file next to the schema.
 */
export const withoutExternalRefs = (schema: unknown): unknown => {
  if (Array.isArray(schema)) return schema.map(withoutExternalRefs)
  if (typeof schema !== "object" || schema === null) return schema
  const result: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === "allOf" && Array.isArray(value)) {
      const kept = value.filter((sub) => !hasExternalRef(sub))
      if (kept.length > 0) result[key] = kept.map(withoutExternalRefs)
    } else {
      result[key] = withoutExternalRefs(value)
    }
  }
  return result
}

const hasExternalRef = (schema: unknown): boolean => {
  if (Array.isArray(schema)) return schema.some(hasExternalRef)
  if (typeof schema !== "object" || schema === null) return false
  return Object.entries(schema).some(
    ([key, value]) => (key === "$ref" && typeof value === "string" && !value.startsWith("#")) || hasExternalRef(value)
  )
}

export const makeSpecSchemas = (): SpecSchemas => {
  const ajv = makeSectionAjv()
  // `"x-secret": true` on a plugin property: the value must be a ${env:…}/${file:…} reference, never a literal.
  ajv.addKeyword({
    keyword: "x-secret",
    schemaType: "boolean",
    // A string that merely embeds a reference is reported once, by the secret resolver, as "must be the whole value".
    validate: (isSecret: boolean, data: unknown) => !isSecret || secretReference(data) !== undefined || embedsReference(data)
  })
  const specValidator = ajv.compile(withoutExternalRefs(migrationSchema) as Record<string, unknown>)
  const compiled = new WeakMap<object, ValidateFunction>()

  return {
    checkSpec: (value) => (specValidator(value) ? [] : [...(specValidator.errors ?? [])]),
    checkSection: (schema, section) => {
      let validate = compiled.get(schema)
      if (validate === undefined) {
        try {
          // A plugin schema with an `$id` may already be registered under it (same plugin, another section).
          const id = typeof schema["$id"] === "string" ? schema["$id"] : undefined
          validate = (id === undefined ? undefined : ajv.getSchema(id)) ?? ajv.compile(schema)
        } catch (cause) {
          return cause instanceof Error ? cause.message : String(cause)
        }
        compiled.set(schema, validate)
      }
      return validate(section) ? [] : [...(validate.errors ?? [])]
    }
  }
}
