/**
 * The two ways a response is decoded. An *envelope* (a page, a project, an attachment list) that does not
 * match means we are not talking to the API we think: a `SystemError` (Protocol) naming the URL stops the run.
 * An *item* that does not match is one bad record: the caller quarantines it and carries on.
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { SystemError } from "../../../core/index.ts"

/** `name: Expected string, actual 42; links.issues.0.id: …` — short enough for a report line. */
export const describeParseError = (error: ParseResult.ParseError): string =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ")

export const decodeEnvelope =
  <A, I>(schema: Schema.Schema<A, I>, system: string, url: string) =>
  (raw: unknown): Effect.Effect<A, SystemError> =>
    Either.match(Schema.decodeUnknownEither(schema, { errors: "all" })(raw), {
      onRight: Effect.succeed,
      onLeft: (error) =>
        Effect.fail(
          new SystemError({
            system,
            reason: "Protocol",
            message: `${url} answered with an unexpected body: ${describeParseError(error)}`,
            hint: "check that baseUrl points at the Zephyr Scale Cloud REST API v2 (…/v2), not at Jira or a proxy page"
          })
        )
    })

/** Right: the decoded item; Left: why it was rejected (the quarantine reason). */
export const decodeItem =
  <A, I>(schema: Schema.Schema<A, I>) =>
  (raw: unknown): Either.Either<A, string> =>
    Either.mapLeft(Schema.decodeUnknownEither(schema, { errors: "all" })(raw), describeParseError)

/** The best source id a malformed raw item offers, for the quarantine row. */
export const rawSourceId = (raw: unknown): string => {
  if (typeof raw === "object" && raw !== null) {
    const r = raw as Record<string, unknown>
    for (const k of ["id", "key"] as const) {
      const v = r[k]
      if (typeof v === "number" || (typeof v === "string" && v !== "")) return String(v)
    }
  }
  return "<unknown>"
}
