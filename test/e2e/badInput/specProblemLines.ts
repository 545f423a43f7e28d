/**
 * The problems of a `migrate: the spec is invalid:` message, one per line as the CLI prints them (indented by
 * two spaces under the heading), or undefined when the output has no such message.
 */
export const specProblemLines = (stderr: string): ReadonlyArray<string> | undefined => {
  const lines = stderr.split("\n")
  const start = lines.findIndex((l) => l === "migrate: the spec is invalid:")
  if (start < 0) return undefined
  const problems: Array<string> = []
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith("  ")) break
    problems.push(line.slice(2))
  }
  return problems
}
