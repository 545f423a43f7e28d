/**
 * The CSV's columns. One row per test step; the rows of one test case are consecutive and share its `key`, and
 * the case's own columns are read from its first row (later rows may leave them empty). A case without steps is
 * one row with empty step columns.
 */
export const caseColumns = ["key", "name", "folder", "objective", "precondition", "priority", "status", "labels", "component"] as const
export const stepColumns = ["step", "expected", "test_data"] as const
export const knownColumns: ReadonlyArray<string> = [...caseColumns, ...stepColumns]
export const requiredColumns: ReadonlyArray<string> = ["key", "name"]

export type Column = (typeof caseColumns)[number] | (typeof stepColumns)[number]

/** Column name → position, from the header row; or the problems that make the header unusable. */
export type Header = { readonly _tag: "Header"; readonly index: ReadonlyMap<Column, number> } | { readonly _tag: "Invalid"; readonly problems: ReadonlyArray<string> }

export const readHeader = (fields: ReadonlyArray<string>): Header => {
  const names = fields.map((f) => f.trim().toLowerCase())
  const problems: Array<string> = []
  const unknown = names.filter((n) => !knownColumns.includes(n))
  if (unknown.length > 0) problems.push(`unknown column${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}`)
  const missing = requiredColumns.filter((c) => !names.includes(c))
  if (missing.length > 0) problems.push(`missing column${missing.length > 1 ? "s" : ""} ${missing.map((n) => `"${n}"`).join(", ")}`)
  const duplicate = names.filter((n, i) => names.indexOf(n) !== i)
  if (duplicate.length > 0) problems.push(`column ${duplicate.map((n) => `"${n}"`).join(", ")} appears twice`)
  if (problems.length > 0) return { _tag: "Invalid", problems }
  return { _tag: "Header", index: new Map(names.map((n, i) => [n as Column, i])) }
}

export const headerHint = `the first line must name the columns: ${knownColumns.join(",")} (key and name are required; see examples/csv-source/cases.example.csv)`

/** A cell by column name; absent columns and blank cells are both undefined. */
export const cell = (index: ReadonlyMap<Column, number>, fields: ReadonlyArray<string>, column: Column): string | undefined => {
  const i = index.get(column)
  const value = i === undefined ? undefined : fields[i]?.trim()
  return value === undefined || value === "" ? undefined : value
}
