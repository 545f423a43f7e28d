/**
 * Custom field values inline on an entity, keyed by the field's display name. There is no definition endpoint,
 * so values stay `unknown` here and their type is inferred when mapping (mapping/mapCustomFields.ts).
 */
import { Schema } from "effect"

export const CustomFields = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type CustomFields = typeof CustomFields.Type
