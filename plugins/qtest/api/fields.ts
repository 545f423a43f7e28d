/** Field settings with their picklist values, and execution statuses (mirrors client/fields.ts). */
import { Schema } from "effect"
import { Links, QtestId, nullable } from "./common.ts"

/**
 * A field setting of an object type (`FieldResource`) with its picklist values (`AllowedValueResource`). Field
 * and value ids are per project: the sink resolves them by `label`/`original_name` at run time, never hard-codes.
 */
export const AllowedValue = Schema.Struct({
  /** What goes into `field_value` (as a string) for this choice. */
  value: Schema.Int,
  label: Schema.String,
  order: nullable(Schema.Int),
  is_default: nullable(Schema.Boolean),
  is_active: nullable(Schema.Boolean),
  color: nullable(Schema.String),
  links: Links
})
export type AllowedValue = typeof AllowedValue.Type

export const Field = Schema.Struct({
  id: QtestId,
  label: Schema.String,
  /** S2 (docs/vendors/qtest.md): String, LongText, DateTime, Number, Boolean, URL, ArrayNumber. */
  attribute_type: nullable(Schema.String),
  /** 1 text box, 2 text area, 3 combo box, 5 user list, 6 rich text, 7 number, 8 check box, 17 multi-select, … */
  data_type: nullable(Schema.Int),
  required: nullable(Schema.Boolean),
  constrained: nullable(Schema.Boolean),
  order: nullable(Schema.Int),
  multiple: nullable(Schema.Boolean),
  searchable: nullable(Schema.Boolean),
  default_value: nullable(Schema.String),
  system_field: nullable(Schema.Boolean),
  original_name: nullable(Schema.String),
  is_active: nullable(Schema.Boolean),
  allowed_values: nullable(Schema.Array(AllowedValue)),
  links: Links
})
export type Field = typeof Field.Type

/**
 * `POST …/allowed-values` answers `AllowedValueResponseResource` (`{total, items}`) per the swagger; the body
 * it takes is a bare array, and servers have echoed one back, so both shapes decode to the list of values.
 */
export const AllowedValuesCreated = Schema.Union(
  Schema.Array(AllowedValue),
  Schema.Struct({ total: nullable(Schema.Int), items: Schema.Array(AllowedValue) })
)
export type AllowedValuesCreated = typeof AllowedValuesCreated.Type

/**
 * A test run execution status (`StatusResource`, from `…/test-runs/execution-statuses`). Only 601 = Passed is
 * confirmed across sites: the sink reads this list and maps by name, never by a hard-coded id.
 */
export const ExecutionStatus = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  is_default: nullable(Schema.Boolean),
  color: nullable(Schema.String),
  active: nullable(Schema.Boolean),
  links: Links
})
export type ExecutionStatus = typeof ExecutionStatus.Type

/** A status as embedded in a log or step log: the id always, the rest when the server expands it. */
export const StatusRef = Schema.Struct({
  id: QtestId,
  name: nullable(Schema.String),
  color: nullable(Schema.String)
})
export type StatusRef = typeof StatusRef.Type
