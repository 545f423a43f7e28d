/**
 * A test case (`TestCaseWithCustomFieldResource`): create/update/approve answers, list items and version
 * entries. `version` is the display version ("0.1", "1.0"); `test_case_version_id` identifies that version and
 * is what runs and logs refer to. Steps come only with `expand=teststep` (or `expandSteps=true` on lists).
 */
import { Schema } from "effect"
import { Attachment } from "./Attachment.ts"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { Properties } from "./Property.ts"
import { QtestId } from "./QtestId.ts"
import { TestStep } from "./TestStep.ts"

export const TestCase = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  /** The module; "Created via API" when the case was created without one. */
  parent_id: nullable(QtestId),
  description: nullable(Schema.String),
  precondition: nullable(Schema.String),
  properties: Properties,
  test_steps: nullable(Schema.Array(TestStep)),
  test_case_version_id: nullable(QtestId),
  version: nullable(Schema.String),
  creator_id: nullable(QtestId),
  web_url: nullable(Schema.String),
  attachments: nullable(Schema.Array(Attachment)),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  links: Links
})
export type TestCase = typeof TestCase.Type
