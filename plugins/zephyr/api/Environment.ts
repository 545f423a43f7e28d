/** `GET /environments` items: read as an id → name lookup (archived ones too: old executions use them). */
import { Schema } from "effect"
import { ZephyrId } from "./ZephyrIds.ts"

export const Environment = Schema.Struct({
  id: ZephyrId,
  name: Schema.String,
  description: Schema.optional(Schema.NullOr(Schema.String)),
  index: Schema.optional(Schema.NullOr(Schema.Int)),
  archived: Schema.optional(Schema.NullOr(Schema.Boolean))
})
export type Environment = typeof Environment.Type
