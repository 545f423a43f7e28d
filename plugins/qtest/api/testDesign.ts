/**
 * Test Design and what hangs off it: modules, test cases and their steps, attachments, search items and
 * requirements (mirrors client/modules.ts, testCases.ts, attachments.ts, search.ts and requirements.ts).
 */
import { Schema } from "effect"
import { Links, Properties, QtestId, nullable } from "./common.ts"

/**
 * A Test Design folder (`ModuleResource`). With `expand=descendants` the server nests the subtree in
 * `children`, so the schema is recursive.
 */
const moduleFields = {
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  /** Absent or null for a root module. */
  parent_id: nullable(QtestId),
  description: nullable(Schema.String),
  shared: nullable(Schema.Boolean),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  links: Links
}

export interface Module extends Schema.Struct.Type<typeof moduleFields> {
  readonly children?: ReadonlyArray<Module> | null | undefined
}
export interface ModuleEncoded extends Schema.Struct.Encoded<typeof moduleFields> {
  readonly children?: ReadonlyArray<ModuleEncoded> | null | undefined
}

export const Module = Schema.Struct({
  ...moduleFields,
  children: nullable(Schema.Array(Schema.suspend((): Schema.Schema<Module, ModuleEncoded> => Module)))
})

/** An attachment (`AttachmentResource`): the blob-handles upload answer and the items of `…/attachments`. */
export const Attachment = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  content_type: nullable(Schema.String),
  web_url: nullable(Schema.String),
  created_date: nullable(Schema.String),
  /** The object the attachment belongs to. */
  artifact_id: nullable(QtestId),
  links: Links
})
export type Attachment = typeof Attachment.Type

/**
 * A test step (`TestStepResource`), inside a test case read with `expand=teststep` or a version's steps. A
 * call-to-test step carries `called_test_case_id`; the steps it expands to carry `parent_test_step_id`.
 */
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

/**
 * A test case (`TestCaseWithCustomFieldResource`): create/update/approve answers, list items and version
 * entries. `version` is the display version ("0.1", "1.0"); `test_case_version_id` identifies that version and
 * is what runs and logs refer to. Steps come only with `expand=teststep` (or `expandSteps=true` on lists).
 */
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

/**
 * An item of `POST …/search`: the object's own resource shape, which varies by `object_type`. What every type
 * shares is decoded here (enough to find an object again by name or by a field holding its Zephyr key); the
 * type-specific decoders (TestCase, TestRun, Requirement, …) apply to the same items when more is needed.
 */
export const SearchItem = Schema.Struct({
  id: QtestId,
  pid: nullable(Schema.String),
  name: nullable(Schema.String),
  parent_id: nullable(Schema.Int),
  properties: Properties,
  web_url: nullable(Schema.String),
  links: Links
})
export type SearchItem = typeof SearchItem.Type

/** The object types `POST …/search` accepts. */
export type SearchObjectType =
  | "requirements"
  | "test-cases"
  | "test-runs"
  | "test-suites"
  | "test-cycles"
  | "test-logs"
  | "builds"
  | "releases"
  | "defects"

/**
 * A requirement (`RequirementResource`, pid `RQ-n`) — for a Jira-integrated project, the synced copy of a Jira
 * issue, whose name contains the issue key — and the answer of linking test cases to one.
 */
export const Requirement = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  pid: nullable(Schema.String),
  order: nullable(Schema.Int),
  parent_id: nullable(QtestId),
  properties: Properties,
  web_url: nullable(Schema.String),
  external_properties: nullable(
    Schema.Struct({ id: nullable(Schema.String), link: nullable(Schema.String), unique_id: nullable(Schema.String) })
  ),
  created_date: nullable(Schema.String),
  last_modified_date: nullable(Schema.String),
  links: Links
})
export type Requirement = typeof Requirement.Type

/** `POST …/requirements/{id}/link?type=test-cases` answers, per source object, the objects now linked. */
export const LinkedObjects = Schema.Struct({
  id: QtestId,
  pid: nullable(Schema.String),
  objects: Schema.Array(
    Schema.Struct({
      id: QtestId,
      pid: nullable(Schema.String),
      link_type: nullable(Schema.String),
      self: nullable(Schema.String)
    })
  )
})
export type LinkedObjects = typeof LinkedObjects.Type
