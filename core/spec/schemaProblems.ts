/**
 * ajv errors → problems a user can act on: positioned at the YAML node, worded as "what is wrong — what to do",
 * unknown keys with the nearest allowed key. Messages never quote the offending value: it may be a secret written
 * in the wrong place.
 */
import type { SchemaError } from "./SpecSchemas.ts"
import type { SpecDocument } from "./SpecDocument.ts"
import { pointerOf } from "./jsonPointer.ts"
import type { SpecProblem } from "./SpecProblem.ts"
import { didYouMean } from "./didYouMean.ts"

type Subschema = Readonly<Record<string, unknown>>

/**
 * Where a path inside the validated value is written in the spec. A plugin section is one place (`/sinks/0` +
 * path); a project's section is merged from two (projectSection.ts), so each path is looked up where it was written.
 */
export type Locate = (instancePath: string) => string

/**
 * @param prefix JSON pointer of the validated value inside the spec (`/sinks/0` for a plugin section), since
 * ajv's paths are relative to what it was given — or a `Locate` for a value merged from several places.
 */
export const schemaProblems = (
  errors: ReadonlyArray<SchemaError>,
  document: SpecDocument,
  prefix: string | Locate = ""
): ReadonlyArray<SpecProblem> => {
  const locate: Locate = typeof prefix === "string" ? (p) => prefix + p : prefix
  // anyOf/oneOf report every branch's failure too; one "matches none (or several) of the forms" is the useful part.
  const alternatives = errors.filter((e) => e.keyword === "anyOf" || e.keyword === "oneOf")
  const insideAlternative = (e: SchemaError) =>
    alternatives.some((a) => a !== e && e.schemaPath.startsWith(`${a.schemaPath}/`))
  // A value that is no URL at all also fails the URL's pattern (^https?://): one message for it is enough.
  const badFormat = new Set(errors.filter((e) => e.keyword === "format").map((e) => e.instancePath))
  return errors
    // `if` only says "then failed"; the `then` errors carry the detail.
    .filter((e) => e.keyword !== "if" && !insideAlternative(e) && !(e.keyword === "pattern" && badFormat.has(e.instancePath)))
    .map((e) => describe(e, document, locate))
}

const describe = (error: SchemaError, document: SpecDocument, locate: Locate): SpecProblem => {
  const path = locate(error.instancePath)
  const parent = (error.parentSchema ?? {}) as Subschema
  const problem = (message: string, at = document.valueAt(path), where = path): SpecProblem => ({
    reason: "Schema",
    at,
    path: where === "" ? "/" : where,
    message
  })
  switch (error.keyword) {
    case "additionalProperties":
    case "unevaluatedProperties": {
      const key = String(error.params["additionalProperty"] ?? error.params["unevaluatedProperty"])
      const keyPath = locate(error.instancePath + pointerOf([key]))
      return problem(unknownKey(key, allowedKeys(parent)), document.keyAt(keyPath), keyPath)
    }
    case "required": {
      const key = String(error.params["missingProperty"])
      const description = propertySchema(parent, key)?.["description"]
      const hint = typeof description === "string" ? `: ${firstSentence(description)}` : ""
      return problem(`missing required key "${key}" — add it${hint}`, document.keyAt(path))
    }
    case "type": {
      const expected = ([] as Array<unknown>).concat(error.params["type"]).map(String)
      const got = jsonType(error.data)
      const numeric = expected.some((t) => t === "integer" || t === "number")
      // `"4"` is a number in quotes; `four` is no number at all, and saying "without quotes" would mislead
      const quoted =
        got === "string" && ((numeric && /^\s*-?\d+(\.\d+)?\s*$/.test(String(error.data))) || (expected.includes("boolean") && /^(true|false)$/.test(String(error.data))))
      // YAML reads 3, true and 2024-01-01 as numbers, booleans and dates: a name that looks like one needs quotes
      const unquoted = expected.length === 1 && expected[0] === "string" && (got === "integer" || got === "number" || got === "boolean")
      const fix = quoted
        ? " — write it without quotes"
        : unquoted
          ? " — put it in quotes to make it text"
          : examples(parent, " — e.g. ") || shapeFix(expected, got, parent)
      return problem(`expected ${expected.map(article).join(" or ")}, got ${article(got)}${fix}`)
    }
    case "const": {
      const allowed = error.params["allowedValue"]
      const quotedNumber = typeof allowed === "number" && typeof error.data === "string"
      return problem(`must be ${JSON.stringify(allowed)}${quotedNumber ? " — write it without quotes" : ""}`)
    }
    case "enum":
      return problem(`must be one of ${listOf(error.params["allowedValues"])}`)
    case "minimum":
    case "maximum":
    case "exclusiveMinimum":
    case "exclusiveMaximum": {
      const { minimum, maximum } = parent
      if (typeof minimum === "number" && typeof maximum === "number") {
        return problem(`must be between ${minimum} and ${maximum}`)
      }
      return problem(`must be ${String(error.params["comparison"])} ${String(error.params["limit"])}`)
    }
    case "pattern":
      if (String(error.params["pattern"]).startsWith("^https?://")) {
        const [example = "https://example.com"] = Array.isArray(parent["examples"]) ? parent["examples"].map(String) : []
        return problem(`must be an http:// or https:// URL — write it like ${example}`)
      }
      return problem(
        `has the wrong form${examples(parent, " — write it like ") || ` — it must match ${String(error.params["pattern"])}`}`
      )
    case "format": {
      const format = String(error.params["format"])
      if (format === "uri") {
        const [example = "https://example.com"] = Array.isArray(parent["examples"]) ? parent["examples"].map(String) : []
        return problem(`is not a valid URL — write an absolute URL like ${example}`)
      }
      return problem(`must be a valid ${format}${examples(parent, " — e.g. ")}`)
    }
    case "minLength":
      return problem(error.params["limit"] === 1 ? "must not be empty" : `must be at least ${String(error.params["limit"])} characters`)
    case "x-secret":
      return problem("secrets must not be written in the spec — use ${env:NAME} (or ${file:PATH}) and keep the value outside")
    case "anyOf":
    case "oneOf": {
      const forms = formNames(parent[error.keyword])
      const passing = error.params["passingSchemas"]
      // oneOf with several matching branches: e.g. two credentials where exactly one is allowed
      if (Array.isArray(passing) && passing.length > 1)
        return problem(`matches ${passing.length} of the allowed forms${forms === "" ? "" : ` (${forms})`} — give exactly one`)
      return problem(`does not match any of the allowed forms${forms === "" ? "" : ` (${forms})`}${examples(parent, " — e.g. ")}`)
    }
    default:
      return problem(error.message ?? `fails "${error.keyword}"`)
  }
}

