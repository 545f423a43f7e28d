/**
 * The `properties` array of a body: one value per qTest field, sorted by field id (so the same content always
 * serialises, and hashes, the same). When two Zephyr values land on one qTest field (e.g. a custom field renamed
 * onto a label another value already uses), the first one added wins and the other is reported.
 */
import type { PropertyValue } from "../api/requests.ts"
import type { Resolution } from "./MappingGap.ts"
import type { MappingNotes } from "./MappingGap.ts"

export class PropertyList {
  private readonly byField = new Map<number, { readonly property: PropertyValue; readonly source: string }>()

  private readonly notes: MappingNotes
  private readonly object: string

  constructor(notes: MappingNotes, object: string) {
    this.notes = notes
    this.object = object
  }

  /** Takes the resolution's notes and, when it has a value, adds the property; `source` names the Zephyr data. */
  add(resolution: Resolution<PropertyValue>, source: string): void {
    const property = this.notes.take(resolution)
    if (property === undefined) return
    const existing = this.byField.get(property.field_id)
    if (existing !== undefined) {
      this.notes.gap({
        kind: "field",
        field: source,
        value: property.field_value,
        object: this.object,
        hint: `${source} and ${existing.source} are written to the same qTest field (id ${property.field_id}); ${existing.source} was kept: map one of them to another label`
      })
      return
    }
    this.byField.set(property.field_id, { property, source })
  }

  toArray(): ReadonlyArray<PropertyValue> {
    return [...this.byField.values()].map((e) => e.property).sort((a, b) => a.field_id - b.field_id)
  }
}

/** Properties as written, sorted by field id (bodies and read-back projections both use this order). */
export const sortProperties = (properties: ReadonlyArray<PropertyValue>): ReadonlyArray<PropertyValue> =>
  [...properties].sort((a, b) => a.field_id - b.field_id)
