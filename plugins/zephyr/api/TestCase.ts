/**
 * `GET /testcases` items. The spec requires id, key, name, project, priority and status; everything else is
 * optional or null on real tenants. `objective` and `precondition` are HTML and stay untouched.
 */
import { Schema } from "effect"
import { CustomFields } from "./CustomFields.ts"
import { EntityLink, JiraLink, JiraUserLink } from "./EntityLink.ts"
import { IssueLink, LinkList, WebLink } from "./Links.ts"
import { ZephyrId, ZephyrTestCaseKey } from "./ZephyrIds.ts"

export const TestCase = Schema.Struct({
  id: ZephyrId,
  key: ZephyrTestCaseKey,
  name: Schema.String,
  project: EntityLink,
  createdOn: Schema.optional(Schema.NullOr(Schema.String)),
  objective: Schema.optional(Schema.NullOr(Schema.String)),
  precondition: Schema.optional(Schema.NullOr(Schema.String)),
  estimatedTime: Schema.optional(Schema.NullOr(Schema.Int)),
  labels: Schema.optional(Schema.NullOr(Schema.Array(Schema.String))),
  component: Schema.optional(Schema.NullOr(JiraLink)),
  priority: Schema.optional(Schema.NullOr(EntityLink)),
  status: Schema.optional(Schema.NullOr(EntityLink)),
  folder: Schema.optional(Schema.NullOr(EntityLink)),
  owner: Schema.optional(Schema.NullOr(JiraUserLink)),
  testScript: Schema.optional(Schema.NullOr(Schema.Struct({ self: Schema.optional(Schema.NullOr(Schema.String)) }))),
  customFields: Schema.optional(Schema.NullOr(CustomFields)),
  links: Schema.optional(
    Schema.NullOr(
      Schema.Struct({
        self: Schema.optional(Schema.NullOr(Schema.String)),
        issues: LinkList(IssueLink),
        webLinks: LinkList(WebLink)
      })
    )
  )
})
export type TestCase = typeof TestCase.Type
