/**
 * The ajv side of spec validation: the spec schema (schemas/migration.schema.json) and the plugins' config
 * schemas, compiled with every error collected (`allErrors`) and the failing subschema attached (`verbose`), so
 * messages can name allowed keys, limits and examples.
 */
import { Ajv2020 } from "ajv/dist/2020.js"
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import migrationSchema from "../../schemas/migration.schema.json" with { type: "json" }
import { embedsReference, secretReference } from "./secretReference.ts"

// ajv-formats is CommonJS: under NodeNext the default import is `module.exports`, whose `.default` is the plugin
// (TOOLCHAIN.md); this form works under tsc, tsx, vitest and Deno alike.
const addFormats = addFormatsModule.default

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
  // Not strict: plugin schemas come from third parties and may carry annotations ajv does not know; an unknown
  // keyword there must not stop a migration. Our own schema is compiled strictly in its test.
  const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false })
  addFormats(ajv)
  // ajv-formats checks a URI's syntax with a regular expression that lets through what no client can open
  // (port 99999, a bracketed host that is no IPv6 address): the spec must catch those, not the first request.
  const uriSyntax = ajv.formats["uri"]
  ajv.addFormat("uri", (value: string) => (typeof uriSyntax === "function" ? uriSyntax(value) : true) && URL.canParse(value))
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
