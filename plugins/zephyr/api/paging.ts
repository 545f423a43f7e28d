/** The two list envelopes: offset pages (every list endpoint) and cursor pages (the `/nextgen` endpoints). */
import { Schema } from "effect"

/**
 * The offset-paging envelope of every list endpoint. Only `startAt` and `maxResults` are required by the spec;
 * `total`, `isLast` and `next` may be absent (and `next` null). `values` stay raw: each item is decoded on its
 * own so that one malformed record is quarantined instead of failing the page.
 */
export const OffsetPage = Schema.Struct({
  startAt: Schema.Number,
  maxResults: Schema.Number,
  total: Schema.optional(Schema.NullOr(Schema.Number)),
  isLast: Schema.optional(Schema.NullOr(Schema.Boolean)),
  next: Schema.optional(Schema.NullOr(Schema.String)),
  values: Schema.Array(Schema.Unknown)
})
export type OffsetPage = typeof OffsetPage.Type

/**
 * The envelope of the cursor ("NextGen") list endpoints — `/testcases|testcycles|testplans|testexecutions/nextgen`:
 * `{next, nextStartAtId, limit, values}`, no total and no isLast; the last page has `next: null`. Only `values`
 * is certain; the rest is optional so that a server omitting a field is handled by the client's stop rule
 * (`nextCursor`) rather than rejected. `values` stay raw: each item is decoded (or quarantined) on its own.
 */
export const CursorPage = Schema.Struct({
  next: Schema.optional(Schema.NullOr(Schema.String)),
  nextStartAtId: Schema.optional(Schema.NullOr(Schema.Number)),
  limit: Schema.optional(Schema.NullOr(Schema.Number)),
  values: Schema.Array(Schema.Unknown)
})
export type CursorPage = typeof CursorPage.Type
