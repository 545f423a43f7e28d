/** `GET /statuses` items: read as an id → name lookup (statuses of all four types share one id space). */
import { Schema } from "effect"
import { ZephyrId } from "./ZephyrIds.ts"

export const Status = Schema.Struct({
  id: ZephyrId,
  name: Schema.String,
  description: Schema.optional(Schema.NullOr(Schema.String)),
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  color: Schema.optional(Schema.NullOr(Schema.String)),
  archived: Schema.optional(Schema.NullOr(Schema.Boolean)),
  default: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Status = typeof Status.Type