/** What to write instead, when the value has the wrong shape and the schema gives no example. */
const shapeFix = (expected: ReadonlyArray<string>, got: string, schema: Subschema): string => {
  const only = expected.length === 1 ? expected[0] : undefined
  const { minimum, maximum } = schema
  const range = typeof minimum === "number" && typeof maximum === "number" ? ` from ${minimum} to ${maximum}` : ""
  if (only === "integer") return ` — write a whole number${range}`
  if (only === "number") return ` — write a number${range}`
  if (only === "boolean") return " — write true or false"
  if (only === "string") return " — write one value on the line"
  if (only === "array") return got === "object" ? " — write it as a list: one item per line, each starting with '- '" : " — write it as a list"
  if (only === "object") return got === "array" ? " — write key: value lines, not '- ' items" : " — write key: value lines under it"
  return ""
}

const unknownKey = (key: string, allowed: ReadonlyArray<string>): string => {
  const suggestion = didYouMean(key, allowed)
  if (suggestion !== undefined) return `unknown key "${key}" (did you mean "${suggestion}"?)`
  return allowed.length === 0
    ? `unknown key "${key}" — remove it`
    : `unknown key "${key}" — remove it; allowed keys: ${allowed.join(", ")}`
}

const allowedKeys = (schema: Subschema): ReadonlyArray<string> => {
  const properties = schema["properties"]
  return typeof properties === "object" && properties !== null ? Object.keys(properties) : []
}

const propertySchema = (schema: Subschema, key: string): Subschema | undefined => {
  const properties = schema["properties"] as Record<string, Subschema> | undefined
  return properties?.[key]
}

const examples = (schema: Subschema, lead: string): string => {
  const list = schema["examples"]
  return Array.isArray(list) && list.length > 0 ? `${lead}${list.map(String).join(", ")}` : ""
}

/** The branches' descriptions ("Password.", "Key pair (JWT).") joined, when every branch has one. */
const formNames = (branches: unknown): string => {
  if (!Array.isArray(branches)) return ""
  const names = branches.map((b) => (typeof b === "object" && b !== null ? (b as Record<string, unknown>)["description"] : undefined))
  return names.every((n) => typeof n === "string") ? names.map((n) => String(n).replace(/\.$/, "")).join("; ") : ""
}

const listOf = (values: unknown): string =>
  Array.isArray(values) ? values.map((v) => JSON.stringify(v)).join(", ") : JSON.stringify(values)

const firstSentence = (text: string): string => text.split(/(?<=\.)\s/)[0] ?? text

const jsonType = (value: unknown): string =>
  value === null ? "null" : Array.isArray(value) ? "array" : Number.isInteger(value) ? "integer" : typeof value

const article = (type: string): string => {
  if (type === "null") return "nothing"
  const word = type === "object" ? "map" : type === "array" ? "list" : type
  return `${/^[aeiou]/.test(word) ? "an" : "a"} ${word}`
}
