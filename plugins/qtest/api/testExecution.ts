/**
 * Test Plan and Test Execution: releases, test cycles, test runs, test logs and the queued automation-log jobs
 * (mirrors client/releases.ts, testCycles.ts, testRuns.ts and testLogs.ts).
 */
import { Schema } from "effect"
import { Links, Properties, QtestId, nullable } from "./common.ts"
import { StatusRef } from "./fields.ts"
import { Attachment } from "./testDesign.ts"

/** A release (`ReleaseWithCustomFieldResource`, pid `RL-n`): a Test Plan node that test cycles may sit under. */
export const Release = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  description: nullable(Schema.String),
  note: nullable(Schema.String),
  start_date: nullable(Schema.String),
  end_date: nullable(Schema.String),
  properties: Properties,
  web_url: nullable(Schema.String),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  links: Links
})
export type Release = typeof Release.Type

/**
 * A Test Execution folder (`TestCycleResource`, pid `CL-n`). With `expand=descendants` the subtree is nested
 * under the hyphenated key `test-cycles`, so the schema is recursive. Test suites are not migrated: their
 * entries stay undecoded.
 */
const testCycleFields = {
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  description: nullable(Schema.String),
  target_release_id: nullable(QtestId),
  target_build_id: nullable(QtestId),
  web_url: nullable(Schema.String),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  "test-suites": nullable(Schema.Array(Schema.Unknown)),
  links: Links
}

export interface TestCycle extends Schema.Struct.Type<typeof testCycleFields> {
  readonly "test-cycles"?: ReadonlyArray<TestCycle> | null | undefined
}
export interface TestCycleEncoded extends Schema.Struct.Encoded<typeof testCycleFields> {
  readonly "test-cycles"?: ReadonlyArray<TestCycleEncoded> | null | undefined
}

export const TestCycle = Schema.Struct({
  ...testCycleFields,
  "test-cycles": nullable(Schema.Array(Schema.suspend((): Schema.Schema<TestCycle, TestCycleEncoded> => TestCycle)))
})

/** Where a test cycle or run sits: `root` (id 0), a release, a test cycle (or, for runs, a test suite). */
export type ParentType = "root" | "release" | "test-cycle" | "test-suite"

/**
 * A test run (`TestRunWithCustomFieldResource`, pid `TR-n`): one test case version placed under a release,
 * cycle or suite. `test_case` is the case as the run sees it (often just its id, name and pid);
 * `latest_test_log` summarises the last execution.
 */
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

/**
 * An execution result (`TestLogResource`) and its step results (`TestStepLogResource`). The swagger requires
 * `status` and both execution dates on a log; a step log's status is an object like the log's.
 */
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

/**
 * A queued batch job (`QueueProcessingResponse`), from `POST …/auto-test-logs` and `GET …/queue-processing/{id}`.
 * States: IN_WAITING, IN_PROCESSING, PENDING, then SUCCESS or FAILED. `content` is a JSON *string* whose shape is
 * undocumented for the tree endpoint: on FAILED it carries the error text; nothing else relies on it.
 */
export const QueueProcessingResponse = Schema.Struct({
  id: QtestId,
  /** Kept a string: an unknown state is treated as "not finished", not as a decode error. */
  state: Schema.String,
  type: nullable(Schema.String),
  contentType: nullable(Schema.String),
  content: nullable(Schema.String)
})
export type QueueProcessingResponse = typeof QueueProcessingResponse.Type

export const isTerminalState = (state: string): state is "SUCCESS" | "FAILED" => state === "SUCCESS" || state === "FAILED"
