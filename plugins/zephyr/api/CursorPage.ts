/**
 * The envelope of the cursor ("NextGen") list endpoints — `/testcases|testcycles|testplans|testexecutions/nextgen`:
 * `{next, nextStartAtId, limit, values}`, no total and no isLast; the last page has `next: null`. Only `values`
 * is certain; the rest is optional so that a server omitting a field is handled by the client's stop rule
 * (`nextCursor`) rather than rejected. `values` stay raw: each item is decoded (or quarantined) on its own.
 */
import { Schema } from "effect"

export const CursorPage = Schema.Struct({
  next: Schema.optional(Schema.NullOr(Schema.String)),
  nextStartAtId: Schema.optional(Schema.NullOr(Schema.Number)),
  limit: Schema.optional(Schema.NullOr(Schema.Number)),
  values: Schema.Array(Schema.Unknown)
})
export type CursorPage = typeof CursorPage.Type
