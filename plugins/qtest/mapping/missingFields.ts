/**
 * The fields and picklist values to create before loading, from the data's needs (fieldNeeds.ts) and the
 * project's field settings (Vocabulary). With `createMissingFields: false` only the recovery keys (the needs
 * marked `always`: Zephyr Key, Zephyr Execution Key) are planned; everything else that is missing surfaces as
 * mapping gaps when the bodies are built.
 *
 * - A missing field → `POST …/settings/{objectType}/fields` with its first ≤ 100 allowed values (picklists
 *   only; `multiple: true` for multi-select and check box), then `POST …/fields/{id}/allowed-values` for the
 *   remaining values in chunks of ≤ 100 (qTest's per-call maximum).
 * - An existing picklist lacking values → the missing values in chunks of ≤ 100. A value that exists but is
 *   inactive is not created again (the gap tells the user to activate it).
 * - Test-step fields are never created (the API does not allow it).
 * Fields are resolved by label (case-insensitive); an existing field keeps its type, whatever ours would be.
 */
import type { AllowedValueBody, FieldBody } from "../api/requests.ts"
import { DataType, fieldKind } from "./FieldDataType.ts"
import type { FieldNeed, NeededValue } from "./fieldNeeds.ts"
import { nameKey, type FieldObjectType, type Vocabulary } from "./Vocabulary.ts"

export const ALLOWED_VALUES_PER_CALL = 100

export interface FieldToCreate {
  readonly objectType: FieldObjectType
  /** The body of the create call, with the first ≤ 100 allowed values. */
  readonly body: FieldBody
  /** Further allowed values, ≤ 100 per call, to add once the field exists. */
  readonly moreValues: ReadonlyArray<ReadonlyArray<AllowedValueBody>>
  /** A recovery key, created even with createMissingFields: false. */
  readonly always: boolean
}

export interface ValuesToAdd {
  readonly objectType: FieldObjectType
  readonly fieldId: number
  readonly label: string
  readonly chunks: ReadonlyArray<ReadonlyArray<AllowedValueBody>>
}

export interface MissingFields {
  readonly create: ReadonlyArray<FieldToCreate>
  readonly addValues: ReadonlyArray<ValuesToAdd>
}

export const chunk = <A>(items: ReadonlyArray<A>, size: number): ReadonlyArray<ReadonlyArray<A>> => {
  const chunks: Array<ReadonlyArray<A>> = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}

/** The labels a needed value matches (the first is the one created). */
const valueLabels = (value: NeededValue): ReadonlyArray<string> => (value === true ? ["Yes", "True"] : value === false ? ["No", "False"] : [value])

const isPicklistType = (dataType: number): boolean => dataType === DataType.ComboBox || dataType === DataType.CheckBox || dataType === DataType.MultiSelect

export const missingFields = (needs: ReadonlyArray<FieldNeed>, vocab: Vocabulary, options: { readonly createMissingFields: boolean }): MissingFields => {
  const create: Array<FieldToCreate> = []
  const addValues: Array<ValuesToAdd> = []
  for (const need of needs) {
    if (need.objectType === "test-steps") continue
    if (!options.createMissingFields && !need.always) continue
    const existing = vocab.field(need.objectType, need.label)
    if (existing === undefined) {
      // a yes/no field is created with both answers, whichever the data happened to use
      const wanted = need.values.some((v) => typeof v === "boolean") ? [...need.values, true, false] : need.values
      const values = isPicklistType(need.dataType) ? dedupe(wanted.map((v) => valueLabels(v)[0] ?? "")).map((label): AllowedValueBody => ({ label })) : []
      const [first = [], ...rest] = chunk(values, ALLOWED_VALUES_PER_CALL)
      const multiple = need.dataType === DataType.MultiSelect || need.dataType === DataType.CheckBox
      create.push({
        objectType: need.objectType,
        body: { label: need.label, data_type: need.dataType, ...(multiple ? { multiple: true } : {}), ...(first.length > 0 ? { allowed_values: first } : {}) },
        moreValues: rest,
        always: need.always
      })
      continue
    }
    const kind = fieldKind(existing)
    if (kind !== "picklist" && kind !== "multiPicklist") continue
    const present = new Set((existing.allowed_values ?? []).map((v) => nameKey(v.label)))
    const missing = dedupe(need.values.filter((v) => !valueLabels(v).some((l) => present.has(nameKey(l)))).map((v) => valueLabels(v)[0] ?? ""))
    if (missing.length > 0)
      addValues.push({
        objectType: need.objectType,
        fieldId: existing.id,
        label: existing.label,
        chunks: chunk(missing.map((label): AllowedValueBody => ({ label })), ALLOWED_VALUES_PER_CALL)
      })
  }
  return { create, addValues }
}

const dedupe = (labels: ReadonlyArray<string>): ReadonlyArray<string> => {
  const seen = new Set<string>()
  return labels.filter((l) => {
    const key = nameKey(l)
    if (key === "" || seen.has(key)) return false
    seen.add(key)
    return true
  })
}
