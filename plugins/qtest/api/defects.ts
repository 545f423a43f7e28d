/**
 * Defects and the links of test logs to them (docs/vendors/qtest.md §4.14): the project's defect tracking
 * connections, the answer of `POST …/test-logs/{id}/defects` and the read of a log's links.
 */
import { Schema } from "effect"
import { QtestId, nullable } from "./common.ts"

/**
 * One of a project's external defect trackers (`DefectTrackingSystem` in S1, listed in the project's
 * `defect_tracking_systems`): `system_name` "JIRA" for a Jira connection.
 */
export const DefectTrackingSystem = Schema.Struct({
  id: nullable(Schema.Int),
  connection_name: nullable(Schema.String),
  url: nullable(Schema.String),
  system_name: nullable(Schema.String),
  active: nullable(Schema.Boolean)
})
export type DefectTrackingSystem = typeof DefectTrackingSystem.Type

/** A defect linked to a source object (`LinkedDefect`): `pid` / `external_defect_id` name it in the tracker. */
export const LinkedDefect = Schema.Struct({
  id: nullable(Schema.Int),
  pid: nullable(Schema.String),
  link_type: nullable(Schema.String),
  external_defect_id: nullable(Schema.String),
  connection_id: nullable(Schema.Int),
  external_project_id: nullable(Schema.String),
  summary: nullable(Schema.String),
  status: nullable(Schema.String)
})
export type LinkedDefect = typeof LinkedDefect.Type

/** `POST …/{objectType}/{objectId}/defects` answers, per source object, the defects linked (`LinkedDefectContainer`). */
export const LinkedDefectContainer = Schema.Struct({
  id: QtestId,
  objects: nullable(Schema.Array(LinkedDefect))
})
export type LinkedDefectContainer = typeof LinkedDefectContainer.Type

/** `GET …/linked-artifacts?type=…&ids=…` answers, per source object, what is linked to it (`LinkedArtifactContainer`). */
export const LinkedArtifactContainer = Schema.Struct({
  id: QtestId,
  pid: nullable(Schema.String),
  objects: nullable(
    Schema.Array(
      Schema.Struct({
        id: nullable(Schema.Int),
        pid: nullable(Schema.String),
        link_type: nullable(Schema.String),
        self: nullable(Schema.String)
      })
    )
  )
})
export type LinkedArtifactContainer = typeof LinkedArtifactContainer.Type
