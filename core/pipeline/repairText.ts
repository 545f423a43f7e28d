/**
 * Text no store or target holds faithfully, made storable before a record is hashed and written: NUL characters
 * are removed (SQLite tools, PostgreSQL-backed targets and many drivers cut or refuse text at a NUL) and unpaired
 * UTF-16 surrogates become U+FFFD (they are not Unicode: UTF-8 cannot encode them, and SQLite would store bytes that
 * read back as three replacement characters, a different text than was hashed). Every other character is kept
 * as it came. The fields touched are returned, for the note that tells the user the record was carried changed.
 */
import type { CanonicalRecord } from "../canonical/Canonical.ts"

const NUL = /\u0000/g
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g")

export interface RepairedText {
  readonly record: CanonicalRecord
  /** Top-level fields whose text (or text inside their JSON value) had NUL characters removed. */
  readonly nul: ReadonlyArray<string>
  /** Top-level fields whose text had unpaired surrogates replaced. */
  readonly surrogates: ReadonlyArray<string>
}

export const repairText = (record: CanonicalRecord): RepairedText => {
  const nul = new Set<string>()
  const surrogates = new Set<string>()
  const clean = (value: unknown, field: string): unknown => {
    if (typeof value === "string") {
      let text = value
      if (text.includes("\u0000")) {
        nul.add(field)
        text = text.replace(NUL, "")
      }
      if (LONE_SURROGATE.test(text)) {
        surrogates.add(field)
        text = text.replace(LONE_SURROGATES, "\uFFFD")
      }
      return text
    }
    if (Array.isArray(value)) return value.map((item) => clean(item, field))
    if (typeof value === "object" && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [clean(k, field), clean(v, field)]))
    return value
  }
  const data = Object.fromEntries(Object.entries(record.data).map(([field, value]) => [field, clean(value, field)]))
  if (nul.size === 0 && surrogates.size === 0) return { record, nul: [], surrogates: [] }
  return { record: { entity: record.entity, data } as CanonicalRecord, nul: [...nul], surrogates: [...surrogates] }
}
