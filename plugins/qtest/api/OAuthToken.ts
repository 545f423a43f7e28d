/** The answer of `POST /oauth/token` (`OAuthResponse`). The access token is made `Redacted` where it is decoded. */
import { Schema } from "effect"
import { nullable } from "./nullable.ts"

export const OAuthToken = Schema.Struct({
  access_token: Schema.Redacted(Schema.String),
  token_type: nullable(Schema.String),
  refresh_token: nullable(Schema.Redacted(Schema.String)),
  /** Seconds of idleness after which the session ends. */
  expires_in: nullable(Schema.Number),
  scope: nullable(Schema.String)
})
export type OAuthToken = typeof OAuthToken.Type
