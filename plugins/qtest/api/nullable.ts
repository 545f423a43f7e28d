/**
 * qTest omits some fields and sends `null` for others, and which one varies by endpoint and version: every
 * field the swagger does not require is decoded as "absent or null".
 */
import { Schema } from "effect"

export const nullable = <A, I, R>(schema: Schema.Schema<A, I, R>) => Schema.optional(Schema.NullOr(schema))
