/** The HATEOAS `links: [{rel, href}]` every qTest resource carries (`Link` in the swagger). */
import { Schema } from "effect"
import { nullable } from "./nullable.ts"

export const Link = Schema.Struct({
  rel: nullable(Schema.String),
  href: nullable(Schema.String)
})
export type Link = typeof Link.Type

export const Links = nullable(Schema.Array(Link))
