/** What every Zephyr Scale Cloud v2 body is made of: ids and keys, references to other entities, custom fields. */
import { Schema } from "effect"

/**
 * Zephyr's identifiers as distinct types: numeric ids (cases, cycles, executions, folders, statuses, …) and
 * test case keys (`PROJ-T12`). Branding keeps a key from being passed where an id is expected — the API
 * addresses test cases by key but everything else by id, an easy mix-up.
 */
export const ZephyrId = Schema.Int.pipe(Schema.nonNegative(), Schema.brand("ZephyrId"))
export type ZephyrId = typeof ZephyrId.Type

/** `.+-T[0-9]+` is the API's own pattern for test case keys. */
export const ZephyrTestCaseKey = Schema.String.pipe(
  Schema.pattern(/^.+-T[0-9]+$/, { message: () => "expected a test case key like PROJ-T12" }),
  Schema.brand("ZephyrTestCaseKey")
)
export type ZephyrTestCaseKey = typeof ZephyrTestCaseKey.Type

/**
 * How Zephyr refers to another entity: `{id, self}` (names are never included, they come from lookup lists),
 * and Jira users by accountId only. `self` is tolerated absent: nothing downstream needs it.
 */
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

/**
 * Custom field values inline on an entity, keyed by the field's display name. There is no definition endpoint,
 * so values stay `unknown` here and their type is inferred when mapping (mapping/mapCustomFields.ts).
 */
export const CustomFields = Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type CustomFields = typeof CustomFields.Type
