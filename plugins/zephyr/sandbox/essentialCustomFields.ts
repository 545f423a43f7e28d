/**
 * Zephyr Essential's rendering of custom-field values: a multi-select value comes back as `[{id, name}]` rather
 * than Scale Cloud's array of option names (the Qase Essential migrator's README, docs/vendors/zephyr.md §3.5);
 * every other value is as Scale Cloud gives it. Essential publishes no option ids, so the sandbox derives one
 * from (field name, option name): the same on every request and in every project, different for the same option
 * name in another field.
 */
import { crc32 } from "./crc32.ts"

const utf8 = new TextEncoder()

/** A stable positive id for an option of a multi-select field, 1 to 2^31 - 1. */
export const multiSelectOptionId = (field: string, option: string): number => (crc32(utf8.encode(`${field}\u0000${option}`)) % 0x7fffffff) + 1

const isStringArray = (value: unknown): value is ReadonlyArray<string> => Array.isArray(value) && value.every((v) => typeof v === "string")

/**
 * The `customFields` map as Essential answers it. Anything that is not a map (a record the data file declares
 * malformed) is served as written, like every malformed record.
 */
export const essentialCustomFields = (fields: unknown): unknown => {
  if (fields === null || typeof fields !== "object" || Array.isArray(fields)) return fields
  return Object.fromEntries(
    Object.entries(fields).map(([name, value]) => [name, isStringArray(value) ? value.map((option) => ({ id: multiSelectOptionId(name, option), name: option })) : value])
  )
}
