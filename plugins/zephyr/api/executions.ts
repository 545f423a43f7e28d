/** Test plans, test cycles, test executions and the step results of an execution. */
import { Schema } from "effect"
import { CustomFields, EntityLink, JiraLink, JiraUserLink, ZephyrId } from "./common.ts"
import { IssueLink, LinkList, TestCycleLink, WebLink } from "./links.ts"

/** `GET /testplans` items. Planned dates are accepted on create but not returned on read (qase README). */
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

/**
 * `GET /testcycles` items. A cycle has no `createdOn`. Its `links.testPlans` is the same relation as a plan's
 * `links.testCycles` seen from the other side, so it is decoded loosely and not mapped (the plan emits it).
 */
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

/**
 * `GET /testexecutions` items. `testCase` links a specific *version* of a case: its `self` ends in
 * `/testcases/{key}/versions/{n}` and is the only place the key appears. Ad hoc executions have no `testCycle`.
 */
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

/**
 * `GET /testexecutions/{id}/teststeps` items: always inline (calls are already expanded by Zephyr), one block
 * per `testDataRowNumber` for data-driven cases.
 */
export const ExecutionStep = Schema.Struct({
  id: Schema.optional(Schema.NullOr(ZephyrId)),
  inline: Schema.Struct({
    description: Schema.optional(Schema.NullOr(Schema.String)),
    testData: Schema.optional(Schema.NullOr(Schema.String)),
    expectedResult: Schema.optional(Schema.NullOr(Schema.String)),
    actualResult: Schema.optional(Schema.NullOr(Schema.String)),
    testDataRowNumber: Schema.optional(Schema.NullOr(Schema.Int)),
    reflectRef: Schema.optional(Schema.NullOr(Schema.String)),
    status: Schema.optional(Schema.NullOr(EntityLink)),
    customFields: Schema.optional(Schema.NullOr(CustomFields))
  })
})
export type ExecutionStep = typeof ExecutionStep.Type
