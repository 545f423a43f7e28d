/**
 * A test run (`TestRunWithCustomFieldResource`, pid `TR-n`): one test case version placed under a release,
 * cycle or suite. `test_case` is the case as the run sees it (often just its id, name and pid);
 * `latest_test_log` summarises the last execution.
 */
import { Schema } from "effect"
import { StatusRef } from "./ExecutionStatus.ts"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { Properties } from "./Property.ts"
import { QtestId } from "./QtestId.ts"

export const TestRunCase = Schema.Struct({
  id: QtestId,
  pid: nullable(Schema.String),
  name: nullable(Schema.String),
  test_case_version_id: nullable(QtestId),
  version: nullable(Schema.String)
})
export type TestRunCase = typeof TestRunCase.Type

/** `ShortTestLogResource`: the swagger gives `status` as a string, sites send the status object; both decode. */
export const LatestTestLog = Schema.Struct({
  id: nullable(QtestId),
  status: nullable(Schema.Union(Schema.String, StatusRef)),
  exe_start_date: nullable(Schema.String),
  exe_end_date: nullable(Schema.String)
})
export type LatestTestLog = typeof LatestTestLog.Type

export const TestRun = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  parentId: nullable(Schema.Int),
  parentType: nullable(Schema.String),
  properties: Properties,
  test_case: nullable(TestRunCase),
  test_case_version_id: nullable(QtestId),
  test_case_version: nullable(Schema.String),
  creator_id: nullable(QtestId),
  latest_test_log: nullable(LatestTestLog),
  web_url: nullable(Schema.String),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  links: Links
})
export type TestRun = typeof TestRun.Type
