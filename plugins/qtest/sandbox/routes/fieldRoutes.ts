/**
 * Field settings (docs/vendors/qtest.md §4.4): the fields of an object type with their allowed values, custom field
 * creation (data types 1…17; picklists with `allowed_values`; 8 and 17 need `multiple: true`), and adding
 * allowed values to a picklist (at most 100 per call). Ids come from the project's field counter (800000 on),
 * never small constants.
 */
import { arrayBody, isObject, objectBody, optBoolean, optString, queryBool, reqName, toId } from "../Body.ts"
import { DATA_TYPES, FIELD_OBJECT_TYPES, type AllowedValue, type Field, type FieldObjectType } from "../Entities.ts"
import { pageRequest, slicePage } from "../Paging.ts"
import type { ProjectState } from "../ProjectState.ts"
import { fieldsOf, isPicklist } from "../Properties.ts"
import { fail, found, json } from "../Reply.ts"
import type { RouteSpec } from "../Router.ts"
import type { Env } from "./Env.ts"

const BASE = "/api/v3/projects/{projectId}/settings/{objectType}/fields"
const CREATABLE_TYPES: ReadonlySet<number> = new Set(Object.values(DATA_TYPES))
const MAX_VALUES_PER_CALL = 100

const objectTypeOf = (raw: string | undefined): FieldObjectType =>
  (FIELD_OBJECT_TYPES as ReadonlyArray<string>).includes(raw ?? "")
    ? (raw as FieldObjectType)
    : fail(400, `Invalid object type '${raw}': use one of ${FIELD_OBJECT_TYPES.join(", ")}`)

/** New allowed values from a request array (labels required and unique within the field). */
const newValues = (state: ProjectState, input: ReadonlyArray<unknown>, existing: ReadonlyArray<AllowedValue>): Array<AllowedValue> => {
  const labels = new Set(existing.map((v) => v.label.toLowerCase()))
  let order = existing.reduce((max, v) => Math.max(max, v.order), 0)
  return input.map((item, i) => {
    if (!isObject(item)) return fail(400, `Allowed value ${i + 1} must be an object with a label`)
    const label = reqName(item, "label")
    if (labels.has(label.toLowerCase())) return fail(400, `The allowed value '${label}' already exists in this field`)
    labels.add(label.toLowerCase())
    const color = optString(item, "color")
    return {
      value: state.fieldIds.next(),
      label,
      order: ++order,
      isDefault: optBoolean(item, "is_default") ?? false,
      isActive: optBoolean(item, "is_active") ?? true,
      ...(color === undefined ? {} : { color })
    }
  })
}

export const fieldRoutes = (env: Env): ReadonlyArray<RouteSpec> => {
  const { render } = env
  const fieldOf = (state: ProjectState, objectType: FieldObjectType, raw: string | undefined): Field => {
    const id = toId(raw)
    const field = id === undefined ? undefined : state.fields.get(id)
    return found(field !== undefined && field.objectType === objectType ? field : undefined, `Field ${raw} not found in the ${objectType} field settings`)
  }
  return [
    {
      method: "GET",
      template: BASE,
      handler: (ctx) => json(200, fieldsOf(env.state(), objectTypeOf(ctx.params.objectType), queryBool(ctx.query, "includeInactive", false)).map(render.field))
    },
    {
      method: "POST",
      template: BASE,
      reject: { objectType: "fields", name: (ctx) => (isObject(ctx.body) && typeof ctx.body.label === "string" ? ctx.body.label : undefined) },
      handler: (ctx) => {
        const state = env.state()
        const objectType = objectTypeOf(ctx.params.objectType)
        if (objectType === "test-steps") return fail(400, "Custom fields of test steps cannot be created through this API")
        const body = objectBody(ctx.body)
        const label = reqName(body, "label")
        const dataType = toId(body.data_type)
        if (dataType === undefined || !CREATABLE_TYPES.has(dataType)) return fail(400, `'data_type' is required: one of ${[...CREATABLE_TYPES].join(", ")}`)
        const multiple = optBoolean(body, "multiple") ?? false
        if ((dataType === DATA_TYPES.checkBox || dataType === DATA_TYPES.multiSelect) && !multiple) return fail(400, `A field of data_type ${dataType} needs multiple=true`)
        const siblings = fieldsOf(state, objectType, true)
        if (siblings.some((f) => f.label.toLowerCase() === label.toLowerCase())) return fail(400, `A ${objectType} field labelled '${label}' already exists`)
        const valuesInput = body.allowed_values === undefined || body.allowed_values === null ? [] : arrayBody(body.allowed_values, "'allowed_values'")
        const picklist = dataType === DATA_TYPES.comboBox || dataType === DATA_TYPES.checkBox || dataType === DATA_TYPES.multiSelect
        if (!picklist && valuesInput.length > 0) return fail(400, `A field of data_type ${dataType} has no allowed values`)
        const id = state.fieldIds.next()
        const field: Field = {
          id,
          objectType,
          label,
          originalName: label,
          dataType,
          required: optBoolean(body, "required") ?? false,
          multiple,
          systemField: false,
          isActive: optBoolean(body, "is_active") ?? true,
          order: siblings.reduce((max, f) => Math.max(max, f.order), 0) + 1,
          searchable: optBoolean(body, "searchable") ?? true,
          allowedValues: newValues(state, valuesInput, [])
        }
        state.fields.set(id, field)
        return json(201, render.field(field))
      }
    },
    {
      method: "GET",
      template: `${BASE}/{fieldId}`,
      handler: (ctx) => json(200, render.fieldDetail(fieldOf(env.state(), objectTypeOf(ctx.params.objectType), ctx.params.fieldId)))
    },
    {
      method: "GET",
      template: `${BASE}/{fieldId}/allowed-values`,
      handler: (ctx) => {
        const state = env.state()
        const field = fieldOf(state, objectTypeOf(ctx.params.objectType), ctx.params.fieldId)
        const request = pageRequest(ctx.query, "pageSize", 100, 999)
        if (field.dataType === DATA_TYPES.userList) {
          const users = state.users.values().sort((a, b) => a.id - b.id)
          return json(
            200,
            slicePage(users, request).map((u, i) => render.allowedValue({ value: u.id, label: `${u.firstName} ${u.lastName}`.trim() || u.username, order: i + 1, isDefault: false, isActive: true }))
          )
        }
        if (!isPicklist(field)) return fail(400, `Field '${field.label}' (${field.id}) has no allowed values`)
        return json(200, slicePage(field.allowedValues, request).map(render.allowedValue))
      }
    },
    {
      method: "POST",
      template: `${BASE}/{fieldId}/allowed-values`,
      handler: (ctx) => {
        const state = env.state()
        const field = fieldOf(state, objectTypeOf(ctx.params.objectType), ctx.params.fieldId)
        if (!isPicklist(field)) return fail(400, `Field '${field.label}' (${field.id}) is not a picklist: it has no allowed values`)
        const input = arrayBody(ctx.body)
        if (input.length === 0) return fail(400, "The body must hold at least one allowed value")
        if (input.length > MAX_VALUES_PER_CALL) return fail(400, `At most ${MAX_VALUES_PER_CALL} allowed values can be created per call, got ${input.length}`)
        const added = newValues(state, input, field.allowedValues)
        state.fields.set(field.id, { ...field, allowedValues: [...field.allowedValues, ...added] })
        return json(201, { links: [], total: added.length, items: added.map(render.allowedValue) })
      }
    }
  ]
}
