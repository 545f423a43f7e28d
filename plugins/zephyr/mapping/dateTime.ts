/**
 * Zephyr's date-times are strings the API does not validate for us: a broken tenant can send `2024-02-30T25:61Z`
 * or `last tuesday`. The canonical store takes RFC 3339 date-times only; a value that is not one is not carried
 * (null: the record is, with a note), because a record must not be lost over a timestamp, nor given a made-up one.
 */
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:?\d{2})$/

/** The value when it is a real date-time (a day the month has, hours < 24, …); else null. */
export const validDateTime = (value: string | null | undefined): string | null => {
  if (value == null) return null
  const m = RFC3339.exec(value)
  if (m === null) return null
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  // setUTCFullYear, not Date.UTC: the latter reads years 0–99 as 1900–1999
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day)
  const realDay = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day
  return realDay && hour < 24 && minute < 60 && second <= 60 ? value : null
}

/** The fields whose value is present but no date-time, for the note that says they were not carried. */
export const invalidDateTimes = (fields: Readonly<Record<string, string | null | undefined>>): ReadonlyArray<readonly [field: string, value: string]> =>
  Object.entries(fields).flatMap(([field, value]) => (value != null && validDateTime(value) === null ? [[field, value] as const] : []))
