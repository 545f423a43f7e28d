/**
 * A field value as qTest returns it (`PropertyResource`): the id and raw value we sent, plus the field's name
 * and, for picklists, the value's label. Only `field_id` is required by the swagger.
 */
import { Schema } from "effect"
import { nullable } from "./nullable.ts"

export const Property = Schema.Struct({
  field_id: Schema.Int,
  field_name: nullable(Schema.String),
  field_value: nullable(Schema.String),
  field_value_name: nullable(Schema.String)
})
export type Property = typeof Property.Type

export const Properties = nullable(Schema.Array(Property))
