/**
 * Zephyr custom fields (canonical CustomField rows) → properties of one qTest object type. The label is the
 * field's name, or its rename in maps.customFields. The exact Zephyr value (`value_json`) is what is mapped, so a
 * multi-select keeps its list and a checkbox its boolean; USER values are resolved through maps.users.
 * Fields are added in name order, so a collision is reported the same way on every run.
 */
import type { CustomField } from "./canonical.ts"
import type { PropertyList } from "./PropertyList.ts"
import type { FieldObjectType, Vocabulary } from "./Vocabulary.ts"

/** The value of a custom field as Zephyr gave it: `value_json`, else the text. */
export const customFieldValue = (field: CustomField): unknown => (field.value_json !== undefined ? field.value_json : field.field_value)

export const addCustomFieldProperties = (
  properties: PropertyList,
  objectType: FieldObjectType,
  fields: ReadonlyArray<CustomField>,
  vocab: Vocabulary,
  object: string
): void => {
  for (const f of [...fields].sort((a, b) => (a.field_name < b.field_name ? -1 : a.field_name > b.field_name ? 1 : 0))) {
    const label = vocab.customFieldLabel(f.field_name)
    properties.add(vocab.fieldValue(objectType, label, customFieldValue(f), object, f.field_type === "USER" ? "user" : "auto"), `custom field "${f.field_name}"`)
  }
}
