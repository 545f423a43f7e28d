/**
 * Multi-select custom-field values in each edition's shape. Zephyr Scale Cloud sends an array of option names;
 * Zephyr Essential an array of `{id, name}` (the Qase Essential migrator's README, docs/vendors/zephyr.md §3.5). A
 * data file may write them either way, and each edition serves them in its own: names become objects for
 * Essential, objects become names for Cloud; every other value is served as written. Essential publishes no
 * option ids, so for a name the sandbox derives one from (field name, option name): the same on every request
 * and in every project, different for the same option name in another field. Both conversions give back the
 * very map they were given when nothing in it changes, so the common case costs no copy.
 */
import { crc32 } from "./crc32.ts"

const utf8 = new TextEncoder()

/** A stable positive id for an option of a multi-select field, 1 to 2^31 - 1. */
export const multiSelectOptionId = (field: string, option: string): number => (crc32(utf8.encode(`${field}\u0000${option}`)) % 0x7fffffff) + 1

export interface OptionObject {
  readonly id: number
  readonly name: string
}

const isNames = (value: unknown): value is ReadonlyArray<string> => Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")
export const isOptionObjects = (value: unknown): value is ReadonlyArray<OptionObject> =>
  Array.isArray(value) &&
  value.length > 0 &&
  value.every((v) => typeof v === "object" && v !== null && Number.isInteger((v as OptionObject).id) && typeof (v as OptionObject).name === "string")

/** Applies `convert` to each value of a `customFields` map; the same map when no value changed. */
const mapValues = (fields: unknown, convert: (name: string, value: unknown) => unknown): unknown => {
  // anything that is not a map (a record the data file declares malformed) is served as written
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) return fields
  let changed = false
  const entries = Object.entries(fields).map(([name, value]) => {
    const converted = convert(name, value)
    if (converted !== value) changed = true
    return [name, converted] as const
  })
  return changed ? Object.fromEntries(entries) : fields
}

/** The `customFields` map as Essential answers it: option names become `{id, name}`. */
export const asOptionObjects = (fields: unknown): unknown =>
  mapValues(fields, (name, value) => (isNames(value) ? value.map((option) => ({ id: multiSelectOptionId(name, option), name: option })) : value))

/** The `customFields` map as Scale Cloud answers it: `{id, name}` options become their names. */
export const asOptionNames = (fields: unknown): unknown => mapValues(fields, (_, value) => (isOptionObjects(value) ? value.map((o) => o.name) : value))
