/**
 * `GET /testexecutions` items. `testCase` links a specific *version* of a case: its `self` ends in
 * `/testcases/{key}/versions/{n}` and is the only place the key appears. Ad hoc executions have no `testCycle`.
 */
import { Schema } from "effect"
import { CustomFields } from "./CustomFields.ts"
import { EntityLink, JiraLink } from "./EntityLink.ts"
import { IssueLink, LinkList } from "./Links.ts"
import { ZephyrId } from "./ZephyrIds.ts"

export const TestExecution = Schema.Struct({
  id: ZephyrId,
  key: Schema.optional(Schema.NullOr(Schema.String)),
  project: EntityLink,
  testCase: EntityLink,
  environment: Schema.optional(Schema.NullOr(EntityLink)),
  jiraProjectVersion: Schema.optional(Schema.NullOr(JiraLink)),
  testExecutionStatus: EntityLink,
  actualEndDate: Schema.optional(Schema.NullOr(Schema.String)),
  estimatedTime: Schema.optional(Schema.NullOr(Schema.Int)),
  executionTime: Schema.optional(Schema.NullOr(Schema.Int)),
  executedById: Schema.optional(Schema.NullOr(Schema.String)),
  assignedToId: Schema.optional(Schema.NullOr(Schema.String)),
  comment: Schema.optional(Schema.NullOr(Schema.String)),
  automated: Schema.optional(Schema.NullOr(Schema.Boolean)),
  testCycle: Schema.optional(Schema.NullOr(EntityLink)),
  customFields: Schema.optional(Schema.NullOr(CustomFields)),
  links: Schema.optional(
    Schema.NullOr(
      Schema.Struct({
        self: Schema.optional(Schema.NullOr(Schema.String)),
        issues: LinkList(IssueLink)
      })
    )
  )
})
export type TestExecution = typeof TestExecution.Type
