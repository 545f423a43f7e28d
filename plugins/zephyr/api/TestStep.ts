/**
 * `GET /testcases/{key}/teststeps` items: either `inline` content or a call to another test case (`testCase`,
 * with parameters), never both. The step `id` may be missing; mapping derives one (CANONICAL.md).
 */
import { Schema } from "effect"
import { CustomFields } from "./CustomFields.ts"
import { ZephyrId, ZephyrTestCaseKey } from "./ZephyrIds.ts"

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
