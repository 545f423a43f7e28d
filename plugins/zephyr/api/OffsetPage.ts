/**
 * The offset-paging envelope of every list endpoint. Only `startAt` and `maxResults` are required by the spec;
 * `total`, `isLast` and `next` may be absent (and `next` null). `values` stay raw: each item is decoded on its
 * own so that one malformed record is quarantined instead of failing the page.
 */
import { Schema } from "effect"

export const OffsetPage = Schema.Struct({
  startAt: Schema.Number,
  maxResults: Schema.Number,
  total: Schema.optional(Schema.NullOr(Schema.Number)),
  isLast: Schema.optional(Schema.NullOr(Schema.Boolean)),
  next: Schema.optional(Schema.NullOr(Schema.String)),
  values: Schema.Array(Schema.Unknown)
})
export type OffsetPage = typeof OffsetPage.Type
