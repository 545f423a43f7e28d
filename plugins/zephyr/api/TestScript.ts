/** `GET /testcases/{key}/testscript`: the text of a plain-text or BDD case (`type` is lower-case in the API). */
import { Schema } from "effect"
import { ZephyrId } from "./ZephyrIds.ts"

export const TestScript = Schema.Struct({
  id: Schema.optional(Schema.NullOr(ZephyrId)),
  type: Schema.Literal("plain", "bdd"),
  text: Schema.String
})
export type TestScript = typeof TestScript.Type
