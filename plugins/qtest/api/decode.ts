/**
 * Decoding at the boundary: every qTest answer goes through a schema where it enters. A body that does not
 * match is an `ApiError` with reason Decode naming the method and URL (never the token: auth is a header), so
 * the caller can tell "qTest refused" from "this is not the API we think" and the report says where.
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { ApiError } from "../../../core/index.ts"

/** `items.0.name: Expected string, actual 42; …` — short enough for a report line. */
export const describeParseError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const shown = issues.slice(0, 5).map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
  return issues.length > shown.length ? `${shown.join("; ")}; … (${issues.length - shown.length} more)` : shown.join("; ")
}

/** Where a decode failure happened: the request it answered. */
export interface DecodeSite {
  readonly system: string
  readonly method: string
  readonly url: string
  readonly status?: number | undefined
}

export const decodeBody =
  <A, I>(schema: Schema.Schema<A, I>, site: DecodeSite) =>
  (raw: unknown): Effect.Effect<A, ApiError> =>
    Either.match(Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })(raw), {
      onRight: Effect.succeed,
      onLeft: (error) =>
        Effect.fail(
          new ApiError({
            system: site.system,
            reason: "Decode",
            method: site.method,
            url: site.url,
            status: site.status,
            message: `${site.method} ${site.url} answered with an unexpected body: ${describeParseError(error)}`
          })
        )
    })
