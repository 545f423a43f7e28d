/**
 * Reading request bodies and query strings the way qTest refuses them: a wrong type or a missing required
 * attribute is a 400 `{message}` naming the attribute. Every helper either returns the value or throws an
 * `ApiFailure` (Reply.ts), so handlers read top to bottom.
 */
import { fail } from "./Reply.ts"

export type JsonObject = Readonly<Record<string, unknown>>

export const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v)

export const objectBody = (body: unknown, what = "request body"): JsonObject =>
  body === undefined ? fail(400, `The ${what} is required`) : isObject(body) ? body : fail(400, `The ${what} must be a JSON object`)

export const arrayBody = (body: unknown, what = "request body"): ReadonlyArray<unknown> =>
  body === undefined ? fail(400, `The ${what} is required`) : Array.isArray(body) ? body : fail(400, `The ${what} must be a JSON array`)

export const optString = (o: JsonObject, key: string): string | undefined => {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  return typeof v === "string" ? v : fail(400, `'${key}' must be a string`)
}

const NAME_MAX = 500

/** A required, non-blank name of at most 500 characters (the spec's `minLength: 1, maxLength: 500`). */
export const reqName = (o: JsonObject, key = "name"): string => {
  const v = optString(o, key)
  if (v === undefined || v.trim() === "") return fail(400, `'${key}' is required`)
  if (v.length > NAME_MAX) return fail(400, `'${key}' must not be longer than ${NAME_MAX} characters`)
  return v
}

export const optName = (o: JsonObject, key = "name"): string | undefined => (o[key] === undefined || o[key] === null ? undefined : reqName(o, key))

/** An integer id given as a JSON number or a numeric string (qTest accepts both). */
export const toId = (v: unknown): number | undefined => {
  if (typeof v === "number" && Number.isSafeInteger(v)) return v
  if (typeof v === "string" && /^-?[0-9]+$/.test(v.trim())) {
    const n = Number(v.trim())
    return Number.isSafeInteger(n) ? n : undefined
  }
  return undefined
}

export const optId = (o: JsonObject, key: string): number | undefined => {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  return toId(v) ?? fail(400, `'${key}' must be an integer id`)
}

export const optInt = (o: JsonObject, key: string, min = Number.MIN_SAFE_INTEGER): number | undefined => {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min) return fail(400, `'${key}' must be an integer${min > Number.MIN_SAFE_INTEGER ? ` >= ${min}` : ""}`)
  return v
}

export const optBoolean = (o: JsonObject, key: string): boolean | undefined => {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  return typeof v === "boolean" ? v : fail(400, `'${key}' must be true or false`)
}

export const optArray = (o: JsonObject, key: string): ReadonlyArray<unknown> | undefined => {
  const v = o[key]
  if (v === undefined || v === null) return undefined
  return Array.isArray(v) ? v : fail(400, `'${key}' must be an array`)
}

/** A date-time (ISO 8601, offset or `Z`), returned normalised to qTest's `…T…Z` with milliseconds. */
export const parseDateTime = (v: unknown, key: string): string => {
  if (typeof v !== "string" || !/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(v.trim())) {
    return fail(400, `'${key}' must be a date-time in ISO 8601 format, e.g. 2024-03-01T10:00:00Z`)
  }
  const ms = Date.parse(v.trim())
  return Number.isNaN(ms) ? fail(400, `'${key}' is not a valid date-time`) : new Date(ms).toISOString()
}

export const reqDateTime = (o: JsonObject, key: string): string => (o[key] === undefined || o[key] === null ? fail(400, `'${key}' is required`) : parseDateTime(o[key], key))

export const optDateTime = (o: JsonObject, key: string): string | undefined => (o[key] === undefined || o[key] === null ? undefined : parseDateTime(o[key], key))

// ---- query strings ----

export const queryInt = (q: URLSearchParams, name: string): number | undefined => {
  const raw = q.get(name)
  if (raw === null || raw.trim() === "") return undefined
  return toId(raw) ?? fail(400, `Query parameter '${name}' must be an integer`)
}

export const queryBool = (q: URLSearchParams, name: string, fallback: boolean): boolean => {
  const raw = q.get(name)
  if (raw === null || raw === "") return fallback
  if (raw.toLowerCase() === "true") return true
  if (raw.toLowerCase() === "false") return false
  return fail(400, `Query parameter '${name}' must be true or false`)
}

/** `ids=1,2` or `ids=1&ids=2` (Swagger `collectionFormat: multi`). */
export const queryIds = (q: URLSearchParams, name: string): Array<number> =>
  q
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((s) => s.trim())
    .filter((s) => s !== "")
    .map((s) => toId(s) ?? fail(400, `Query parameter '${name}' must hold integer ids`))
