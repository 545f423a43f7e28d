/**
 * What every qTest answer is built from: ids, "absent or null" fields, links, field values, the paged envelope,
 * and decoding at the boundary.
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { ApiError } from "../../../core/index.ts"

/**
 * qTest's numeric object ids (int64 on the wire; every real id fits a double). Branded, so an id decoded from
 * qTest is a different type from a Zephyr id or a canonical row id; plain numbers still go into request bodies.
 */
export const QtestId = Schema.Int.pipe(Schema.brand("QtestId"))
export type QtestId = typeof QtestId.Type

/**
 * qTest omits some fields and sends `null` for others, and which one varies by endpoint and version: every
 * field the swagger does not require is decoded as "absent or null".
 */
export const nullable = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optional(Schema.NullOr(schema))

/** The HATEOAS `links: [{rel, href}]` every qTest resource carries (`Link` in the swagger). */
export const Link = Schema.Struct({
  rel: nullable(Schema.String),
  href: nullable(Schema.String)
})
export type Link = typeof Link.Type

export const Links = nullable(Schema.Array(Link))

/**
 * A field value as qTest returns it (`PropertyResource`): the id and raw value we sent, plus the field's name
 * and, for picklists, the value's label. Only `field_id` is required by the swagger.
 */
export const Property = Schema.Struct({
  field_id: Schema.Int,
  field_name: nullable(Schema.String),
  field_value: nullable(Schema.String),
  field_value_name: nullable(Schema.String)
})
export type Property = typeof Property.Type

export const Properties = nullable(Schema.Array(Property))

/**
 * One derived schema per item schema: Effect compiles a decoder once per schema object, so a schema built anew for
 * every request compiled one for every request (≈ 3% of a run's CPU).
 */
const perItemSchema = <S>(derive: (item: Schema.Schema.Any) => S) => {
  const made = new WeakMap<Schema.Schema.Any, S>()
  return (item: Schema.Schema.Any): S => {
    let schema = made.get(item)
    if (schema === undefined) made.set(item, (schema = derive(item)))
    return schema
  }
}

const arrays = perItemSchema((item) => Schema.Array(item))
/** `Schema.Array(item)`, one per item schema. */
export const arrayOf = <A, I, R>(item: Schema.Schema<A, I, R>): Schema.Array$<Schema.Schema<A, I, R>> => arrays(item) as Schema.Array$<Schema.Schema<A, I, R>>

const pagedItemsSchema = <A, I, R>(item: Schema.Schema<A, I, R>) =>
  Schema.Struct({
    page: nullable(Schema.Int),
    page_size: nullable(Schema.Int),
    total: nullable(Schema.Int),
    items: arrayOf(item),
    links: Links
  })
const envelopes = perItemSchema((item) => pagedItemsSchema(item))

/**
 * The `{page, page_size, total, items}` envelope of the endpoints that page in the body (test runs, test logs,
 * search, users/search), one per item schema. Bare-array endpoints (test cases, test cycles, …) have no envelope
 * and no total.
 */
export const PagedItems = <A, I, R>(item: Schema.Schema<A, I, R>): ReturnType<typeof pagedItemsSchema<A, I, R>> =>
  envelopes(item) as ReturnType<typeof pagedItemsSchema<A, I, R>>

export interface PagedItems<A> {
  readonly page?: number | null | undefined
  readonly page_size?: number | null | undefined
  readonly total?: number | null | undefined
  readonly items: ReadonlyArray<A>
}

/**
 * Decoding at the boundary: every qTest answer goes through a schema where it enters. A body that does not
 * match is an `ApiError` with reason Decode naming the method and URL (never the token: auth is a header), so
 * the caller can tell "qTest refused" from "this is not the API we think" and the report says where.
 */
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
