/** Projects, users and the login (mirrors client/projects.ts and QtestAuth). */
import { Schema } from "effect"
import { Links, QtestId, nullable } from "./common.ts"
import { DefectTrackingSystem } from "./defects.ts"

/** `GET /api/v3/projects/{projectId}` (`ProjectResource`): what `check` confirms the token can see. */
export const Project = Schema.Struct({
  id: QtestId,
  name: Schema.String,
  description: nullable(Schema.String),
  status_id: nullable(Schema.Int),
  start_date: nullable(Schema.String),
  end_date: nullable(Schema.String),
  sample: nullable(Schema.Boolean),
  date_format: nullable(Schema.String),
  /** Automation settings enabled: the auto-test-logs endpoints need it. */
  automation: nullable(Schema.Boolean),
  /** The project's defect trackers: a Jira one lets test logs link Jira issues as defects (defectMode.ts). */
  defect_tracking_systems: nullable(Schema.Array(DefectTrackingSystem)),
  template_id: nullable(Schema.Int),
  uuid: nullable(Schema.String),
  links: Links
})
export type Project = typeof Project.Type

/**
 * The user the token belongs to (`LoggedUser`, from `GET /api/v3/re-evaluation`, "Gets current user's
 * information"): logs created through the API are executed by this user, so the sink reports it.
 */
export const CurrentUser = Schema.Struct({
  id: QtestId,
  /** The login email. */
  user_name: nullable(Schema.String),
  first_name: nullable(Schema.String),
  last_name: nullable(Schema.String),
  client_id: nullable(Schema.Int),
  client_name: nullable(Schema.String),
  client_site: nullable(Schema.String),
  client_site_name: nullable(Schema.String),
  links: Links
})
export type CurrentUser = typeof CurrentUser.Type

/**
 * A qTest user (`UserResource`; `users/search` items add `assigned_projects`). User-list fields take these ids;
 * owners and executors are matched by `username` (the login email, or the LDAP/SSO name) or `email`.
 */
export const User = Schema.Struct({
  id: QtestId,
  username: nullable(Schema.String),
  email: nullable(Schema.String),
  first_name: nullable(Schema.String),
  last_name: nullable(Schema.String),
  /** 0 = active in the swagger's example; other values are inactive states. */
  status: nullable(Schema.Int),
  ldap_username: nullable(Schema.String),
  external_user_name: nullable(Schema.String),
  external_auth_config_id: nullable(Schema.Int),
  user_group_ids: nullable(Schema.Array(Schema.Int)),
  assigned_projects: nullable(Schema.Array(Schema.Int)),
  avatar: nullable(Schema.String),
  links: Links
})
export type User = typeof User.Type

/** The answer of `POST /oauth/token` (`OAuthResponse`). The access token is made `Redacted` where it is decoded. */
export const OAuthToken = Schema.Struct({
  access_token: Schema.Redacted(Schema.String),
  token_type: nullable(Schema.String),
  refresh_token: nullable(Schema.Redacted(Schema.String)),
  /** Seconds of idleness after which the session ends. */
  expires_in: nullable(Schema.Number),
  scope: nullable(Schema.String)
})
export type OAuthToken = typeof OAuthToken.Type
