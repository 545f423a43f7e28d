/**
 * An execution result (`TestLogResource`) and its step results (`TestStepLogResource`). The swagger requires
 * `status` and both execution dates on a log; a step log's status is an object like the log's.
 */
import { Schema } from "effect"
import { Attachment } from "./Attachment.ts"
import { StatusRef } from "./ExecutionStatus.ts"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { Properties } from "./Property.ts"
import { QtestId } from "./QtestId.ts"

export const TestStepLog = Schema.Struct({
  test_step_id: nullable(QtestId),
  test_step_log_id: nullable(QtestId),
  user_id: nullable(QtestId),
  status: nullable(StatusRef),
  description: nullable(Schema.String),
  expected_result: nullable(Schema.String),
  actual_result: nullable(Schema.String),
  order: nullable(Schema.Int),
  group: nullable(Schema.Int),
  called_test_case_id: nullable(QtestId),
  called_test_case_name: nullable(Schema.String),
  parent_test_step_id: nullable(QtestId),
  exe_date: nullable(Schema.String),
  attachments: nullable(Schema.Array(Attachment)),
  links: Links
})
export type TestStepLog = typeof TestStepLog.Type

export const TestLog = Schema.Struct({
  id: QtestId,
  status: StatusRef,
  exe_start_date: Schema.String,
  exe_end_date: Schema.String,
  test_run_id: nullable(QtestId),
  test_case_version_id: nullable(QtestId),
  name: nullable(Schema.String),
  note: nullable(Schema.String),
  planned_exe_time: nullable(Schema.Number),
  actual_exe_time: nullable(Schema.Number),
  build_number: nullable(Schema.String),
  build_url: nullable(Schema.String),
  result_number: nullable(Schema.Int),
  properties: Properties,
  test_step_logs: nullable(Schema.Array(TestStepLog)),
  attachments: nullable(Schema.Array(Attachment)),
  links: Links
})
export type TestLog = typeof TestLog.Type
