/**
 * The sandbox's subset of TQL, Zephyr Scale Data Center's search language (docs/vendors/zephyr.md §2): exactly
 * `projectKey = "X"`, optionally `AND folder = "/path"` (either order), with DC's strict syntax — one space around
 * `=`, values in double quotes, upper-case `AND`. That is all a whole-project extraction needs; anything else is
 * refused with a 400 naming the problem, so a client that relies on more is caught rather than served a guess.
 */
export interface TqlQuery {
  readonly projectKey: string
  /** `/` is the root: the entities that are in no folder. Subfolders are not included (as on DC). */
  readonly folder?: string | undefined
}

/** DC's message for a statement it cannot parse (docs/vendors/zephyr.md §2, "The query statement is not valid: statusIN(Draft)"). */
const invalid = (statement: string) => `The query statement is not valid: ${statement}`

const FIELDS = ["projectKey", "folder"]

/** The query, or the error messages of a 400. */
export const parseTql = (query: string | null): TqlQuery | { readonly errors: ReadonlyArray<string> } => {
  if (query === null || query.trim() === "") return { errors: ["The query parameter is required: give a TQL query such as projectKey = \"ABC\"."] }
  const clauses = query.split(" AND ")
  const values = new Map<string, string>()
  for (const clause of clauses) {
    const m = /^([A-Za-z][A-Za-z0-9_.]*) = "([^"\\]*)"$/.exec(clause)
    if (m === null) {
      const field = /^\s*([A-Za-z][A-Za-z0-9_.]*)/.exec(clause)?.[1]
      if (field !== undefined && !FIELDS.includes(field) && field.toUpperCase() !== "AND")
        return { errors: [`The field ${field} is not supported by this sandbox: only projectKey = "…" and folder = "/…" are.`, invalid(clause)] }
      return { errors: [invalid(clause)] }
    }
    const [, field = "", value = ""] = m
    if (!FIELDS.includes(field)) return { errors: [`The field ${field} is not supported by this sandbox: only projectKey = "…" and folder = "/…" are.`] }
    if (values.has(field)) return { errors: [`The field ${field} is given twice.`, invalid(query)] }
    values.set(field, value)
  }
  const projectKey = values.get("projectKey")
  if (projectKey === undefined) return { errors: ["The query must name the project: projectKey = \"…\"."] }
  const folder = values.get("folder")
  if (folder !== undefined && !folder.startsWith("/")) return { errors: ["Field folder must begin with forward slash."] }
  return folder === undefined ? { projectKey } : { projectKey, folder: folder.length > 1 ? folder.replace(/\/$/, "") : folder }
}
