/**
 * `GET /testexecutions/{id}/teststeps` items: always inline (calls are already expanded by Zephyr), one block
 * per `testDataRowNumber` for data-driven cases.
 */
import { Schema } from "effect"
import { CustomFields } from "./CustomFields.ts"
import { EntityLink } from "./EntityLink.ts"
import { ZephyrId } from "./ZephyrIds.ts"

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
