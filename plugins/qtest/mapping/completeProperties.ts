/**
 * qTest keeps a field's value when an update leaves the field out of `properties`: a value the source no longer
 * has (an assignee removed, a custom field emptied) would stay in qTest for ever, and `verify` would find it. So
 * every body names every field our mapping manages for its kind: a field without a value is sent as its default
 * allowed value when it has one (what qTest itself fills in on create), else as "" (which clears it). The
 * target hash treats both as "no value" (targetHash.ts), so completing a body never changes its hash.
 */
import type { PropertyValue } from "../api/requests.ts"
import type { ManagedFields } from "./Vocabulary.ts"

export const completeProperties = <B extends { readonly properties?: ReadonlyArray<PropertyValue> | undefined }>(
  body: B,
  managed: ManagedFields,
  defaults: ReadonlyMap<number, string>
): B => {
  const present = new Set((body.properties ?? []).map((p) => Number(p.field_id)))
  const added: Array<PropertyValue> = []
  for (const fieldId of managed.keys()) if (!present.has(fieldId)) added.push({ field_id: fieldId, field_value: defaults.get(fieldId) ?? "" })
  if (added.length === 0) return body
  return { ...body, properties: [...(body.properties ?? []), ...added].sort((a, b) => a.field_id - b.field_id) }
}
