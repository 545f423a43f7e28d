/** Test cases and what is read per case: steps, script (versions are only counted, from an offset page). */
import { Schema } from "effect"
import { CustomFields, EntityLink, JiraLink, JiraUserLink, ZephyrId, ZephyrTestCaseKey } from "./common.ts"
import { IssueLink, LinkList, WebLink } from "./links.ts"

/**
 * `GET /testcases` items. The spec requires id, key, name, project, priority and status; everything else is
 * optional or null on real tenants. `objective` and `precondition` are HTML and stay untouched.
 */
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

/**
 * `GET /testcases/{key}/teststeps` items: either `inline` content or a call to another test case (`testCase`,
 * with parameters), never both. The step `id` may be missing; mapping derives one (CANONICAL.md).
 */
export const StepParameter = Schema.Struct({
  name: Schema.String,
  type: Schema.Literal("MANUAL_INPUT", "DEFAULT_VALUE"),
  value: Schema.optional(Schema.NullOr(Schema.String))
})
export type StepParameter = typeof StepParameter.Type

export const InlineStep = Schema.Struct({
  description: Schema.optional(Schema.NullOr(Schema.String)),
  testData: Schema.optional(Schema.NullOr(Schema.String)),
  expectedResult: Schema.optional(Schema.NullOr(Schema.String)),
  customFields: Schema.optional(Schema.NullOr(CustomFields)),
  reflectRef: Schema.optional(Schema.NullOr(Schema.String))
})

export const CallToTest = Schema.Struct({
  self: Schema.optional(Schema.NullOr(Schema.String)),
  testCaseKey: ZephyrTestCaseKey,
  parameters: Schema.optional(Schema.NullOr(Schema.Array(StepParameter)))
})

export const TestStep = Schema.Struct({
  id: Schema.optional(Schema.NullOr(ZephyrId)),
  inline: Schema.optional(Schema.NullOr(InlineStep)),
  testCase: Schema.optional(Schema.NullOr(CallToTest))
}).pipe(
  Schema.filter((s) => (s.inline == null) !== (s.testCase == null) || "a step has exactly one of `inline` or `testCase`")
)
export type TestStep = typeof TestStep.Type

/** `GET /testcases/{key}/testscript`: the text of a plain-text or BDD case (`type` is lower-case in the API). */
export const TestScript = Schema.Struct({
  id: Schema.optional(Schema.NullOr(ZephyrId)),
  type: Schema.Literal("plain", "bdd"),
  text: Schema.String
})
export type TestScript = typeof TestScript.Type
