/**
 * Custom-field values as Zephyr Scale Data Center serves them (docs/vendors/zephyr.md §2): a map keyed by the field's name, a
 * multi-select as ONE string of its option names joined by ", " (`"Brazil, England"`, SmartBear's example), a
 * user (a Cloud accountId) as the user's Jira key (dcUserKey.ts), booleans and numbers as JSON booleans and numbers,
 * every other string as written (dates keep the tenant's `yyyy-MM-dd`: how DC answers a DATE field is not public).
 * Unset values (null, an empty multi-select) are left out, as the real captures leave them out.
 *
 * Step fields are no map on DC but `customFieldValues`: one `{id, stringValue | booleanValue, customField}` per
 * set field, the field's definition included (REAL capture, docs/vendors/zephyr.md §2). The tenant has no definitions, so the
 * type is read off the value and the ids are derived from (project, field name) and (step, field name).
 */
import type { CustomFields } from "../ZephyrData.ts"
import { dcDerivedId } from "./dcDerivedId.ts"
import { dcUserKey, isAccountId } from "./dcUserKey.ts"

type Scalar = string | number | boolean

const optionName = (option: unknown): string | undefined =>
  typeof option === "string" ? option : typeof option === "object" && option !== null && typeof (option as { name?: unknown }).name === "string" ? (option as { name: string }).name : undefined

/** One value in DC's shape; undefined when unset. */
const dcValue = (value: unknown): Scalar | undefined => {
  if (value === null || value === undefined) return undefined
  if (Array.isArray(value)) {
    const names = value.map(optionName).filter((n) => n !== undefined)
    return names.length === 0 ? undefined : names.join(", ")
  }
  if (typeof value === "string") return isAccountId(value) ? dcUserKey(value) : value
  if (typeof value === "number" || typeof value === "boolean") return value
  return JSON.stringify(value)
}

/** The `customFields` map of a test case, run, result or plan; `{}` when nothing is set. */
export const dcCustomFields = (fields: CustomFields | null | undefined): Record<string, Scalar> => {
  const out: Record<string, Scalar> = {}
  if (fields === null || fields === undefined || typeof fields !== "object") return out
  for (const [name, value] of Object.entries(fields)) {
    const v = dcValue(value)
    if (v !== undefined) out[name] = v
  }
  return out
}

const fieldType = (value: unknown): string => {
  if (Array.isArray(value)) return "MULTI_CHOICE_SELECT_LIST"
  if (typeof value === "boolean") return "CHECKBOX"
  if (typeof value === "number") return Number.isInteger(value) ? "NUMBER" : "DECIMAL"
  if (typeof value === "string" && isAccountId(value)) return "USER_LIST"
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return "DATE"
  return typeof value === "string" && /<[a-z]/i.test(value) ? "MULTI_LINE_TEXT" : "SINGLE_LINE_TEXT"
}

/** A step's `customFieldValues`; undefined when the step sets none. Numbers are `stringValue` text (their DC shape is not public). */
export const dcStepCustomFieldValues = (
  fields: CustomFields | null | undefined,
  step: { readonly id: number; readonly projectId: number }
): ReadonlyArray<Record<string, unknown>> | undefined => {
  if (fields === null || fields === undefined || typeof fields !== "object") return undefined
  const values = Object.entries(fields).flatMap(([name, raw], index) => {
    const v = dcValue(raw)
    if (v === undefined) return []
    return [
      {
        id: dcDerivedId("stepFieldValue", step.id, name),
        ...(typeof v === "boolean" ? { booleanValue: v } : { stringValue: String(v) }),
        customField: { id: dcDerivedId("stepField", step.projectId, name), name, type: fieldType(raw), index, projectId: step.projectId, required: false, archived: false }
      }
    ]
  })
  return values.length === 0 ? undefined : values
}
