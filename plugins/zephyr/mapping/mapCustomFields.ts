/**
 * Custom fields → one canonical CustomField per field. Zephyr Cloud has no field-definition endpoint, so the
 * type is inferred from the value (the only thing the API gives), in this order:
 *
 * | value                                                        | field_type   |
 * |--------------------------------------------------------------|--------------|
 * | null                                                         | NULL         |
 * | number                                                       | NUMBER       |
 * | boolean                                                      | BOOLEAN      |
 * | array                                                        | MULTI_SELECT |
 * | string `yyyy-MM-dd` (a real calendar date)                   | DATE         |
 * | string that looks like an Atlassian accountId (see below)    | USER         |
 * | any other string, or an object                               | TEXT         |
 *
 * accountIds come in three shapes: the classic 24 lower-case hex characters (`5d8f0e3b7c2a1f0012345678`),
 * `<number>:<uuid>` (`557058:f58131cb-…`), and a bare UUID. Zephyr's own documentation example
 * (`5b10a2844c20165700ede21g`) is 24 lower-case alphanumerics but not hex, so the first shape accepts any 24
 * lower-case letters and digits that include at least one digit (an ordinary 24-letter word is not a user).
 * A single-select field is indistinguishable from text and comes out TEXT.
 *
 * `field_value` is the string itself for strings, the JSON text of every other value (`42`, `true`,
 * `["a","b"]`), and null for null (the canonical schema's rule); `value_json` keeps the JSON value.
 *
 * Multi-select options are carried by name: Zephyr Cloud sends `["a","b"]`, Zephyr Essential
 * `[{"id":1,"name":"a"},…]` (docs/vendors/zephyr.md §3), whose ids are the edition's own option ids, which no
 * target knows. So the same field reads the same from either edition.
 */
import { derivedId, record, type CanonicalRecord } from "../../../core/index.ts"
import { provenance } from "./provenance.ts"

export type FieldType = "TEXT" | "NUMBER" | "BOOLEAN" | "DATE" | "MULTI_SELECT" | "USER" | "NULL"
export type CustomFieldObjectType = "TestCase" | "TestCycle" | "TestExecution" | "TestPlan" | "TestStep"

const DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/
const ACCOUNT_ID = /^(?=[0-9a-z]*\d)[0-9a-z]{24}$|^\d+:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$|^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

const isCalendarDate = (s: string): boolean => {
  const m = DATE.exec(s)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

export const inferFieldType = (value: unknown): FieldType => {
  if (value === null || value === undefined) return "NULL"
  if (typeof value === "number") return "NUMBER"
  if (typeof value === "boolean") return "BOOLEAN"
  if (Array.isArray(value)) return "MULTI_SELECT"
  if (typeof value === "string") {
    if (isCalendarDate(value)) return "DATE"
    if (ACCOUNT_ID.test(value)) return "USER"
  }
  return "TEXT"
}

/** Strings as they are (HTML and Unicode untouched); everything else as JSON text. */
export const fieldValueText = (value: unknown): string | null =>
  value === null || value === undefined ? null : typeof value === "string" ? value : (JSON.stringify(value) ?? null)

/** The natural key `(object_type, object_id, field_name)` as text: the source id and the hash input of the id. */
export const customFieldSourceId = (objectType: CustomFieldObjectType, objectId: number, fieldName: string): string =>
  `${objectType}/${objectId}/${fieldName}`

/** `[{id, name}, …]` → `[name, …]`; every other value as it is. */
export const optionNames = (value: unknown): unknown =>
  Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "object" && v !== null && typeof (v as { name?: unknown }).name === "string")
    ? value.map((v) => (v as { name: string }).name)
    : value

/**
 * `typeOf`: a field's type where the source knows it better than the value shows (Zephyr DC's step fields carry
 * their definition); undefined there means "infer it".
 */
export const mapCustomFields = (
  objectType: CustomFieldObjectType,
  objectId: number,
  fields: Readonly<Record<string, unknown>> | null | undefined,
  typeOf: (name: string, value: unknown) => FieldType | undefined = () => undefined
): Array<CanonicalRecord> =>
  Object.entries(fields ?? {}).map(([field_name, raw]) => {
    const value = optionNames(raw)
    const sourceId = customFieldSourceId(objectType, objectId, field_name)
    return record("CustomField", {
      ...provenance(sourceId, null),
      custom_field_id: derivedId(sourceId),
      object_type: objectType,
      object_id: objectId,
      field_name,
      field_value: fieldValueText(value),
      field_type: typeOf(field_name, value) ?? inferFieldType(value),
      value_json: value ?? null
    })
  })
