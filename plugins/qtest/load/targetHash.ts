/**
 * The hash the id map keeps for a qTest object, and `verify` recomputes from what qTest returns. It is the
 * written hash (mapping/writtenHash.ts) of the body without properties that hold no value: an empty value, or
 * the field's default value — qTest fills a default into a field the body leaves empty (a Status when the Zephyr
 * status had no mapping), so a default in the read-back and an absent property in the body are the same content.
 */
import { writtenHash } from "../mapping/index.ts"

/** Field id → the id (as a string) of its default allowed value. */
export type FieldDefaults = ReadonlyMap<number, string>

export const fieldDefaults = (fields: Iterable<{ readonly id: number; readonly allowed_values?: ReadonlyArray<{ readonly value: number; readonly is_default?: boolean | null }> | null }>): FieldDefaults => {
  const out = new Map<number, string>()
  for (const f of fields) {
    const d = (f.allowed_values ?? []).find((v) => v.is_default === true)
    if (d !== undefined) out.set(Number(f.id), String(d.value))
  }
  return out
}

type WithProperties = { readonly properties: ReadonlyArray<{ readonly field_id: number; readonly field_value?: string | null }> }

const hasProperties = (body: unknown): body is WithProperties =>
  body !== null && typeof body === "object" && "properties" in body && Array.isArray((body as { properties: unknown }).properties)

const valued = (body: WithProperties, defaults: FieldDefaults) =>
  body.properties.filter((p) => p.field_value !== "" && p.field_value !== null && p.field_value !== undefined && defaults.get(Number(p.field_id)) !== p.field_value)

export const targetHash = (body: unknown, defaults: FieldDefaults): string =>
  hasProperties(body) ? writtenHash({ ...body, properties: valued(body, defaults) }) : writtenHash(body)
