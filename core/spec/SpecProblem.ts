/**
 * One thing wrong with a spec, with where it is. Every check of the loader produces these, so all problems are
 * reported at once, sorted by position, in the one format `SpecError.problems` documents:
 * `file:line:col  /json/path  what is wrong — what to do`.
 */
import { SpecError } from "../errors.ts"

/** 1-based, as editors and terminals count. */
export interface Position {
  readonly line: number
  readonly col: number
}

export interface SpecProblem {
  readonly reason: "File" | "Yaml" | "Schema" | "Env" | "Plugin"
  readonly at: Position
  /** JSON pointer into the spec; empty for YAML syntax errors, which have no path yet. */
  readonly path: string
  readonly message: string
}

export const formatProblem = (file: string, problem: SpecProblem): string =>
  `${file}:${problem.at.line}:${problem.at.col}  ${problem.path === "" ? "" : `${problem.path}  `}${problem.message}`

/**
 * The error's single `reason` is the kind the user should look at first: a shape problem can cause the others,
 * an unset variable is the least surprising.
 */
const reasonOrder = ["Yaml", "Schema", "Plugin", "File", "Env"] as const

export const specErrorFrom = (file: string, problems: ReadonlyArray<SpecProblem>): SpecError => {
  const sorted = [...problems].sort((a, b) => a.at.line - b.at.line || a.at.col - b.at.col)
  const lines = [...new Set(sorted.map((problem) => formatProblem(file, problem)))]
  const reason = reasonOrder.find((r) => problems.some((problem) => problem.reason === r)) ?? "Schema"
  return new SpecError({ reason, file, problems: lines })
}
