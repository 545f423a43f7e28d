/**
 * The user the token belongs to (`LoggedUser`, from `GET /api/v3/re-evaluation`, "Gets current user's
 * information"): logs created through the API are executed by this user, so the sink reports it.
 */
import { Schema } from "effect"
import { Links } from "./Link.ts"
import { nullable } from "./nullable.ts"
import { QtestId } from "./QtestId.ts"

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
