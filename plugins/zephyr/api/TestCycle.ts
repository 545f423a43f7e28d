/**
 * `GET /testcycles` items. A cycle has no `createdOn`. Its `links.testPlans` is the same relation as a plan's
 * `links.testCycles` seen from the other side, so it is decoded loosely and not mapped (the plan emits it).
 */
import { Schema } from "effect"
import { CustomFields } from "./CustomFields.ts"
import { EntityLink, JiraLink, JiraUserLink } from "./EntityLink.ts"
import { IssueLink, LinkList, WebLink } from "./Links.ts"
import { ZephyrId } from "./ZephyrIds.ts"

export const TestCycle = Schema.Struct({
  id: ZephyrId,
  key: Schema.String,
  name: Schema.String,
  project: EntityLink,
  jiraProjectVersion: Schema.optional(Schema.NullOr(JiraLink)),
  status: Schema.optional(Schema.NullOr(EntityLink)),
  folder: Schema.optional(Schema.NullOr(EntityLink)),
  description: Schema.optional(Schema.NullOr(Schema.String)),
  plannedStartDate: Schema.optional(Schema.NullOr(Schema.String)),
  plannedEndDate: Schema.optional(Schema.NullOr(Schema.String)),
  owner: Schema.optional(Schema.NullOr(JiraUserLink)),
  customFields: Schema.optional(Schema.NullOr(CustomFields)),
  links: Schema.optional(
    Schema.NullOr(
      Schema.Struct({
        self: Schema.optional(Schema.NullOr(Schema.String)),
        issues: LinkList(IssueLink),
        webLinks: LinkList(WebLink),
        testPlans: Schema.optional(Schema.NullOr(Schema.Array(Schema.Unknown)))
      })
    )
  )
})
export type TestCycle = typeof TestCycle.Type
