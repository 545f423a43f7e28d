/**
 * How Zephyr refers to another entity: `{id, self}` (names are never included, they come from lookup lists),
 * and Jira users by accountId only. `self` is tolerated absent: nothing downstream needs it.
 */
import { Schema } from "effect"
import { ZephyrId } from "./ZephyrIds.ts"

export const EntityLink = Schema.Struct({
  id: ZephyrId,
  self: Schema.optional(Schema.NullOr(Schema.String))
})
export type EntityLink = typeof EntityLink.Type

/** A link into Jira (component, version): Jira's ids, not Zephyr's. */
export const JiraLink = Schema.Struct({
  id: Schema.Int,
  self: Schema.optional(Schema.NullOr(Schema.String))
})
export type JiraLink = typeof JiraLink.Type

export const JiraUserLink = Schema.Struct({
  accountId: Schema.String,
  self: Schema.optional(Schema.NullOr(Schema.String))
})
export type JiraUserLink = typeof JiraUserLink.Type
