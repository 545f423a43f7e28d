/** `GET /testplans` items. Planned dates are accepted on create but not returned on read (qase README). */
import { Schema } from "effect"
import { CustomFields } from "./CustomFields.ts"
import { EntityLink, JiraUserLink } from "./EntityLink.ts"
import { IssueLink, LinkList, TestCycleLink, WebLink } from "./Links.ts"
import { ZephyrId } from "./ZephyrIds.ts"

export const TestPlan = Schema.Struct({
  id: ZephyrId,
  key: Schema.String,
  name: Schema.String,
  objective: Schema.optional(Schema.NullOr(Schema.String)),
  project: EntityLink,
  status: Schema.optional(Schema.NullOr(EntityLink)),
  folder: Schema.optional(Schema.NullOr(EntityLink)),
  owner: Schema.optional(Schema.NullOr(JiraUserLink)),
  customFields: Schema.optional(Schema.NullOr(CustomFields)),
  labels: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  links: Schema.optional(
    Schema.NullOr(
      Schema.Struct({
        self: Schema.optional(Schema.NullOr(Schema.String)),
        issues: LinkList(IssueLink),
        webLinks: LinkList(WebLink),
        testCycles: LinkList(TestCycleLink)
      })
    )
  )
})
export type TestPlan = typeof TestPlan.Type
