/** What hangs off a record: its `links` block (Jira issues, web links, a plan's cycles) and its attachments. */
import { Schema } from "effect"
import { ZephyrId } from "./common.ts"

/**
 * The `links` block of test cases, plans, cycles and executions: Jira issue coverage, web links, and a plan's
 * cycles. `type` is kept as a string (COVERAGE | BLOCKS | RELATED today) so a new relation is carried, not
 * rejected.
 */
export const IssueLink = Schema.Struct({
  id: ZephyrId,
  self: Schema.optional(Schema.NullOr(Schema.String)),
  issueId: Schema.Int,
  target: Schema.optional(Schema.NullOr(Schema.String)),
  type: Schema.String
})
export type IssueLink = typeof IssueLink.Type

export const WebLink = Schema.Struct({
  id: ZephyrId,
  self: Schema.optional(Schema.NullOr(Schema.String)),
  url: Schema.String,
  description: Schema.optional(Schema.NullOr(Schema.String)),
  type: Schema.String
})
export type WebLink = typeof WebLink.Type

export const TestCycleLink = Schema.Struct({
  id: ZephyrId,
  self: Schema.optional(Schema.NullOr(Schema.String)),
  testCycleId: ZephyrId,
  type: Schema.String,
  target: Schema.optional(Schema.NullOr(Schema.String))
})
export type TestCycleLink = typeof TestCycleLink.Type

/** Absent arrays mean "none": decoded as optional and read with `?? []`. */
export const LinkList = <A, I>(item: Schema.Schema<A, I>) => Schema.optional(Schema.NullOr(Schema.Array(item)))

/**
 * `GET /testcases/{key}/attachments` and `/testexecutions/{id}/attachments`: `{attachments:[{id,name}]}`.
 * The envelope is decoded strictly, each entry on its own (a malformed entry is quarantined).
 */
export const AttachmentList = Schema.Struct({
  attachments: Schema.Array(Schema.Unknown)
})
export type AttachmentList = typeof AttachmentList.Type

export const AttachmentEntry = Schema.Struct({
  id: ZephyrId,
  name: Schema.String
})
export type AttachmentEntry = typeof AttachmentEntry.Type
