/**
 * Field values on writes (`properties: [{field_id, field_value}]`) checked as a qTest project checks them:
 * a field id that is not a field of the object type → 400; a picklist value that is not one of the field's
 * allowed value ids → 400; a user-list value that is not a project user id → 400; a malformed number or date
 * → 400; a required field left without a value → 412 "some of the required properties are missing"
 * (docs/vendors/qtest.md §2.1, §3.3.2). On create, fields the request leaves out take their default allowed value.
 * Responses echo every valued field with `field_name` and `field_value_name` (S1 `PropertyResource`).
 */
import { isObject, parseDateTime, toId } from "./Body.ts"
import { DATA_TYPES, type Field, type FieldObjectType, type PropertyValue } from "./Entities.ts"
import type { ProjectState } from "./ProjectState.ts"
import { fail } from "./Reply.ts"

const PICKLISTS: ReadonlySet<number> = new Set([DATA_TYPES.comboBox, DATA_TYPES.checkBox, DATA_TYPES.multiSelect])

export const isPicklist = (f: Field): boolean => PICKLISTS.has(f.dataType)
export const isMultiple = (f: Field): boolean => f.multiple || f.dataType === DATA_TYPES.multiSelect || f.dataType === DATA_TYPES.checkBox

export const fieldsOf = (state: ProjectState, objectType: FieldObjectType, includeInactive = false): Array<Field> =>
  state.fields.filter((f) => f.objectType === objectType && (includeInactive || f.isActive)).sort((a, b) => a.order - b.order || a.id - b.id)

export const fieldByLabel = (state: ProjectState, objectType: FieldObjectType, label: string): Field | undefined =>
  fieldsOf(state, objectType).find((f) => f.label.toLowerCase() === label.toLowerCase())

/** Ids in a multi-value `field_value`: `[801,802]`, `801,802` or a single id. */
const idList = (raw: string, field: Field): Array<number> => {
  const inner = raw.trim().replace(/^\[/, "").replace(/\]$/, "")
  if (inner.trim() === "") return []
  return inner.split(",").map((s) => toId(s) ?? fail(400, `Invalid value '${raw}' for field '${field.label}' (${field.id}): expected value ids`))
}

/** The stored form of a value ("" clears the field), or a 400. */
const normalise = (state: ProjectState, field: Field, raw: unknown): string => {
  if (raw === null || raw === undefined) return ""
  if (typeof raw !== "string" && typeof raw !== "number" && typeof raw !== "boolean") {
    return fail(400, `Invalid value for field '${field.label}' (${field.id}): field_value must be a string`)
  }
  const text = String(raw)
  if (text.trim() === "") return ""
  const bad = (why: string): never => fail(400, `Invalid value '${text}' for field '${field.label}' (${field.id}): ${why}`)
  switch (field.dataType) {
    case DATA_TYPES.number:
      return /^-?\d+(\.\d+)?$/.test(text.trim()) ? text.trim() : bad("expected a number")
    case DATA_TYPES.datePicker:
    case DATA_TYPES.dateTimePicker:
      return parseDateTime(text, `${field.label}`)
    case DATA_TYPES.userList: {
      const ids = isMultiple(field) ? idList(text, field) : [toId(text) ?? bad("expected a user id")]
      for (const id of ids) if (!state.users.has(id)) bad(`user ${id} is not a member of the project`)
      return isMultiple(field) ? `[${ids.join(",")}]` : String(ids[0])
    }
    default:
      if (!isPicklist(field)) return text
  }
  const allowed = new Set(field.allowedValues.filter((v) => v.isActive).map((v) => v.value))
  const ids = isMultiple(field) ? idList(text, field) : [toId(text) ?? bad("expected the id of an allowed value")]
  for (const id of ids) if (!allowed.has(id)) bad(`${id} is not an allowed value of this field`)
  return isMultiple(field) ? `[${ids.join(",")}]` : String(ids[0])
}

/**
 * The properties an object will have after a write: `input` (the request's `properties`, possibly absent)
 * applied over `current` (undefined on create, where absent fields take their defaults). Derived fields
 * (a run's Status) are server-maintained: values sent for them are ignored.
 */
export const resolveProperties = (
  state: ProjectState,
  objectType: FieldObjectType,
  input: unknown,
  current?: ReadonlyArray<PropertyValue>
): Array<PropertyValue> => {
  const fields = fieldsOf(state, objectType)
  const byId = new Map(fields.map((f) => [f.id, f]))
  const values = new Map<number, string>((current ?? []).map((p) => [p.fieldId, p.value]))
  if (input !== undefined && input !== null) {
    if (!Array.isArray(input)) return fail(400, "'properties' must be an array")
    for (const item of input) {
      if (!isObject(item)) return fail(400, "Each property must be an object with field_id and field_value")
      const fieldId = toId(item.field_id)
      if (fieldId === undefined) return fail(400, "Each property needs a numeric field_id")
      const field = byId.get(fieldId) ?? fail(400, `Field ${fieldId} does not exist in the ${objectType} field settings of project ${state.project.id}`)
      if (field.derived) continue
      const value = normalise(state, field, item.field_value)
      if (value === "") values.delete(fieldId)
      else values.set(fieldId, value)
    }
  }
  if (current === undefined) {
    for (const f of fields) {
      if (f.derived || values.has(f.id)) continue
      const fallback = f.allowedValues.find((v) => v.isDefault && v.isActive)
      if (fallback !== undefined) values.set(f.id, String(fallback.value))
    }
  }
  const missing = fields.filter((f) => f.required && !f.derived && !values.has(f.id))
  if (missing.length > 0) return fail(412, `Some of the required properties are missing: ${missing.map((f) => `'${f.label}' (${f.id})`).join(", ")}`)
  return fields.filter((f) => values.has(f.id)).map((f) => ({ fieldId: f.id, value: values.get(f.id) ?? "" }))
}

const userName = (state: ProjectState, id: number): string => {
  const u = state.users.get(id)
  if (u === undefined) return String(id)
  const full = `${u.firstName} ${u.lastName}`.trim()
  return full === "" ? u.username : full
}

/** What the UI shows for a stored value: picklist labels, user names, the text itself otherwise. */
export const valueName = (state: ProjectState, field: Field, value: string): string => {
  if (field.dataType === DATA_TYPES.userList) {
    return (isMultiple(field) ? idList(value, field) : [Number(value)]).map((id) => userName(state, id)).join(", ")
  }
  if (!isPicklist(field)) return value
  const labels = new Map(field.allowedValues.map((v) => [v.value, v.label]))
  return (isMultiple(field) ? idList(value, field) : [Number(value)]).map((id) => labels.get(id) ?? String(id)).join(", ")
}

export const renderProperties = (state: ProjectState, values: ReadonlyArray<PropertyValue>) =>
  values.flatMap((p) => {
    const field = state.fields.get(p.fieldId)
    if (field === undefined) return []
    return [{ field_id: field.id, field_name: field.label, field_value: p.value, field_value_name: valueName(state, field, p.value) }]
  })
