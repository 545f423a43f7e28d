/**
 * A test step (`TestStepResource`), inside a test case read with `expand=teststep` or a version's steps. A
 * call-to-test step carries `called_test_case_id`; the steps it expands to carry `parent_test_step_id`.
 */
import { Schema } from "effect"
import { Attachment } from "./Attachment.ts"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

export const TestStep = Schema.Struct({
  id: QtestId,
  description: nullable(Schema.String),
  expected: nullable(Schema.String),
  order: nullable(Schema.Int),
  group: nullable(Schema.Int),
  called_test_case_id: nullable(QtestId),
  called_test_case_name: nullable(Schema.String),
  root_called_test_case_id: nullable(QtestId),
  parent_test_step_id: nullable(QtestId),
  parameter_values: nullable(Schema.Array(Schema.String)),
  plain_value_text: nullable(Schema.String),
  attachments: nullable(Schema.Array(Attachment)),
  links: Links
})
export type TestStep = typeof TestStep.Type
