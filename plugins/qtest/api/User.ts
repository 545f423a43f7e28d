/**
 * A qTest user (`UserResource`; `users/search` items add `assigned_projects`). User-list fields take these ids;
 * owners and executors are matched by `username` (the login email, or the LDAP/SSO name) or `email`.
 */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

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
