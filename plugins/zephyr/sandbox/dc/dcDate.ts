/**
 * Dates as Zephyr Scale Data Center writes them: UTC with milliseconds and `Z` (`2023-06-16T20:51:59.000Z`, the
 * form of every real capture, docs/vendors/zephyr.md §2). The tenant writes Cloud's `…:59Z`; a value that is no date (a record the
 * data file declares malformed) is served as written.
 */
export const dcDate = (value: string | number | null | undefined): string | undefined => {
  if (value === null || value === undefined || value === "") return undefined
  const ms = typeof value === "number" ? value : Date.parse(value)
  return Number.isFinite(ms) ? new Date(ms).toISOString() : String(value)
}
