/**
 * Validation of canonical records against schemas/canonical, between source and store: a record that fails is
 * quarantined with these messages. Runs for every record, so each schema is compiled once, lazily, and reused.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js"
import addFormatsModule from "ajv-formats"
import type { EntityName } from "./Canonical.ts"
import { canonicalSchemas } from "./schemas.ts"

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module object.
const addFormats = addFormatsModule.default

const ajv = new Ajv2020({
  // Strict mode stays on so a typo in a schema keyword fails loudly; our metadata keywords are declared below.
  strict: true,
  allowUnionTypes: true,
  allErrors: true
})
addFormats(ajv, ["date-time", "date", "uri"])
ajv.addKeyword({ keyword: "x-table", schemaType: "string" })
ajv.addKeyword({ keyword: "x-primary-key", schemaType: "string" })
ajv.addKeyword({ keyword: "x-natural-key", schemaType: "array" })
ajv.addKeyword({ keyword: "x-seed", schemaType: "boolean" })
ajv.addKeyword({ keyword: "x-hash", schemaType: ["boolean", "string"] })
ajv.addKeyword({ keyword: "x-indexes", schemaType: "array" })

const compiled = new Map<EntityName, ValidateFunction>()

const validator = (entity: EntityName): ValidateFunction => {
  let validate = compiled.get(entity)
  if (validate === undefined) {
    validate = ajv.compile(canonicalSchemas[entity])
    compiled.set(entity, validate)
  }
  return validate
}

/** One error as a human line that starts with the JSON pointer of the offending value. */
export const describeError = (error: ErrorObject): string => {
  const at = error.instancePath
  switch (error.keyword) {
    case "required":
      return `${at}/${String(error.params["missingProperty"])} is required`
    case "additionalProperties":
      return `${at}/${String(error.params["additionalProperty"])} is not a column of this entity`
    case "type": {
      const expected = error.params["type"]
      const names = Array.isArray(expected) ? expected.map(String) : String(expected).split(",")
      return `${at || "/"} must be ${names.join(" or ")}`
    }
    case "enum":
      return `${at || "/"} must be one of ${(error.params["allowedValues"] as ReadonlyArray<unknown>).map((v) => JSON.stringify(v)).join(", ")}`
    default:
      return `${at || "/"} ${error.message ?? `fails ${error.keyword}`}`
  }
}

/** The reasons `data` is not a valid `entity` record, or undefined when it is. */
export const validateRecord = (entity: EntityName, data: unknown): ReadonlyArray<string> | undefined => {
  const validate = validator(entity)
  if (validate(data)) return undefined
  return (validate.errors ?? []).map(describeError)
}
