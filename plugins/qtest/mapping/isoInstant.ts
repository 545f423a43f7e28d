/**
 * Timestamps as we write them and compare them: ISO 8601 UTC with milliseconds (`Date.prototype.toISOString`).
 * qTest may echo `2024-03-01T10:00:00Z` or `…+00:00`; read-back normalises through the same function, so only a
 * different instant is a difference. A date-time without a zone is read as UTC (never as the machine's zone); a
 * bare date is midnight UTC.
 */
const NO_ZONE = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/

export const isoInstant = (text: string): string | undefined => {
  const trimmed = text.trim()
  if (trimmed === "") return undefined
  const ms = Date.parse(NO_ZONE.test(trimmed) ? `${trimmed}Z` : trimmed)
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString()
}
