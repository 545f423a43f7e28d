/**
 * qTest field data types (swagger, POST …/settings/{objectType}/fields) and how a value of each is written in
 * `properties[].field_value` (always a string). The README quotes this table:
 *
 * | data_type | kind             | field_value written                                             |
 * |-----------|------------------|-----------------------------------------------------------------|
 * | 1, 2      | text box / area  | plain text (HTML converted to text; arrays joined with ", ")    |
 * | 6         | rich text        | HTML (plain text converted; `[~` escaped)                       |
 * | 12        | URL              | the text as is                                                   |
 * | 3         | combo box        | the allowed value's `value` id, e.g. "701"                       |
 * | 8, 17     | check box, multi | a JSON array of allowed value ids, sorted, no spaces: "[701,702]" |
 * | 5         | user list        | the qTest user id, "42" (`[42,43]` when the field is multiple)   |
 * | 4, 9      | date, date-time  | ISO 8601 UTC with milliseconds, "2024-03-01T00:00:00.000Z"       |
 * | 7         | number           | the decimal number, "1.5"                                        |
 *
 * Any other data type is treated as a combo box when the field has allowed values, else as a text box.
 */

export const DataType = {
  TextBox: 1,
  TextArea: 2,
  ComboBox: 3,
  Date: 4,
  UserList: 5,
  RichText: 6,
  Number: 7,
  CheckBox: 8,
  DateTime: 9,
  Url: 12,
  MultiSelect: 17
} as const

export type FieldKind = "text" | "richText" | "url" | "picklist" | "multiPicklist" | "user" | "multiUser" | "date" | "number"

/** What `fieldKind` needs of a field setting (qTest's FieldResource, decoded or not). */
export interface FieldShape {
  readonly data_type?: number | null | undefined
  readonly multiple?: boolean | null | undefined
  readonly allowed_values?: ReadonlyArray<unknown> | null | undefined
}

export const fieldKind = (field: FieldShape): FieldKind => {
  switch (field.data_type) {
    case DataType.TextBox:
    case DataType.TextArea:
      return "text"
    case DataType.RichText:
      return "richText"
    case DataType.Url:
      return "url"
    case DataType.ComboBox:
      return field.multiple === true ? "multiPicklist" : "picklist"
    case DataType.CheckBox:
      return field.multiple === false ? "picklist" : "multiPicklist"
    case DataType.MultiSelect:
      return "multiPicklist"
    case DataType.UserList:
      return field.multiple === true ? "multiUser" : "user"
    case DataType.Date:
    case DataType.DateTime:
      return "date"
    case DataType.Number:
      return "number"
    default:
      return (field.allowed_values?.length ?? 0) > 0 ? (field.multiple === true ? "multiPicklist" : "picklist") : "text"
  }
}

/** A list of ids as qTest's multi-value fields take it: "[1,2]" (sorted, unique). */
export const idList = (ids: ReadonlyArray<number>): string => `[${[...new Set(ids)].sort((a, b) => a - b).join(",")}]`

/** Reads "[1, 2]", "[1,2]" or "1,2" back into ids; undefined when it is not a list of integers. */
export const parseIdList = (text: string): ReadonlyArray<number> | undefined => {
  const inner = text.trim().replace(/^\[/, "").replace(/\]$/, "").trim()
  if (inner === "") return []
  const parts = inner.split(",").map((p) => p.trim())
  if (!parts.every((p) => /^-?\d+$/.test(p))) return undefined
  return parts.map(Number)
}
