/**
 * A requirement (`RequirementResource`, pid `RQ-n`) — for a Jira-integrated project, the synced copy of a Jira
 * issue, whose name contains the issue key — and the answer of linking test cases to one.
 */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { Properties } from "./Property.ts"
import { QtestId } from "./QtestId.ts"

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
