/** `GET /priorities` items: read as an id → name lookup. */
import { Schema } from "effect"
import { ZephyrId } from "./ZephyrIds.ts"

export const Priority = Schema.Struct({
  id: ZephyrId,
  name: Schema.String,
  description: Schema.optional(Schema.NullOr(Schema.String)),
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  color: Schema.optional(Schema.NullOr(Schema.String)),
  default: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Priority = typeof Priority.Type
